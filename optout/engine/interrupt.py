"""Stopping a run on SIGINT (Ctrl-C) or SIGTERM (`kill`, a cron or systemd timeout) without
losing what it did.

Left to asyncio, Ctrl-C ends in a KeyboardInterrupt traceback and SIGTERM kills the process on
the spot; either way a setting already clicked goes unrecorded. Instead the first signal cancels
the run's jobs (each closes its pages), the runner closes the browser and raises `Interrupted`
with what was done so far, for the CLI to print, record and exit 128 + the signal's number with.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from optout.exit_codes import ExitCode
from optout.results import Result

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(Exception):
    """The run was stopped by a signal. `results` has one result per setting of the run: the
    finished ones as they were, the others marked as interrupted."""

    def __init__(self, signum: int, results: list[Result]) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.results = results

    @property
    def exit_code(self) -> ExitCode:
        """128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as shells report it."""
        return ExitCode(128 + self.signum)


class SignalStop:
    """Which signal stopped the run, if any (`signum`)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    @contextmanager
    def cancelling(self, tasks: Sequence[asyncio.Future[Any]]) -> Iterator[None]:
        """While the block runs, the first SIGINT or SIGTERM cancels `tasks`. A second one ends
        the process at once: the person pressing Ctrl-C twice (or a supervisor insisting) wants
        out even if closing the browser hangs. The previous handlers come back afterwards.
        Outside the main thread, where no signal handler can be set, this does nothing."""
        loop = asyncio.get_running_loop()

        def stop(signum: int) -> None:
            if self.signum is not None:
                sys.stderr.write(f"optout: {signal.Signals(signum).name} again: stopping without cleaning up\n")
                os._exit(ExitCode(128 + signum))
            self.signum = signum
            for task in tasks:
                task.cancel()

        installed = []
        for sig in SIGNALS:
            previous = signal.getsignal(sig)
            try:
                loop.add_signal_handler(sig, stop, sig)
            except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or no signals
                continue
            installed.append((sig, previous))
        try:
            yield
        finally:
            for sig, previous in installed:
                loop.remove_signal_handler(sig)
                if previous is not None:
                    signal.signal(sig, previous)
