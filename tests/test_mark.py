"""`optout mark`: an objection filed by hand counts as opted out, says it was recorded by the
user, and can be undone; a switch, a typo or a bad date is one line and exit 2."""

from __future__ import annotations

import json
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest


def only(run) -> dict:
    """The one result of a run that can be marked: Meta's status also lists its AI-chat ads use,
    which has no opt-out to file."""
    (result,) = [r for r in json.loads(run.stdout) if r["setting"] != "ai-chat-ads"]
    return result


def test_a_gb_member_who_filed_by_hand_is_opted_out(cli, home: Path, tmp_path: Path) -> None:
    assert cli("config", "set", "region", "GB").exit_code == 0
    assert cli("status", "meta").exit_code == 3  # manual, on every run, until recorded
    proof = tmp_path / "confirmation.eml"
    proof.write_text("We received your objection.")
    run = cli("mark", "meta", "ai-objection", "--filed", "--on", "2026-11-20", "--evidence", str(proof), "--json")
    assert run.exit_code == 0, run
    marked = only(run)
    assert (marked["state"], marked["action"], marked["recorded_by"]) == ("opted_out", "filed", "user")

    run = cli("status", "meta", "--json")
    assert run.exit_code == 0
    got = only(run)
    assert got["state"] == "opted_out" and got["recorded_by"] == "user"
    assert got["detail"] == "filed on 2026-11-20, recorded by you"
    copy = Path(got["evidence"])
    assert copy.read_text() == "We received your objection." and copy.parent.is_relative_to(home / "receipts")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert "recorded by you" in cli("status", "meta").stdout

    rows = [r for r in json.loads(cli("history", "meta", "--json").stdout) if r["setting"] == "ai-objection"]
    assert [(r["command"], r["state"]) for r in rows][:3] == [
        ("status", "manual"),
        ("mark", "opted_out"),
        ("status", "opted_out"),
    ]
    assert "recorded by you" in rows[1]["detail"]


def test_undo_brings_back_the_manual_step(cli, home: Path, tmp_path: Path) -> None:
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"%PDF")
    assert cli("mark", "meta", "ai-objection", "--filed", "--evidence", str(proof), "--region", "GB").exit_code == 0
    copy = Path(only(cli("status", "meta", "--region", "GB", "--json"))["evidence"])
    assert copy.suffix == ".pdf" and copy.exists()
    run = cli("mark", "meta", "ai-objection", "--undo", "--region", "GB", "--json")
    assert run.exit_code == 0 and only(run)["state"] == "manual"
    assert not copy.exists()
    run = cli("status", "meta", "--region", "GB", "--json")
    assert run.exit_code == 3 and only(run)["state"] == "manual" and only(run)["recorded_by"] == "optout"
    run = cli("mark", "meta", "ai-objection", "--undo")
    assert run.exit_code == 0 and "nothing to undo" in run.stderr


def test_a_receipt_optout_saw_is_not_overwritten_or_undone(cli, home: Path) -> None:
    from optout.home.receipts import Receipts

    Receipts(home).record("meta", "default", "ai-objection", {"filed_at": "2026-11-01T10:00:00+00:00"})
    for args in (["--filed", "--on", "2026-11-02"], ["--undo"]):
        run = cli("mark", "meta", "ai-objection", *args)
        assert run.exit_code == 0 and "already filed through optout" in run.stderr
    got = only(cli("status", "meta", "--region", "GB", "--json"))
    assert got["recorded_by"] == "optout" and "filed through optout on 2026-11-01" in got["detail"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mta", "ai-objection", "--filed"], "unknown platform 'mta' (did you mean \"meta\"?)"),
        (["meta", "ai-objectoin", "--filed"], '(did you mean "ai-objection"?)'),
        (["linkedin", "ai-training", "--filed"], "linkedin ai-training is read from the page (toggle)"),
        (["github", "copilot-training", "--filed"], "is read from the page (choice)"),
        (["meta", "ai-objection", "--filed", "--on", "2026-02-30"], "--on '2026-02-30': expected a date YYYY-MM-DD"),
        (["meta", "ai-objection", "--filed", "--on", str(date.today() + timedelta(days=2))], "in the future"),
        (["meta", "ai-objection", "--filed", "--evidence", "/dev/zero"], "not a regular file"),
        (["meta", "ai-objection", "--filed", "--evidence", "/nonexistent/x.png"], "No such file"),
        (["meta", "ai-objection", "--filed", "--region", "Narnia"], "two-letter country code"),
        (["meta", "ai-objection"], "give --filed"),
        (["meta", "ai-objection", "--filed", "--undo"], "give --filed"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(cli, home: Path, args: list[str], message: str) -> None:
    run = cli("mark", *args)
    assert run.exit_code == 2, run
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not (home / "receipts").exists()


def test_a_manual_step_can_be_marked_too(cli, tmp_path: Path) -> None:
    recipes = tmp_path / "r.yaml"
    recipes.write_text(
        "version: 1\nplatforms:\n  mail:\n    name: Mail\n    origin: https://mail.example.com\n"
        "    domains: [example.com]\n    settings:\n      - id: ask\n        title: Ask by e-mail\n"
        "        url: https://mail.example.com/privacy\n        kind: manual\n"
        "        sources: [{url: https://mail.example.com/privacy, checked: 2026-11-22}]\n"
    )
    assert only(cli("--recipes", str(recipes), "status", "mail", "--json"))["state"] == "manual"
    assert cli("--recipes", str(recipes), "mark", "mail", "ask", "--filed").exit_code == 0
    got = only(cli("--recipes", str(recipes), "status", "mail", "--json"))
    assert got["state"] == "opted_out" and got["recorded_by"] == "user"


def test_mark_holds_the_home_lock(cli, home: Path) -> None:
    from tests.test_lock import holder, release

    other = holder(home)
    try:
        run = cli("mark", "meta", "ai-objection", "--filed", "--lock-wait", "0")
    finally:
        release(other)
    assert run.exit_code == 3 and "is using" in run.stderr
    assert not (home / "receipts").exists()


def test_a_damaged_history_does_not_hide_the_mark(cli, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "history.db").write_bytes(b"not a database" * 100)
    run = cli("mark", "meta", "ai-objection", "--filed", "--region", "GB", "--json")
    assert run.exit_code == 3 and "history database" in run.stderr
    assert only(run)["state"] == "opted_out" and only(run)["recorded_by"] == "user"
