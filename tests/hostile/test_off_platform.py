"""Pages that must not be read: a settings URL that moves to another site (by HTTP or by script),
and servers that answer with an error. Nothing there is read or clicked, and the result says why.

A lookalike site on a second loopback address (127.0.0.2) shows a switch with LinkedIn's exact
label and counts every request it gets: it must receive no save, ever.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import closed_port

LOOKALIKE = """<!doctype html><title>Data for Generative AI Improvement</title>
<h1>Data for Generative AI Improvement</h1>
<label>Use my data for training content creation AI models
<input type="checkbox" role="switch" aria-checked="true" checked
 onchange="fetch('/save', {method: 'POST', body: String(this.checked)})"></label>"""


class Lookalike:
    """The foreign site: serves the lookalike page and counts the saves it receives. It listens on
    `host` and its URL names it `name` (127.0.0.1 named localhost is another site too)."""

    def __init__(self, page: str = LOOKALIKE, host: str = "127.0.0.2", name: str = "") -> None:
        self.saves = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                outer.saves += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{name or host}:{self.server.server_address[1]}/settings"

    @contextmanager
    def serving(self) -> Iterator[Lookalike]:
        thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def lookalike() -> Iterator[Lookalike]:
    try:
        site = Lookalike()
    except OSError:
        pytest.skip("127.0.0.2 is not available on this machine")
    with site.serving():
        yield site


@pytest.mark.parametrize("by", ["http", "js"])
def test_a_settings_page_that_moves_to_another_site_is_neither_read_nor_clicked(
    log_in, cli, replica, lookalike: Lookalike, by: str
) -> None:
    log_in("linkedin")
    replica.options.offsite, replica.options.offsite_by = lookalike.url, by
    for command in ("status", "disable"):
        run = cli(command, "linkedin", "--json")
        assert run.exit_code == 3, run
        (got,) = json.loads(run.stdout)
        assert got["state"] == "error" and "moved to another site: 127.0.0.2" in got["detail"]
    assert lookalike.saves == 0 and replica.writes("linkedin") == 0


@pytest.mark.parametrize("by", ["http", "js"])
@pytest.mark.parametrize("where", ["unknown host", "closed port"])
def test_a_move_to_another_site_that_does_not_load_is_named_by_where_it_went(
    log_in, cli, replica, by: str, where: str
) -> None:
    """The other site never answers (a name that does not resolve, a port nobody listens on): the
    result names that site, not the platform's page, and the browser's error page is not read."""
    try:
        away = "unreachable.invalid" if where == "unknown host" else f"127.0.0.2:{closed_port('127.0.0.2')}"
    except OSError:
        pytest.skip("127.0.0.2 is not available on this machine")
    log_in("linkedin")
    replica.options.offsite, replica.options.offsite_by = f"http://{away}/settings", by
    run = cli("status", "linkedin", "--json")
    assert run.exit_code == 3, run
    (got,) = json.loads(run.stdout)
    host = away.split(":")[0]
    assert got["state"] == "error" and f"moved to another site: {host}" in got["detail"], got
    assert replica.writes("linkedin") == 0


def test_a_page_of_the_platform_that_fails_to_load_is_an_error_not_a_missing_control(log_in, cli, replica) -> None:
    """A script moves the settings page to another page of the platform, which does not answer:
    the browser's error page is not searched for the control (that would say "control not
    found", the site changed), and the result names the page that did not load."""
    closed = f"http://127.0.0.1:{closed_port()}/settings"  # the platform's own host, nobody there
    log_in("linkedin")
    replica.options.offsite, replica.options.offsite_by = closed, "js"
    run = cli("status", "linkedin", "--json")
    assert run.exit_code == 3, run
    (got,) = json.loads(run.stdout)
    assert got["state"] == "error" and f"{closed} did not load" in got["detail"], got


@pytest.mark.parametrize(
    ("status", "state", "words"),
    [
        (500, "error", "HTTP 500"),
        (404, "error", "HTTP 404"),
        (503, "error", "HTTP 503"),
        (401, "needs_login", "optout login x"),
        (403, "error", "refused"),
        (429, "error", "rate-limited"),
    ],
)
def test_an_http_error_is_reported_as_such_at_once(log_in, cli, replica, status: int, state: str, words: str) -> None:
    log_in("x")
    replica.options.settings_status = status
    run = cli("disable", "x", "--json")
    assert run.exit_code == 3
    got = json.loads(run.stdout)
    assert {r["state"] for r in got} == {state} and all(words in r["detail"] for r in got), got
    assert replica.writes("x") == 0


def test_an_http_error_is_not_drift_and_does_not_mark_the_session_valid(log_in, cli, replica) -> None:
    log_in("linkedin")
    assert cli("status", "linkedin").exit_code == 1
    replica.options.settings_status = 500
    run = cli("status", "linkedin", "--json")
    (got,) = json.loads(run.stdout)
    assert got["state"] == "error" and not got["changed"]


def test_login_check_fails_for_a_page_off_the_platform(cli, replica, lookalike: Lookalike, tmp_path) -> None:
    state = replica.storage_state("linkedin")
    cookies = tmp_path / "state.json"
    cookies.write_text(json.dumps(state))
    replica.options.offsite = lookalike.url
    run = cli("login", "linkedin", "--storage-state", str(cookies))
    assert run.exit_code == 3 and "another site" in run.stderr
    replica.options.offsite = "http://unreachable.invalid/settings"  # a site that does not answer
    run = cli("login", "linkedin", "--storage-state", str(cookies))
    assert run.exit_code == 3 and "another site: unreachable.invalid" in run.stderr, run
    replica.options.offsite = None
    replica.options.settings_status = 501
    run = cli("login", "linkedin", "--storage-state", str(cookies))
    assert run.exit_code == 3 and "HTTP 501" in run.stderr


def test_a_page_that_caches_its_state_cannot_fake_a_kept_change(log_in, cli, replica) -> None:
    """The page draws from localStorage; the server discards the save. Verification reads what the
    server kept, so the change is reported as not kept."""
    log_in("github")
    replica.options.cache_state = True
    replica.options.keep_changes = False
    run = cli("disable", "github", "copilot-training", "--json")
    assert run.exit_code == 1, run
    (got,) = json.loads(run.stdout)
    assert got["state"] == "opted_in" and got["action"] == "failed" and "did not keep" in got["detail"]


def test_a_page_that_comes_back_empty_is_a_glitch_not_a_changed_control(log_in, cli, replica) -> None:
    """200 OK with an empty body: the control is not missing from the page, the page is missing.
    It is an error (try again), and the history does not mark the setting's control as gone."""
    log_in("linkedin")
    assert json.loads(cli("status", "linkedin", "--json").stdout)[0]["state"] == "opted_in"
    replica.options.empty_settings = True
    run = cli("status", "linkedin", "--json")
    assert run.exit_code == 3, run
    (got,) = json.loads(run.stdout)
    assert got["state"] == "error" and "came back empty" in got["detail"], got
    assert got["changed"] is False
    assert replica.writes("linkedin") == 0
