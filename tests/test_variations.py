"""Ways a real page differs from the replica, asked of several kits (issue 22).

Each variation is a replica option that applies to every kit (optout/replica/options.py, drawn by
kit_site.py and controls.js), never one kit's quirk; the table writes the wanted outcome beside
it. The kits are rotated over the variations in a fixed order, so every run tests the same pairs
and each kit meets several classes: LinkedIn, X, ChatGPT and GitHub, then a menu (Gemini), a
dialog-less toggle (Claude) and a choice (Medium). What the server kept is checked, not only
what optout printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from optout.home.sessions import SessionStore
from optout.kits import page_settings, site_class
from optout.recipes.catalogue import load_catalogue
from optout.replica.kit_site import KitSite

CATALOGUE = load_catalogue()
KITS = ("linkedin", "x", "chatgpt", "github", "gemini", "claude", "medium")


def first_setting(platform: str) -> str:
    return page_settings(CATALOGUE, platform)[0].id


def one(run, setting: str) -> dict[str, Any]:
    """The result of `setting` in a run's JSON (status reads every default setting of the platform)."""
    (got,) = [r for r in json.loads(run.stdout) if r["setting"] == setting]
    return got


def status(cli, platform: str, setting: str, *more: str) -> dict[str, Any]:
    return one(cli("status", platform, "--json", *more), setting)


Check = Callable[[Any, Any, Any, str, str], None]  # (cli, replica, home, platform, setting)


def reads_as_usual(cli, replica, home, platform: str, setting: str) -> None:
    """A page that shows a loading state, then its controls: read as it is, opted in."""
    got = status(cli, platform, setting)
    assert got["state"] == "opted_in", got


def switched_and_verified(cli, replica, home, platform: str, setting: str) -> None:
    run = cli("disable", platform, setting, "--json")
    got = one(run, setting)
    assert (run.exit_code, got["state"], got["action"]) == (0, "opted_out", "changed"), got
    assert replica.is_opted_out(platform, setting)


def still_loading_is_said(cli, replica, home, platform: str, setting: str) -> None:
    """A page that never stops loading: an error that says so (not "the site changed"), nothing clicked."""
    got = status(cli, platform, setting, "--timeout", "4")
    assert got["state"] == "error" and "the page was still loading after" in got["detail"], got
    assert "nothing was clicked" in got["detail"] and replica.writes(platform) == 0


def late_second_match_is_never_opted_out(cli, replica, home, platform: str, setting: str) -> None:
    run = cli("disable", platform, setting, "--json")
    got = one(run, setting)
    assert run.exit_code != 0 and got["state"] != "opted_out", got
    assert "ambiguous" in got["detail"] and "match the recipe" in got["detail"], got


def cache_is_not_believed(cli, replica, home, platform: str, setting: str) -> None:
    """The server drops the save while the page caches what it showed; the next status reads the server."""
    replica.options.keep_changes = False
    assert cli("disable", platform, setting, "--json").exit_code == 1
    got = status(cli, platform, setting)
    assert got["state"] == "opted_in", got
    stored = SessionStore(home).load(platform, domains=CATALOGUE.platforms[platform].domains) or {}
    assert "kit-settings" not in json.dumps(stored.get("origins", []))  # no page storage kept


def rotated_session_is_kept(cli, replica, home, platform: str, setting: str) -> None:
    switched_and_verified(cli, replica, home, platform, setting)
    got = status(cli, platform, setting)  # needs_login had the newest cookie been lost
    assert got["state"] == "opted_out", got


@dataclass(frozen=True)
class Variation:
    name: str
    options: dict[str, Any]
    check: Check
    wanted: str  # the wanted outcome, in words, as the table prints it
    # Only kits drawn by controls.js keep a client-side cache; the generic page variations
    # (variations.js) and the server's reach every kit.
    drawn_by_kit_site: bool = False

    def applies_to(self, platform: str) -> bool:
        return not self.drawn_by_kit_site or issubclass(site_class(platform), KitSite)


VARIATIONS = (
    Variation("aria-busy 5 s", {"render_delay": 5, "placeholder": "busy"}, reads_as_usual, "read: opted_in"),
    Variation("progressbar 5 s", {"render_delay": 5, "placeholder": "progressbar"}, reads_as_usual, "read: opted_in"),
    Variation("skeleton 5 s", {"render_delay": 5, "placeholder": "skeleton"}, reads_as_usual, "read: opted_in"),
    Variation("'Loading…' 5 s", {"render_delay": 5, "placeholder": "text"}, reads_as_usual, "read: opted_in"),
    Variation("never stops loading", {"render_delay": 60}, still_loading_is_said, "error: still loading"),
    Variation("panel drawn after 3 s", {"render_delay": 3}, switched_and_verified, "switched and verified"),
    Variation("disabled until answered", {"enable_after": 2}, switched_and_verified, "switched and verified"),
    Variation("second match after 1 s", {"late_duplicate": 1.0}, late_second_match_is_never_opted_out, "not opted_out"),
    Variation("cached in localStorage", {"cache_state": True}, cache_is_not_believed, "status reads the server", True),
    Variation(
        "cached in sessionStorage",
        {"cache_state": True, "cache_in": "sessionStorage"},
        cache_is_not_believed,
        "status reads the server",
        True,
    ),
    Variation(
        "cookie rotated per response",
        {"rotate_cookies": True, "rotate_every_response": True},
        rotated_session_is_kept,
        "switched; next status signed in",
    ),
)


def _pairs() -> list[tuple[Variation, str]]:
    """Each variation with the next kit of KITS it applies to, in turn: the same pairs on every run."""
    pairs, turn = [], 0
    for variation in VARIATIONS:
        while not variation.applies_to(KITS[turn % len(KITS)]):
            turn += 1
        pairs.append((variation, KITS[turn % len(KITS)]))
        turn += 1
    return pairs


PAIRS = _pairs()


def test_every_kit_of_the_rotation_meets_a_variation() -> None:
    assert {kit for _, kit in PAIRS} == set(KITS)


@pytest.mark.parametrize(("variation", "platform"), PAIRS, ids=[f"{v.name}-{k}" for v, k in PAIRS])
def test_variation(log_in, cli, home, replica, variation: Variation, platform: str) -> None:
    log_in(platform)
    for name, value in variation.options.items():
        setattr(replica.options, name, value)
    variation.check(cli, replica, home, platform, first_setting(platform))
