"""`optout login --from-browser`: sessions read out of the cookie stores real browsers wrote.

Each browser signs in to the replicas itself, with a fresh profile: Debian's Chromium through a
Playwright persistent context (the basic key store, so its cookies are v10-encrypted as on a
desktop without a keyring), and firefox-esr headless, whose pages the replicas' auto-login fills
in. optout then imports from that profile and `status` must work on what it stored.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optout.home.browser_cookies import parse_spec, read_browser_cookies
from optout.home.sessions import SessionStore
from optout.recipes.catalogue import load_catalogue
from optout.replica.options import TEST_PASSWORD, TEST_USER

pytest.importorskip("yt_dlp.cookies", reason="the browsers extra is not installed")
CHROMIUM = shutil.which("chromium")
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
THREE = ("linkedin", "x", "github")
# Firefox prefs for a quiet, fast first start: no welcome pages, no updates or reports.
FIREFOX_PREFS = """
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.auto", false);
user_pref("extensions.update.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
"""


def login_urls(replica: Any, platforms: tuple[str, ...], host: str = "127.0.0.1") -> list[str]:
    catalogue = load_catalogue(None, replica.origins)
    return [catalogue.platforms[pid].login.url.replace("127.0.0.1", host) for pid in platforms]


def session_values(replica: Any, platforms: tuple[str, ...]) -> set[str]:
    return {v for pid in platforms for v in replica.session_values(pid)}


def stored_values(home: Path) -> set[str]:
    store = SessionStore(home)
    return {c["value"] for pid in store.platforms() for c in (store.load(pid) or {}).get("cookies", [])}


SIGN_IN_SECONDS = 60  # a sign-in to three replicas takes about 3 s; a browser that hangs is killed


def chromium_sign_in(profile: Path, urls: list[str], expire: str | None = None) -> None:
    """Chromium signs in at each URL (tests/chromium_sign_in.py, in a process of its own); with
    `expire`, that cookie is then rewritten to run out a second later.

    Bounded, and tried twice more on a fresh profile: in full-suite runs the persistent context
    sometimes never answered, which is the test browser's trouble, not the import's. The child's
    whole process group (Playwright's driver and Chromium with it) is killed when it overstays."""
    for attempt in range(3):
        folder = profile if attempt == 0 else profile.with_name(f"{profile.name}-again{attempt}")
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.chromium_sign_in", str(folder), expire or "-", *urls],
            cwd=Path(__file__).resolve().parent.parent,
            start_new_session=True,
        )
        try:
            code = child.wait(SIGN_IN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            continue
        assert code == 0, f"the sign-in failed (exit {code})"
        if folder != profile:
            shutil.rmtree(profile, ignore_errors=True)
            shutil.copytree(folder, profile)
        return
    pytest.fail(f"Chromium did not sign in within {SIGN_IN_SECONDS} s, three times")


@pytest.fixture
def chromium_profile(tmp_path: Path, replica: Any) -> Path:
    if CHROMIUM is None:
        pytest.skip("no Debian chromium")
    return tmp_path / "chromium-profile"


@pytest.fixture
def firefox(tmp_path: Path, replica: Any) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:
    """firefox-esr, headless with a fresh profile, signed in to THREE and still running."""
    if FIREFOX is None:
        pytest.skip("no firefox-esr")
    profile = tmp_path / "firefox-profile"
    profile.mkdir()
    (profile / "user.js").write_text(FIREFOX_PREFS)
    replica.options.auto_login = 0
    process = subprocess.Popen(
        [FIREFOX, "--headless", "--no-remote", "-profile", str(profile), *login_urls(replica, THREE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not signed_in(replica, {c["value"] for c in cookies_in(f"firefox:{profile}")}):
            assert process.poll() is None and time.monotonic() < deadline, "Firefox did not sign in"
            time.sleep(0.2)  # polls the store Firefox writes; nothing to wait on but the file
        replica.options.auto_login = None  # from now on a login page stays a login page
        yield profile, process
    finally:
        process.terminate()
        process.wait(30)


def signed_in(replica: Any, values: set[str]) -> bool:
    """Each of THREE has a valid session among `values`."""
    return all(set(replica.session_values(pid)) & values for pid in THREE)


def cookies_in(spec: str) -> list[dict[str, Any]]:
    try:
        return read_browser_cookies(parse_spec(spec), ["127.0.0.1"]).imported.state["cookies"]
    except Exception:  # not written yet
        return []


def by_platform(run: Any) -> dict[str, str]:
    return {o["platform"]: o["result"] for o in json.loads(run.stdout)}


def test_chromium_profile_gives_three_working_sessions(cli, home: Path, replica: Any, chromium_profile: Path) -> None:
    replica.options.auto_login = 0
    chromium_sign_in(chromium_profile, login_urls(replica, THREE))
    replica.options.auto_login = None
    run = cli("login", "--all", "--from-browser", f"chromium:{chromium_profile}", "--json")
    assert run.exit_code == 0, run.stderr
    results = by_platform(run)
    assert {pid for pid, r in results.items() if r == "imported"} == set(THREE)
    assert set(results.values()) == {"imported", "not_signed_in"}, [
        o for o in json.loads(run.stdout) if o["result"] == "refused"
    ]
    secrets = session_values(replica, THREE)
    assert secrets & stored_values(home), "the stored sessions are the browser's"
    assert not any(v in run.stdout + run.stderr for v in secrets)
    status = cli("status", *THREE, "--json")
    assert {r["state"] for r in json.loads(status.stdout)} == {"opted_in"}, status.stdout
    unchecked = cli("login", "--all", "--from-browser", f"chromium:{chromium_profile}", "--json", "--no-check")
    imported = {pid for pid, r in by_platform(unchecked).items() if r == "imported"}
    assert imported == set(THREE), "unchecked, only a recipe's session cookie tells a session from a visit"


def test_firefox_still_running_then_closed(cli, home: Path, replica: Any, firefox: tuple[Path, Any]) -> None:
    profile, process = firefox
    assert process.poll() is None, "Firefox holds the store open"
    run = cli("login", "--all", "--from-browser", f"firefox:{profile}")
    assert run.exit_code == 0, run.stderr
    assert all(f"{pid}: imported" in run.stdout for pid in THREE), run.stdout
    assert "linkedin: imported" in run.stdout and "chatgpt: not signed in" in run.stdout
    assert not any(v in run.stdout + run.stderr for v in session_values(replica, THREE))
    assert process.poll() is None, "reading the store did not disturb the browser"
    process.terminate()
    process.wait(30)
    again = cli("login", "linkedin", "--from-browser", f"firefox:{profile}")
    assert again.exit_code == 0 and "cookies from Firefox, logged in" in again.stdout, again.stdout + again.stderr
    status = cli("status", *THREE, "--json")
    assert {r["state"] for r in json.loads(status.stdout)} == {"opted_in"}, status.stdout


def test_profile_with_other_sites_only(cli, home: Path, replica: Any, chromium_profile: Path) -> None:
    replica.options.auto_login = 0
    chromium_sign_in(chromium_profile, login_urls(replica, ("linkedin",), host="localhost"))  # another site
    replica.options.auto_login = None
    run = cli("login", "linkedin", "--from-browser", f"chromium:{chromium_profile}")
    assert run.exit_code == 2
    assert run.stderr.strip().count("\n") == 0 and "holds no LinkedIn cookies" in run.stderr
    assert not SessionStore(home).exists("linkedin")
    every = cli("login", "--all", "--from-browser", f"chromium:{chromium_profile}", "--json")
    assert every.exit_code == 3 and set(by_platform(every).values()) == {"not_signed_in"}


def test_expired_session_in_the_browser(cli, home: Path, replica: Any, chromium_profile: Path) -> None:
    replica.options.auto_login = 0
    chromium_sign_in(chromium_profile, login_urls(replica, ("linkedin",)), expire="li_at")
    replica.options.auto_login = None
    deadline = time.time() + 1.5
    while time.time() < deadline:  # the session's own expiry passing: a wait on the clock, not on a process
        time.sleep(0.1)
    run = cli("login", "linkedin", "--from-browser", f"chromium:{chromium_profile}")
    assert run.exit_code == 3 and "has expired: sign in there again" in run.stderr, run.stderr
    every = cli("login", "--all", "--from-browser", f"chromium:{chromium_profile}", "--json")
    assert by_platform(every)["linkedin"] == "expired"
    assert not SessionStore(home).exists("linkedin")


OTHER_USER = "grace@example.com"


@pytest.fixture(scope="module")
def github_browser(
    tmp_path_factory: pytest.TempPathFactory,
    chromium: Any,  # it signs in with a Chromium: asking for it marks its tests `browser`
) -> Iterator[tuple[Any, Path, dict[str, Any]]]:
    """A GitHub replica of the refresh tests' own, Chromium signed in to it once for all of them
    (a sign-in takes seconds), and the sessions made before that sign-in: the test user's (older
    than the browser's) and another account's."""
    from optout.kits.replica import Replica
    from optout.replica import ReplicaOptions

    if CHROMIUM is None:
        pytest.skip("no Debian chromium")
    with Replica(ReplicaOptions(), platforms=["github"]) as running:
        running.add_user(OTHER_USER, TEST_PASSWORD)
        before = {"own": running.storage_state("github"), "other": running.storage_state("github", OTHER_USER)}
        profile = tmp_path_factory.mktemp("refresh") / "chromium-profile"
        running.options.auto_login = 0
        chromium_sign_in(profile, login_urls(running, ("github",)))
        running.options.auto_login = None
        yield running, profile, before


@pytest.mark.parametrize(
    ("whose", "state", "detail"),
    [
        ("own", "opted_in", "session refreshed from Chromium"),
        (
            "other",
            "needs_login",
            "not refreshed from Chromium: the GitHub Copilot session there is for another account",
        ),
    ],
)
def test_a_revoked_session_is_refreshed_from_sessions_from(
    cli,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    github_browser: Any,
    whose: str,
    state: str,
    detail: str,
) -> None:
    """A scheduled `status` (no terminal, --json) finds the stored session revoked by the site and
    imports the browser's once: for the account the session was saved for, never for another."""
    running, profile, before = github_browser
    monkeypatch.setenv("OPTOUT_ORIGIN", running.origin_env())
    monkeypatch.setenv("OPTOUT_TIMEOUT", "15")
    saved = tmp_path / "state.json"
    saved.write_text(json.dumps(before[whose]))
    assert cli("login", "github", "--storage-state", str(saved)).exit_code == 0
    user = (TEST_USER if whose == "own" else OTHER_USER).split("@")[0]
    assert SessionStore(home).owner("github") == {"cookie": "dotcom_user", "value": user}, "recorded at login"
    [token] = [c["value"] for c in before[whose]["cookies"] if c["name"] == "user_session"]
    running.end_session("github", token)  # revoked on the site, the browser's own session lives on
    assert cli("config", "set", "sessions.from", f"chromium:{profile}").exit_code == 0
    status = cli("status", "github", "--json")
    results = json.loads(status.stdout)
    assert {r["state"] for r in results} == {state}, status.stdout
    assert all(detail in r["detail"] and "\n" not in r["detail"] for r in results), [r["detail"] for r in results]
    browser = set(running.session_values("github"))
    held = {c["value"] for c in SessionStore(home).load("github")["cookies"] if c["name"] == "user_session"}
    assert held <= browser if whose == "own" else held == {token}, "refreshed, or left as it was"
    assert not any(v in status.stdout + status.stderr for v in browser | {token})
