"""What some platforms need beyond the generic matrix: a switch the newer app no longer has, regions
without it, and per-publication pages on their own hosts."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from optout.domains import host_in
from optout.recipes.catalogue import load_catalogue


def results(run) -> list[dict]:
    return json.loads(run.stdout)


def test_copilot_app_without_the_switches_is_not_offered_with_the_reason(log_in, cli, replica) -> None:
    log_in("copilot")
    replica.options.absent_control = True  # the app since 2026-08-18: no switch, a statement instead
    run = cli("disable", "copilot", "--json")
    assert run.exit_code == 0, run
    got = results(run)
    assert {r["setting"] for r in got} == {"text-training", "voice-training"}
    assert all(r["state"] == "not_offered" and "2026-08-18" in r["detail"] for r in got), got
    assert replica.writes("copilot") == 0


def test_copilot_in_an_excluded_country_is_not_offered_without_a_visit(cli) -> None:
    run = cli("status", "copilot", "--region", "KR", "--json")
    got = results(run)
    assert {r["state"] for r in got} == {"not_offered"} and all("KR" in r["detail"] for r in got), got


@pytest.mark.parametrize("platform", ["substack", "squarespace"])
def test_per_host_resources_go_into_the_host_and_stay_on_the_platform(platform: str) -> None:
    recipe = load_catalogue().platforms[platform]
    (setting,) = recipe.settings
    url = setting.for_resource("my-pub.example").url or ""
    host = urlsplit(url).hostname or ""
    assert host == f"my-pub.example.{recipe.domains[0]}" and host_in(host, recipe.domains)


# The route each recipe does not open, as the facts give it (facts-2026-12 §1.3, §1.4: one source
# each, and they disagree on which still works): should the recipe's route stop working, this one
# is known to reach the same switch on the replica, which draws the real app's both ways.
OTHER_ROUTES = [
    ("chatgpt", "https://chatgpt.com/settings/data-controls", "https://chatgpt.com/#settings/DataControls"),
    (
        "claude",
        "https://claude.ai/new#settings/data-privacy-controls",
        "https://claude.ai/settings/data-privacy-controls",
    ),
]


@pytest.mark.parametrize(("platform", "route", "other"), OTHER_ROUTES)
def test_the_other_route_reaches_the_same_switch(log_in, cli, replica, tmp_path, platform, route, other) -> None:
    from optout.recipes.catalogue import bundled_path

    bundled = bundled_path().read_text()
    line = f"\n        url: {route}\n"  # the setting's own address, not a source's
    assert bundled.count(line) == 1
    mine = tmp_path / "other-route.yaml"
    mine.write_text(bundled.replace(line, f"\n        url: {other}\n"))
    log_in(platform)
    run = cli("--recipes", str(mine), "status", platform, "--json")
    got = {r["setting"]: r["state"] for r in results(run)}
    assert list(got.values())[0] == "opted_in", results(run)
    assert replica.writes(platform) == 0
