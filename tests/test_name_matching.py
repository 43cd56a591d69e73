"""The matching rule for the items a recipe names (menu items, options, confirmations), without a
browser: the whole accessible name first, then the item's own label text; a longer name that
merely starts the same is a different item (issue 22)."""

from __future__ import annotations

import pytest

from optout.recipes.patterns import preferred, whole_name

# (recipe name, accessible name, own label text, picked?)
CASES = [
    ("/^Turn off$/", "Turn off", "Turn off", True),
    ("/^Turn off$/", "Turn off 1 step", "Turn off", True),  # a hint inside the item
    ("/^Turn off$/", "Turn off and delete activity", "Turn off and delete activity", False),
    ("/^Turn off$/", "Turn off and delete activity 1 step", "Turn off and delete activity", False),
    ("Turn off", "turn OFF", "turn OFF", True),  # letter case
    ("Turn off", "Turn  off", "Turn  off", True),  # spacing
    ("Turn off", "Turn off and delete activity", "Turn off and delete activity", False),
    ("Turn off", "Turn off New", "Turn off", True),  # a badge inside the label
    ("Disabled", "Disabled Recommended", "Disabled", True),
    ("Enabled", "Disabled", "Disabled", False),
    ("On", "Only me", "Only me", False),
    ("/^(Turn off|Got it)$/", "Got it", "Got it", True),
]


@pytest.mark.parametrize(("pattern", "name", "own", "picked"), CASES)
def test_an_item_is_picked_by_its_whole_name_or_its_own_label(pattern: str, name: str, own: str, picked: bool) -> None:
    named = [name] if whole_name(pattern).search(name) else []
    assert (preferred(pattern, named, [(name, own)]) == [name]) is picked


def test_turn_off_never_picks_turn_off_and_delete_activity() -> None:
    menu = [("Turn off and delete activity 1 step", "Turn off and delete activity"), ("Turn off 1 step", "Turn off")]
    for pattern in ("/^Turn off$/", "Turn off"):
        named = [n for n, _ in menu if whole_name(pattern).search(n)]
        assert preferred(pattern, named, menu) == ["Turn off 1 step"]
    # the plain item gone (a redesign), the longer one is never taken for it
    alone = menu[:1]
    assert preferred("Turn off", [n for n, _ in alone if whole_name("Turn off").search(n)], alone) == []


def test_an_exact_name_wins_over_own_label_texts() -> None:
    """When some item's whole name matches, items that match only by their own label text are a
    different item: "Turn off" picks the item named exactly so, not "Turn off" + "1 step" too."""
    items = [("Turn off", "Turn off"), ("Turn off 1 step", "Turn off")]
    named = [n for n, _ in items if whole_name("/^Turn off$/").search(n)]
    assert preferred("/^Turn off$/", named, items) == ["Turn off"]


def test_two_items_with_the_same_own_label_are_both_picked_for_the_caller_to_refuse() -> None:
    items = [("Turn off 1 step", "Turn off"), ("Turn off 2 steps", "Turn off")]
    assert len(preferred("/^Turn off$/", [], items)) == 2  # ambiguous: the one-match rule refuses it
