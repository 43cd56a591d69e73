"""When a page's only control may be taken for the setting's (`sole`): the pure rules of
optout/engine/fallback.py, on what a page showed. The browser tests are tests/hostile/test_wrong_switch.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from optout.engine.fallback import Shown, ambiguous, refusal, same_page, setting_address
from optout.errors import RecipeError
from optout.recipes.catalogue import load_catalogue, parse_catalogue
from optout.recipes.schema import Platform, Step

LINKEDIN = load_catalogue().platforms["linkedin"]
AI = LINKEDIN.settings[0]
URL = AI.url or ""
GERMAN_LABEL = "Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten verwenden"


def shown(**changes: object) -> Shown:
    """LinkedIn's AI page in German without the switch's attribute: where `sole` is meant for."""
    base: dict[str, object] = {"label": GERMAN_LABEL, "url": URL, "language": "de", "attributes": {}}
    return Shown(**{**base, **changes})  # type: ignore[arg-type]


def test_a_page_in_a_language_the_recipe_has_no_names_for_may_use_sole() -> None:
    assert refusal(LINKEDIN, AI, shown()) == ""
    assert (
        refusal(LINKEDIN, AI, shown(language="de-DE", url=URL + "?trk=nav", attributes={"aria-labelledby": None})) == ""
    )
    assert refusal(LINKEDIN, AI, shown(language="de-DE", url=URL + "/?trk=nav")) == ""


@pytest.mark.parametrize("language", ["en", "en-US", "EN_gb", " en "])
def test_never_on_a_page_in_the_language_of_the_names(language: str) -> None:
    why = refusal(LINKEDIN, AI, shown(label="Show my profile photo", language=language))
    assert why.startswith('the page\'s only switch is labelled "Show my profile photo", which is not this setting')
    assert "a language the recipe has names for" in why


@pytest.mark.parametrize("language", ["", "  "])
def test_never_on_a_page_that_declares_no_language(language: str) -> None:
    assert "declares no language" in refusal(LINKEDIN, AI, shown(language=language))


def test_the_recipe_says_which_languages_its_names_are_in() -> None:
    control = AI.control.model_copy(update={"languages": ["en", "de"]})  # type: ignore[union-attr]
    german = AI.model_copy(update={"control": control})
    assert "a language the recipe has names for" in refusal(LINKEDIN, german, shown())
    assert refusal(LINKEDIN, german, shown(language="fr")) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/mypreferences/d/settings/policy-and-academic-research",
        "https://www.linkedin.com/mypreferences/d/settings",
        "https://linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "http://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "not a url",
    ],
)
def test_never_after_a_redirect_away_from_the_settings_address(url: str) -> None:
    assert "no longer the setting's own" in refusal(LINKEDIN, AI, shown(url=url))


def test_the_address_is_the_last_goto_step_and_keeps_what_the_recipe_asks() -> None:
    stepped = AI.model_copy(update={"steps": [Step(goto="https://www.linkedin.com/a"), Step(press="Escape")]})
    assert setting_address(stepped) == "https://www.linkedin.com/a" and setting_address(AI) == URL
    assert same_page("https://x.test/s?tab=ai&trk=1#top", "https://x.test/s/?tab=ai")
    assert not same_page("https://x.test/s?tab=ads", "https://x.test/s?tab=ai")
    assert not same_page("https://x.test/s#ads", "https://x.test/s#ai")


def test_never_a_control_that_carries_the_recipes_attribute_with_another_value() -> None:
    why = refusal(LINKEDIN, AI, shown(attributes={"aria-labelledby": "allowAnonymizedDataResearch"}))
    assert 'its aria-labelledby is "allowAnonymizedDataResearch", not this setting\'s "allowDataForGenerativeAI"' in why


def test_never_a_control_named_like_another_setting_of_the_platform() -> None:
    x = load_catalogue().platforms["x"]
    training = x.settings[0]
    sole = training.model_copy(update={"control": training.control.model_copy(update={"sole": True})})  # type: ignore[union-attr]
    platform = Platform.model_validate({**x.model_dump(), "settings": [sole.model_dump(), *x.settings[1:]]})
    other = x.settings[1].control.names[0]  # type: ignore[union-attr]
    why = refusal(platform, sole, shown(label=f"Erlauben: {other}", url=sole.url or "", attributes={}))
    assert f'named like another setting, "{x.settings[1].title}"' in why


RECIPE = """platforms:
  demo:
    name: Demo
    origin: https://demo.example
    domains: [demo.example]
    settings:
      - id: s
        title: S
        url: https://demo.example/s
        kind: toggle
        control:
          names: [Nutze meine Daten]
          sole: true
          languages: {languages}
        opted_out: "off"
        sources:
          - url: https://demo.example/help
            checked: 2026-11-22
"""


def test_a_recipe_names_its_languages_as_pages_declare_them(tmp_path: Path) -> None:
    file = tmp_path / "r.yaml"
    file.write_text(RECIPE.format(languages="[de, pt-BR]"))
    control = parse_catalogue(file).platforms["demo"].settings[0].control
    assert control is not None and control.languages == ["de", "pt-BR"]
    for bad in ("[german]", "[]"):
        file.write_text(RECIPE.format(languages=bad))
        with pytest.raises(RecipeError) as caught:
            parse_catalogue(file)
        assert "r.yaml:14 platforms.demo.settings.0.control.languages" in " ".join(caught.value.lines)


def test_several_matches_are_named_as_the_page_labels_them() -> None:
    """Not "2 controls match the recipe": which ones, as the not_found hint names what the page has."""
    assert ambiguous("switch", ["Use my data  to train AI", "Use my data to train AI"], sole=False) == (
        "ambiguous: 2 switches match the recipe: 'Use my data to train AI', 'Use my data to train AI'"
    )
    assert ambiguous("checkbox", ["Fotos teilen", ""], sole=True) == (
        "ambiguous: no checkbox has the recipe's name, and the page has 2 checkboxes: 'Fotos teilen', (no name)"
    )
    many = ambiguous("switch", [f"Switch {n}" for n in range(8)], sole=True)
    assert many.endswith("'Switch 4' and 3 more") and "8 switches" in many
