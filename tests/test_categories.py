"""Categories: which settings `disable` touches when none is named (training, plus the categories of
`--include`, only where `disable_by_default`), and how a category is checked and shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout.engine.plan import by_default, parse_include
from optout.errors import RecipeError, UsageError
from optout.recipes.catalogue import parse_catalogue
from optout.recipes.schema import Setting
from tests.test_catalogue import GOOD

SOURCE = [{"url": "https://demo.example/help", "checked": "2026-11-01"}]


def setting(category: str | None, default: bool = True) -> Setting:
    extra = {"category": category} if category is not None else {}
    return Setting.model_validate(
        {"id": "s", "title": "S", "kind": "manual", "disable_by_default": default, "sources": SOURCE, **extra}
    )


@pytest.mark.parametrize(
    ("category", "default", "include", "picked"),
    [
        (None, True, (), True),  # a recipe that does not say is training, as every recipe was
        ("training", True, (), True),
        ("training", False, (), False),  # disable_by_default still rules out
        ("training", False, ("ai-use", "sharing"), False),
        ("ai-use", True, (), False),
        ("ai-use", True, ("ai-use",), True),
        ("ai-use", True, ("sharing",), False),
        ("ai-use", False, ("ai-use",), False),
        ("sharing", True, ("ai-use", "sharing"), True),
    ],
)
def test_which_settings_a_change_touches(category: str | None, default: bool, include: tuple, picked: bool) -> None:
    assert by_default(setting(category, default), include) is picked


def test_include_is_parsed_and_a_typo_is_a_usage_error() -> None:
    assert parse_include(None) == frozenset()
    assert parse_include(" ai-use, sharing ,") == {"ai-use", "sharing"}
    with pytest.raises(UsageError, match="unknown category 'ai_use'.*training, ai-use, sharing"):
        parse_include("ai_use")


def test_an_unknown_category_points_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(GOOD.replace("        kind: toggle\n", "        kind: toggle\n        category: ads\n"))
    with pytest.raises(RecipeError) as info:
        parse_catalogue(path)
    assert any(
        line.startswith("recipes.yaml:12 platforms.demo.settings.0.category: Input should be")
        for line in info.value.lines
    )


def test_the_listing_shows_each_category(cli) -> None:
    import json

    run = cli("platforms", "--json")
    x = next(p for p in json.loads(run.stdout) if p["id"] == "x")
    assert {s["id"]: s["category"] for s in x["settings"]} == {
        "grok-training": "training",
        "grok-personalization": "ai-use",
        "grok-memory": "ai-use",
    }
    assert "category" in cli("platforms").stdout.splitlines()[0]


def test_disable_with_an_unknown_category_changes_nothing(cli) -> None:
    run = cli("disable", "x", "--include", "ads")
    assert run.exit_code == 2 and "unknown category 'ads'" in run.stderr


def test_a_platform_with_no_training_setting_says_which_include_it_needs(cli) -> None:
    run = cli("disable", "instagram")
    assert run.exit_code == 2
    assert "instagram has no training setting to change by default; add --include ai-use" in run.stderr
    assert cli("disable", "instagram", "--include", "ai-use").exit_code == 3  # a manual step: its path


def test_a_manual_only_platform_is_not_said_to_have_no_opt_out(cli) -> None:
    run = cli("status")
    assert "not set up: udemy (a step only you can do, in an app or a console; optout status udemy says where)" in (
        run.stdout
    )
    assert "not set up: zoom (no opt-out exists; optout status zoom says why)" in run.stdout
