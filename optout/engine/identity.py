"""How optout's browser presents itself: as the user's own browser, not as a headless robot.

Headless Chromium says so in its user agent (`HeadlessChrome/…`), and platforms that screen out
automation send such visitors to a security checkpoint, where optout can only report needs_login.
So every context gets the browser's own user agent with the headless token replaced, and the locale,
timezone and window size of the sign-in the session came from (recorded by `optout login` beside
the session; for imported cookies, the locale and timezone of the shell that imported them, as
cron has no LANG), or the machine's own when none was recorded. Nothing else is disguised: no invented
fingerprint, only what the user's browser showed the site when the session was made.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

HEADLESS_TOKEN = "HeadlessChrome"
READ_TIMEOUT_S = 10.0  # how long a sign-in window that keeps moving on is given to hold still
# Read in the sign-in window: what the site saw of the user's browser.
RECORD_JS = """() => ({
  locale: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  viewport: {width: window.innerWidth, height: window.innerHeight},
})"""

_user_agents: weakref.WeakKeyDictionary[Browser, str] = weakref.WeakKeyDictionary()


def headful(user_agent: str) -> str:
    """The user agent a visible window of the same browser sends."""
    return user_agent.replace(HEADLESS_TOKEN, "Chrome")


async def user_agent(browser: Browser) -> str:
    """The browser's own user agent without the headless token, asked once per browser (over the
    DevTools protocol: no page is opened for it)."""
    known = _user_agents.get(browser)
    if known is None:
        cdp = await browser.new_browser_cdp_session()
        try:
            version = await cdp.send("Browser.getVersion")
        finally:
            await cdp.detach()
        known = _user_agents[browser] = headful(str(version["userAgent"]))
    return known


def machine_locale(environ: Mapping[str, str] = os.environ) -> str | None:
    """The locale the user's programs use (LC_ALL, LC_MESSAGES, LANG, as in POSIX), as a BCP 47 tag:
    en_GB.UTF-8 -> en-GB. None for the C/POSIX locale or nothing set."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            tag = value.split(".", 1)[0].split("@", 1)[0]
            return None if tag in ("C", "POSIX") else tag.replace("_", "-")
    return None


def machine_timezone(environ: Mapping[str, str] = os.environ, etc: Path = Path("/etc")) -> str | None:
    """The system's IANA timezone: TZ when it names one, else /etc/localtime's link into the zone
    database, else /etc/timezone. None when none says (the browser then keeps its own)."""
    tz = environ.get("TZ", "").removeprefix(":")
    if ("/" in tz and not tz.startswith("/")) or tz == "UTC":
        return tz
    try:
        target = str((etc / "localtime").readlink())
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    try:
        named = (etc / "timezone").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return named or None


def machine_identity() -> dict[str, Any]:
    """For sessions without a recorded sign-in (imported cookies): the machine's locale and
    timezone; the window size stays the browser's default."""
    return {"locale": machine_locale(), "timezone": machine_timezone()}


async def recorded_identity(page: Page, timeout: float = READ_TIMEOUT_S) -> dict[str, Any]:
    """What the sign-in window shows the site: its locale, timezone and size. Stored beside the
    session (not secret) so later headless visits look like the same browser.

    A login page may move on by itself before it is read (a single sign-on bounce, a password
    manager that submits at once), which destroys the script context the read ran in: the read is
    made again on the page that replaced it. The window's locale, timezone and size are the same
    on every page, so any page's answer is the window's. {} when the window never holds still for
    `timeout` or is closed: the sign-in goes on, and later visits use the machine's own identity."""
    from playwright.async_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            return dict(await page.evaluate(RECORD_JS))
        except Error:
            left = deadline - time.monotonic()
            if page.is_closed() or left <= 0:
                return {}
            try:  # the next document's scripts can be run once it has been parsed
                await page.wait_for_load_state("domcontentloaded", timeout=left * 1000)
            except Error:
                return {}


def _viewport(value: Any) -> dict[str, int] | None:
    if isinstance(value, Mapping):
        width, height = value.get("width"), value.get("height")
        if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
            return {"width": width, "height": height}
    return None


async def context_options(browser: Browser, recorded: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword arguments for `browser.new_context(...)`: the headful user agent, and the locale,
    timezone and viewport of the recorded sign-in (the machine's own when there is none). Values
    that are missing or malformed are left out: the browser's default is better than a guess."""
    identity = recorded if recorded else machine_identity()
    options: dict[str, Any] = {"user_agent": await user_agent(browser)}
    if isinstance(identity.get("locale"), str) and identity["locale"]:
        options["locale"] = identity["locale"]
    if isinstance(identity.get("timezone"), str) and identity["timezone"]:
        options["timezone_id"] = identity["timezone"]
    viewport = _viewport(identity.get("viewport"))
    if viewport is not None:
        options["viewport"] = viewport
    return options
