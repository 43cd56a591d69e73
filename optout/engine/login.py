"""Telling whether a session is logged in, and the one-time sign-in in a visible browser window.

The probe is the recipe's own definition of "logged in": the platform's first setting page opens
without landing on a login wall. Both `optout login` (before saving anything) and the interactive
sign-in (to notice that the user is through) ask it, in a headless browser the user never sees.

The interactive sign-in never touches what the user types: optout only watches the window's
cookies, and once the recipe's session cookies appear it runs the probe on a copy of them.
Passwords, two-factor codes and captchas stay between the user and the site.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from optout.domains import host_in
from optout.engine.browser import BrowserChoice
from optout.engine.contexts import Browsers, Session, platform_context
from optout.engine.guard import PageRefused, check_heading, check_host, check_response
from optout.engine.identity import recorded_identity
from optout.engine.login_wall import on_login_wall, url_is_login_wall
from optout.engine.plan import concrete
from optout.errors import NoDisplayError, OptoutError, UsageError, first_line
from optout.exit_codes import ExitCode
from optout.home.sessions import cookie_alternatives, missing_session_cookies
from optout.recipes.schema import PLACEHOLDER, Platform

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext

SETTLE_MS = 2_000  # how long a probe waits for client-side redirects (single-page apps) after load
NAV_TIMEOUT_MS = 30_000
POLL_S = 0.5  # how often the sign-in window's cookies are looked at


@dataclass(frozen=True)
class Probe:
    """What the probe found. `state` is the storage state after the visit: it carries whatever
    cookies the site rotated on the way, so callers save that rather than what they passed in."""

    valid: bool
    url: str
    state: dict[str, Any] = field(repr=False)
    # The sign-in window's locale, timezone and size (interactive login only): saved beside the
    # session so later headless visits present the same browser (optout.engine.identity).
    identity: dict[str, Any] | None = None


Resources = Mapping[str, list[str]]  # the user's blogs and sites: `tumblr.blog` -> ["myblog"]


def probe_url(platform: Platform, resources: Resources | None = None) -> str:
    """The page whose opening proves a login: the first setting with a URL, a per-resource one for
    the first blog or site the user listed (unlisted, its `{blog}` would be a page that does not
    exist, or in the host no page at all); the platform's home page if none is left, which at
    least shows the login wall when there is one."""
    urls = (concrete(platform, s, resources or {})[0].url for s in platform.settings if s.url)
    return next((url for url in urls if url and not PLACEHOLDER.search(url)), platform.origin)


NO_DISPLAY = "no display: neither DISPLAY nor WAYLAND_DISPLAY is set"


def no_display_error(platform: Platform, why: str = NO_DISPLAY) -> OptoutError:
    """Why the window cannot open, and how to get a session onto a machine without a screen."""
    return OptoutError(
        f"cannot show a browser window here ({why}).\n"
        f"On a server, export your {platform.name} cookies from the browser you are signed in with "
        f"(a cookies.txt or cookie-editor extension) and import them:\n"
        f"  optout login {platform.id} --cookies cookies.txt\n"
        f"or sign in with `optout login {platform.id}` on a computer with a screen and copy its "
        f"sessions/{platform.id}/ directory into this machine's optout home (--home).",
        exit_code=ExitCode.UNDETERMINED,
    )


async def _launch(browsers: Browsers, *, headless: bool, platform: Platform) -> Browser:
    """The shared headless Chromium, or a window of its own; a missing X server reads as 'no
    display' with the way to sign in without one, everything else as a browser problem."""
    try:
        return await (browsers.shared() if headless else browsers.launch(headless=False))
    except NoDisplayError as exc:  # no screen, or a browser that cannot show a window
        raise no_display_error(platform, str(exc)) from None


async def _settle(page: Any) -> None:
    """Give a single-page app the moment it needs to redirect a logged-out visitor."""
    from playwright.async_api import Error

    try:
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except Error:
        pass  # a page that keeps polling never goes idle; what it shows by now is what we judge


def _unproven(refused: PageRefused) -> OptoutError:
    """A probe page the guard refused proves no session: why, as the login's error."""
    return OptoutError(f"could not check the session: {refused}", exit_code=ExitCode.UNDETERMINED)


async def probe_in(
    browser: Browser,
    platform: Platform,
    state: dict[str, Any],
    identity: dict[str, Any] | None = None,
    resources: Resources | None = None,
) -> Probe:
    """Open the probe page in a fresh context of `browser` holding only the platform's cookies,
    presented as the runs will present it (the same user agent, locale, timezone and size)."""
    from playwright.async_api import Error

    url = probe_url(platform, resources)
    # The probe only loads and looks: its pages need no DOM watcher.
    context = await platform_context(browser, platform, Session(state, identity), watch=False)
    try:
        page = await context.new_page()
        try:
            response = await page.goto(url, wait_until="load", timeout=NAV_TIMEOUT_MS)
        except Error as exc:
            try:
                check_heading(page, platform)  # a redirect off the platform that did not load
            except PageRefused as refused:
                raise _unproven(refused) from None
            raise OptoutError(
                f"could not open {url} to check the session: {first_line(exc)}", exit_code=ExitCode.UNDETERMINED
            ) from None
        # a server-side redirect to the wall is final; only a page that looks logged in needs the
        # moment a single-page app takes to bounce a logged-out visitor
        wall = await on_login_wall(page, platform)
        if not wall:
            await _settle(page)
            wall = await on_login_wall(page, platform)
        if not wall:  # only the platform's own settings page, answered without error, proves a session
            try:
                check_host(page, platform)
                check_response(response, platform)
            except PageRefused as exc:
                raise _unproven(exc) from None
        return Probe(valid=not wall, url=page.url, state=dict(await context.storage_state()), identity=identity)
    finally:
        await context.close()


async def probe_session(
    platform: Platform,
    state: dict[str, Any],
    choice: BrowserChoice,
    resources: Resources | None = None,
    identity: dict[str, Any] | None = None,
) -> Probe:
    """Is `state` logged in to `platform`? Launches its own headless Chromium for the one visit,
    presented with `identity` (the one the session will be kept with)."""

    async with Browsers(choice) as browsers:
        browser = await _launch(browsers, headless=True, platform=platform)
        return await probe_in(browser, platform, state, identity, resources)


async def probe_sessions(
    candidates: list[tuple[Platform, dict[str, Any]]], choice: BrowserChoice, resources: Resources | None = None
) -> list[Probe]:
    """`probe_session` for several platforms in one headless Chromium (`login --all`): one start
    instead of one per platform, each still in a fresh context holding only its own cookies."""
    if not candidates:
        return []
    async with Browsers(choice) as browsers:
        browser = await _launch(browsers, headless=True, platform=candidates[0][0])
        return [await probe_in(browser, p, state, resources=resources) for p, state in candidates]


async def _signal(context: BrowserContext, platform: Platform) -> tuple[str, ...] | None:
    """A fingerprint of the window's login progress, None while a probe would surely fail.

    With session cookies in the recipe: digests of their values once all of them are set, so a
    probe runs once per new set (and again if the site replaces them mid-checkpoint). Without:
    the address of the newest tab once it leaves the login wall for a page of the platform."""
    assert platform.login is not None
    entries = platform.login.session_cookies
    if entries:
        names = {name for entry in entries for name in cookie_alternatives(entry)}
        found = [
            c
            for c in await context.cookies()
            if c.get("name") in names and host_in(str(c.get("domain", "")), platform.domains)
        ]
        if missing_session_cookies(entries, (c["name"] for c in found)):
            return None
        return tuple(sorted(hashlib.sha256(f"{c['name']}={c['value']}".encode()).hexdigest() for c in found))
    pages = context.pages
    if not pages:
        return None
    url = pages[-1].url
    if url_is_login_wall(url, platform) or not host_in(urlsplit(url).hostname or "", platform.domains):
        return None
    return (url,)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"


async def interactive_login(
    platform: Platform,
    choice: BrowserChoice,
    *,
    timeout: float,
    notify: Callable[[str], None] = lambda _: None,
    resources: Resources | None = None,
) -> Probe:
    """Open a visible window at the login page and wait until the user is signed in.

    Returns the successful probe (its state is what to save). Raises OptoutError with exit code 3
    on timeout, when the user closes the window, or when there is no display."""
    from playwright.async_api import Error

    if platform.login is None:
        raise UsageError(f"{platform.name} needs no login")
    async with Browsers(choice) as browsers:  # closes the window and the prober, whatever happens
        window = await _launch(browsers, headless=False, platform=platform)
        context = await platform_context(window, platform, None, window=True)
        page = await context.new_page()
        try:
            await page.goto(platform.login.url, wait_until="domcontentloaded", timeout=NAV_TIMEOUT_MS)
        except Error as exc:
            raise OptoutError(
                f"could not open {platform.login.url}: {first_line(exc)}", exit_code=ExitCode.UNDETERMINED
            ) from None
        identity = await recorded_identity(page)  # what the site sees of the user's browser
        notify(
            f"Sign in to {platform.name} in the browser window (two-factor steps included); "
            f"optout notices by itself when you are in. Waiting up to {_minutes(timeout)}."
        )
        deadline = asyncio.get_running_loop().time() + timeout
        tried: tuple[str, ...] | None = None
        closed = OptoutError(
            f"the login window was closed before the {platform.name} sign-in finished; nothing saved",
            exit_code=ExitCode.UNDETERMINED,
        )
        while True:
            if not window.is_connected() or not context.pages:
                raise closed
            try:
                signal = await _signal(context, platform)
                state = dict(await context.storage_state()) if signal not in (None, tried) else None
            except Error:
                if not window.is_connected() or not context.pages:
                    raise closed from None
                raise
            if state is not None:
                tried = signal
                prober = await _launch(browsers, headless=True, platform=platform)
                probe = await probe_in(prober, platform, state, identity, resources)
                if probe.valid:
                    return probe
            if asyncio.get_running_loop().time() >= deadline:
                raise OptoutError(
                    f"gave up after {_minutes(timeout)}: the window never reached a signed-in "
                    f"{platform.name} session; nothing saved. Run `optout login {platform.id}` again "
                    f"(--timeout SECONDS gives more time) or import cookies with --cookies FILE.",
                    exit_code=ExitCode.UNDETERMINED,
                )
            await asyncio.sleep(POLL_S)
