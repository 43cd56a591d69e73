"""Sessions against the replica platforms in real Chromium: the probe, imports that are checked,
rotation, expiry, accounts kept apart, and the visible-window sign-in under Xvfb."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from optout.engine.browser import BrowserChoice
from optout.engine.login import probe_in, probe_session
from optout.errors import OptoutError
from optout.home.sessions import SessionStore
from optout.home.user_config import UserConfig
from optout.recipes.catalogue import load_catalogue
from optout.replica import TEST_PASSWORD, TEST_USER
from tests.helpers import launched

OTHER_USER = "colleague@example.com"


def platform(replica: Any, pid: str) -> Any:
    return load_catalogue(None, replica.origins).platforms[pid]


def values(state: dict[str, Any] | None) -> set[str]:
    return {c["value"] for c in (state or {}).get("cookies", [])}


def as_netscape(state: dict[str, Any]) -> str:
    """What a cookies.txt extension would export for these cookies."""
    lines = ["# Netscape HTTP Cookie File"]
    for c in state["cookies"]:
        prefix = "#HttpOnly_" if c["httpOnly"] else ""
        dot = c["domain"].startswith(".")
        expires = max(0, int(c["expires"]))
        lines.append(
            f"{prefix}{c['domain']}\t{'TRUE' if dot else 'FALSE'}\t{c['path']}\t"
            f"{'TRUE' if c['secure'] else 'FALSE'}\t{expires}\t{c['name']}\t{c['value']}"
        )
    return "\n".join(lines) + "\n"


def as_cookie_editor(state: dict[str, Any]) -> str:
    """What a cookie-editor extension would export: chrome.cookies field names."""
    return json.dumps(
        [
            {
                "domain": c["domain"],
                "expirationDate": c["expires"],
                "hostOnly": not c["domain"].startswith("."),
                "httpOnly": c["httpOnly"],
                "name": c["name"],
                "path": c["path"],
                "sameSite": c["sameSite"].lower(),
                "secure": c["secure"],
                "session": c["expires"] < 0,
                "storeId": "0",
                "value": c["value"],
            }
            for c in state["cookies"]
        ],
        indent=2,
    )


def import_file(tmp_path: Path, state: dict[str, Any], kind: str) -> list[str]:
    """The `login` arguments that import state in one of the three formats."""
    if kind == "netscape":
        path, text, option = tmp_path / "cookies.txt", as_netscape(state), "--cookies"
    elif kind == "cookie-editor":
        path, text, option = tmp_path / "cookies.json", as_cookie_editor(state), "--cookies"
    else:
        path, text, option = tmp_path / "state.json", json.dumps(state), "--storage-state"
    path.write_text(text)
    return [option, str(path)]


def test_probe_tells_logged_in_from_logged_out(replica: Any, chromium: BrowserChoice) -> None:
    linkedin = platform(replica, "linkedin")
    good = replica.storage_state("linkedin")

    async def probes() -> list[Any]:
        async with launched(chromium) as browser:
            return [await probe_in(browser, linkedin, state) for state in (good, {"cookies": []})]

    valid, logged_out = asyncio.run(probes())
    assert valid.valid and valid.url.endswith("/mypreferences/d/settings/data-for-ai-improvement")
    assert values(good) & values(valid.state)
    assert not logged_out.valid and "/authwall" in logged_out.url


@pytest.mark.parametrize("kind", ["netscape", "cookie-editor", "storage-state"])
def test_import_is_checked_then_stored(
    cli, home: Path, tmp_path: Path, replica: Any, chromium: BrowserChoice, kind: str
) -> None:
    state = replica.storage_state("x")
    run = cli("login", "x", *import_file(tmp_path, state, kind))
    assert run.exit_code == 0, run.stderr
    assert "Logged in" in run.stdout
    assert not any(v in run.stdout + run.stderr for v in values(state))
    stored = SessionStore(home).load("x")
    assert {c["name"] for c in stored["cookies"]} == {c["name"] for c in state["cookies"]}
    [entry] = json.loads(cli("sessions", "--json").stdout)
    assert (entry["platform"], entry["last_valid"]) == ("x", True)


def test_revoked_or_expired_import_exits_3_and_stores_nothing(
    cli, home: Path, tmp_path: Path, replica: Any, chromium: BrowserChoice
) -> None:
    revoked = replica.storage_state("linkedin")
    replica.revoke("linkedin")
    run = cli("login", "linkedin", *import_file(tmp_path, revoked, "netscape"))
    assert run.exit_code == 3
    assert "do not log in to LinkedIn" in run.stderr and "nothing saved" in run.stderr
    assert not any(v in run.stdout + run.stderr for v in values(revoked))
    expired = replica.storage_state("linkedin")
    for c in expired["cookies"]:
        c["expires"] = time.time() - 3600
    assert cli("login", "linkedin", *import_file(tmp_path, expired, "storage-state")).exit_code == 3
    assert not SessionStore(home).exists("linkedin")


def test_expired_session_gives_needs_login_with_the_fix(
    cli, home: Path, tmp_path: Path, replica: Any, chromium: BrowserChoice
) -> None:
    expired = replica.storage_state("linkedin")
    for c in expired["cookies"]:
        c["expires"] = time.time() - 3600
    file = import_file(tmp_path, expired, "storage-state")
    stored = cli("login", "linkedin", *file, "--no-check", "--account", "work")
    assert stored.exit_code == 0 and "expired" in stored.stderr
    run = cli("status", "linkedin", "--account", "work", "--json")
    assert run.exit_code == 3
    [result] = json.loads(run.stdout)
    assert result["state"] == "needs_login"
    assert "optout login linkedin --account work" in result["detail"]
    assert not any(v in run.stdout + run.stderr for v in values(expired))
    assert SessionStore(home).meta("linkedin", "work")["last_valid"] is False


def test_rotated_cookies_are_saved_back(cli, home: Path, tmp_path: Path, replica: Any, chromium: BrowserChoice) -> None:
    replica.options.rotate_cookies = True
    imported = replica.storage_state("linkedin")
    assert cli("login", "linkedin", *import_file(tmp_path, imported, "cookie-editor")).exit_code == 0
    store = SessionStore(home)
    after_import = values(store.load("linkedin"))
    assert not values(imported) & set(replica.session_values("linkedin")), "the probe's visit rotated li_at"
    assert after_import & set(replica.session_values("linkedin")), "and the rotated value is what was stored"
    run = cli("status", "linkedin", "--json")
    assert [r["state"] for r in json.loads(run.stdout)] == ["opted_in"]
    after_run = values(store.load("linkedin"))
    assert after_run & set(replica.session_values("linkedin")) and after_run != after_import


def test_two_accounts_are_kept_apart(cli, home: Path, tmp_path: Path, replica: Any, chromium: BrowserChoice) -> None:
    replica.add_user(OTHER_USER, TEST_PASSWORD)
    mine = tmp_path / "mine"
    theirs = tmp_path / "theirs"
    mine.mkdir()
    theirs.mkdir()
    assert (
        cli(
            "login",
            "linkedin",
            *import_file(mine, replica.storage_state("linkedin", TEST_USER), "netscape"),
            "--no-check",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "login",
            "linkedin",
            *import_file(theirs, replica.storage_state("linkedin", OTHER_USER), "netscape"),
            "--no-check",
            "--account",
            "colleague",
        ).exit_code
        == 0
    )
    replica.revoke("linkedin", TEST_USER)
    assert cli("status", "linkedin", "--json").exit_code == 3
    other = cli("status", "linkedin", "--account", "colleague", "--json")
    assert [(r["state"], r["account"]) for r in json.loads(other.stdout)] == [("opted_in", "colleague")]
    listed = {e["account"]: e["last_valid"] for e in json.loads(cli("sessions", "--json").stdout)}
    assert listed == {"default": False, "colleague": True}


def test_probe_of_a_per_resource_platform_opens_the_first_listed_one(replica: Any, chromium: BrowserChoice) -> None:
    """A Substack publication's settings live on its own host: the probe opens the first one the
    user listed there (a `{pub}` host is no page at all), the home page when none is listed."""
    substack = platform(replica, "substack")
    good = replica.storage_state("substack")
    listed = {"substack.pub": ["fieldnotes", "myblog"]}
    valid = asyncio.run(probe_session(substack, good, chromium, listed))
    assert valid.valid and valid.url == substack.settings[0].for_resource("fieldnotes").url
    assert valid.url.startswith("http://fieldnotes.localhost:")
    logged_out = asyncio.run(probe_session(substack, {"cookies": []}, chromium, listed))
    assert not logged_out.valid and "/sign-in" in logged_out.url
    assert asyncio.run(probe_session(substack, good, chromium)).url.rstrip("/") == substack.origin


def test_probe_session_launches_its_own_browser(replica: Any, chromium: BrowserChoice) -> None:
    assert asyncio.run(probe_session(platform(replica, "meta"), replica.storage_state("meta"), chromium)).valid


def test_a_probe_page_that_never_loads_is_one_line_exit_3(
    replica: Any, chromium: BrowserChoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The navigation timeout is the module's NAV_TIMEOUT_MS (no caller ever chose another one)."""
    import optout.engine.login as login_mod

    monkeypatch.setattr(login_mod, "NAV_TIMEOUT_MS", 300)
    replica.options.page_delay = 3.0
    x = platform(replica, "x")
    with pytest.raises(OptoutError) as caught:
        asyncio.run(probe_session(x, replica.storage_state("x"), chromium))
    assert caught.value.exit_code == 3
    message = str(caught.value)
    assert message.startswith(f"could not open {login_mod.probe_url(x)} to check the session: ")
    assert "300ms" in message and "\n" not in message


# --- the visible window, under Xvfb ---------------------------------------------------------------


def optout(args: list[str], home: Path, display: str, replica: Any) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("optout")
    env = {**os.environ, "DISPLAY": display, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)


def test_interactive_login_notices_the_sign_in(home: Path, replica: Any, xvfb: str, chromium: BrowserChoice) -> None:
    replica.options.auto_login = 0.5  # the replica's login page plays the user
    done = optout(["login", "linkedin", "--account", "work", "--timeout", "60"], home, xvfb, replica)
    assert done.returncode == 0, done.stderr
    assert "Sign in to LinkedIn in the browser window" in done.stderr
    assert "Logged in to LinkedIn" in done.stdout and "optout status linkedin --account work" in done.stdout
    store = SessionStore(home)
    assert values(store.load("linkedin", "work")) & set(replica.session_values("linkedin"))
    assert store.meta("linkedin", "work")["last_valid"] is True
    assert not any(v in done.stdout + done.stderr for v in replica.session_values("linkedin"))
    identity = store.identity("linkedin", "work")  # the window's, for later headless visits
    assert identity is not None and identity["timezone"] and identity["locale"]
    assert identity["viewport"]["width"] > 0 and identity["viewport"]["height"] > 0


def test_interactive_login_signs_in_on_every_publication_host(
    home: Path, replica: Any, xvfb: str, chromium: BrowserChoice
) -> None:
    """Each Substack publication has a host of its own, and a host-only session cookie there: the
    sign-in hops over them all, so the saved session opens every publication's settings."""
    UserConfig(home).set("substack.pub", "myblog,fieldnotes")
    replica.options.auto_login = 0.5
    done = optout(["login", "substack", "--timeout", "60"], home, xvfb, replica)
    assert done.returncode == 0, done.stderr
    hosts = {c["domain"] for c in SessionStore(home).load("substack")["cookies"]}
    assert {"localhost", "myblog.localhost", "fieldnotes.localhost"} <= hosts
    status = optout(["status", "substack", "--json"], home, xvfb, replica)
    assert status.returncode == 1, status.stderr  # read on both: opted in, as every account starts
    assert {(r["resource"], r["state"]) for r in json.loads(status.stdout)} == {
        ("myblog", "opted_in"),
        ("fieldnotes", "opted_in"),
    }
    assert not any(v in done.stdout + done.stderr for v in replica.session_values("substack"))


def test_interactive_login_gives_up_after_the_timeout(
    home: Path, replica: Any, xvfb: str, chromium: BrowserChoice
) -> None:
    done = optout(["login", "x", "--timeout", "2"], home, xvfb, replica)
    assert done.returncode == 3
    assert "gave up after 2 seconds" in done.stderr and "nothing saved" in done.stderr
    assert not SessionStore(home).exists("x")


def test_closing_the_window_stops_the_wait(
    replica: Any, xvfb: str, chromium: BrowserChoice, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user gives up by closing the window: optout says so at once instead of waiting out the timeout."""
    import optout.engine.login as login_mod

    async def user_closes_the_window(context: Any, _platform: Any) -> None:
        for page in context.pages:
            await page.close()

    monkeypatch.setenv("DISPLAY", xvfb)
    monkeypatch.setattr(login_mod, "_signal", user_closes_the_window)
    started = time.monotonic()
    with pytest.raises(OptoutError, match="window was closed") as caught:
        asyncio.run(login_mod.interactive_login(platform(replica, "meta"), chromium, timeout=60))
    assert caught.value.exit_code == 3
    assert time.monotonic() - started < 30
