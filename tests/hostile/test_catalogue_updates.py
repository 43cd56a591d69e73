"""Signed catalogue updates (issue 24) against a real TUF repository served on loopback.

The repository is built in each test by the maintainers' script (optout.recipes.publish, python-tuf's
metadata API) and served by an http.server thread that records every path asked for. Every
attack must be refused in one line with the previous catalogue kept in use."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from optout.recipes import publish
from optout.recipes.files import bundled_path
from tests.conftest import closed_port

BUNDLED = bundled_path().read_text()


def catalogue(n: int) -> bytes:
    """The bundled catalogue with LinkedIn renamed: which one a command reads is visible."""
    return BUNDLED.replace("name: LinkedIn\n", f"name: LinkedIn v{n}\n", 1).encode()


class Repo:
    """A TUF repository folder, its keys, and a loopback server for it."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "repo"
        self.keys = root / "keys"
        publish.keygen(self.keys)
        self.signers = publish.load_signers(self.keys)
        self.requests: list[str] = []
        self.hang = threading.Event()
        self.release = threading.Event()

    def publish(self, n: int, **options: object) -> None:
        publish.release(self.dir, options.pop("data", None) or catalogue(n), self.signers, **options)  # type: ignore[arg-type]

    def handler(self, *args: object, **kwargs: object) -> SimpleHTTPRequestHandler:
        repo = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                repo.requests.append(self.path)
                if repo.hang.is_set():
                    repo.release.wait(30)
                    return
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        return Handler(*args, directory=str(self.dir), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    made = Repo(tmp_path)
    made.publish(1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Repo.handler, made))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("OPTOUT_UPDATE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("OPTOUT_UPDATE_ROOT", str(made.dir / "metadata" / "1.root.json"))
    try:
        yield made
    finally:
        made.release.set()
        server.shutdown()
        server.server_close()


def status(cli) -> dict:
    run = cli("recipes", "status", "--json")
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def linkedin_name(cli) -> str:
    run = cli("platforms", "--json")
    assert run.exit_code == 0, run.stderr
    return next(p["name"] for p in json.loads(run.stdout) if p["id"] == "linkedin")


def installed(cli, repo: Repo) -> None:
    run = cli("recipes", "update")
    assert run.exit_code == 0, run.stderr
    assert "installed catalogue version 1" in run.stdout


def refused(run, words: str) -> None:
    assert run.exit_code == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], run.stderr


def test_fresh_install_updates_and_every_command_reads_it(cli, repo: Repo, tmp_path: Path) -> None:
    assert status(cli)["source"] == "bundled"
    assert linkedin_name(cli) == "LinkedIn"
    installed(cli, repo)
    shown = status(cli)
    assert shown["source"] == "updated" and shown["version"] == 1
    assert shown["url"] == repo_url() and shown["published"] and shown["checked"]
    assert set(shown) >= {"source", "version", "published", "checked", "url"}
    assert linkedin_name(cli) == "LinkedIn v1"
    # the user's own file still merges over the updated catalogue
    mine = tmp_path / "mine.yaml"
    mine.write_text(BUNDLED.replace("name: LinkedIn\n", "name: My LinkedIn\n", 1))
    assert cli("--recipes", str(mine), "recipes", "status").exit_code == 0
    run = cli("--recipes", str(mine), "platforms", "--json")
    assert next(p["name"] for p in json.loads(run.stdout) if p["id"] == "linkedin") == "My LinkedIn"


def repo_url() -> str:
    return os.environ["OPTOUT_UPDATE_URL"]


def test_second_update_with_nothing_new_downloads_only_metadata(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.requests.clear()
    run = cli("recipes", "update")
    assert run.exit_code == 0 and "up to date" in run.stdout
    assert repo.requests and all(path.startswith("/metadata/") for path in repo.requests), repo.requests
    assert "/metadata/timestamp.json" in repo.requests


def test_a_newer_catalogue_replaces_the_installed_one(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.publish(2)
    run = cli("recipes", "update")
    assert run.exit_code == 0 and "installed catalogue version 2" in run.stdout
    assert status(cli)["version"] == 2 and linkedin_name(cli) == "LinkedIn v2"


def kept(cli, version: int = 1) -> None:
    shown = status(cli)
    assert shown["source"] == "updated" and shown["version"] == version
    assert linkedin_name(cli) == f"LinkedIn v{version}"


def test_a_tampered_catalogue_is_refused(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.publish(2)
    for target in (repo.dir / "targets").iterdir():
        if target.read_bytes() == catalogue(2):
            target.write_bytes(catalogue(2).replace(b"LinkedIn v2", b"LinkedIn XX"))
    refused(cli("recipes", "update"), "altered")
    kept(cli)


def test_an_expired_timestamp_is_refused(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.publish(2, expiry={"timestamp": timedelta(days=-1)})
    refused(cli("recipes", "update"), "expired")
    kept(cli)


def test_a_rolled_back_repository_is_refused(cli, repo: Repo, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(repo.dir, old)
    repo.publish(2)
    run = cli("recipes", "update")
    assert "version 2" in run.stdout
    shutil.rmtree(repo.dir)
    shutil.copytree(old, repo.dir)  # a mirror serving yesterday's signed metadata
    refused(cli("recipes", "update"), "rollback")
    kept(cli, 2)


def test_a_root_rotation_signed_by_the_old_root_is_accepted(cli, repo: Repo, tmp_path: Path) -> None:
    installed(cli, repo)
    old_root = repo.signers["root"]
    repo.keys = tmp_path / "new-keys"
    publish.keygen(repo.keys)
    repo.signers = publish.load_signers(repo.keys)
    repo.publish(2, old_root=old_root)
    assert (repo.dir / "metadata" / "2.root.json").is_file()
    run = cli("recipes", "update")
    assert run.exit_code == 0 and "installed catalogue version 2" in run.stdout, run.stderr
    kept(cli, 2)


def test_a_root_signed_only_by_new_keys_is_refused(cli, repo: Repo, tmp_path: Path) -> None:
    installed(cli, repo)
    keys = tmp_path / "thief"
    publish.keygen(keys)
    thief = publish.load_signers(keys)
    # the attacker's root 2, signed with their own key only (the script refuses to make one)
    with pytest.raises(SystemExit):
        publish.release(repo.dir, catalogue(2), thief)
    from tuf.api.metadata import Metadata

    root = Metadata.from_file(str(repo.dir / "metadata" / "1.root.json"))
    for role in publish.ROLES:
        for keyid in list(root.signed.roles[role].keyids):
            root.signed.revoke_key(keyid, role)
        root.signed.add_key(thief[role].public_key, role)
    root.signed.version = 2
    root.signatures.clear()
    root.sign(thief["root"])
    publish._write(root, repo.dir / "metadata" / "2.root.json")
    refused(cli("recipes", "update"), "signed")
    kept(cli)


def test_a_hanging_server_is_given_up_after_the_timeout(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.hang.set()
    start = time.monotonic()
    run = cli("recipes", "update", "--timeout", "0.3")
    assert time.monotonic() - start < 10
    assert run.exit_code == 3 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "could not reach" in run.stderr
    repo.hang.clear()
    kept(cli)


def test_a_server_that_is_down_keeps_the_current_catalogue(cli, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    installed(cli, repo)
    url = repo_url()
    # the trusted metadata is kept per repository: the same repository, now not answering
    from optout.recipes import update_client

    real = update_client._metadata_dir
    monkeypatch.setattr(update_client, "_metadata_dir", lambda home, _url: real(home, url))
    monkeypatch.setenv("OPTOUT_UPDATE_URL", f"http://127.0.0.1:{closed_port()}")
    run = cli("recipes", "update", "--timeout", "1")
    assert run.exit_code == 3 and "could not reach" in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert linkedin_name(cli) == "LinkedIn v1"


def test_a_catalogue_needing_a_newer_optout_is_ignored(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.publish(2, min_optout="99")
    run = cli("recipes", "update")
    assert run.exit_code == 0, run.stderr
    assert "needs optout 99 or newer: ignored" in run.stdout
    kept(cli)


def test_a_catalogue_failing_the_schema_is_never_installed(cli, repo: Repo) -> None:
    installed(cli, repo)
    bad = BUNDLED.replace("    domains: [linkedin.com]\n", "    domains: [linkedin.com]\n    selectr: x\n", 1)
    repo.publish(2, data=bad.encode(), validate=False)
    refused(cli("recipes", "update"), 'extra field "selectr"')
    kept(cli)


def test_a_release_is_one_command_and_never_of_an_invalid_catalogue(tmp_path: Path) -> None:
    bad = tmp_path / "platforms.yaml"
    bad.write_text("version: 1\nplatforms: {}\nextra: 1\n")
    publish.main(["keygen", str(tmp_path / "keys")])
    release = ["release", str(tmp_path / "repo"), "--keys", str(tmp_path / "keys"), "--catalogue"]
    with pytest.raises(SystemExit, match="not published"):
        publish.main([*release, str(bad)])
    assert not (tmp_path / "repo" / "metadata" / "timestamp.json").exists()
    publish.main([*release, str(bundled_path())])
    names = {p.name for p in (tmp_path / "repo" / "metadata").iterdir()}
    assert {"1.root.json", "timestamp.json", "1.snapshot.json", "1.targets.json"} <= names
    assert [p.name.split(".", 1)[1] for p in (tmp_path / "repo" / "targets").iterdir()] == ["platforms.yaml"]


def test_updates_turned_off_use_the_bundled_catalogue(cli, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    installed(cli, repo)
    monkeypatch.setenv("OPTOUT_NO_UPDATES", "1")
    assert status(cli)["source"] == "bundled" and linkedin_name(cli) == "LinkedIn"
    refused(cli("recipes", "update"), "OPTOUT_NO_UPDATES")
    monkeypatch.delenv("OPTOUT_NO_UPDATES")
    assert cli("config", "set", "updates", "off").exit_code == 0
    assert status(cli)["source"] == "bundled" and linkedin_name(cli) == "LinkedIn"
    assert cli("config", "set", "updates", "on").exit_code == 0
    kept(cli)


def test_an_installed_update_damaged_on_disk_is_set_aside(cli, repo: Repo, home: Path) -> None:
    installed(cli, repo)
    (home / "recipes" / "platforms.yaml").write_text("platforms: {}\n")
    assert status(cli)["source"] == "bundled"  # not the file the check recorded
    assert linkedin_name(cli) == "LinkedIn"


def test_a_scheduled_run_checks_at_most_once_a_day(cli, repo: Repo) -> None:
    run = cli("status", "--quiet")  # what `optout schedule` runs; nothing set up here
    assert run.exit_code == 0 and not run.stderr, run.stderr
    kept(cli)
    repo.publish(2)
    repo.requests.clear()
    assert cli("status", "--quiet").exit_code == 0
    assert repo.requests == []  # checked less than a day ago: the repository is not asked
    assert cli("status").exit_code == 0 and repo.requests == []  # nor by a run at the terminal
    kept(cli)


def scheduled_warning(run) -> str:
    assert run.exit_code == 0, run.stderr  # the run's own result: a failed check never changes it
    lines = [line for line in run.stderr.splitlines() if "recipe update" in line]
    assert len(lines) == 1 and lines[0].startswith("optout: warning: recipe update check"), run.stderr
    return lines[0]


def test_a_scheduled_run_gives_up_on_a_hanging_repository(cli, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from optout.recipes import update_client

    installed(cli, repo)
    monkeypatch.setattr(update_client, "SCHEDULED_LIMIT", 1.0)
    monkeypatch.setattr(update_client, "SCHEDULED_TIMEOUT", 5)
    repo.hang.set()
    start = time.monotonic()
    line = scheduled_warning(cli("status", "--quiet"))
    assert time.monotonic() - start < 5
    assert "gave up after 1 s" in line
    repo.hang.clear()
    kept(cli)


def test_a_scheduled_run_warns_once_when_the_repository_is_down(
    cli, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed(cli, repo)
    from optout.recipes import update_client

    real = update_client._metadata_dir
    url = repo_url()
    monkeypatch.setattr(update_client, "_metadata_dir", lambda home, _url: real(home, url))
    monkeypatch.setenv("OPTOUT_UPDATE_URL", f"http://127.0.0.1:{closed_port()}")
    assert "connection refused" in scheduled_warning(cli("status", "--quiet"))
    run = cli("status", "--quiet")  # tried today already: no second warning
    assert run.exit_code == 0 and "recipe update" not in run.stderr
    kept(cli)


def test_a_min_optout_that_is_no_version_is_refused(cli, repo: Repo) -> None:
    installed(cli, repo)
    repo.publish(2, min_optout="1.x; rm -rf")
    refused(cli("recipes", "update"), "is not a version")
    kept(cli)


def test_an_update_that_changes_a_recipe_is_noted_on_a_setting_not_found_last_time(cli, repo: Repo, home: Path) -> None:
    """A scheduled user whose LinkedIn check was `not_found` learns on the next check that the recipe
    changed since: the settings an update changed are recorded with the time it was installed."""
    from optout.home.history import History
    from optout.recipes.updates import recipe_changed
    from optout.results import Result, State
    from optout.unattended.drift import RECIPE_UPDATED, note_recipe_updates

    installed(cli, repo)  # version 1: LinkedIn's name differs from the bundled one, its settings do not
    assert recipe_changed(home) == {}
    with History(home) as history:
        history.record("status", [Result(platform="linkedin", setting="ai-training", title="t", state=State.NOT_FOUND)])
    fixed = BUNDLED.replace(
        "- Use my data for training content creation AI models\n",
        "- Use my data for training content creation AI models\n            - /content creation AI/\n",
        1,
    )
    assert fixed != BUNDLED
    repo.publish(2, data=fixed.encode())
    run = cli("recipes", "update")
    assert run.exit_code == 0 and "installed catalogue version 2" in run.stdout, run.stderr
    assert set(recipe_changed(home)) == {"linkedin/ai-training"}
    now = [
        Result(platform="linkedin", setting="ai-training", title="t", state=State.OPTED_IN, detail="read"),
        Result(platform="x", setting="grok-training", title="t", state=State.OPTED_IN),
    ]
    with History(home) as history:
        note_recipe_updates(history, now, recipe_changed(home))
    assert now[0].detail == f"read; {RECIPE_UPDATED}"
    assert now[1].detail == ""
