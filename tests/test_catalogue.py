"""The recipe catalogue: the bundled file is valid, and every kind of bad recipe is reported with
file, line and YAML path, without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.errors import RecipeError, UsageError
from optout.recipes.catalogue import bundled_path, load_catalogue, parse_catalogue

GOOD = """\
version: 1
platforms:
  demo:
    name: Demo
    origin: https://demo.example
    domains: [demo.example]
    settings:
      - id: ai
        title: AI training
        url: https://demo.example/settings/ai
        kind: toggle
        control:
          role: switch
          names: [Use my data for AI]
        opted_out: "off"
        sources:
          - url: https://demo.example/help
            checked: 2026-11-01
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipes.yaml"
    path.write_text(text)
    return path


def errors_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RecipeError) as info:
        parse_catalogue(write(tmp_path, text))
    return info.value.lines


def test_bundled_catalogue_is_valid_and_has_the_seed_platforms() -> None:
    cat = parse_catalogue(bundled_path())
    assert {"linkedin", "x", "meta"} <= set(cat.platforms)
    assert [s.id for s in cat.platforms["x"].settings] == ["grok-training", "grok-personalization", "grok-memory"]
    assert cat.platforms["linkedin"].settings[0].id == "ai-training"
    assert cat.platforms["meta"].settings[0].kind == "form"
    for platform in cat.platforms.values():
        for setting in platform.settings:
            assert setting.sources, f"{platform.id}.{setting.id} cites no source"


def test_unknown_key_names_file_line_and_path(tmp_path: Path) -> None:
    text = GOOD.replace("          role: switch\n", "          role: switch\n          selectr: '#x'\n")
    assert errors_of(tmp_path, text) == ['recipes.yaml:14 platforms.demo.settings.0.control: extra field "selectr"']


def test_wrong_type_and_missing_field(tmp_path: Path) -> None:
    text = GOOD.replace("kind: toggle", "kind: switch").replace("        title: AI training\n", "")
    lines = errors_of(tmp_path, text)
    assert any(line.startswith('recipes.yaml:8 platforms.demo.settings.0: missing field "title"') for line in lines)
    assert any(
        line.startswith("recipes.yaml:10 platforms.demo.settings.0.kind:") and "'switch'" in line for line in lines
    )


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    lines = errors_of(tmp_path, GOOD + "  bad: [unclosed\n")
    assert len(lines) == 1 and lines[0].startswith("recipes.yaml:") and "(yaml)" in lines[0]


def test_duplicate_platform_id(tmp_path: Path) -> None:
    dup = GOOD + GOOD.split("platforms:\n", 1)[1]
    assert errors_of(tmp_path, dup)[0] == 'recipes.yaml:19 platforms.demo: duplicate platform id "demo"'


def test_duplicate_setting_id(tmp_path: Path) -> None:
    second = GOOD.split("    settings:\n", 1)[1]
    lines = errors_of(tmp_path, GOOD + second)
    assert lines == ['recipes.yaml:19 platforms.demo.settings.1.id: duplicate setting id "ai"']


def test_setting_url_outside_platform_domains(tmp_path: Path) -> None:
    text = GOOD.replace("url: https://demo.example/settings/ai", "url: https://evil.example/settings/ai")
    assert errors_of(tmp_path, text) == [
        "recipes.yaml:10 platforms.demo.settings.0.url: URL https://evil.example/settings/ai is outside "
        "the platform's domains (demo.example)"
    ]


def test_discover_urls_stay_on_the_platform_and_follow_its_origin(tmp_path: Path) -> None:
    text = GOOD.replace("    domains: [demo.example]\n", "    domains: [demo.example]\n    discover_urls: [{url}]\n")
    bad = errors_of(tmp_path, text.format(url="https://evil.example/privacy"))
    assert len(bad) == 1 and "discover_urls.0: URL https://evil.example/privacy is outside" in bad[0]
    path = write(tmp_path, text.format(url="https://demo.example/privacy"))
    moved = load_catalogue(path, {"demo": "http://127.0.0.1:8001"}).platforms["demo"]
    assert moved.discover_urls == ["http://127.0.0.1:8001/privacy"]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="recipe file not found"):
        parse_catalogue(tmp_path / "nope.yaml")
    assert errors_of(tmp_path, "\n# only a comment\n") == ["recipes.yaml:1 (top): the recipe file is empty"]


def test_off_is_a_string_not_a_boolean(tmp_path: Path) -> None:
    """YAML 1.1 reads a bare `off` as false; recipes are YAML 1.2, so `opted_out: off` means "off"."""
    cat = parse_catalogue(write(tmp_path, GOOD.replace('opted_out: "off"', "opted_out: off")))
    assert cat.platforms["demo"].settings[0].opted_out == "off"


def test_user_file_merges_over_bundled_by_platform_id(tmp_path: Path) -> None:
    cat = load_catalogue(write(tmp_path, GOOD))
    assert {"linkedin", "x", "meta", "demo"} <= set(cat.platforms)


def test_origin_override_moves_every_visited_url_and_keeps_sources() -> None:
    cat = load_catalogue(origins={"linkedin": "http://127.0.0.1:8001"})
    li = cat.platforms["linkedin"]
    assert li.settings[0].url == "http://127.0.0.1:8001/mypreferences/d/settings/data-for-ai-improvement"
    assert li.login is not None and li.login.url == "http://127.0.0.1:8001/login"
    assert "127.0.0.1" in li.domains
    assert li.settings[0].sources[0].url.startswith("https://www.linkedin.com/")


def test_origin_override_keeps_a_resource_that_lives_on_its_own_host() -> None:
    """`{pub}.substack.com` on a replica is `{pub}.localhost`: the publication stays in the host
    (browsers resolve every *.localhost to loopback), and the per-resource copy fills it in."""
    sub = load_catalogue(origins={"substack": "http://localhost:8001"}).platforms["substack"]
    [setting] = sub.settings
    assert setting.url == "http://{pub}.localhost:8001/publish/settings"
    assert setting.for_resource("myblog").url == "http://myblog.localhost:8001/publish/settings"
    assert sub.login is not None and sub.login.url == "http://localhost:8001/sign-in"
    assert "localhost" in sub.domains
    square = load_catalogue(origins={"squarespace": "https://staging.example:8443"}).platforms["squarespace"]
    assert square.settings[0].url == "https://{site}.staging.example:8443/config"
    assert square.origin == "https://staging.example:8443"  # www. is a plain label: it goes with the host


def test_origin_for_unknown_platform() -> None:
    with pytest.raises(UsageError, match='did you mean "linkedin"'):
        load_catalogue(origins={"linkdin": "http://127.0.0.1:1"})


def test_json_schema_forbids_extra_keys() -> None:
    from optout.recipes.schema import Catalogue

    schema = json.loads(json.dumps(Catalogue.model_json_schema()))
    assert schema["$defs"]["Control"]["additionalProperties"] is False
