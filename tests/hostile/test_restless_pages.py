"""Pages that never settle: a clock redrawn every 100 ms elsewhere on the page keeps the DOM busy
for ever (issue 19, item 5). The setting's own control is still and unambiguous, so it is read
when --timeout ends, and a change is made and verified as on any page; how long that takes is
bounded by the code (optout.engine.budget, unit-tested in tests/test_budget.py) and measured by
bench/ticking.py, never timed here. A switch whose own state keeps changing stays unreadable, and
nothing is clicked.
"""

from __future__ import annotations

import json

import pytest

SHORT = ("--timeout", "3")  # a page that never settles is waited on for the whole --timeout


@pytest.fixture
def ticking(replica):
    """Every page shows a clock redrawn every 100 ms and draws its settings a second after loading
    (a single-page app): the control appears while the page is busy, and the page never settles."""
    replica.options.ticking_clock, replica.options.render_delay = True, 1.0
    return replica


def _one(run) -> dict[str, object]:
    (got,) = json.loads(run.stdout)
    return got


def test_a_ticking_clock_does_not_hide_the_setting_from_status(log_in, cli, ticking) -> None:
    replica = ticking
    log_in("linkedin")
    run = cli("status", "linkedin", *SHORT, "--json")
    got = _one(run)
    assert (got["state"], run.exit_code) == ("opted_in", 1), run
    replica.opt_out_all("linkedin")
    got = _one(cli("status", "linkedin", *SHORT, "--json"))
    assert got["state"] == "opted_out", got
    assert replica.writes("linkedin") == 0


def test_a_setting_on_a_ticking_page_is_changed_and_verified(log_in, cli, ticking) -> None:
    replica = ticking
    log_in("linkedin")
    run = cli("disable", "linkedin", *SHORT, "--json")
    got = _one(run)
    assert (got["state"], got["action"], run.exit_code) == ("opted_out", "changed", 0), run
    assert "verified" in str(got["detail"])
    assert replica.is_opted_out("linkedin", "ai-training")


@pytest.mark.parametrize("clock", [False, True], ids=["quiet-page", "ticking-page"])
def test_a_switch_that_keeps_flipping_is_unreadable_and_never_clicked(log_in, cli, replica, clock: bool) -> None:
    log_in("linkedin")
    replica.options.flickering_switch, replica.options.ticking_clock = True, clock
    for command in ("status", "disable"):
        run = cli(command, "linkedin", *SHORT, "--json")
        got = _one(run)
        assert (got["state"], run.exit_code) == ("error", 3), run
        assert "kept changing" in str(got["detail"]) and "nothing was clicked" in str(got["detail"])
    assert replica.writes("linkedin") == 0
