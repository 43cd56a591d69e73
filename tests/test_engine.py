"""The engine end to end: real Chromium, through the CLI, against the LinkedIn and X replicas.

Every test checks what the replica server kept (its ground truth), not only what optout printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.replica import TEST_USER
from optout.sessions import SessionStore

pytestmark = pytest.mark.browser

TRAINING = {"linkedin": "ai-training", "x": "grok-training"}


def log_in(home: Path, replica, platform: str, email: str = TEST_USER, account: str = "default") -> None:
    """Store a valid replica session, as `optout login` would."""
    SessionStore(home).save(platform, ["127.0.0.1"], replica.storage_state(platform, email), account)


def results(run) -> list[dict]:
    return json.loads(run.stdout)


def by_setting(run) -> dict[str, dict]:
    return {r["setting"]: r for r in results(run)}


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_fresh_account_is_opted_in(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    run = cli("status", platform, "--json")
    assert run.exit_code == 1, run
    found = by_setting(run)[TRAINING[platform]]
    assert found["state"] == "opted_in"
    assert set(found) >= {"platform", "setting", "title", "state", "detail", "url", "checked_at", "evidence"}
    assert replica.writes(platform) == 0


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_disable_then_again_then_enable(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    key = TRAINING[platform]

    run = cli("disable", platform, key, "--json")
    assert run.exit_code == 0, run
    got = by_setting(run)[key]
    assert (got["state"], got["action"]) == ("opted_out", "changed")
    assert replica.state(platform)[key] is False
    assert got["evidence"] and Path(got["evidence"]).is_file()  # the receipt screenshot
    writes = replica.writes(platform)
    assert writes >= 1

    again = cli("disable", platform, key, "--json")
    assert again.exit_code == 0
    assert by_setting(again)[key]["action"] == "none"
    assert replica.writes(platform) == writes  # nothing was sent the second time

    back = cli("enable", platform, key, "--json")
    assert back.exit_code == 0, back
    assert by_setting(back)[key]["state"] == "opted_in"
    assert replica.state(platform)[key] is True


def test_disable_x_changes_every_default_setting(cli, home, replica) -> None:
    log_in(home, replica, "x")
    run = cli("disable", "x", "--json")
    assert run.exit_code == 0, run
    assert replica.state("x") == {"grok-training": False, "grok-personalization": False, "grok-memory": False}


def test_disable_one_setting_leaves_the_others(cli, home, replica) -> None:
    log_in(home, replica, "x")
    assert cli("disable", "x", "grok-memory").exit_code == 0
    assert replica.state("x") == {"grok-training": True, "grok-personalization": True, "grok-memory": False}


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_dry_run_writes_nothing(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    run = cli("disable", platform, TRAINING[platform], "--dry-run", "--json")
    assert run.exit_code == 1
    got = by_setting(run)[TRAINING[platform]]
    assert (got["state"], got["action"]) == ("opted_in", "would_change")
    assert replica.writes(platform) == 0 and replica.state(platform)[TRAINING[platform]] is True


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_logged_out_is_needs_login_with_the_fix(cli, home, replica, platform) -> None:
    run = cli("status", platform, "--json")  # no stored session at all
    assert run.exit_code == 3
    assert {r["state"] for r in results(run)} == {"needs_login"}
    assert f"optout login {platform}" in results(run)[0]["detail"]

    log_in(home, replica, platform)
    replica.revoke(platform)  # the site ended the session
    run = cli("status", platform, "--json")
    assert run.exit_code == 3
    assert {r["state"] for r in results(run)} == {"needs_login"}
    assert f"optout login {platform}" in results(run)[0]["detail"]


def test_checkpoint_page_is_needs_login(cli, home, replica) -> None:
    log_in(home, replica, "linkedin")
    replica.options.checkpoint = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 3
    assert results(run)[0]["state"] == "needs_login" and replica.writes("linkedin") == 0


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_changed_label_is_not_found_and_touches_nothing(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    replica.options.label_variant = "changed"
    run = cli("disable", platform, TRAINING[platform], "--json")
    assert run.exit_code == 3
    got = by_setting(run)[TRAINING[platform]]
    assert got["state"] == "not_found" and "nothing was clicked" in got["detail"]
    assert replica.writes(platform) == 0
    evidence = Path(got["evidence"])
    assert evidence.is_file() and evidence.with_suffix(".html").is_file()


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_two_matching_controls_are_ambiguous(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    replica.options.duplicate_control = True
    run = cli("disable", platform, TRAINING[platform], "--json")
    assert run.exit_code == 3
    got = by_setting(run)[TRAINING[platform]]
    assert got["state"] == "not_found" and "ambiguous" in got["detail"]
    assert replica.writes(platform) == 0


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_server_that_does_not_keep_the_change(cli, home, replica, platform) -> None:
    log_in(home, replica, platform)
    replica.options.keep_changes = False
    run = cli("disable", platform, TRAINING[platform], "--json")
    assert run.exit_code == 1
    got = by_setting(run)[TRAINING[platform]]
    assert got["action"] == "failed" and got["state"] == "opted_in"
    assert "did not keep the change" in got["detail"]


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_slow_save_is_waited_for(cli, home, replica, platform) -> None:
    """LinkedIn shows the new state only after the save answers; X flips at once (optimistic):
    either way the reload must come after the server answered."""
    log_in(home, replica, platform)
    replica.options.save_delay = 2.0
    run = cli("disable", platform, TRAINING[platform], "--json")
    assert run.exit_code == 0, run
    assert replica.state(platform)[TRAINING[platform]] is False


def test_old_x_wording_is_still_recognised(cli, home, replica) -> None:
    log_in(home, replica, "x")
    replica.options.label_variant = "old"
    run = cli("status", "x", "--json")
    assert by_setting(run)["grok-training"]["state"] == "opted_in"


def test_disabled_control_is_not_forced(cli, home, replica) -> None:
    log_in(home, replica, "x")
    replica.options.minor = True
    run = cli("disable", "x", "grok-training", "--json")
    assert run.exit_code == 1
    assert "disabled" in by_setting(run)["grok-training"]["detail"]
    assert replica.writes("x") == 0


def test_status_without_platforms_checks_only_what_is_set_up(cli, home, replica) -> None:
    log_in(home, replica, "linkedin")
    run = cli("status")
    assert run.exit_code == 1
    assert "linkedin" in run.stdout and "opted_in" in run.stdout
    assert "not set up: x (run: optout login x)" in run.stdout


def test_rotated_cookies_are_saved_back(cli, home, replica) -> None:
    log_in(home, replica, "linkedin")
    replica.options.rotate_cookies = True
    assert cli("status", "linkedin").exit_code == 1
    assert cli("status", "linkedin").exit_code == 1  # would be needs_login had the rotation been lost
    stored = {c["value"] for c in SessionStore(home).load("linkedin")["cookies"] if c["name"] == "li_at"}
    assert stored <= set(replica.session_values("linkedin", TEST_USER))


def test_disable_all_changes_every_set_up_platform(cli, home, replica) -> None:
    log_in(home, replica, "linkedin")
    log_in(home, replica, "x")
    run = cli("disable", "--all", "--json")
    assert run.exit_code == 0, run
    assert replica.state("linkedin")["ai-training"] is False
    assert not any(replica.state("x").values())


def test_plain_output_without_a_tty_has_no_colour_codes(cli, home, replica) -> None:
    log_in(home, replica, "linkedin")
    run = cli("status", "linkedin")
    assert "\x1b[" not in run.stdout
    assert run.stdout.splitlines()[0].split() == ["platform", "setting", "state", "detail", "/", "next", "step"]
