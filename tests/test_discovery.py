"""New AI switches a platform adds quietly are noticed once, recorded, notified once, never clicked."""

from __future__ import annotations

import json

import pytest

from optout.engine.discovery import described, discoveries, speaks_of_ai
from optout.engine.inventory import Item
from optout.recipes.catalogue import load_catalogue

NEW_SWITCH = "Use my data to improve AI models for ads"


@pytest.mark.parametrize(
    "name",
    [
        "Allow Grok to personalise replies",
        "Gemini Apps Activity",
        "Improve the model for everyone",
        "Share my data with third parties",
        "Meine Daten für das Training von KI-Modellen verwenden",
        "Daten an Dritte weitergeben",
        "Use my content for machine learning",
    ],
)
def test_names_that_speak_of_ai(name: str) -> None:
    assert speaks_of_ai(name)


@pytest.mark.parametrize("name", ["Receive the newsletter", "Dark mode", "Show my email to contacts", "Maintain"])
def test_names_that_do_not(name: str) -> None:
    assert not speaks_of_ai(name)


def test_a_control_the_recipe_describes_is_no_discovery() -> None:
    linkedin = load_catalogue().platforms["linkedin"]
    known = Item("switch", "Use my data for training content creation AI models", "on")
    new = Item("switch", NEW_SWITCH, "on")
    assert described(linkedin, known, [known, new]) and not described(linkedin, new, [known, new])
    # alone on its page, a relabelled switch is the recipe's own (`sole`), not a new one
    assert described(linkedin, new, [new])
    found = discoveries(linkedin, "https://www.linkedin.com/x", [known, new, Item("link", "AI help")])
    assert [(d.role, d.name, d.state) for d in found] == [("switch", NEW_SWITCH, "on")]


def test_a_per_resource_switch_is_known_whatever_its_resource() -> None:
    tumblr = load_catalogue().platforms["tumblr"]  # "Prevent third-party sharing for {blog}"
    mine = Item("switch", "Prevent third-party sharing for art-of-cats", "off")
    other = Item("switch", "Prevent third-party sharing with AI partners", "off")
    assert discoveries(tumblr, "https://www.tumblr.com/settings/blog/art-of-cats", [mine]) == []
    assert [d.name for d in discoveries(tumblr, "https://www.tumblr.com/x", [other])] == [other.name]


def test_the_options_of_a_known_choice_are_no_discovery() -> None:
    medium = load_catalogue().platforms["medium"]
    group = Item("radiogroup", "Third-party AI and your stories", "Allow third-party training")
    option = Item("radio", "Minimize third-party training", "off", group=group.name)
    assert discoveries(medium, "https://medium.com/me/settings", [group, option]) == []


def test_a_new_ai_switch_is_announced_once_and_never_clicked(log_in, cli, replica, endpoint) -> None:
    log_in("linkedin")
    replica.options.extra_ai_switch = True
    first = cli("status", "linkedin", "--json", "--notify", endpoint.url("hook"))
    assert first.exit_code == 1  # opted in, as without the new switch
    results = json.loads(first.stdout)
    assert isinstance(results, list) and [r["setting"] for r in results] == ["ai-training"]
    notice = f"new on linkedin: switch '{NEW_SWITCH}' (on): not in the recipes; run: optout explore linkedin"
    assert notice in first.stderr

    second = cli("status", "linkedin", "--notify", endpoint.url("hook"))
    assert second.exit_code == 1 and "new on linkedin" not in second.stderr
    announced = [p for p in endpoint.posts if "new AI setting" in str(p["title"])]
    assert len(announced) == 1 and NEW_SWITCH in str(announced[0]["message"])

    listed = cli("discover", "linkedin", "--json")
    assert listed.exit_code == 0, listed
    (only,) = json.loads(listed.stdout)
    assert set(only) == {"platform", "url", "role", "name", "state", "first_seen"}
    assert (only["platform"], only["role"], only["name"], only["state"]) == ("linkedin", "switch", NEW_SWITCH, "on")
    assert only["first_seen"]
    assert replica.writes("linkedin") == 0


def test_discover_finds_the_new_switch_on_a_kit_page(log_in, cli, replica) -> None:
    log_in("github")
    replica.options.extra_ai_switch = True
    run = cli("discover", "github", "--json")
    assert run.exit_code == 0, run
    assert [(d["role"], d["name"]) for d in json.loads(run.stdout)] == [
        ("switch", "Use my content to train our AI models")
    ]
    assert replica.writes("github") == 0
