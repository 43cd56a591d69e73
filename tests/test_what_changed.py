"""A broken recipe says what changed: the hint names the closest controls the page has instead."""

from __future__ import annotations

import json
from pathlib import Path

from optout.engine.inventory import Item, closest, what_changed

LINKEDIN_NAMES_ONLY = """\
version: 1
platforms:
  linkedin:
    name: LinkedIn (names only)
    origin: https://www.linkedin.com
    domains: [linkedin.com]
    login:
      url: https://www.linkedin.com/login
      logged_out_urls: [/login, /authwall]
    settings:
      - id: ai-training
        title: Data for Generative AI Improvement
        url: https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement
        kind: toggle
        control:
          role: switch
          names: [Use my data for training content creation AI models]
        opted_out: "off"
        sources:
          - url: https://www.linkedin.com/help/linkedin/answer/a5538339
            checked: 2026-11-22
"""


def test_one_control_of_the_role_is_offered_as_the_new_name() -> None:
    items = [Item("link", "Help"), Item("switch", "Use my data to train AI models", "on")]
    hint = what_changed(items, "switch", ["Use my data for training content creation AI models"])
    assert hint == (
        "no switch named 'Use my data for training content creation AI models'; the page has one switch, "
        "'Use my data to train AI models' (on) — if that is it, the recipe needs this name"
    )


def test_several_controls_are_listed_closest_first() -> None:
    items = [Item("checkbox", "Receive newsletters", "off"), Item("checkbox", "Use my posts to train models", "on")]
    assert closest(items, "checkbox", ["use my posts for training"])[0].name == "Use my posts to train models"
    hint = what_changed(items, "checkbox", ["use my posts for training"])
    assert hint.startswith("no checkbox named 'use my posts for training'; the page has 2 checkboxes, the closest: ")
    assert hint.index("Use my posts") < hint.index("Receive")


def test_no_control_of_the_role_names_the_nearest_of_any_role() -> None:
    hint = what_changed([Item("button", "Training settings")], "switch", ["Training"])
    assert "the page has no switch; the closest controls: button 'Training settings'" in hint


def test_a_renamed_switch_is_named_in_the_hint_and_nothing_is_clicked(log_in, cli, replica, tmp_path: Path) -> None:
    log_in("linkedin")
    mine = tmp_path / "mine.yaml"
    mine.write_text(LINKEDIN_NAMES_ONLY)
    replica.options.label_variant = "changed"
    run = cli("--recipes", str(mine), "disable", "linkedin", "--json")
    got = json.loads(run.stdout)[0]
    assert got["state"] == "not_found", got
    assert "the page has one switch, 'Allow LinkedIn to improve AI with my content' (on)" in got["detail"]
    assert "the recipe needs this name" in got["detail"] and "nothing was clicked" in got["detail"]
    assert replica.writes("linkedin") == 0
