"""Knowing when a page has settled: the platform's own requests answered and the DOM unchanged for
a short window, observed by a MutationObserver in the page rather than by fixed sleeps.

Readings and "not found" decisions wait for this signal, so a fast page costs little and a slow
one is waited for exactly as long as it is busy (bounded by the run's --timeout).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Error, Page, Request, Response

from optout.domains import host_in

QUIET_SECONDS = 0.25  # no DOM change and no platform request for this long: settled
NOT_FOUND_AFTER = 2.0  # settled this long with nothing matching: the control is not there

# Installed in every page of a run's contexts before the page's own scripts: counts DOM changes
# and remembers when the last one happened.
WATCH_JS = """(() => {
  if (window.__optoutQuiet) return;
  const state = window.__optoutQuiet = {changes: 0, last: performance.now()};
  new MutationObserver(() => { state.changes++; state.last = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""

# Resolves once the DOM has not changed for `quietMs` (with in-page timers, no polling from here).
_QUIET_JS = """(quietMs) => new Promise((resolve) => {
  const state = window.__optoutQuiet;
  if (!state) { resolve(0); return; }
  const check = () => {
    const idle = performance.now() - state.last;
    if (idle >= quietMs) resolve(state.changes); else setTimeout(check, quietMs - idle + 5);
  };
  check();
})"""


# Resolves true at the next DOM change, false when `ms` pass without one.
_NEXT_CHANGE_JS = """(ms) => new Promise((resolve) => {
  const observer = new MutationObserver(() => { observer.disconnect(); clearTimeout(timer); resolve(true); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const timer = setTimeout(() => { observer.disconnect(); resolve(false); }, ms);
})"""


async def watch_context(context: BrowserContext) -> None:
    """Let every page of `context` report its DOM changes."""
    await context.add_init_script(WATCH_JS)


class Activity:
    """The platform's own requests of one page that are still waiting for their answer.

    Analytics beacons and other hosts are left out: a page is busy while it talks to its own
    platform (loading the settings, saving them), not while a tracker pings."""

    def __init__(self, page: Page, domains: Iterable[str]) -> None:
        self._pending: set[Request] = set()
        self._domains = list(domains)
        self._idle = asyncio.Event()
        self._idle.set()
        self._page = page
        self._listeners: list[tuple[str, Callable[[Any], None]]] = [
            ("request", self._on_request),
            ("response", self._on_response),
            ("requestfinished", self._on_done),
            ("requestfailed", self._on_done),
        ]
        for event, listener in self._listeners:
            page.on(event, listener)  # type: ignore[call-overload]

    def close(self) -> None:
        for event, listener in self._listeners:
            self._page.remove_listener(event, listener)

    def _on_request(self, request: Request) -> None:
        kind = request.resource_type
        if kind in ("fetch", "xhr", "document", "script") and host_in(
            urlsplit(request.url).hostname or "", self._domains
        ):
            self._pending.add(request)
            self._idle.clear()

    def _forget(self, request: Request) -> None:
        self._pending.discard(request)
        if not self._pending:
            self._idle.set()

    def _on_response(self, response: Response) -> None:
        self._forget(response.request)

    def _on_done(self, request: Request) -> None:
        self._forget(request)

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    async def idle(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), max(0.0, timeout))
            return True
        except TimeoutError:
            return False


async def settle(page: Page, activity: Activity, timeout: float, quiet: float = QUIET_SECONDS) -> bool:
    """Wait until the platform's requests are answered and the DOM has been quiet for `quiet`
    seconds; False when `timeout` passed first. A navigation meanwhile starts the wait over."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not await activity.idle(deadline - time.monotonic()):
            return False
        try:
            await asyncio.wait_for(page.evaluate(_QUIET_JS, quiet * 1000), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            return False
        except Error:  # the page navigated away while waiting: settle the new one
            continue
        if activity.in_flight == 0:
            return True
    return False


async def next_change(page: Page, timeout: float) -> bool:
    """Wait for the page's next DOM change (or navigation); False when `timeout` passed without one."""
    try:
        return bool(await asyncio.wait_for(page.evaluate(_NEXT_CHANGE_JS, timeout * 1000), timeout + 1.0))
    except TimeoutError:
        return False
    except Error:  # navigated away: that is a change
        return True
