"""Platform-specific engine behaviour, end to end: real Chromium, through the CLI, against the
LinkedIn and X replicas, and one kit page (what every platform must do is in test_matrix.py).

Every test checks what the replica server kept (its ground truth), not only what optout printed.
"""

from __future__ import annotations

import json
from pathlib import Path

from optout.home.sessions import SessionStore
from optout.replica import TEST_USER

TRAINING = {"linkedin": "ai-training", "x": "grok-training"}  # the settings the tests below switch


def results(run) -> list[dict]:
    return json.loads(run.stdout)


def by_setting(run) -> dict[str, dict]:
    return {r["setting"]: r for r in results(run)}


def test_disable_x_changes_training_and_the_included_categories(log_in, cli, home, replica) -> None:
    log_in("x")
    assert cli("disable", "x").exit_code == 0
    assert replica.state("x") == {"grok-training": False, "grok-personalization": True, "grok-memory": True}
    run = cli("disable", "x", "--include", "ai-use", "--json")
    assert run.exit_code == 0, run
    assert replica.state("x") == {"grok-training": False, "grok-personalization": False, "grok-memory": False}
    assert {r["setting"]: r["category"] for r in results(run)} == {
        "grok-training": "training",
        "grok-personalization": "ai-use",
        "grok-memory": "ai-use",
    }
    changed = [r for r in results(run) if r["action"] == "changed"]
    assert [r["setting"] for r in changed] == ["grok-personalization", "grok-memory"]
    for r in changed:  # each change has its receipt: a screenshot of the page that verified it
        receipt = Path(r["evidence"])
        assert receipt.parent == home / "receipts" / "x" and receipt.read_bytes().startswith(b"\x89PNG")


def test_disable_one_setting_leaves_the_others(log_in, cli, home, replica) -> None:
    log_in("x")
    assert cli("disable", "x", "grok-memory").exit_code == 0
    assert replica.state("x") == {"grok-training": True, "grok-personalization": True, "grok-memory": False}


def test_dry_run_writes_nothing(log_in, cli, home, replica) -> None:
    platform = "linkedin"
    log_in(platform)
    run = cli("disable", platform, TRAINING[platform], "--dry-run", "--json")
    assert run.exit_code == 1
    got = by_setting(run)[TRAINING[platform]]
    assert (got["state"], got["action"]) == ("opted_in", "would_change")
    assert replica.writes(platform) == 0 and replica.state(platform)[TRAINING[platform]] is True


def test_checkpoint_page_is_needs_login(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    replica.options.checkpoint = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 3
    assert results(run)[0]["state"] == "needs_login" and replica.writes("linkedin") == 0


def test_slow_save_is_waited_for(log_in, cli, home, replica) -> None:
    """X flips its checkbox at once (optimistic): the reload must still come after the server answered."""
    platform = "x"
    log_in(platform)
    replica.options.save_delay = 2.0
    run = cli("disable", platform, TRAINING[platform], "--json")
    assert run.exit_code == 0, run
    assert replica.state(platform)[TRAINING[platform]] is False


def test_a_save_the_page_undoes_while_it_settles_is_not_called_kept(log_in, cli, home, replica) -> None:
    """The page sends its stale copy over the change a moment after the save was answered (a
    background sync), and the server takes a second to apply it: a fresh page read in between
    would show the change. What the server kept after the page's last write decides."""
    platform, setting = "claude", "help-improve"
    log_in(platform)
    replica.options.save_delay = 1.0
    replica.options.undo_save = 0.1
    run = cli("disable", platform, setting, "--json")
    got = by_setting(run)[setting]
    assert (got["state"], got["action"]) == ("opted_in", "failed"), run
    assert "did not keep the change" in got["detail"]
    assert replica.state(platform)[setting] is True and replica.writes(platform) == 2


def test_old_x_wording_is_still_recognised(log_in, cli, home, replica) -> None:
    log_in("x")
    replica.options.label_variant = "old"
    run = cli("status", "x", "--json")
    assert by_setting(run)["grok-training"]["state"] == "opted_in"


def test_disabled_control_is_not_forced(log_in, cli, home, replica) -> None:
    log_in("x")
    replica.options.minor = True
    run = cli("disable", "x", "grok-training", "--json")
    assert run.exit_code == 1
    assert "disabled" in by_setting(run)["grok-training"]["detail"]
    assert replica.writes("x") == 0


def test_status_without_platforms_checks_only_what_is_set_up(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    run = cli("status")
    assert run.exit_code == 1
    assert "linkedin" in run.stdout and "opted_in" in run.stdout
    assert "not set up: x (run: optout login x)" in run.stdout


def test_rotated_cookies_are_saved_back(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    replica.options.rotate_cookies = True
    assert cli("status", "linkedin").exit_code == 1
    assert cli("status", "linkedin").exit_code == 1  # would be needs_login had the rotation been lost
    stored = {c["value"] for c in SessionStore(home).load("linkedin")["cookies"] if c["name"] == "li_at"}
    assert stored <= set(replica.session_values("linkedin", TEST_USER))


def test_disable_all_changes_every_set_up_platform(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    log_in("x")
    run = cli("disable", "--all", "--include", "ai-use,sharing", "--json")
    assert run.exit_code == 0, run
    assert replica.state("linkedin")["ai-training"] is False
    assert not any(replica.state("x").values())


def test_plain_output_without_a_tty_has_no_colour_codes(log_in, cli, home, replica) -> None:
    log_in("linkedin")
    run = cli("status", "linkedin")
    assert "\x1b[" not in run.stdout
    assert run.stdout.splitlines()[0].split() == [
        "platform",
        "setting",
        "category",
        "state",
        "detail",
        "/",
        "next",
        "step",
    ]
