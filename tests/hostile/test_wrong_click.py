"""Clicks that land on another setting (issue 19, item 2): a transparent element of another
control's laid inside the AI switch's label or over the switch takes no click of optout's, and a
change that also switches another setting is an error that names it, never "verified".

The replica's server state is the judge: the other setting ("Let recruiters see my private
profile", off) must stay off wherever optout could have avoided touching it.
"""

from __future__ import annotations

import json

import pytest

from optout.replica.options import UNRELATED_LABEL


def only_result(run) -> dict:
    [result] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize("where", ["label", "switch"])
def test_another_controls_overlay_takes_no_click(log_in, cli, replica, where: str) -> None:
    log_in("linkedin")
    replica.options.click_thief = where
    run = cli("disable", "linkedin", "--json")
    r = only_result(run)
    assert run.exit_code != 0
    assert replica.unrelated_setting("linkedin") is False  # the other setting was not switched on
    assert not replica.is_opted_out("linkedin", "ai-training")
    assert replica.writes("linkedin") == 0  # nothing was clicked at all
    assert (r["state"], r["action"]) == ("error", "failed"), r
    assert "covered by another control" in r["detail"] and UNRELATED_LABEL in r["detail"], r["detail"]
    assert "verified" not in r["detail"]


def test_a_change_that_also_switches_another_setting_is_an_error_naming_it(log_in, cli, replica) -> None:
    log_in("linkedin")
    replica.options.collateral_save = True  # the server switches the other setting on with the AI one
    run = cli("disable", "linkedin", "--json")
    r = only_result(run)
    assert run.exit_code != 0
    assert (r["state"], r["action"]) == ("error", "failed"), r
    assert f"also switched '{UNRELATED_LABEL}' on" in r["detail"] and "check it" in r["detail"], r["detail"]
    assert "changed and verified" not in r["detail"]
    assert r["evidence"] is None or "/receipts/" not in r["evidence"]  # no receipt for it


def test_sub_switches_that_vanish_with_the_setting_were_not_switched(log_in, cli, replica) -> None:
    """ChatGPT's voice rows show only while "Improve the model for everyone" is on: switching it
    off makes them disappear, which is no other setting switched."""
    log_in("chatgpt")
    replica.options.sub_switches = True
    run = cli("disable", "chatgpt", "improve-model", "--json")
    r = only_result(run)
    assert (run.exit_code, r["state"], r["action"]) == (0, "opted_out", "changed"), r
    assert "also switched" not in r["detail"]
