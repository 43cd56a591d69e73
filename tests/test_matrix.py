"""The generic matrix: the same behaviour asked of every platform that has a recipe and a kit.

The cases come from the registry (optout/kits), so a new platform is covered by adding its recipe
and its kit; nothing here names a platform. Every test checks what the replica server kept (its
ground truth), not only what optout printed.
"""

from __future__ import annotations

import json
import os

import pytest

from optout.kits import page_settings, replica_platforms
from optout.recipes.catalogue import load_catalogue
from optout.recipes.schema import Setting
from optout.replica.options import UNRELATED_LABEL
from tests.helpers import in_runs
from tests.variation_table import key as stored_key

CATALOGUE = load_catalogue()
PLATFORMS = [p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p)]


def results(run) -> list[dict]:
    return json.loads(run.stdout)


def truth(replica, platform: str) -> dict[str, bool]:
    """Each stored setting (per resource: setting@resource) -> whether the server keeps it opted out."""
    return {key: replica.is_opted_out(platform, key) for key in replica.state(platform)}


def settings(platform: str) -> list[Setting]:
    return page_settings(CATALOGUE, platform)


def test_the_matrix_covers_every_control_kind() -> None:
    kinds = {s.kind for p in PLATFORMS for s in settings(p)}
    assert kinds == {"toggle", "choice", "menu"}
    assert any(s.resource for p in PLATFORMS for s in settings(p))
    assert any(s.save for p in PLATFORMS for s in settings(p))
    assert any(s.close for p in PLATFORMS for s in settings(p))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_enable_switches_it_back_on(log_in, cli, replica, platform: str) -> None:
    """`enable` must read the opted-out page as opted out (or it would change nothing), switch each
    setting back and verify it. Opting out is asked of every platform at once, below."""
    log_in(platform)
    replica.opt_out_all(platform)
    back = cli("enable", platform, "--include", "ai-use,sharing", "--json")
    assert back.exit_code == 0, ([(r["state"], r["action"], r["detail"]) for r in results(back)], back.stderr)
    assert {(r["state"], r["action"]) for r in results(back)} == {("opted_in", "changed")}
    assert not any(truth(replica, platform).values())


# Platforms whose recipe knows an older wording of a control (a label with an `until`): their kits
# draw the wording the facts give from before the rename under label_variant="old", as accounts or
# app versions not yet renamed are served it.
RENAMED = [p for p in PLATFORMS if any(lb.until for s in settings(p) if s.control for lb in s.control.labels)]


def test_an_older_wording_still_served_is_read(log_in, cli, replica) -> None:
    """One `status` of every renamed platform, each page showing its older wording: every setting
    is read (none not_found), and nothing is written."""
    for platform in RENAMED:
        log_in(platform)
    replica.options.label_variant = "old"
    run = cli("status", *RENAMED, "--json", "--jobs", "2", "--timeout", "20")
    assert {r["platform"] for r in results(run)} == set(RENAMED) and len(RENAMED) >= 3
    unread = [(r["platform"], r["setting"], r["state"], r["detail"]) for r in results(run) if r["state"] != "opted_in"]
    assert unread == []
    assert {p: replica.writes(p) for p in RENAMED if replica.writes(p)} == {}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_logged_out_is_needs_login_with_the_command(cli, replica, platform: str) -> None:
    run = cli("status", platform, "--json")  # no stored session at all
    assert run.exit_code == 3
    for r in results(run):  # each names the command that fixes it (per-resource: list the blogs first)
        assert (r["state"], f"optout login {platform}" in r["detail"]) == ("needs_login", True) or (
            r["state"] == "manual" and f"optout config set {platform}." in r["detail"]
        ), r


# The rules below are asked of every platform in one run of `disable --all`, as cron runs it: one
# browser for all of them instead of one per platform (the suite's time is mostly browser start-up).
# A broken rule is reported by platform. A generous --timeout: many platforms share two cores.
EVERYWHERE = ("disable", "--all", "--include", "ai-use,sharing", "--json", "--jobs", "2", "--timeout", "20")


def everyone(log_in, platforms: list[str] = PLATFORMS) -> None:
    for platform in platforms:
        log_in(platform)


def breaking(run, rule, platforms: list[str] = PLATFORMS) -> dict[str, list[tuple[str, str, str]]]:
    """Per platform, the results of `run` that break `rule` (as state, action, detail); every
    platform of `platforms` must have results."""
    by_platform: dict[str, list[dict]] = {p: [] for p in platforms}
    for r in results(run):
        by_platform.setdefault(r["platform"], []).append(r)
    broken = {p: [(r["state"], r["action"], r["detail"]) for r in rs if not rule(r)] for p, rs in by_platform.items()}
    missing = {p: [("no result", "", "")] for p, rs in by_platform.items() if not rs}
    return {p: b for p, b in {**broken, **missing}.items() if b}


# The hostile cases below come in classes of what a page does wrong. Asking every case of every
# platform costs minutes the suite does not have (issue 22), so the cases rotate: the core kits
# meet every case, and every other kit one case of each class, chosen by its place in the list.
# OPTOUT_MATRIX_ALL=1 asks the whole cross.
CORE = [p for p in ("linkedin", "x", "chatgpt", "github") if p in PLATFORMS]
OTHERS = [p for p in PLATFORMS if p not in CORE]
CLASSES = {
    "no safe control to click": ["removed", "only another", "duplicated"],
    "what the server kept": ["not kept", "flapping"],
    "where a click lands": ["overlay", "collateral"],
}


def kits(case: str) -> list[str]:
    """The platforms asked `case`: all of them under OPTOUT_MATRIX_ALL, else the core and a share."""
    if os.environ.get("OPTOUT_MATRIX_ALL", "") not in ("", "0"):
        return PLATFORMS
    cases = next(cases for cases in CLASSES.values() if case in cases)
    share = cases.index(case)
    return CORE + [p for i, p in enumerate(OTHERS) if i % len(cases) == share]


def runs(platforms: list[str], size: int = 8) -> list[object]:
    """One test per run of at most `size` of `platforms` (tests.helpers.in_runs)."""
    parts = in_runs(platforms, size)
    return [pytest.param(part, id=f"{n}/{len(parts)}") for n, part in enumerate(parts, 1)]


def test_every_kit_meets_every_class_of_the_hostile_cases() -> None:
    for cases in CLASSES.values():
        met = [p for case in cases for p in kits(case)]
        assert sorted(set(met)) == sorted(PLATFORMS), cases
        assert all(met.count(p) == len(cases) for p in CORE)


@pytest.mark.parametrize("chosen", runs(PLATFORMS, 10))
def test_opt_out_verify_and_nothing_sent_twice(log_in, cli, replica, chosen: list[str]) -> None:
    """Each run reads the state before acting: the first `disable` must read opted in (or it would
    change nothing), the second must read opted out (or it would act again). Status's exit codes are
    the same code path for every platform and are tested once, in test_engine."""
    everyone(log_in, chosen)
    first = cli(*EVERYWHERE)
    assert breaking(first, lambda r: (r["state"], r["action"]) == ("opted_out", "changed"), chosen) == {}
    assert first.exit_code == 0, first.stderr
    kept = {p: truth(replica, p) for p in chosen}
    assert {p: t for p, t in kept.items() if not all(t.values())} == {}
    assert {r["confidence"] for r in results(first)} <= {"confirmed", "single-source", "inferred"}
    assert "new on" not in first.stderr  # the recipe's own switches are never announced as discoveries

    writes = {p: replica.writes(p) for p in chosen}
    again = cli(*EVERYWHERE)
    assert breaking(again, lambda r: (r["state"], r["action"]) == ("opted_out", "none"), chosen) == {}
    assert again.exit_code == 0, again.stderr
    assert {p: replica.writes(p) for p in chosen} == writes  # nothing was sent the second time


def test_a_revoked_session_is_needs_login_with_the_command(log_in, cli, replica) -> None:
    everyone(log_in)
    for platform in PLATFORMS:
        replica.revoke(platform)  # the site ended the session
    run = cli(*EVERYWHERE)
    assert run.exit_code == 3
    assert breaking(run, lambda r: r["state"] == "needs_login" and f"optout login {r['platform']}" in r["detail"]) == {}
    assert {p: replica.writes(p) for p in PLATFORMS if replica.writes(p)} == {}


@pytest.mark.parametrize("chosen", runs(kits("removed")))
def test_removed_control_is_not_found_and_nothing_is_clicked(log_in, cli, replica, chosen: list[str]) -> None:
    everyone(log_in, chosen)
    replica.options.missing_control = True
    run = cli(*EVERYWHERE)
    assert run.exit_code == 3
    assert breaking(run, lambda r: r["state"] == "not_found" and "nothing was clicked" in r["detail"], chosen) == {}
    assert {p: replica.writes(p) for p in chosen if replica.writes(p)} == {}


@pytest.mark.parametrize("chosen", runs(kits("only another")))
def test_only_another_settings_control_is_not_found_and_nothing_is_clicked(
    log_in, cli, replica, chosen: list[str]
) -> None:
    """The settings page shows one control of the same kind, for another setting (a redesign moved
    the setting away, or its URL leads elsewhere): no way of finding a control may take it for
    the setting's, and the server keeps every value (issue 19)."""
    everyone(log_in, chosen)
    replica.options.only_other_switch = True
    run = cli(*EVERYWHERE)
    assert run.exit_code == 3
    assert breaking(run, lambda r: r["state"] == "not_found" and "nothing was clicked" in r["detail"], chosen) == {}
    assert {p: replica.writes(p) for p in chosen if replica.writes(p)} == {}
    assert [p for p in chosen if any(truth(replica, p).values())] == []  # none opted out either


@pytest.mark.parametrize("chosen", runs(kits("duplicated")))
def test_duplicated_control_is_ambiguous_and_nothing_is_clicked(log_in, cli, replica, chosen: list[str]) -> None:
    """A platform whose page holds several settings may have only some of them doubled: those are
    refused, untouched at the server; the others may be changed."""
    everyone(log_in, chosen)
    replica.options.duplicate_control = True
    run = cli(*EVERYWHERE)
    assert run.exit_code == 3
    ambiguous = [r for r in results(run) if "ambiguous" in r["detail"]]
    assert {r["platform"] for r in ambiguous} == set(chosen)
    assert [r for r in ambiguous if (r["state"], r["action"]) != ("not_found", "none")] == []
    touched = [stored_key(r) for r in ambiguous if replica.is_opted_out(r["platform"], stored_key(r))]
    assert touched == []  # untouched at the server
    whole = {p for p in chosen if all("ambiguous" in r["detail"] for r in results(run) if r["platform"] == p)}
    assert {p: replica.writes(p) for p in whole if replica.writes(p)} == {}


@pytest.mark.parametrize("chosen", runs(kits("flapping")))
def test_a_server_that_flaps_never_gets_a_verified_change(log_in, cli, replica, home, chosen: list[str]) -> None:
    """A server that keeps nothing and answers every other read with each setting opted out (a
    load balancer in front of copies that disagree): of the two fresh readings after a change, one
    shows it kept and the other not. No change is verified; each is an error naming both. A page
    read once before any click may land on either answer (a later blog or site of a per-resource
    setting does): that is a reading, not a change, and nothing is clicked on it."""
    everyone(log_in, chosen)
    replica.options.keep_changes = False
    replica.options.alternate_reads = True
    run = cli(*EVERYWHERE)
    assert run.exit_code == 1

    def flapped(r: dict) -> bool:
        return (r["state"], r["action"]) == ("error", "failed") and "does not keep a steady answer" in r["detail"]

    assert breaking(run, lambda r: flapped(r) or (r["state"], r["action"]) == ("opted_out", "none"), chosen) == {}
    assert [p for p in chosen if not any(flapped(r) for r in results(run) if r["platform"] == p)] == []
    assert not any((home / "receipts").rglob("*.png"))
    kept = {p: truth(replica, p) for p in chosen}
    assert {p: t for p, t in kept.items() if any(t.values())} == {}


@pytest.mark.parametrize("chosen", runs(kits("not kept")))
def test_a_change_the_server_does_not_keep_is_never_opted_out(log_in, cli, replica, chosen: list[str]) -> None:
    everyone(log_in, chosen)
    replica.options.keep_changes = False
    run = cli(*EVERYWHERE)
    assert run.exit_code == 1
    assert breaking(run, lambda r: r["action"] == "failed" and "did not keep the change" in r["detail"], chosen) == {}
    assert [r for r in results(run) if r["state"] == "opted_out"] == []
    kept = {p: truth(replica, p) for p in chosen}
    assert {p: t for p, t in kept.items() if any(t.values())} == {}


@pytest.mark.parametrize("chosen", runs(kits("overlay")))
def test_an_overlay_from_another_control_takes_no_click(log_in, cli, replica, chosen: list[str]) -> None:
    """A transparent element of an unrelated setting's, inside each control: the click goes
    elsewhere on the control (its label) or nowhere, and the unrelated setting stays off."""
    everyone(log_in, chosen)
    replica.options.click_thief = "switch"
    run = cli(*EVERYWHERE)
    assert {p: replica.unrelated_setting(p) for p in chosen if replica.unrelated_setting(p) is not False} == {}

    def covered_or_kept(r: dict) -> bool:
        if (r["state"], r["action"]) == ("opted_out", "changed"):
            return replica.is_opted_out(r["platform"], stored_key(r))
        covered = "covered by another control" in r["detail"] and UNRELATED_LABEL in r["detail"]
        return (r["state"], r["action"]) == ("error", "failed") and covered

    assert breaking(run, covered_or_kept, chosen) == {}


@pytest.mark.parametrize("chosen", runs(kits("collateral")))
def test_a_change_that_also_switches_another_setting_is_never_verified(log_in, cli, replica, chosen: list[str]) -> None:
    """The server switches an unrelated setting on with the first save: that change is an error
    naming it. Later saves (another resource's page, which already showed it on) switch nothing."""
    everyone(log_in, chosen)
    replica.options.collateral_save = True
    run = cli(*EVERYWHERE)
    assert run.exit_code == 1

    def named(r: dict) -> bool:
        return (r["state"], r["action"]) == ("error", "failed") and f"also switched '{UNRELATED_LABEL}' on" in r[
            "detail"
        ]

    assert breaking(run, lambda r: named(r) or (r["state"], r["action"]) == ("opted_out", "changed"), chosen) == {}
    first = {}
    for r in results(run):
        first.setdefault(r["platform"], r)
    assert {p: r["detail"] for p, r in first.items() if not named(r)} == {}
