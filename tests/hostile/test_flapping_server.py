"""A server that keeps nothing and answers on and off in turn (a stale cache, or a load balancer
in front of copies that disagree): one fresh reading after the change may happen to show it
off. A change is verified only by two fresh readings that agree; when they disagree, the result
is an `error` that names both, no receipt is kept, and the exit code is not 0.
"""

from __future__ import annotations

import json

from optout.engine.locate import Reading
from optout.engine.verify import SESSION_ENDED, agreed


def test_readings_that_agree_are_the_answer_and_any_other_is_not() -> None:
    off, on = Reading(False), Reading(True)
    assert agreed([off, Reading(False)]) == off
    assert agreed([off, on]) == (
        'after reload the site showed "off" on one fresh page and "on" on another: '
        "it does not keep a steady answer; check it by hand"
    )
    shown = agreed([Reading(False, text="Disabled"), Reading(True, text="Enabled")])
    assert '"Disabled" on one fresh page and "Enabled" on another' in shown  # type: ignore[operator]
    unreadable = Reading(None, problem='aria-checked is "mixed"')
    assert agreed([off, unreadable]) == unreadable  # never a verified change on half the evidence
    assert agreed([on, SESSION_ENDED]) == SESSION_ENDED
    assert agreed([unreadable, "after reloading, the control could not be identified"]) == (
        "after reloading, the control could not be identified"
    )


def test_a_server_that_flaps_never_gets_a_verified_change(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    replica.options.keep_changes = False
    replica.options.alternate_reads = True  # the page read on, every other fresh read shows off
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 1, run
    (got,) = json.loads(run.stdout)
    assert (got["state"], got["action"]) == ("error", "failed"), got
    assert '"off"' in got["detail"] and '"on"' in got["detail"], got["detail"]
    assert "steady answer" in got["detail"] and "check it by hand" in got["detail"]
    assert not any((home / "receipts").rglob("*.png"))  # a verified change keeps a screenshot there
    assert replica.state("linkedin")["ai-training"] is True  # the server kept nothing


def test_a_change_kept_behind_an_alternating_cache_is_still_verified(log_in, cli, replica) -> None:
    """The server keeps the change and every other answer comes from a copy that says off: both
    fresh readings show off, so the second reading raises no false alarm."""
    log_in("linkedin")
    replica.options.alternate_reads = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 0, run
    (got,) = json.loads(run.stdout)
    assert (got["state"], got["action"]) == ("opted_out", "changed"), got
    assert replica.state("linkedin")["ai-training"] is False


def test_a_session_cookie_rotated_by_every_load_still_lets_both_readings_in(log_in, cli, replica) -> None:
    """The two fresh pages load at once with the same session cookie; a site that replaces it on
    every load (and kills the old value) lets only one in. That is not a disagreement: the other
    page reads again with the cookie the first was given."""
    log_in("linkedin")
    replica.options.rotate_cookies = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 0, run
    (got,) = json.loads(run.stdout)
    assert (got["state"], got["action"], got["detail"]) == ("opted_out", "changed", "changed and verified after reload")
    assert replica.state("linkedin")["ai-training"] is False
