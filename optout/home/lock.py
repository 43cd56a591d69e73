"""One optout run per home directory at a time.

A cron job can fire while the user runs `optout disable` by hand; two browsers writing the same
session and history would race. The second run waits for the first (up to a limit) and then
gives up with a message that says who holds the home. flock is released by the kernel when the
holder dies, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from optout.errors import OptoutError
from optout.exit_codes import ExitCode
from optout.home.paths import RUN_LOCK
from optout.home.storage import open_private, private_dir

DEFAULT_WAIT_S = 600.0
POLL_S = 0.1

# Homes this process already holds, with a depth count: flock locks belong to an open file, so a
# nested home_lock() in the same process would otherwise wait for itself.
_held: dict[Path, int] = {}
_held_guard = threading.Lock()


@contextmanager
def home_lock(home: Path, wait: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold HOME/.lock for the duration of the block, waiting up to `wait` seconds for another
    run to finish; raise OptoutError (exit code 3) if it does not. Re-entrant in one process."""
    key = home.absolute()
    with _held_guard:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return

    path = private_dir(key) / RUN_LOCK
    # Not O_TRUNC: the file holds the current holder's pid until we own the lock. Never through a
    # link: a planted `.lock` link would have us truncate its target.
    fd = open_private(path, os.O_RDWR | os.O_CREAT, tighten=True)
    try:
        _acquire(fd, key, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        with _held_guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, home: Path, wait: float) -> None:
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise busy(home, _holder(fd), wait) from None
            time.sleep(POLL_S)


def _holder(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip())
    except (OSError, ValueError):
        return None


def busy(home: Path, pid: int | None, wait: float) -> OptoutError:
    who = f"another optout run (pid {pid})" if pid else "another optout run"
    return OptoutError(
        f"{who} is using {home}; waited {wait:g}s — try again later or raise --lock-wait",
        exit_code=ExitCode.UNDETERMINED,
    )


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created mode 600) for a read-modify-write that takes
    milliseconds, such as `config set`: two at once must both land. Kept apart from the home
    lock, which a run holds for minutes, and waiting without a limit, as the holder is quick."""
    fd = open_private(path, os.O_RDWR | os.O_CREAT)  # a read-only home: one line, not a traceback
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the flock
