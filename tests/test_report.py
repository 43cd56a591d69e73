"""`optout report`: one private archive for a bug report, with every secret scrubbed."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from optout.home.sessions import SessionStore
from optout.replica import TEST_NAME, TEST_USER


def test_the_report_holds_what_a_fix_needs_and_no_secret(log_in, cli, home: Path, replica) -> None:
    log_in("linkedin")
    cli("config", "set", "name", TEST_NAME)
    cli("config", "set", "region", "DE")
    replica.options.echo_secrets = True
    replica.options.missing_control = True
    assert cli("status", "linkedin").exit_code == 3  # not_found: screenshot and HTML kept as evidence
    state = SessionStore(home).load("linkedin", domains=["127.0.0.1"])
    assert state is not None
    secrets = {c["name"]: c["value"] for c in state["cookies"]}
    session, csrf = secrets["li_at"], secrets["JSESSIONID"]

    run = cli("report", "linkedin", "ai-training")
    assert run.exit_code == 0, run
    path = Path(run.stdout.splitlines()[0])
    assert path.parent == home / "reports" and path.name.endswith(".tar.gz")
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    with tarfile.open(path) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    assert {"result.json", "screenshot.png", "page.html", "aria-snapshot.yaml", "recipe.yaml"} <= set(files)
    assert "page.html" in run.stdout and "aria-snapshot.yaml" in run.stdout
    env = json.loads(files["environment.json"])
    assert env["region"] == "DE" and env["optout"] and env["playwright"] and env["browser"] != "not started"
    assert env["ui_language"]
    assert json.loads(files["result.json"])["state"] == "not_found"
    assert "Data for Generative AI Improvement" in files["aria-snapshot.yaml"].decode()
    html = files["page.html"].decode()
    assert 'name="csrf-token"' in html  # the page did embed them; the report removed them
    for name, data in files.items():
        if name.endswith(".png"):
            continue
        text = data.decode()
        for secret in (session, csrf, TEST_USER, TEST_NAME):
            assert secret not in text, (name, secret)


def test_without_a_session_the_report_says_what_is_left_out(cli, replica) -> None:
    run = cli("report", "linkedin")
    assert run.exit_code == 0, run
    assert "no fresh ARIA snapshot: no stored session" in run.stdout
    assert "no result in the history yet" in run.stdout


def test_a_per_resource_setting_is_reported_with_its_result_and_page(log_in, cli, replica) -> None:
    """The history keys a resource's result as `setting[resource]`; the report looked it up as
    `setting@resource`, so it said there was no result yet, and opened the URL with `{site}`
    unfilled for its ARIA snapshot (issue 21)."""
    log_in("wordpress")
    assert cli("config", "set", "wordpress.site", "recipes.example.org").exit_code == 0
    assert cli("status", "wordpress").exit_code == 1  # opted in: a result is stored
    run = cli("report", "wordpress", "third-party-sharing")
    assert run.exit_code == 0, run
    assert "no result in the history yet" not in run.stdout
    with tarfile.open(Path(run.stdout.splitlines()[0])) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    assert json.loads(files["result.json"])["setting"] == "third-party-sharing[recipes.example.org]"
    assert "Prevent third-party sharing for recipes.example.org" in files["aria-snapshot.yaml"].decode()
