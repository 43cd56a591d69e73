"""How long a run may take: one `--timeout` per phase of a setting, and a bound for a whole page.

Each wait of the engine (a page to load, a control to draw, a save to be answered) is bounded by
--timeout; waits that belong to one phase share one Deadline, so a page that never settles (a
clock redrawn every 100 ms) costs one --timeout per phase, not one per wait. `page_bound` is the
most a settings page may take in all, which the runner enforces whatever a page does: the README
states it, and the tests check the arithmetic here rather than timing a run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Shares of --timeout, per settings page and per setting on it (README, "How long a run takes").
OPEN_SHARE = 1  # loading the page, and each of its navigation steps
READ_SHARE = 1  # finding the setting's control and reading it
EVIDENCE_SHARE = 1  # the screenshot and HTML kept of a failure (at most EVIDENCE_SECONDS)
# A change: the clicks and the save being answered, the verifying fresh page loaded, its control
# found and read, and the same once more when the page wrote again while it settled.
CHANGE_SHARE = 4
# The floor under the whole bound, so that a tiny --timeout still leaves a loaded machine the time
# for the clicks themselves.
MIN_BOUND = 10.0


@dataclass(frozen=True)
class Deadline:
    """A moment several waits share: each is given what is `left`, never a --timeout of its own."""

    at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    @classmethod
    def after(cls, seconds: float, clock: Callable[[], float] = time.monotonic) -> Deadline:
        return cls(clock() + seconds, clock)

    def left(self) -> float:
        """Seconds until the deadline, never below zero."""
        return max(0.0, self.at - self.clock())


def per_setting(*, change: bool) -> int:
    """How many --timeouts one setting may take: found and read, a failure's evidence, and for
    disable/enable the change and its verification."""
    return READ_SHARE + EVIDENCE_SHARE + (CHANGE_SHARE if change else 0)


def page_bound(timeout: float, settings: int, *, steps: int = 0, change: bool) -> float:
    """The most seconds one settings page may take, --timeout being `timeout`: the page with its
    `steps` navigation steps, and its `settings` settings (status: change=False; disable and
    enable: True)."""
    opening = OPEN_SHARE * (1 + steps)
    return max(MIN_BOUND, timeout * (opening + per_setting(change=change) * settings))
