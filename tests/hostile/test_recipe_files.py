"""Hostile recipe files (`--recipes`, `recipes validate`): each is refused at once with one line
`file:line yaml.path: message` and exit 2, before anything is expanded or run.

- a "billion laughs" alias bomb (a few hundred bytes, gigabytes once expanded): anchors and
  aliases are refused where the first one appears;
- YAML tags (`!!python/object/apply`), 5,000-deep nesting (flow or block), impossible dates,
  files over 1 MiB, and a FIFO instead of a file; said in optout's words whatever the YAML
  library's version refuses first and however it words it (PyYAML 6.0.4's libyaml refuses deep
  nesting itself, before optout has seen a level of it);
- name patterns that backtrack for ever (`/^(a+)+$/`) or that JavaScript reads differently or
  refuses (Playwright matches names in the page as JavaScript regexes);
- CSS that does not parse (control.css, a step's css, login.logged_out_selectors);
- URLs with a port browsers refuse, a user name and password, or a backslash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from optout.errors import RecipeError
from optout.recipes import catalogue
from optout.recipes.catalogue import MAX_BYTES, parse_catalogue

GOOD = """\
version: 1
platforms:
  demo:
    name: Demo
    origin: https://demo.example
    domains: [demo.example]
    login:
      url: https://demo.example/login
      logged_out_selectors: ["form.login"]
    settings:
      - id: ai
        title: AI training
        url: https://demo.example/settings/ai
        kind: toggle
        steps:
          - click: {css: "a.menu"}
        control:
          role: switch
          names: [Use my data for AI]
          css: "input[type=checkbox]"
        opted_out: "off"
        sources:
          - url: https://demo.example/help
            checked: 2026-11-01
"""

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def lines_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "recipes.yaml"
    path.write_text(text)
    with pytest.raises(RecipeError) as info:
        parse_catalogue(path)
    return info.value.lines


def test_the_good_recipe_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(GOOD)
    assert parse_catalogue(path).platforms["demo"].settings[0].id == "ai"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    assert len(BOMB) < 450
    assert lines_of(tmp_path, BOMB) == [
        "recipes.yaml:1 (yaml): anchors and aliases (&, *) are not allowed in recipe files"
    ]


def test_recipes_validate_refuses_the_bomb_in_one_line(cli, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    run = cli("recipes", "validate", str(bomb))
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "bomb.yaml:1 (yaml): anchors and aliases" in run.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('x: !!python/object/apply:os.system ["true"]\n', "recipes.yaml:1 (yaml): tags (!, !!) are not allowed"),
        ("x: !custom 1\n", "recipes.yaml:1 (yaml): tags (!, !!) are not allowed"),
        ("x: " + "[" * 5000 + "]" * 5000 + "\n", "recipes.yaml:1 (yaml): nested deeper than 64 levels"),
        ("x: " + "{a: " * 5000 + "}" * 5000 + "\n", "recipes.yaml:1 (yaml): nested deeper than 64 levels"),
        ("- " * 5000 + "x\n", "recipes.yaml:1 (yaml): nested deeper than 64 levels"),
        ("".join(" " * i + "- \n" for i in range(200)), "recipes.yaml:65 (yaml): nested deeper than 64 levels"),
    ],
    ids=["python-tag", "local-tag", "deep-flow-list", "deep-flow-map", "deep-dash", "deep-block"],
)
def test_tags_and_deep_nesting_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    lines = lines_of(tmp_path, text)
    assert len(lines) == 1 and lines[0].startswith(message), lines


class _RefusingLoader(yaml.SafeLoader):
    """A YAML library of another version: it refuses every file itself, in its own words."""

    def check_event(self, *choices):
        raise yaml.scanner.ScannerError("while parsing", None, "too deep for this parser (limit 3)", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: " + "[" * 5000 + "]" * 5000 + "\n", "recipes.yaml:1 (yaml): nested deeper than 64 levels"),
        ("".join(" " * i + "- \n" for i in range(200)), "recipes.yaml:65 (yaml): nested deeper than 64 levels"),
        ("a: &a [x]\nb: *a\n", "recipes.yaml:1 (yaml): anchors and aliases (&, *) are not allowed"),
    ],
    ids=["deep-flow", "deep-block", "alias"],
)
def test_the_yaml_librarys_own_refusal_is_said_in_optouts_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.setattr(catalogue, "_LOADER", _RefusingLoader)
    lines = lines_of(tmp_path, text)
    assert len(lines) == 1 and lines[0].startswith(message), lines


def test_a_file_only_the_fast_parser_refuses_is_still_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "_LOADER", _RefusingLoader)
    path = tmp_path / "recipes.yaml"
    path.write_text(GOOD)
    assert parse_catalogue(path).platforms["demo"].settings[0].id == "ai"


def test_a_syntax_error_is_the_librarys_line(tmp_path: Path) -> None:
    assert lines_of(tmp_path, "a: 1\nb: [2\n") == ["recipes.yaml:3 (yaml): did not find expected ',' or ']'"]


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30"])
def test_an_impossible_date_is_an_error_with_its_line(tmp_path: Path, date: str) -> None:
    [line] = lines_of(tmp_path, GOOD.replace("2026-11-01", date))
    assert line.startswith("recipes.yaml:24 platforms.demo.settings.0.sources.0.checked: ")


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    [line] = lines_of(tmp_path, GOOD + "#" * MAX_BYTES)
    assert "too big for a recipe file" in line


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "recipes.yaml"
    os.mkfifo(fifo)
    with pytest.raises(RecipeError, match="not a regular file"):
        parse_catalogue(fifo)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("/^(a+)+$/", "can take for ever to match"),
        ("/(a|ab)*c/", "can take for ever to match"),
        ("/((x*)y)+/", "can take for ever to match"),
        ("/(?P<n>AI)/", "groups work in JavaScript"),
        ("/(?i)ai/", "groups work in JavaScript"),
        ("/(?>ai)/", "groups work in JavaScript"),
        ("/(?#note)ai/", "groups work in JavaScript"),
        ("/ai++/", "a quantifier right after a quantifier"),
        ("/\\Aai/", "means something else in JavaScript"),
        ("/a{,3}/", "means something else in JavaScript"),
        ("/[]ai]/", "empty classes in JavaScript"),
        ("/(unclosed/", "not a valid regular expression"),
    ],
)
def test_name_patterns_are_checked_as_javascript_regexes(tmp_path: Path, pattern: str, message: str) -> None:
    [line] = lines_of(tmp_path, GOOD.replace("names: [Use my data for AI]", f"names: ['{pattern}']"))
    assert line.startswith("recipes.yaml:19 platforms.demo.settings.0.control.names"), line
    assert message in line


@pytest.mark.parametrize("pattern", ["/use (my|our) data/", "/data.*AI/", "/^Allow .+ to train$/", "/(ab)+c?/"])
def test_ordinary_patterns_still_pass(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "recipes.yaml"
    path.write_text(GOOD.replace("names: [Use my data for AI]", f"names: ['{pattern}']"))
    parse_catalogue(path)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'css: "input[type=checkbox]"',
            'css: "input[type=checkbox"',
            "recipes.yaml:20 platforms.demo.settings.0.control.css",
        ),
        ('{css: "a.menu"}', '{css: "a >> b"}', "recipes.yaml:16 platforms.demo.settings.0.steps.0.click.css"),
        ('["form.login"]', '["form..login"]', "recipes.yaml:9 platforms.demo.login.logged_out_selectors"),
    ],
)
def test_css_that_does_not_parse_is_refused(tmp_path: Path, old: str, new: str, where: str) -> None:
    [line] = lines_of(tmp_path, GOOD.replace(old, new))
    assert line.startswith(where) and "bad CSS selector" in line, line


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://demo.example:6000/settings/ai", "port 6000 is one browsers refuse"),
        ("https://demo.example:0/settings/ai", "port 0 is one browsers refuse"),
        ("https://demo.example:99999/settings/ai", "not a valid URL"),
        ("https://demo.example:x/settings/ai", "not a valid URL"),
        ("https://me:pw@demo.example/settings/ai", "a user name or password in a URL is not allowed"),
        ("https://evil.example\\@demo.example/settings/ai", "backslash"),
    ],
)
def test_bad_urls_are_refused_with_their_line(tmp_path: Path, url: str, message: str) -> None:
    [line] = lines_of(tmp_path, GOOD.replace("url: https://demo.example/settings/ai", f"url: '{url}'"))
    assert line.startswith("recipes.yaml:11 platforms.demo.settings.0: bad URL") and message in line, line
