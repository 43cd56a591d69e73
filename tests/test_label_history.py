"""Label history: the wordings a control has had, with when. Each is matched like a name, listed by
`optout platforms --json`, and a `not_found` whose page shows one says which, older or newest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from optout.engine.inventory import Item, known_wording
from optout.recipes.schema import Control, Label, newest_label

OLD = Label(name="Help improve Claude", since="2025-08", until="2026")
NEW = Label(name="Help improve our AI models", since="2026")


def test_labels_join_the_names_once_and_a_bare_year_is_a_year() -> None:
    control = Control.model_validate(
        {"names": ["Help improve Claude"], "labels": [{"name": "Help improve Claude", "until": 2026}, NEW.model_dump()]}
    )
    assert control.names == ["Help improve Claude", "Help improve our AI models"]
    assert control.labels[0].until == "2026"


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ({"name": "/^Help/"}, "not a /regex/"),
        ({"name": "A", "since": "2026", "until": "2025-08"}, "before since"),
        ({"name": "A", "since": "2026-13"}, "should match pattern"),
    ],
)
def test_a_bad_label_is_refused(label: dict, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Label.model_validate(label)


def test_the_newest_label_is_the_open_ended_latest() -> None:
    assert newest_label([NEW, OLD]) == NEW
    assert newest_label([]) is None
    assert (OLD.span(), NEW.span(), Label(name="x").span()) == ("2025-08 to 2026", "since 2026", "dates unknown")


def test_the_hint_says_which_known_wording_the_page_shows() -> None:
    items = [Item("button", "Export data"), Item("checkbox", "Help  improve Claude.")]
    assert known_wording(items, [OLD, NEW]) == (
        "the page shows an older known wording 'Help improve Claude' (2025-08 to 2026) on a checkbox"
    )
    assert "the newest known wording" in known_wording([Item("switch", "Help improve our AI models")], [OLD, NEW])
    assert known_wording(items, []) == known_wording([Item("switch", "Model training")], [OLD, NEW]) == ""


def test_platforms_json_lists_the_wordings_with_their_dates(cli) -> None:
    listed = {p["id"]: p for p in json.loads(cli("platforms", "--json").stdout)}
    (training, *_) = listed["x"]["settings"]
    assert [(label["since"], label["until"]) for label in training["labels"]] == [("2024-07", "2026"), ("2026", None)]
    assert training["labels"][0]["name"].startswith("Allow your posts")
    assert [label["name"] for label in listed["claude"]["settings"][0]["labels"]] == [
        "Help improve Claude",
        "Help improve our AI models",
    ]
    assert listed["linkedin"]["settings"][0]["labels"] == []


# A user's recipe expecting a switch where X draws a checkbox (a redesign the other way round):
# the page shows a known wording, and the hint says which.
SWITCH_RECIPE = """\
version: 1
platforms:
  x:
    name: X (user recipe)
    origin: https://x.com
    domains: [x.com]
    login: {url: "https://x.com/i/flow/login", logged_out_urls: [/i/flow/login]}
    settings:
      - id: grok-training
        title: Grok training
        url: https://x.com/settings/grok_settings
        kind: choice
        control:
          role: combobox
          labels:
            - {name: "Allow your posts as well as your interactions", since: 2024-07, until: 2026}
            - {name: "Allow your public data as well as your interactions", since: 2026}
        states: {opted_out: "Off", opted_in: "On"}
        sources: [{url: "https://x.com/settings/grok_settings", checked: 2026-11-22}]
"""


@pytest.mark.parametrize(("variant", "age"), [("old", "an older known"), ("current", "the newest known")])
def test_not_found_names_the_known_wording_the_page_shows(log_in, cli, replica, tmp_path: Path, variant, age) -> None:
    log_in("x")
    replica.options.label_variant = variant
    # A choice where the page draws a checkbox: the known wording is on a control of another kind.
    mine = tmp_path / "mine.yaml"
    mine.write_text(SWITCH_RECIPE)
    run = cli("--recipes", str(mine), "status", "x", "--json")
    (got,) = json.loads(run.stdout)
    assert got["state"] == "not_found", got
    assert f"the page shows {age} wording 'Allow your " in got["detail"] and "on a checkbox" in got["detail"]
    assert replica.writes("x") == 0
