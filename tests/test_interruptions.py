"""Interruptions (issue 22) beyond the kit × variation table (tests/variation_table.py), where
every kit meets what a real site puts in the way: a recipe's declared confirmation, and the
banner and confirmation rules themselves, without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from optout.recipes.catalogue import load_catalogue
from tests.variation_table import WHY

CATALOGUE = load_catalogue()


def with_confirm(tmp_path: Path, platform: str, confirm: dict[str, str]) -> str:
    """The catalogue's recipe of `platform` as a user's recipe file, its toggles declaring `confirm`."""
    recipe = CATALOGUE.platforms[platform]
    data = recipe.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for s in data["settings"]:
        if s["kind"] == "toggle":
            s["confirm"] = confirm
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "platforms": {platform: data}}, allow_unicode=True))
    return str(path)


@pytest.mark.parametrize(
    ("interruption", "platform", "confirm"),
    [
        ("confirm", "linkedin", {"role": "button", "name": "Turn off"}),
        ("js-confirm", "claude", {"text": WHY}),
    ],
)
def test_a_declared_confirmation_is_given(log_in, cli, replica, tmp_path, interruption, platform, confirm) -> None:
    """A recipe's `confirm` is pressed (the dialog's button of exactly that name, never "Keep"),
    or accepted (a browser confirm() of exactly that text): switched and verified."""
    log_in(platform)
    replica.options.interruption = interruption
    run = cli("disable", platform, "--json", "--recipes", with_confirm(tmp_path, platform, confirm))
    assert [(r["state"], r["action"]) for r in json.loads(run.stdout)] == [("opted_out", "changed")], run.stdout
    assert all(replica.is_opted_out(platform, key) for key in replica.state(platform))


# The rules themselves, without a browser.
BANNER = [{"text": "Accept all", "id": ""}, {"text": "Manage options", "id": ""}]


@pytest.mark.parametrize(
    ("buttons", "recipe", "chosen"),
    [
        (BANNER + [{"text": "Reject  All", "id": ""}], None, 2),  # a common wording, case and spacing aside
        (BANNER + [{"text": "Refuse", "id": "onetrust-reject-all-handler"}], None, 2),  # a platform's own id
        (BANNER + [{"text": "No thanks", "id": ""}], "No thanks", 2),  # the recipe's own button
        (BANNER, None, None),  # nothing refuses: nothing is chosen
        (BANNER, "Accept all", None),  # a recipe naming an accepting button is not followed
        (BANNER + [{"text": "Accept all", "id": "onetrust-reject-all-handler"}], None, None),  # nor a misused id
        (BANNER + [{"text": "Reject", "id": ""}, {"text": "Reject", "id": ""}], None, None),  # two alike
    ],
)
def test_a_banner_is_only_ever_refused(buttons, recipe, chosen) -> None:
    from optout.engine.consent import _choose

    platform = CATALOGUE.platforms["linkedin"].model_copy(update={"consent_reject": recipe})
    assert _choose(platform, buttons) == chosen


def test_a_confirmation_is_for_toggles_and_choices_only() -> None:
    from pydantic import ValidationError

    from optout.recipes.schema import Setting

    gemini = next(s for s in CATALOGUE.platforms["gemini"].settings if s.kind == "menu")
    with pytest.raises(ValidationError, match="confirm is only for kind"):
        Setting.model_validate({**gemini.model_dump(exclude_none=True), "confirm": {"role": "button", "name": "OK"}})
