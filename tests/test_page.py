"""The pure parts of `--html` (optout/actions/page.py): the summary line, a setting's standing from its
history, the command to copy, escaping, and where the file goes. The page in a browser:
test_html_page.py."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from optout.actions import page
from optout.errors import UsageError
from optout.recipes.catalogue import load_catalogue
from optout.results import Action, Result, State

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def result(state: State, **extra: object) -> Result:
    fields: dict[str, object] = {"platform": "x", "setting": "grok-training", "title": "Grok training"}
    return Result(**{**fields, "state": state, **extra})  # type: ignore[arg-type]


def entry(day: int, state: State, command: str = "status", action: Action = Action.NONE) -> page.Entry:
    return page.Entry(T0 + timedelta(days=day), command, state, action)


def test_summary_counts_what_needs_the_user() -> None:
    results = [result(State.OPTED_OUT)] * 23 + [result(State.OPTED_IN), result(State.NEEDS_LOGIN)]
    results += [result(State.NOT_OFFERED)]
    assert page.summary(results) == "23 opted out · 2 need you · 1 not offered"
    assert page.summary([result(State.MANUAL), result(State.OPTED_OUT, action=Action.FAILED)]) == "2 need you"
    assert page.summary([result(State.OPTED_IN, wanted=State.OPTED_IN)]) == "1 opted in"
    assert page.summary([]) == "nothing checked"


def test_standing_since_and_every_switch_back() -> None:
    entries = [
        entry(0, State.OPTED_IN),
        entry(1, State.OPTED_OUT, "disable", Action.CHANGED),
        entry(2, State.NEEDS_LOGIN),  # saw nothing: neither breaks nor starts the stretch
        entry(3, State.OPTED_IN),  # the platform switched it back
        entry(4, State.OPTED_OUT, "disable", Action.CHANGED),
        entry(5, State.OPTED_OUT, "disable", Action.CHANGED),  # found on again by disable, switched off
        entry(6, State.OPTED_OUT),
    ]
    assert page.standing(entries) == (T0 + timedelta(days=5), [T0 + timedelta(days=3), T0 + timedelta(days=5)])


def test_enable_is_not_a_switch_back_and_ends_the_stretch() -> None:
    entries = [entry(0, State.OPTED_OUT), entry(1, State.OPTED_IN, "enable", Action.CHANGED)]
    assert page.standing(entries) == (None, [])


def test_the_command_to_copy() -> None:
    assert page.fix_command(result(State.OPTED_IN)) == "optout disable x grok-training"
    assert page.fix_command(result(State.OPTED_IN, account="work")) == "optout disable x grok-training --account work"
    assert page.fix_command(result(State.OPTED_OUT, wanted=State.OPTED_IN)) == "optout enable x grok-training"
    assert page.fix_command(result(State.NEEDS_LOGIN)) == "optout login x"
    assert page.fix_command(result(State.NOT_FOUND)) == "optout report x grok-training"
    assert page.fix_command(result(State.OPTED_OUT)) is None


def test_everything_from_a_page_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    cards = page.cards(
        [result(State.OPTED_IN, title=hostile, detail=f'"><img src=x onerror={hostile}>')], [], command="status"
    )
    html = page.render(hostile, cards, timelines=True, note=hostile)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_history_row_of_a_resource_is_its_setting_and_resource() -> None:
    row = {
        "platform": "tumblr",
        "account": "default",
        "setting": "third-party-sharing[art-of-cats]",
        "state": "opted_out",
        "action": "none",
        "detail": "",
        "url": None,
        "evidence": None,
        "time": T0,
        "command": "status",
    }
    r = page.result_of_row(row, None)
    assert (r.setting, r.resource, r.ref.key) == ("third-party-sharing", "art-of-cats", row["setting"])


def test_only_images_are_embedded(tmp_path: Path) -> None:
    proof = tmp_path / "mail.eml"
    proof.write_text("From: meta")
    assert page.embed(str(proof)) is None and page.embed(str(tmp_path / "gone.png")) is None


def test_the_page_is_private_and_its_folder_left_as_it_is(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    written = page.write(tmp_path / "page.html", "<p>hi</p>")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600 and stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    with pytest.raises(UsageError, match="does not exist"):
        page.target(tmp_path / "missing" / "page.html")
    with pytest.raises(UsageError, match="a directory"):
        page.target(tmp_path)


def test_html_to_a_missing_folder_is_a_usage_error_before_the_run(cli, tmp_path: Path) -> None:
    run = cli("status", "--html", str(tmp_path / "missing" / "page.html"))
    assert run.exit_code == 2 and "does not exist" in run.stderr


def test_nothing_set_up_still_writes_a_page(cli, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    run = cli("status", "--html", str(target))
    assert run.exit_code == 0, run
    assert "Nothing checked" in target.read_text() and "nothing checked" in target.read_text()


def test_a_card_names_the_settings_category() -> None:
    """Not every AI-data setting is training (issue 25): the card says which kind it is."""
    cards = page.cards([result(State.OPTED_IN, category="ai-use")], [], command="status")
    html = page.render("t", cards, timelines=False, note="")
    assert "<dt>category</dt><dd>ai-use</dd>" in html
    row = {"platform": "x", "account": "default", "setting": "grok-memory", "state": "opted_in", "action": "none"}
    row |= {"detail": "", "url": None, "evidence": None, "time": T0, "command": "status"}
    assert page.result_of_row(row, load_catalogue()).category == "ai-use"
