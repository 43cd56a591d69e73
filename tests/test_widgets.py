"""The widget and names variations (issue 22): each kit's setting drawn as every widget of its
kind, and its labels worded with the extra words real sites add, with the outcome wanted beside
each row.

A row is one `disable --all` over the kits signed in for it, under one choice widget, one toggle
widget and one wording at once (replica options that apply to every kit: ReplicaOptions
.choice_widget, .toggle_widget, .names), so that every variation is met at least once in few
browser runs. LinkedIn, X, ChatGPT and GitHub are in every row, the other choice and menu kits in
the rows that redraw them, and the other toggle kits take turns over the rows (`turn`). Each row
checks what the replica server kept, not only what optout printed.
"""

from __future__ import annotations

import json
from typing import get_args

import pytest

from optout.engine.browser import BrowserChoice
from optout.kits import page_settings, replica_platforms
from optout.recipes.catalogue import load_catalogue
from optout.replica.options import CHOICE_WIDGETS, TOGGLE_WIDGETS, Names
from tests.helpers import launched

CATALOGUE = load_catalogue()
VERIFIED = ("opted_out", "changed")


def _kind_of(platform: str) -> set[str]:
    return {s.kind for s in page_settings(CATALOGUE, platform) if s.category == "training"}


PLATFORMS = [p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p)]
ALWAYS = ["linkedin", "x", "chatgpt", "github"]
# The kits that are not always run, by the kinds of their training settings, in registry order.
TOGGLE_KITS = [p for p in PLATFORMS if _kind_of(p) == {"toggle"} and p not in ALWAYS]
CHOICE_KITS = [p for p in PLATFORMS if "choice" in _kind_of(p) and p not in ALWAYS]
MENU_KITS = [p for p in PLATFORMS if "menu" in _kind_of(p)]

# One row per run: a choice widget, a toggle widget and a wording at once (they touch different
# controls, or the same label in compatible ways), so that each variation is met at least once in
# few browser runs; and the wanted (state, action) of every training result of the row's kits.
# None of the variations alone makes the control less certain, so their outcome is "switched and
# verified"; the last row doubles every control, and a family of widgets keeps the one-match rule:
# the honest state, nothing clicked (more in tests/hostile/).
AMBIGUOUS = ("not_found", "none")
ROWS: list[tuple[dict[str, str | bool], tuple[str, str]]] = [
    ({"choice_widget": "select", "toggle_widget": "switch-input", "names": "case"}, VERIFIED),
    ({"choice_widget": "combobox", "toggle_widget": "switch-button", "names": "badge"}, VERIFIED),
    ({"choice_widget": "menu", "toggle_widget": "pressed", "names": "description"}, VERIFIED),
    # "Turn off" + "1 step" beside "Turn off and delete activity" + "1 step"; "Disabled" + "1 step"
    ({"choice_widget": "radio", "toggle_widget": "shadow", "names": "hint"}, VERIFIED),
    ({"toggle_widget": "labelledby"}, VERIFIED),
    ({"choice_widget": "combobox", "toggle_widget": "pressed", "duplicate_control": True}, AMBIGUOUS),
]
assert {r[0].get("choice_widget") for r in ROWS} >= set(CHOICE_WIDGETS)
assert {r[0].get("toggle_widget") for r in ROWS} >= set(TOGGLE_WIDGETS)
assert {r[0].get("names") for r in ROWS} >= set(get_args(Names))


def turn(kits: list[str], row: int, count: int) -> list[str]:
    """The `count` kits of `kits` whose turn row `row` is (deterministic, every kit in turn)."""
    return [kits[(row * count + i) % len(kits)] for i in range(min(count, len(kits)))]


def kits(row: int) -> list[str]:
    """The kits row `row` runs: the four always run, the choice and menu kits where the row
    redraws them, and one more toggle kit in turn."""
    variation, _ = ROWS[row]
    chosen = ALWAYS + turn(TOGGLE_KITS, row, 1)
    if "choice_widget" in variation or variation.get("names"):
        chosen += CHOICE_KITS
    if variation.get("names") == "hint":
        chosen += MENU_KITS
    return list(dict.fromkeys(chosen))


def key(result: dict) -> str:
    """The replica's stored key of a result (per resource: setting@resource)."""
    return result["setting"] + (f"@{result['resource']}" if result["resource"] else "")


@pytest.mark.parametrize(
    "row", range(len(ROWS)), ids=["+".join(k if v is True else str(v) for k, v in r.items()) for r, _ in ROWS]
)
def test_every_widget_and_wording_is_switched_and_verified(row: int, log_in, cli, replica) -> None:
    variation, wanted = ROWS[row]
    platforms = kits(row)
    for platform in platforms:
        log_in(platform)
    for option, value in variation.items():
        setattr(replica.options, option, value)
    run = cli("disable", "--all", "--json", "--jobs", "3", "--timeout", "20")
    training = [r for r in json.loads(run.stdout) if r["category"] == "training"]
    got = {(r["platform"], r["setting"]): (r["state"], r["action"]) for r in training}
    assert {r["platform"] for r in training} == set(platforms), run.stderr
    assert {k: v for k, v in got.items() if v != wanted} == {}, [(r["platform"], r["detail"]) for r in training]
    kept = {(r["platform"], key(r)): replica.is_opted_out(r["platform"], key(r)) for r in training}
    assert all(kept.values()) if wanted == VERIFIED else not any(kept.values()), kept  # the server's truth
    if wanted == AMBIGUOUS:
        assert all("ambiguous" in r["detail"] for r in training), [r["detail"] for r in training]


# Menus as sites draw them: each item's name with secondary text, or a longer item that merely
# starts the same; what `/^Turn off$/` picks in each (the ids), by the engine itself.
MENUS = [
    (
        "<div role=menuitem id=a>Turn off <span>1 step</span></div>"
        "<div role=menuitem id=b>Turn off and delete activity<span> 1 step</span></div>",
        ["a"],
    ),
    ("<div role=menuitem id=b><b>Turn off</b> and delete activity</div>", []),
    ("<div role=menuitem id=b>Turn off <b>and delete activity</b></div>", []),
    ("<div role=menuitem id=a><span>Turn off</span><span class=hint>Stops saving</span></div>", ["a"]),
    ("<div role=menuitem id=a>Turn off</div><div role=menuitem id=b>Turn off <span>1 step</span></div>", ["a"]),
    (
        "<div role=menuitem id=a>Turn off <span>1 step</span></div>"
        "<div role=menuitem id=b>Turn off <span>2 steps</span></div>",
        ["a", "b"],
    ),
]


def test_a_menu_item_is_picked_by_its_whole_name_then_its_own_text(chromium: BrowserChoice) -> None:
    import asyncio

    from optout.engine.locate import named

    async def picks() -> list[list[str | None]]:
        async with launched(chromium) as browser:
            tab = await browser.new_page()
            got = []
            for html, _ in MENUS:
                await tab.set_content(html)
                got.append([await h.get_attribute("id") for h in await named(tab, ("menuitem",), "/^Turn off$/")])
            return got

    assert asyncio.run(picks()) == [wanted for _, wanted in MENUS]
