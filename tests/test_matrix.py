"""The generic matrix: the same behaviour asked of every platform that has a recipe and a kit.

The cases come from the registry (optout/kits), so a new platform is covered by adding its recipe
and its kit; nothing here names a platform. Every test checks what the replica server kept (its
ground truth), not only what optout printed.
"""

from __future__ import annotations

import json

import pytest

from optout.catalogue import load_catalogue
from optout.kits import page_settings, replica_platforms
from optout.schema import Setting

pytestmark = pytest.mark.browser

CATALOGUE = load_catalogue()
PLATFORMS = [p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p)]


def results(run) -> list[dict]:
    return json.loads(run.stdout)


def truth(replica, platform: str) -> dict[str, bool]:
    """Each stored setting (per resource: setting@resource) -> whether the server keeps it opted out."""
    return {key: replica.is_opted_out(platform, key) for key in replica.state(platform)}


def stored_key(result: dict) -> str:
    return result["setting"] + (f"@{result['resource']}" if result["resource"] else "")


def settings(platform: str) -> list[Setting]:
    return page_settings(CATALOGUE, platform)


def test_the_matrix_covers_every_control_kind() -> None:
    kinds = {s.kind for p in PLATFORMS for s in settings(p)}
    assert kinds == {"toggle", "choice", "menu"}
    assert any(s.resource for p in PLATFORMS for s in settings(p))
    assert any(s.save for p in PLATFORMS for s in settings(p))
    assert any(s.close for p in PLATFORMS for s in settings(p))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_opt_out_verify_and_back(log_in, cli, replica, platform: str) -> None:
    """Three runs, each of which reads the state before acting: `disable` must read opted in (or
    it would change nothing), the second `disable` must read opted out (or it would act again), and
    `enable` must read opted out. Status's exit codes are the same code path for every platform and
    are tested once, in test_engine."""
    log_in(platform)
    assert not any(truth(replica, platform).values())
    run = cli("disable", platform, "--json")
    assert run.exit_code == 0, run
    assert {(r["state"], r["action"]) for r in results(run)} == {("opted_out", "changed")}
    assert all(truth(replica, platform).values())
    assert all(r["confidence"] in ("confirmed", "single-source", "inferred") for r in results(run))
    assert "new on" not in run.stderr  # the recipe's own switches are never announced as discoveries

    writes = replica.writes(platform)
    again = cli("disable", platform, "--json")
    assert again.exit_code == 0, again
    assert {(r["state"], r["action"]) for r in results(again)} == {("opted_out", "none")}
    assert replica.writes(platform) == writes  # nothing was sent the second time

    back = cli("enable", platform, "--json")
    assert back.exit_code == 0, back
    assert {(r["state"], r["action"]) for r in results(back)} == {("opted_in", "changed")}
    assert not any(truth(replica, platform).values())


@pytest.mark.parametrize("platform", PLATFORMS)
def test_logged_out_is_needs_login_with_the_command(log_in, cli, replica, platform: str) -> None:
    run = cli("status", platform, "--json")  # no stored session at all
    assert run.exit_code == 3
    for r in results(run):  # each names the command that fixes it (per-resource: list the blogs first)
        assert (r["state"], f"optout login {platform}" in r["detail"]) == ("needs_login", True) or (
            r["state"] == "manual" and f"optout config set {platform}." in r["detail"]
        ), r

    log_in(platform)
    replica.revoke(platform)  # the site ended the session
    run = cli("disable", platform, "--json")
    assert run.exit_code == 3
    assert {r["state"] for r in results(run)} == {"needs_login"}
    assert f"optout login {platform}" in results(run)[0]["detail"]
    assert replica.writes(platform) == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_removed_control_is_not_found_and_nothing_is_clicked(log_in, cli, replica, platform: str) -> None:
    log_in(platform)
    replica.options.missing_control = True
    run = cli("disable", platform, "--json")
    assert run.exit_code == 3
    for r in results(run):
        assert r["state"] == "not_found" and "nothing was clicked" in r["detail"], r
    assert replica.writes(platform) == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_duplicated_control_is_ambiguous_and_nothing_is_clicked(log_in, cli, replica, platform: str) -> None:
    log_in(platform)
    replica.options.duplicate_control = True
    run = cli("disable", platform, "--json")
    assert run.exit_code == 3
    ambiguous = [r for r in results(run) if "ambiguous" in r["detail"]]
    assert ambiguous and all(r["state"] == "not_found" and r["action"] == "none" for r in ambiguous)
    kept = truth(replica, platform)
    assert not any(kept[stored_key(r)] for r in ambiguous)  # untouched at the server
    if len(ambiguous) == len(results(run)):
        assert replica.writes(platform) == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_change_the_server_does_not_keep_is_never_opted_out(log_in, cli, replica, platform: str) -> None:
    log_in(platform)
    replica.options.keep_changes = False
    run = cli("disable", platform, "--json")
    assert run.exit_code == 1
    for r in results(run):
        assert r["state"] != "opted_out" and r["action"] == "failed", r
        assert "did not keep the change" in r["detail"]
    assert not any(truth(replica, platform).values())
