"""`optout explore`: every control of a settings page and a recipe snippet, nothing clicked."""

from __future__ import annotations

import json

import yaml

from optout.recipes.schema import Setting
from optout.replica import TEST_NAME


def test_explore_lists_the_controls_and_picks_a_ready_snippet(log_in, cli, replica) -> None:
    log_in("x")
    run = cli("explore", "x", "--json")
    assert run.exit_code == 0, run
    listed = json.loads(run.stdout)
    boxes = [c for c in listed["controls"] if c["role"] == "checkbox"]
    assert len(boxes) == 3 and all(c["state"] == "on" for c in boxes)
    training = next(n for n, c in enumerate(listed["controls"], 1) if "fine-tuning" in c["name"])
    assert listed["controls"][training - 1]["attributes"] == {"name": "allowXaiDataSharingCustomization"}

    picked = cli("explore", "x", "--pick", str(training))
    assert picked.exit_code == 0, picked
    assert "allowXaiDataSharingCustomization" in picked.stdout  # the table
    snippet = yaml.safe_load(picked.stdout.split("# recipe snippet for control")[1].split("\n", 1)[1])
    setting = Setting.model_validate(snippet[0])  # a snippet the schema accepts as it is
    assert setting.control is not None and setting.control.attributes == {"name": "allowXaiDataSharingCustomization"}
    assert replica.writes("x") == 0


def test_explore_never_prints_the_users_email_or_name(log_in, cli, replica) -> None:
    log_in("linkedin")
    cli("config", "set", "name", TEST_NAME)
    replica.options.echo_secrets = True
    run = cli("explore", "linkedin")
    assert run.exit_code == 0, run
    assert "Use my data for training content creation AI models" in run.stdout
    assert "member@example.com" not in run.stdout and TEST_NAME not in run.stdout
    assert "[e-mail removed]" in run.stdout and "[personal data removed]" in run.stdout


def test_explore_without_a_session_says_how_to_log_in(cli, replica) -> None:
    run = cli("explore", "linkedin")
    assert run.exit_code == 3 and "optout login linkedin" in run.stderr
