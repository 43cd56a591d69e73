"""Ctrl-C or SIGTERM in the middle of a change (issue 11, item 9).

A real `python -m optout` process is stopped right after it clicked, while the replica holds the
save: it must close the browser, print and record what it did (the click it could not verify
says so), and exit 130 or 143 without a traceback or asyncio's noise. Ctrl-C anywhere else in
a command is one line and exit 130 as well.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from optout.home.history import History
from tests.test_lock import holder, release

CLICKED = "clicked, then interrupted before the change could be verified; check it on the site"
UNTOUCHED = "interrupted before it was done; nothing was clicked"


def descendants(pid: int) -> dict[int, str]:
    """Every process below pid, by pid, with its command name."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)], names[int(entry.name)] = int(rest[1]), name
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = names[child]
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for a parent that does not reap it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def stop_after_click(home: Path, replica, args: list[str], platform: str, signum: int) -> subprocess.CompletedProcess:
    """Run `optout ARGS` as its own process, send `signum` once the replica received the save
    (the click happened; the save is held back), and return how it ended; asserts the browser
    it started is gone afterwards."""
    replica.options.save_delay = 120.0  # the save stays unanswered until the replica stops
    env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_TIMEOUT": "60"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "optout", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while replica.writes(platform) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert replica.writes(platform) == 1, "the click never reached the replica"
        below = descendants(proc.pid)
        assert any("chrom" in name for name in below.values()), below
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert not [pid for pid in below if alive(pid)], "the browser outlived the run"
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def test_ctrl_c_after_the_click_reports_and_records_the_unverified_change(log_in, home, replica) -> None:
    log_in("linkedin")
    done = stop_after_click(home, replica, ["disable", "linkedin"], "linkedin", signal.SIGINT)
    assert done.returncode == 130
    assert done.stderr == "optout: interrupted by SIGINT: the results above are what was done before it\n"
    assert "ai-training" in done.stdout and CLICKED in done.stdout
    with History(home) as history:
        rows = [(r["command"], r["setting"], r["state"], r["action"], r["detail"]) for r in history.rows()]
    assert rows == [("disable", "ai-training", "error", "failed", CLICKED)]


def test_sigterm_marks_the_clicked_setting_and_the_untouched_ones(log_in, home, replica) -> None:
    """X's three settings share a page: the first is clicked when the signal comes, the other two
    were not reached and are said to be untouched."""
    log_in("x")
    done = stop_after_click(home, replica, ["disable", "x", "--include", "ai-use", "--json"], "x", signal.SIGTERM)
    assert done.returncode == 143
    assert done.stderr == "optout: interrupted by SIGTERM: the results above are what was done before it\n"
    got = {r["setting"]: (r["state"], r["action"], r["detail"]) for r in json.loads(done.stdout)}
    assert got == {
        "grok-training": ("error", "failed", CLICKED),
        "grok-personalization": ("error", "none", UNTOUCHED),
        "grok-memory": ("error", "none", UNTOUCHED),
    }
    assert replica.writes("x") == 1  # nothing more was clicked after the signal
    with History(home) as history:
        assert {r["setting"]: r["detail"] for r in history.rows()} == {k: v[2] for k, v in got.items()}


def test_ctrl_c_while_waiting_for_the_home_lock_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Cron mail and scripts see why the command ended."""
    home = tmp_path / "home"
    first = holder(home)
    try:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "optout", "--home", str(home), "status", "--lock-wait", "120"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lock = str(home / ".lock")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and waiting.poll() is None:  # until it has opened the lock file
            fds = Path(f"/proc/{waiting.pid}/fd")
            if any(os.path.realpath(fd) == lock for fd in fds.iterdir()):
                break
            time.sleep(0.05)
        waiting.send_signal(signal.SIGINT)
        stdout, stderr = waiting.communicate(timeout=60)
    finally:
        release(first)
    assert (waiting.returncode, stdout, stderr) == (130, "", "optout: interrupted\n")
