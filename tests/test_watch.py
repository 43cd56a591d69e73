"""Unattended use end to end against the replica: history across runs, drift when the site flips a
setting back on or moves a control, notifications only when needed, --quiet, and the home lock."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from optout.replica import TEST_USER
from tests.conftest import Endpoint


def only(run) -> dict:
    (result,) = json.loads(run.stdout)
    return result


def test_drift_when_the_site_switches_it_back_on(log_in, cli, home, replica) -> None:
    log_in()
    assert cli("disable", "linkedin").exit_code == 0
    first = only(cli("status", "linkedin", "--json"))
    assert (first["state"], first["changed"], first["previous"]) == ("opted_out", False, None)

    replica.set_state("linkedin", TEST_USER, "ai-training", True)  # a "policy update" flips it back
    run = cli("status", "linkedin", "--json")
    assert run.exit_code == 1
    drifted = only(run)
    assert (drifted["state"], drifted["changed"], drifted["previous"]) == ("opted_in", True, "opted_out")

    table = cli("status", "linkedin").stdout  # still opted in, but no longer a change since last time
    assert "opted_in" in table and "changed" not in table

    rows = json.loads(cli("history", "linkedin", "--json").stdout)  # the history kept every run
    assert [(r["command"], r["state"], r["action"]) for r in rows] == [
        ("disable", "opted_out", "changed"),
        ("status", "opted_out", "none"),
        ("status", "opted_in", "none"),
        ("status", "opted_in", "none"),
    ]


def test_drift_when_the_control_disappears(log_in, cli, home, replica) -> None:
    log_in()
    assert cli("status", "linkedin").exit_code == 1
    replica.options.missing_control = True
    run = cli("status", "linkedin")
    assert run.exit_code == 3
    assert "not_found (was opted_in, changed)" in run.stdout


def test_notification_and_output_only_when_something_needs_the_user(
    log_in, cli, home, replica, endpoint: Endpoint
) -> None:
    log_in()
    assert cli("config", "set", "notify", endpoint.url("cron")).exit_code == 0
    loud = cli("status", "linkedin", "--quiet")  # --quiet still shows what needs the user
    assert loud.exit_code == 1 and "opted_in" in loud.stdout
    assert len(endpoint.posts) == 1
    assert "optout disable linkedin ai-training" in str(endpoint.posts[0]["message"])

    assert cli("disable", "linkedin").exit_code == 0
    quiet = cli("status", "linkedin", "--quiet")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")  # all is well: nothing printed
    assert len(endpoint.posts) == 1  # nor sent

    replica.revoke("linkedin")
    assert cli("status", "linkedin").exit_code == 3
    assert "optout login linkedin" in str(endpoint.posts[-1]["message"])


HOLD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from optout.home.lock import home_lock
    with home_lock(Path(sys.argv[1]), wait=0):
        print("locked", flush=True)
        sys.stdin.read()
""")


def test_a_second_run_on_the_same_home_waits_then_gives_up(log_in, home: Path, replica) -> None:
    log_in()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        env = {"OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env(), "PATH": "/usr/bin:/bin"}
        run = subprocess.run(
            [sys.executable, "-m", "optout", "status", "linkedin", "--lock-wait", "1"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert run.returncode == 3
        assert f"another optout run (pid {holder.pid})" in run.stderr and "Traceback" not in run.stderr
        assert replica.writes("linkedin") == 0
    finally:
        holder.communicate("", timeout=10)
