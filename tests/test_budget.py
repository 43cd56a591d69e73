"""The arithmetic of how long a run may take (optout.engine.budget): pure, no browser, no clock.

The bound is a property of the code, stated in the README; bench/ticking.py measures real runs
against it. Nothing here times anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from optout.engine.budget import MIN_BOUND, Deadline, page_bound, per_setting


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_waits_that_share_a_deadline_share_one_timeout() -> None:
    clock = Clock()
    deadline = Deadline.after(5.0, clock)
    assert deadline.left() == 5.0
    clock.now += 3.5  # the first wait took most of it
    assert deadline.left() == 1.5
    clock.now += 10.0  # and the page never settled
    assert deadline.left() == 0.0  # never negative: a wait given it returns at once


def test_a_page_is_bounded_by_a_small_multiple_of_the_timeout() -> None:
    assert per_setting(change=False) == 2 and per_setting(change=True) == 6
    assert page_bound(20, 1, change=False) == 60  # status of one setting: 3 x --timeout
    assert page_bound(20, 1, change=True) == 140  # disable of one setting: 7 x --timeout
    assert page_bound(20, 3, change=False) == 20 * (1 + 2 * 3)  # settings sharing a page
    assert page_bound(20, 1, steps=2, change=False) == 20 * (3 + 2)  # each navigation step: one more


def test_a_tiny_timeout_still_leaves_time_for_the_clicks() -> None:
    assert page_bound(1, 1, change=False) == MIN_BOUND
    assert page_bound(1, 1, change=True) == MIN_BOUND


def test_the_readme_states_the_bound_the_code_enforces() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    status = per_setting(change=False)
    change = per_setting(change=True)
    assert re.search(rf"\(1 \+ steps \+ {status} × settings\) × `--timeout`", readme)
    assert re.search(rf"\(1 \+ steps \+ {change} × settings\) × `--timeout`", readme)
    assert f"at least {MIN_BOUND:g} s" in readme
