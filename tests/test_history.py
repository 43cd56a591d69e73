"""History across runs, drift detection, crash safety, and the `history` command."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from optout.errors import OptoutError
from optout.home.history import History, unusable
from optout.home.paths import HISTORY as DB_NAME
from optout.results import Action, Result, SettingRef, State
from optout.unattended.drift import changes, drift
from tests.helpers import invoke

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def result(
    state: State,
    *,
    platform: str = "linkedin",
    setting: str = "ai-training",
    account: str = "default",
    at: datetime = T0,
    action: Action = Action.NONE,
) -> Result:
    return Result(
        platform=platform,
        setting=setting,
        title="Data for AI training",
        state=state,
        detail=f"toggle is {state.value}",
        url=f"https://{platform}.example/settings",
        checked_at=at,
        account=account,
        action=action,
        evidence="evidence/1.png",
    )


def test_records_runs_and_reads_them_back_in_order(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        h.record("status", [result(State.OPTED_IN), result(State.OPTED_OUT, platform="x")])
    with History(tmp_path) as h:  # a later process
        h.record("disable", [result(State.OPTED_OUT, at=T0 + timedelta(days=1), action=Action.CHANGED)])
        rows = h.rows()
    assert [(r["command"], r["platform"], r["state"], r["action"]) for r in rows] == [
        ("status", "linkedin", "opted_in", "none"),
        ("status", "x", "opted_out", "none"),
        ("disable", "linkedin", "opted_out", "changed"),
    ]
    first = rows[0]
    assert first["time"] == T0
    assert (first["account"], first["setting"], first["url"], first["evidence"]) == (
        "default",
        "ai-training",
        "https://linkedin.example/settings",
        "evidence/1.png",
    )
    assert first["detail"] == "toggle is opted_in"


def test_filters_by_platform_account_and_since(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        h.record("status", [result(State.OPTED_IN), result(State.OPTED_OUT, platform="x")])
        h.record("status", [result(State.OPTED_OUT, at=T0 + timedelta(days=2), account="work")])
        assert {r["platform"] for r in h.rows(platform="x")} == {"x"}
        assert [r["account"] for r in h.rows(account="work")] == ["work"]
        assert [r["account"] for r in h.rows(since=T0 + timedelta(days=1))] == ["work"]
        assert h.rows(platform="meta") == []


def test_database_is_private_in_a_private_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with History(home) as h:
        h.record("status", [result(State.OPTED_OUT)])
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
        path = home / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    mode = sqlite3.connect(home / DB_NAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_previous_is_the_last_observation_of_an_earlier_run(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        assert h.previous(SettingRef("linkedin", "default", "ai-training")) is None
        h.record("status", [result(State.OPTED_OUT)])
        h.record("status", [result(State.NEEDS_LOGIN, at=T0 + timedelta(days=1))])
    with History(tmp_path) as h:
        # needs_login saw nothing, so the last observation is still the opted-out one
        assert h.previous(SettingRef("linkedin", "default", "ai-training")) == (State.OPTED_OUT, T0)
        h.record("status", [result(State.OPTED_IN, at=T0 + timedelta(days=2))])
        # this object's own run does not count: record-then-compare works too
        assert h.previous(SettingRef("linkedin", "default", "ai-training")) == (State.OPTED_OUT, T0)
        assert h.previous(SettingRef("linkedin", "work", "ai-training")) is None


def test_drift_rules() -> None:
    assert drift(result(State.OPTED_IN), State.OPTED_OUT)
    assert drift(result(State.NOT_FOUND), State.OPTED_OUT)
    assert drift(result(State.NOT_FOUND), State.OPTED_IN)
    assert not drift(result(State.OPTED_IN), None)
    assert not drift(result(State.OPTED_IN), State.OPTED_IN)
    assert not drift(result(State.OPTED_OUT), State.OPTED_IN)
    assert not drift(result(State.NOT_FOUND), State.NOT_FOUND)
    assert not drift(result(State.NEEDS_LOGIN), State.OPTED_OUT)
    assert not drift(result(State.NOT_OFFERED), State.OPTED_OUT)
    # `enable` switching it on is the user's wish, not drift
    assert not drift(result(State.OPTED_IN, action=Action.CHANGED), State.OPTED_OUT)


def test_changes_maps_drifted_results_to_their_previous_state(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        h.record("status", [result(State.OPTED_OUT), result(State.OPTED_IN, platform="x")])
    now = [
        result(State.OPTED_IN, at=T0 + timedelta(days=1)),
        result(State.NOT_FOUND, platform="x", at=T0 + timedelta(days=1)),
        result(State.OPTED_OUT, platform="meta", at=T0 + timedelta(days=1)),
    ]
    with History(tmp_path) as h:
        h.record("status", now)
        assert changes(h, now) == {
            SettingRef("linkedin", "default", "ai-training"): State.OPTED_OUT,
            SettingRef("x", "default", "ai-training"): State.OPTED_IN,
        }


def test_an_exception_mid_run_keeps_no_partial_run_and_earlier_runs(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        h.record("status", [result(State.OPTED_OUT)])

    class Boom(Exception):
        pass

    def bad_results():
        yield result(State.OPTED_IN, at=T0 + timedelta(days=1))
        raise Boom

    class Exploding(History):
        calls = 0

        @staticmethod
        def _insert(db, run_id, r):  # type: ignore[override]
            Exploding.calls += 1
            History._insert(db, run_id, r)
            if Exploding.calls == 2:
                raise Boom

    with pytest.raises(Boom):
        History(tmp_path).record("status", bad_results())
    with Exploding(tmp_path) as h, pytest.raises(Boom):
        h.record("status", [result(State.OPTED_IN, platform=p) for p in ("linkedin", "x", "meta")])
    with History(tmp_path) as h:
        assert [(r["platform"], r["state"]) for r in h.rows()] == [("linkedin", "opted_out")]
        h.record("status", [result(State.OPTED_IN, at=T0 + timedelta(days=3))])
        assert len(h.rows()) == 2


def test_a_process_killed_mid_run_leaves_earlier_runs_intact(tmp_path: Path) -> None:
    with History(tmp_path) as h:
        h.record("status", [result(State.OPTED_OUT)])
    # A child writes half a run, then SIGKILLs itself inside the transaction.
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from optout.home.history import History
        from optout.results import Result, State
        calls = []
        original = History._insert
        def insert(db, run_id, r):
            original(db, run_id, r)
            calls.append(r)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
        History._insert = staticmethod(insert)
        rs = [Result(platform=p, setting="s", title="t", state=State.OPTED_IN) for p in ("a", "b", "c")]
        History(Path({str(tmp_path)!r})).record("status", rs)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, check=False)
    assert proc.returncode == -9, proc.stderr.decode()
    assert (tmp_path / (DB_NAME + "-wal")).exists()  # the kill left the journal behind
    with History(tmp_path) as h:
        assert [(r["platform"], r["state"]) for r in h.rows()] == [("linkedin", "opted_out")]
        h.record("status", [result(State.OPTED_IN, at=T0 + timedelta(days=1))])
    assert sqlite3.connect(tmp_path / DB_NAME).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_concurrent_writers_wait_for_each_other(tmp_path: Path) -> None:
    def writer(platform: str) -> None:
        with History(tmp_path) as h:
            for day in range(20):
                h.record("status", [result(State.OPTED_OUT, platform=platform, at=T0 + timedelta(days=day))] * 3)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("linkedin", "x", "meta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with History(tmp_path) as h:
        assert len(h.rows()) == 3 * 20 * 3
        assert len({r["run_id"] for r in h.rows()}) == 60


def test_a_garbage_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(OptoutError, match="history database .* is unreadable"):
        History(tmp_path)


# --- the `optout history` command ---------------------------------------------------------


def seeded(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with History(home) as h:
        h.record("status", [result(State.OPTED_IN), result(State.OPTED_OUT, platform="x")])
        h.record(
            "disable",
            [result(State.OPTED_OUT, at=T0 + timedelta(days=2), action=Action.CHANGED, account="work")],
        )
    return home


def test_history_command_prints_a_plain_table_without_a_tty(tmp_path: Path) -> None:
    res = invoke("--home", str(seeded(tmp_path)), "history")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["time", "command", "platform", "account", "setting", "state", "action", "detail"]
    assert len(lines) == 4
    assert "opted_in" in lines[1] and "linkedin" in lines[1]
    assert "\x1b[" not in res.stdout
    one_account = invoke("--home", str(seeded(tmp_path / "b")), "history", "--account", "default")
    assert one_account.stdout.splitlines()[0].split() == [
        "time",
        "command",
        "platform",
        "setting",
        "state",
        "action",
        "detail",
    ]


def test_history_command_json_platform_account_and_since(tmp_path: Path) -> None:
    home = seeded(tmp_path)
    data = json.loads(invoke("--home", str(home), "history", "--json").stdout)
    assert [d["state"] for d in data] == ["opted_in", "opted_out", "opted_out"]
    assert data[0]["time"] == "2026-03-01T09:00:00+00:00"
    assert set(data[0]) == {
        "run_id",
        "command",
        "time",
        "platform",
        "account",
        "setting",
        "state",
        "action",
        "detail",
        "url",
        "evidence",
    }
    assert [d["platform"] for d in json.loads(invoke("--home", str(home), "history", "X", "--json").stdout)] == ["x"]
    assert [
        d["account"] for d in json.loads(invoke("--home", str(home), "history", "--account", "work", "--json").stdout)
    ] == ["work"]
    assert len(json.loads(invoke("--home", str(home), "history", "--since", "2026-03-02", "--json").stdout)) == 1
    since = json.loads(invoke("--home", str(home), "history", "--since", "2026-03-03T09:00:00+00:00", "--json").stdout)
    assert [d["command"] for d in since] == ["disable"]
    assert json.loads(invoke("--home", str(home), "history", "--since", "2026-03-04", "--json").stdout) == []


def test_history_command_bad_since_is_a_usage_error(tmp_path: Path) -> None:
    res = invoke("--home", str(seeded(tmp_path)), "history", "--since", "last tuesday")
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "--since" in res.stderr and "YYYY-MM-DD" in res.stderr


def test_history_command_unknown_platform_is_a_usage_error(tmp_path: Path) -> None:
    res = invoke("--home", str(seeded(tmp_path)), "history", "linkedn")
    assert res.exit_code == 2
    assert "unknown platform" in res.stderr


def test_history_command_on_an_empty_home_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "empty"
    res = invoke("--home", str(home), "history")
    assert res.exit_code == 0
    assert res.stdout == ""
    assert "no history" in res.stderr
    assert json.loads(invoke("--home", str(home), "history", "--json").stdout) == []
    assert not home.exists()


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("database or disk is full", "cannot be written: the disk is full"),
        ("attempt to write a readonly database", "cannot be written: it is read-only"),
        ("file is not a database", "is unreadable: file is not a database"),
    ],
)
def test_a_full_or_read_only_disk_is_not_called_unreadable(message: str, said: str) -> None:
    assert said in unusable(Path("/h/history.db"), sqlite3.OperationalError(message))
