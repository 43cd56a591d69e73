"""Two runs on one home: the second waits for the first, or gives up with a clear message."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from optout.errors import OptoutError
from optout.home.lock import home_lock
from optout.home.paths import RUN_LOCK as LOCK_NAME

# Takes the lock, says so, and holds it until its stdin closes.
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from optout.home.lock import home_lock
    with home_lock(Path(sys.argv[1]), wait=float(sys.argv[2])):
        print("locked", flush=True)
        sys.stdin.read()
    """
)


def holder(home: Path, wait: float = 0) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home), str(wait)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "locked\n", proc.stderr.read() if proc.stderr else ""
    return proc


def release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)


def test_a_second_process_gives_up_after_waiting_with_the_holders_pid(tmp_path: Path) -> None:
    first = holder(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(OptoutError) as caught, home_lock(tmp_path, wait=0.3):
            pytest.fail("got a lock another process holds")
        assert time.monotonic() - started >= 0.3
        assert caught.value.exit_code == 3
        assert str(caught.value) == (
            f"another optout run (pid {first.pid}) is using {tmp_path}; waited 0.3s"
            " — try again later or raise --lock-wait"
        )
    finally:
        release(first)
    assert first.returncode == 0


def test_the_second_process_gets_the_lock_once_the_first_finishes(tmp_path: Path) -> None:
    first = holder(tmp_path)
    threading.Timer(0.3, release, [first]).start()
    started = time.monotonic()
    second = holder(tmp_path, wait=30)  # a real second process, waiting
    assert 0.2 <= time.monotonic() - started < 20
    assert first.wait(timeout=10) == 0  # it released the lock by exiting; reap it before asserting
    assert (tmp_path / LOCK_NAME).read_text() == f"{second.pid}\n"
    release(second)


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    first = holder(tmp_path)
    first.kill()
    first.wait(timeout=30)
    with home_lock(tmp_path, wait=1):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"


def test_reentrant_in_one_process_and_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with home_lock(home, wait=0):
        with home_lock(home, wait=0):
            pass
        # still held after the inner block: another process cannot get it
        proc = subprocess.run(
            [sys.executable, "-c", HOLDER, str(home), "0"], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 1 and f"pid {os.getpid()}" in proc.stderr
    assert stat.S_IMODE((home / LOCK_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    with home_lock(home, wait=0):  # released for real
        pass


def _import_x(cli, tmp_path: Path, *extra: str):
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(".x.com\tTRUE\t/\tTRUE\t1900000000\tauth_token\tv\n")
    return cli("login", "x", "--cookies", str(cookies), "--no-check", *extra)


def test_login_and_logout_wait_for_a_run_in_progress(cli, home: Path, tmp_path: Path) -> None:
    """A cron run holds the lock from reading the session to writing the rotated one back: a logout
    or new login in between would be undone by that write-back, so they wait for the run."""
    from optout.home.sessions import SessionStore

    assert _import_x(cli, tmp_path).exit_code == 0
    store = SessionStore(home)
    before = store.path("x").read_text()
    run = holder(home)
    try:
        for attempt in (cli("logout", "x", "--lock-wait", "0.2"), _import_x(cli, tmp_path, "--lock-wait", "0.2")):
            assert attempt.exit_code == 3, attempt
            assert f"another optout run (pid {run.pid}) is using {home}" in attempt.stderr
        assert store.path("x").read_text() == before  # neither deleted nor replaced
    finally:
        threading.Timer(0.3, release, [run]).start()
    started = time.monotonic()
    done = cli("logout", "x")  # waits (default --lock-wait) until the run is over, then deletes
    assert done.exit_code == 0 and "Deleted" in done.stdout
    assert time.monotonic() - started >= 0.2 and run.wait(timeout=10) == 0
    assert not store.exists("x")
