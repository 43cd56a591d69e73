"""What else a change switched: the rule that compares the page's controls before and after."""

from __future__ import annotations

from optout.engine.collateral import Before, key, sentence, switched
from optout.engine.inventory import Item

AI = Item("switch", "Use my data for training content creation AI models", "on")
OTHER = Item("switch", "Let recruiters see my private profile", "off")
HELP = Item("link", "Learn more")


def before(*items: Item, mine: tuple[Item, ...] = (AI,)) -> Before:
    return Before(items, frozenset(key(i) for i in mine))


def test_another_switch_that_changed_is_named() -> None:
    after = [Item(AI.role, AI.name, "off"), Item(OTHER.role, OTHER.name, "on"), HELP]
    changes = switched(before(AI, OTHER, HELP), after)
    assert changes == [(OTHER, after[1])]
    assert sentence(changes) == "the page also switched 'Let recruiters see my private profile' on: check it"


def test_the_settings_own_control_is_not_collateral() -> None:
    """A radio group and its radios are one setting: all of them change together."""
    group = Item("radiogroup", "AI training", "Allowed")
    radios = [Item("radio", "Allowed", "on", group="AI training"), Item("radio", "Blocked", "off", group="AI training")]
    after = [
        Item("radiogroup", "AI training", "Blocked"),
        Item("radio", "Allowed", "off", group="AI training"),
        Item("radio", "Blocked", "on", group="AI training"),
    ]
    assert switched(before(group, *radios, mine=(group, *radios)), after) == []


def test_controls_that_appear_or_disappear_were_not_switched() -> None:
    """A sub-switch shown only while the master switch is on vanishes with it."""
    audio = Item("switch", "Include your audio recordings", "on")
    assert switched(before(AI, audio), [Item(AI.role, AI.name, "off")]) == []
    assert switched(before(AI), [Item(AI.role, AI.name, "off"), audio]) == []


def test_a_control_that_is_renamed_with_its_state_is_not_compared() -> None:
    chip = Item("button", "Turn off your Gemini Apps Activity setting", "On")
    assert switched(before(chip, mine=()), [Item("button", "Turn on your Gemini Apps Activity setting", "Off")]) == []


def test_look_alikes_are_paired_in_page_order_only_when_as_many_are_shown() -> None:
    a, b = Item("checkbox", "Notify me", "on"), Item("checkbox", "Notify me", "off")
    flipped = [Item("checkbox", "Notify me", "on"), Item("checkbox", "Notify me", "on")]
    assert switched(before(a, b, mine=()), flipped) == [(b, flipped[1])]
    assert switched(before(a, b, mine=()), flipped[:1]) == []  # one of two left: which one is unknown


def test_controls_without_a_state_and_other_values_are_worded() -> None:
    assert switched(before(HELP, mine=()), [HELP]) == []
    visibility = Item("combobox", "Who can see my profile", "Everyone")
    after = Item("combobox", "Who can see my profile", "Only me")
    changes = switched(before(visibility, mine=()), [after])
    assert sentence(changes) == "the page also switched 'Who can see my profile' from 'Everyone' to 'Only me': check it"
    two = [*changes, (OTHER, Item(OTHER.role, OTHER.name, "on"))]
    assert sentence(two).endswith("'Let recruiters see my private profile' on: check them")
