"""Looking like the user's browser: the headless token gone from the user agent, the sign-in's
locale, timezone and window size kept beside the session, the machine's own for imported cookies.

The replica's `headless_checkpoint` variant sends headless-looking visitors to the platform's
security checkpoint; the browser tests prove both that it does and that optout gets past it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from optout.engine.browser import BrowserChoice
from optout.engine.identity import context_options, headful, machine_locale, machine_timezone
from optout.home.sessions import SessionStore
from tests.helpers import launched, sign_in

HEADLESS_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
)
RECORDED = {"locale": "fr-FR", "timezone": "Europe/Paris", "viewport": {"width": 1440, "height": 900}}


def test_the_headless_token_becomes_chrome() -> None:
    assert headful(HEADLESS_UA) == HEADLESS_UA.replace("HeadlessChrome/", "Chrome/")
    assert headful("Mozilla/5.0 Chrome/156.0.0.0") == "Mozilla/5.0 Chrome/156.0.0.0"


@pytest.mark.parametrize(
    ("environ", "locale"),
    [
        ({"LANG": "en_GB.UTF-8"}, "en-GB"),
        ({"LC_ALL": "de_DE.UTF-8@euro", "LANG": "en_US.UTF-8"}, "de-DE"),
        ({"LC_MESSAGES": "pt_BR", "LANG": "C"}, "pt-BR"),
        ({"LANG": "C.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_machine_locale_comes_from_the_environment(environ: dict[str, str], locale: str | None) -> None:
    assert machine_locale(environ) == locale


def test_the_machine_timezone_comes_from_tz_or_the_system(tmp_path: Path) -> None:
    assert machine_timezone({"TZ": ":Europe/Berlin"}, tmp_path) == "Europe/Berlin"
    (tmp_path / "localtime").symlink_to("/usr/share/zoneinfo/America/New_York")
    assert machine_timezone({}, tmp_path) == "America/New_York"
    assert machine_timezone({"TZ": "/etc/localtime"}, tmp_path) == "America/New_York"
    other = tmp_path / "other"
    other.mkdir()
    (other / "timezone").write_text("Asia/Tokyo\n")
    assert machine_timezone({}, other) == "Asia/Tokyo"
    assert machine_timezone({}, tmp_path / "missing") is None


def test_a_new_session_replaces_the_recorded_identity_and_a_write_back_keeps_it(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    state = {"cookies": [], "origins": []}
    store.save("linkedin", ["linkedin.com"], state, identity=RECORDED)
    assert store.identity("linkedin") == RECORDED
    store.save("linkedin", ["linkedin.com"], state, saved=False)  # rotated cookies after a run
    assert store.identity("linkedin") == RECORDED
    store.save("linkedin", ["linkedin.com"], state)  # imported cookies: no sign-in to copy
    assert store.identity("linkedin") is None
    meta = json.loads((tmp_path / "sessions" / "linkedin" / "default.meta.json").read_text())
    assert "identity" not in meta


# --- in Chromium, against the replicas ------------------------------------------------------------


async def _visit(
    chromium: BrowserChoice, url: str, state: dict[str, Any], *, fixed: bool, recorded: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Open url logged in, in a fresh headless context, as plain Playwright does or (fixed) as optout does."""
    async with launched(chromium) as browser:
        options = await context_options(browser, recorded) if fixed else {}
        context = await browser.new_context(storage_state=state, **options)  # type: ignore[arg-type]  # options: a dict of new_context's keywords
        page = await context.new_page()
        await page.goto(url, wait_until="load")
        seen = await page.evaluate(
            "() => [navigator.userAgent, navigator.language,"
            " Intl.DateTimeFormat().resolvedOptions().timeZone, innerWidth, innerHeight]"
        )
        return {"url": page.url, "seen": seen}


@pytest.mark.parametrize("platform", ["linkedin", "x"])
def test_headless_checkpoint_catches_plain_headless_chromium(
    replica: Any, chromium: BrowserChoice, platform: str
) -> None:
    from optout.engine.login_wall import url_is_login_wall
    from optout.recipes.catalogue import load_catalogue

    replica.options.headless_checkpoint = True
    recipe = load_catalogue(None, replica.origins).platforms[platform]
    url = recipe.settings[0].url
    assert url is not None
    state = replica.storage_state(platform)
    plain = asyncio.run(_visit(chromium, url, state, fixed=False))
    assert "HeadlessChrome" in plain["seen"][0]
    assert plain["url"] != url and url_is_login_wall(plain["url"], recipe)  # the checkpoint
    fixed = asyncio.run(_visit(chromium, url, state, fixed=True, recorded=RECORDED))
    assert fixed["url"] == url
    assert "HeadlessChrome" not in fixed["seen"][0] and "Chrome/" in fixed["seen"][0]
    assert fixed["seen"][1:] == ["fr-FR", "Europe/Paris", 1440, 900]


def test_status_gets_past_the_headless_checkpoint(cli, home: Path, replica: Any) -> None:
    replica.options.headless_checkpoint = True
    sign_in(home, replica, "linkedin", identity=RECORDED)
    sign_in(home, replica, "x")  # imported: the machine's own
    run = cli("status", "linkedin", "x", "--json")
    states = {(r["platform"], r["setting"]): r["state"] for r in json.loads(run.stdout)}
    assert states[("linkedin", "ai-training")] == "opted_in", run
    assert states[("x", "grok-training")] == "opted_in", run


async def _read_while_hopping(chromium: BrowserChoice, hops: int) -> dict[str, Any]:
    """Read the identity of a window whose page moves on by script, `hops` times in a row, as a
    login page does when it bounces through single sign-on or a password manager submits it."""
    from playwright.async_api import Route

    from optout.engine.identity import recorded_identity

    async def serve(route: Route) -> None:
        n = int(route.request.url.rsplit("/", 1)[1])
        step = f"<script>location.replace('/{n + 1}')</script>" if n < hops else ""
        await route.fulfill(content_type="text/html", body=f"<title>{n}</title>{step}")

    async with launched(chromium) as browser:
        context = await browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        await context.route("http://login.invalid/**", serve)
        page = await context.new_page()
        await page.goto("http://login.invalid/0", wait_until="commit")
        return await recorded_identity(page)


def test_the_identity_is_read_even_while_the_login_page_moves_on(chromium: BrowserChoice) -> None:
    identity = asyncio.run(_read_while_hopping(chromium, 30))
    assert identity["locale"] == "fr-FR" and identity["timezone"] == "Europe/Paris"
    assert identity["viewport"]["width"] > 0


@pytest.mark.parametrize("check", ["--check", "--no-check"])
def test_an_import_keeps_the_terminals_locale_for_cron(cli, home: Path, replica: Any, tmp_path: Path, check) -> None:
    """cron has no LANG: a session imported from a German terminal sent no Accept-Language at all
    from cron. The import records the terminal's locale and timezone, and cron's runs use them."""
    exported = tmp_path / "state.json"
    exported.write_text(json.dumps(replica.storage_state("linkedin")))
    terminal = {"LANG": "de_DE.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "TZ": "Europe/Berlin"}
    assert cli("login", "linkedin", "--storage-state", str(exported), check, env=terminal).exit_code == 0
    assert SessionStore(home).identity("linkedin") == {"locale": "de-DE", "timezone": "Europe/Berlin"}
    cron = {"LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "TZ": None}
    before = len(replica.accept_languages("linkedin"))
    assert cli("status", "linkedin", env=cron).exit_code == 1  # opted in
    assert replica.accept_languages("linkedin")[before:] and all(
        language.startswith("de-DE") for language in replica.accept_languages("linkedin")[before:]
    )


def test_explore_and_report_present_the_sessions_browser_too(cli, home: Path, replica: Any) -> None:
    """explore, discover and report open their own context: it opened without the session's
    identity, so a site that screens out headless visitors showed them its checkpoint instead of
    the settings (issue 21), and they sent another Accept-Language than the checks."""
    replica.options.headless_checkpoint = True
    sign_in(home, replica, "linkedin", identity=RECORDED)
    run = cli("explore", "linkedin", "--json")
    assert run.exit_code == 0 and "Use my data for training content creation AI models" in run.stdout, run
    assert replica.accept_languages("linkedin") and all(
        language.startswith("fr-FR") for language in replica.accept_languages("linkedin")
    )
    assert cli("report", "linkedin").exit_code == 0
    assert all(language.startswith("fr-FR") for language in replica.accept_languages("linkedin"))


# Every command that opens a platform's page, in the order a user meets them: login's check of an
# imported session first (it records the terminal's locale beside the session), then the rest.
PAGE_COMMANDS = [
    ("login", "linkedin", "--storage-state", "{exported}"),
    ("status", "linkedin"),
    ("disable", "linkedin", "ai-training"),  # its verifying fresh pages too
    ("explore", "linkedin"),
    ("discover", "linkedin"),
    ("report", "linkedin"),
]


def test_every_command_presents_the_same_browser(cli, home: Path, replica: Any, tmp_path: Path) -> None:
    """One place builds a platform's context (optout.engine.contexts), so every command shows the
    site the same browser: the same User-Agent, never HeadlessChrome, and the session's locale,
    even from cron, which has no LANG (issue 21)."""
    exported = tmp_path / "state.json"
    exported.write_text(json.dumps(replica.storage_state("linkedin")))
    terminal = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None, "TZ": "Europe/Paris"}
    cron = {"LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "TZ": None}
    seen: dict[str, set[tuple[str, str]]] = {}
    for command in PAGE_COMMANDS:
        before = len(replica.visits("linkedin"))
        run = cli(*(arg.format(exported=exported) for arg in command), env=terminal if command[0] == "login" else cron)
        assert run.exit_code in (0, 1), (command, run)  # status exits 1: the setting was on
        visits = replica.visits("linkedin")[before:]
        seen[command[0]] = {(v.get("user-agent", ""), v.get("accept-language", "")) for v in visits}
    assert all(seen.values()), seen  # each command opened the settings page at least once
    shown = set().union(*seen.values())
    assert len(shown) == 1, seen  # the same browser, whichever command opened the page
    ((user_agent, language),) = shown
    assert "HeadlessChrome" not in user_agent and "Chrome/" in user_agent
    assert language.startswith("fr-FR"), shown
