"""A damaged history or session file never hides what a run did (issue 11, item 3).

The change is made and verified, the results are printed (or emitted as JSON) in full, the
recording failure is a warning on stderr, and the exit code is 3 where the results alone say 0.
"""

from __future__ import annotations

import json
from pathlib import Path

from optout.home.history import History
from optout.home.paths import HISTORY as DB_NAME


def damage_history(home: Path) -> None:
    (home / DB_NAME).write_bytes(b"not a database, whatever the name says\n" * 200)


def test_disable_with_a_damaged_history_shows_the_verified_change(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    damage_history(home)
    run = cli("disable", "linkedin", "ai-training", "--json")
    assert replica.state("linkedin")["ai-training"] is False  # the change was made
    [got] = json.loads(run.stdout)
    assert (got["state"], got["action"]) == ("opted_out", "changed")
    assert got["changed"] is False  # no drift marks without a readable history
    warnings = run.stderr.splitlines()
    assert any(w.startswith("optout: warning: this run is not in the history: ") for w in warnings), run.stderr
    assert "unreadable" in run.stderr
    assert run.exit_code == 3  # as wanted (0), but not recorded: the user must learn both


def test_a_damaged_history_never_hides_opted_in(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    damage_history(home)
    run = cli("status", "linkedin")
    assert "opted_in" in run.stdout
    assert "optout: warning: " in run.stderr
    assert run.exit_code == 1  # "opted in" stays the news; the warning tells the rest


def test_a_session_that_cannot_be_saved_back_keeps_the_results(log_in, cli, home, replica, monkeypatch) -> None:
    from optout.home.sessions import SessionStore

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    log_in("linkedin")
    monkeypatch.setattr(SessionStore, "save", disk_full)  # the write-back after the run fails
    run = cli("disable", "linkedin", "ai-training", "--json")
    [got] = json.loads(run.stdout)
    assert (got["state"], got["action"]) == ("opted_out", "changed")
    assert replica.state("linkedin")["ai-training"] is False
    assert "optout: warning: the LinkedIn session could not be saved back: " in run.stderr
    assert run.exit_code == 3
    with History(home) as history:  # what could be recorded was
        assert [(r["setting"], r["state"]) for r in history.rows()] == [("ai-training", "opted_out")]
