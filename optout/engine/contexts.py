"""The one place optout starts Chromium and opens a platform's browser context.

Every command that opens a platform's page (status, disable and enable, the fresh pages that
verify a change, explore, discover, report's ARIA snapshot, login's check) goes through here, so
they cannot drift apart in how they present themselves to the site: the same launch options and
launch failure message (optout.engine.browser), the same identity (identity.py: no `HeadlessChrome`, the
sign-in's locale, timezone and window size), the stored session alone in its context (only the
platform's cookies), the off-platform guard's record of where navigations go (guard.py), and the
DOM watcher that tells when a page has settled (quiet.py).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.async_api import Browser, BrowserContext, Error, Playwright

from optout.engine.browser import BrowserChoice, abandon, driver, find_browser, launch_failure, launch_options
from optout.engine.guard import follow_navigations
from optout.engine.identity import context_options
from optout.engine.quiet import WATCH_JS
from optout.home.sessions import SessionStore, filter_state, login_storage
from optout.recipes.schema import Platform

# What each platform context was made with, for the fresh contexts that verify a change
# (fresh_context): how it presents itself (the keyword arguments, storage aside), and the local
# storage its login saved (sessions.login_storage; None without a session), where a fresh context
# starts from, for a platform that keeps its sign-in in localStorage.
_made: weakref.WeakKeyDictionary[BrowserContext, tuple[dict[str, Any], dict[str, Any] | None]] = (
    weakref.WeakKeyDictionary()
)


class Browsers:
    """The browsers of one command: Playwright's driver (started early by the caller, or on first
    need), one headless Chromium shared by all its platforms and launched on first need, and any
    other (a visible window) launched on request. `close` stops them all; the caller may close a
    window it is done with sooner."""

    def __init__(
        self, browser: BrowserChoice | Path | None, starting: asyncio.Future[Playwright] | None = None
    ) -> None:
        self._wanted = browser  # the user's --browser, or the choice already made; found when first needed
        self._starting = starting
        self._pw: Playwright | None = None
        self._shared: Browser | None = None
        self._launched: list[Browser] = []
        self._sharing = asyncio.Lock()

    async def __aenter__(self) -> Browsers:
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.close()

    async def shared(self) -> Browser:
        """The headless browser every platform's context of the command opens in."""
        async with self._sharing:
            if self._shared is None:
                self._shared = await self.launch(headless=True)
            return self._shared

    async def launch(self, *, headless: bool) -> Browser:
        """A browser of its own: the headless shell when there is one and no window is wanted. A
        failure is one line (NoBrowserError; NoDisplayError for a window that cannot open)."""
        choice = self._wanted if isinstance(self._wanted, BrowserChoice) else find_browser(self._wanted)
        if self._pw is None:
            self._pw = await (self._starting if self._starting is not None else driver().start())
        try:
            browser = await self._pw.chromium.launch(**launch_options(choice, headless=headless))
        except Error as exc:
            raise launch_failure(choice, exc, headless=headless) from None
        self._launched.append(browser)
        return browser

    async def close(self) -> None:
        for browser in self._launched:
            if browser.is_connected():
                await browser.close()
        if self._pw is not None:
            await self._pw.stop()
        elif self._starting is not None:  # started early, then not needed
            await abandon(self._starting)


@dataclass(frozen=True)
class Session:
    """What a platform's context is opened with: the session's storage state and the identity of
    the sign-in that made it (None: the machine's own, see identity.py)."""

    state: dict[str, Any]
    identity: Mapping[str, Any] | None = None


def stored_session(store: SessionStore, platform: Platform, account: str) -> Session | None:
    """The platform's stored session and its recorded identity; None when none is stored. A
    damaged session file raises (UsageError, naming the fix)."""
    state = store.load(platform.id, account, domains=platform.domains)
    return None if state is None else Session(state, store.identity(platform.id, account))


async def platform_context(
    browser: Browser, platform: Platform, session: Session | None, *, watch: bool = True, window: bool = False
) -> BrowserContext:
    """A new context of `browser` for `platform`: presented as the session's sign-in was, holding
    only the platform's cookies and storage of `session`, its navigations followed for the
    off-platform guard and (with `watch`) every page reporting its DOM changes.

    `window` is the sign-in window: the user's own browser, shown as it is (what it shows the site
    is the identity recorded for the session), sized by its window, with nothing of optout's in it."""
    options: dict[str, Any] = {"no_viewport": True} if window else await context_options(browser, _identity(session))
    state = None if session is None else filter_state(session.state, platform.domains)
    given: dict[str, Any] = {} if state is None else {"storage_state": state}
    context = await browser.new_context(**options, **given)
    if not window:
        await _track(context, watch=watch)
        _made[context] = (options, None if state is None else login_storage(state))
    return context


async def fresh_context(like: BrowserContext) -> BrowserContext:
    """A new context of `like`'s browser that presents itself as `like` does, its pages watched as
    `like`'s are, holding only what the login saved: no cookies yet (the caller adds the session's)
    and the local storage as the login left it, never what a page wrote since (a page that caches
    its state must not make a save the server discarded look kept)."""
    browser = like.browser
    assert browser is not None
    options, storage = _made[like]
    given: dict[str, Any] = {} if storage is None else {"storage_state": storage}
    context = await browser.new_context(**options, **given)
    await _track(context, watch=True)
    _made[context] = (options, storage)
    return context


def _identity(session: Session | None) -> Mapping[str, Any] | None:
    return None if session is None else session.identity


async def _track(context: BrowserContext, *, watch: bool) -> None:
    """Keep where the context's navigations go (guard.check_host names a page that failed to load
    by that) and, with `watch`, let every page report its DOM changes (quiet.py)."""
    follow_navigations(context)
    if watch:
        await context.add_init_script(WATCH_JS)
