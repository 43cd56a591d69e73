"""Knowing when a page has settled: the platform's own requests answered and the DOM unchanged for
a short window, observed by a MutationObserver in the page rather than by fixed sleeps.

Readings and "not found" decisions wait for this signal, so a fast page costs little and a slow
one is waited for exactly as long as it is busy (bounded by the run's --timeout).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from playwright.async_api import Error, Page, Request

from optout.engine.writes import PlatformRequests

T = TypeVar("T")

QUIET_SECONDS = 0.25  # no DOM change and no platform request for this long: settled
NOT_FOUND_AFTER = 2.0  # settled this long with nothing matching: the control is not there

# Installed in every page (and frame) of a run's contexts before the page's own scripts: counts
# DOM changes and remembers when the last one happened. A frame of the page's own origin counts
# its changes in the page's count as well, and wakes the page's waits (`wake`): a settings app
# embedded in an iframe draws there, and the page has settled only once its frame has too.
WATCH_JS = """(() => {
  if (window.__optoutQuiet) return;
  const state = window.__optoutQuiet = {changes: 0, last: performance.now(), wake: new Set()};
  let top = null;
  try { if (window.top !== window && window.top.__optoutQuiet) top = window.top; } catch (e) {}
  const changed = (s, now) => { s.changes++; s.last = now; s.wake.forEach((f) => f()); };
  new MutationObserver(() => {
    changed(state, performance.now());
    try { if (top && top.__optoutQuiet) changed(top.__optoutQuiet, top.performance.now()); } catch (e) {}
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
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


# How long ago the DOM last changed, in ms; -1 on a page without the watcher.
_STILL_MS_JS = "() => window.__optoutQuiet ? performance.now() - window.__optoutQuiet.last : -1"

# How many DOM changes the page has seen (-1 without the watcher): a mark to wait from.
_CHANGES_JS = "() => window.__optoutQuiet ? window.__optoutQuiet.changes : -1"

# Resolves true at once when the DOM changed since the mark `since` (a count from _CHANGES_JS),
# else at the next change (of a frame of the page's origin too); false when `ms` pass without one.
_NEXT_CHANGE_JS = """([ms, since]) => new Promise((resolve) => {
  const state = window.__optoutQuiet;
  if (state && since >= 0 && state.changes !== since) { resolve(true); return; }
  const done = (changed) => {
    observer.disconnect(); clearTimeout(timer); if (state) state.wake.delete(wake); resolve(changed);
  };
  const wake = () => done(true);
  const observer = new MutationObserver(wake);
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  if (state) state.wake.add(wake);
  const timer = setTimeout(() => done(false), ms);
})"""


# What the page shows that says it is still loading, as a short phrase ("" when nothing does): an
# element marked aria-busy, a progress bar, a skeleton placeholder, or an element whose whole text
# is "Loading" (with or without dots). Only what is rendered counts: a hidden spinner says nothing.
_LOADING_JS = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  for (const el of document.querySelectorAll('[aria-busy="true"]')) if (shown(el)) return 'aria-busy';
  for (const el of document.querySelectorAll('[role=progressbar]:not([aria-valuenow]), progress:not([value])')) {
    if (shown(el)) return 'a progress bar';
  }
  for (const el of document.querySelectorAll('[class*="skeleton" i], [class*="shimmer" i]')) {
    if (shown(el)) return 'a skeleton placeholder';
  }
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (/^\\s*loading\\s*(\\.\\.\\.|\u2026)?\\s*$/i.test(node.data) && parent && shown(parent)) {
      return '"' + node.data.trim() + '"';
    }
  }
  return '';
}"""


async def loading(page: Page) -> str:
    """What the page shows that says it is still loading ("a progress bar", "aria-busy"), "" when
    nothing does (or it is navigating: the next page is looked at again). A control missing from
    such a page is not missing yet: its panel has not been drawn."""
    try:
        return str(await page.evaluate(_LOADING_JS))
    except Error:
        return ""


async def still_loading(page: Page, since: float) -> str:
    """Why nothing was found, when it is that the page still shows a loading state: "the page was
    still loading after N s (it shows …)" counted from `since` (time.monotonic()), else "". Said
    in these words by the control's search and a navigation step's alike."""
    busy = await loading(page)
    return f"the page was still loading after {time.monotonic() - since:.0f} s (it shows {busy})" if busy else ""


class Activity(PlatformRequests):
    """All the page's traffic with its own platform that a page waits on (loading the settings,
    saving them): fetches, XHRs, documents and scripts. A page is busy while it talks to its
    platform, not while a tracker pings."""

    def counts(self, request: Request) -> bool:
        return request.resource_type in ("fetch", "xhr", "document", "script")


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


async def still_for(page: Page, activity: Activity) -> float:
    """How long the page has been still, in seconds: no DOM change, and no request to the platform
    started or answered. Settings that share a page share this: once the page has been still long
    enough to call one control missing, the next missing one is decided at once."""
    if activity.in_flight:
        return 0.0
    try:
        dom = float(await page.evaluate(_STILL_MS_JS)) / 1000
    except Error:  # navigating
        return 0.0
    return max(0.0, min(dom, time.monotonic() - activity.last_activity))


async def until_drawn(
    page: Page, activity: Activity, timeout: float, look: Callable[[], Awaitable[T | None]]
) -> T | None:
    """Call `look` until it finds something (sites draw late), waking on each change of the page.
    None once the page has settled and shown nothing for NOT_FOUND_AFTER seconds, counted from
    when it went still, so the second missing thing of a settled page is decided at once. A page
    that still shows a loading state (`loading`) has not shown its controls yet, however still it
    is: it is waited for until it stops loading, and None at `timeout` if it never does. A page
    that never settles (a clock redrawn every 100 ms) is looked at once more when `timeout` has
    passed: what it shows by then is what it shows."""
    deadline = time.monotonic() + timeout
    nothing_since: float | None = None  # when the page was first seen settled with nothing found
    while True:
        since = await changes(page)  # a render after this look wakes the wait below at once
        found = await look()
        if found is not None:
            return found
        if not await settle(page, activity, deadline - time.monotonic()):
            return await look()
        now = time.monotonic()
        if await loading(page):  # a skeleton or spinner with no request in flight: not drawn yet
            nothing_since = None
            if deadline - now <= 0:
                return None
            await next_change(page, deadline - now, since)
            continue
        nothing_since = nothing_since or now
        still = max(now - nothing_since, await still_for(page, activity))
        left = min(NOT_FOUND_AFTER - still, deadline - now)
        if left <= 0:
            return None
        await next_change(page, left, since)  # a late render wakes the search at once


async def settle_drawn(page: Page, activity: Activity, timeout: float) -> bool:
    """Settle, then keep waiting until the page has shown no change for NOT_FOUND_AFTER seconds:
    for reading a whole page (explore, discover), where no awaited control says it is drawn, and a
    single-page app may wait a moment after its data arrived before it draws."""
    deadline = time.monotonic() + timeout
    while True:
        since = await changes(page)  # marked first: a change while settling is not missed
        if not await settle(page, activity, deadline - time.monotonic()):
            return False
        if not await next_change(page, min(NOT_FOUND_AFTER, max(0.0, deadline - time.monotonic())), since):
            return True


async def changes(page: Page) -> int:
    """A mark for `next_change`: how many DOM changes the page has seen (-1 while it navigates,
    or without the watcher)."""
    try:
        return int(await page.evaluate(_CHANGES_JS))
    except Error:
        return -1


async def next_change(page: Page, timeout: float, since: int = -1) -> bool:
    """Wait for the page's next DOM change (or navigation); False when `timeout` passed without one.
    With a mark from `changes`, a change made since the mark counts at once: the page may have
    drawn between the caller's last look and this wait, and waiting for a further change would
    then take the whole timeout."""
    try:
        return bool(await asyncio.wait_for(page.evaluate(_NEXT_CHANGE_JS, [timeout * 1000, since]), timeout + 1.0))
    except TimeoutError:
        return False
    except Error:  # navigated away: that is a change
        return True
