"""Recipe features end to end with a user's recipe file (--recipes) against the replicas:
navigation steps, `within` scoping, and what is kept as evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.engine.locate import interpret
from optout.home.sessions import SessionStore
from optout.replica import TEST_USER

X_RECIPE = """\
version: 1
platforms:
  x:
    name: X (user recipe)
    origin: https://x.com
    domains: [x.com]
    login:
      url: https://x.com/i/flow/login
      logged_out_urls: [/i/flow/login]
    settings:
      - id: grok-training
        title: Grok training
        url: {url}
        kind: toggle
{steps}
        control:
          role: checkbox
          names: [to be used for training and fine-tuning]
{within}
        opted_out: "off"
        sources:
          - url: https://x.com/settings/grok_settings
            checked: 2026-11-22
"""


def recipe(
    tmp_path: Path, *, url: str = "https://x.com/settings/grok_settings", steps: str = "", within: str = ""
) -> str:
    path = tmp_path / "mine.yaml"
    path.write_text(X_RECIPE.format(url=url, steps=steps, within=within))
    return str(path)


CLICK_THROUGH = """\
        steps:
          - click: {role: link, name: Data sharing and personalization}
          - click: {role: link, name: "Grok & Third-party Collaborators"}
          - wait_for: {text: Data Sharing}"""


def test_navigation_steps_reach_the_setting(log_in, cli, home, replica, tmp_path) -> None:
    log_in("x")
    mine = recipe(tmp_path, url="https://x.com/settings/privacy_and_safety", steps=CLICK_THROUGH)
    run = cli("--recipes", mine, "disable", "x", "--json")
    assert run.exit_code == 0, run
    assert json.loads(run.stdout)[0]["action"] == "changed"
    assert replica.state("x")["grok-training"] is False


def test_a_missing_step_target_is_not_found_and_clicks_nothing(log_in, cli, home, replica, tmp_path) -> None:
    log_in("x")
    steps = "        steps:\n          - click: {role: link, name: Grok and xAI settings}"
    mine = recipe(tmp_path, url="https://x.com/settings/privacy_and_safety", steps=steps)
    run = cli("--recipes", mine, "disable", "x", "--json")
    assert run.exit_code == 3
    got = json.loads(run.stdout)[0]
    assert (
        got["state"] == "not_found"
        and 'navigation step 1 (link "Grok and xAI settings"): no link named' in got["detail"]
    )
    assert "the closest:" in got["detail"]
    assert replica.writes("x") == 0


def test_a_reworded_control_is_named_among_the_closest(log_in, cli, replica, tmp_path) -> None:
    log_in("x")
    replica.options.label_variant = "changed"
    run = cli("--recipes", recipe(tmp_path), "disable", "x", "--json")
    got = json.loads(run.stdout)[0]
    assert got["state"] == "not_found", got
    assert "no checkbox named 'to be used for training and fine-tuning'; the page has 3 checkboxes" in got["detail"]
    assert "'Share your data with xAI for model improvement' (on)" in got["detail"]
    assert replica.writes("x") == 0


def test_within_picks_the_control_in_the_named_section(log_in, cli, home, replica, tmp_path) -> None:
    """The duplicate variant has a second matching checkbox under "Third-party Collaborators";
    the bundled recipe calls that ambiguous, a recipe scoped to "Data Sharing" finds the right one."""
    log_in("x")
    replica.options.duplicate_control = True
    mine = recipe(tmp_path, within="          within: Data Sharing")
    run = cli("--recipes", mine, "disable", "x", "--json")
    assert run.exit_code == 0, run
    assert replica.state("x")["grok-training"] is False
    assert replica.writes("x") == 1  # only the real one was clicked


def test_evidence_is_saved_without_cookie_values(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    replica.options.missing_control = True
    run = cli("status", "linkedin")
    assert run.exit_code == 3
    assert "screenshot and page saved at" in run.stdout
    html = next((home / "evidence").rglob("*.html")).read_text()
    assert "Data for Generative AI Improvement" in html  # it is the page as found
    stored = SessionStore(home).load("linkedin")
    assert stored is not None
    for cookie in stored["cookies"]:
        assert cookie["value"] not in html, f"cookie {cookie['name']} leaked into evidence"
    assert replica.session_values("linkedin", TEST_USER)


@pytest.mark.parametrize(
    ("raw", "on", "problem"),
    [
        ({"aria": "true", "native": True}, True, ""),
        ({"aria": "false", "native": None}, False, ""),
        ({"aria": None, "native": False}, False, ""),
        ({"aria": "true", "native": False}, None, "aria-checked=true but checked=false"),
        ({"aria": "mixed", "native": None}, None, 'aria-checked is "mixed"'),
        ({"aria": None, "native": None}, None, "neither aria-checked nor a checked property"),
    ],
)
def test_state_is_read_only_when_unambiguous(raw: dict, on: bool | None, problem: str) -> None:
    reading = interpret(raw)
    assert reading.on is on and problem in reading.problem


def test_scrub_removes_a_cookie_value_in_every_form_a_page_may_echo() -> None:
    from optout.engine.evidence import scrub

    value = '"ajax:1234567&89"'
    page = 'a ajax:1234567&89 b ajax:1234567&amp;89 c ajax%3A1234567%2689 d "ajax:1234567&89" e'
    cleaned = scrub(page, value)
    assert "1234567" not in cleaned
    assert scrub("flag=1", "1") == "flag=1"  # short values are not secrets and are left alone
