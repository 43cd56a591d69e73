"""Reading back what the server kept after a change: two fresh pages at once, which must agree.

One fresh reading is not proof. A stale cache, or a load balancer in front of copies that
disagree, can answer the wanted state once and the old one the next time; believing the one
answer that happened to come back right is a false "verified". So the setting is loaded on two
fresh pages, each in a new context holding only what the login saved: the session's cookies, and
the local storage as the login left it (never what a page wrote since: a page that caches its
state must not make a discarded save look kept), both at once, so the second costs a renderer
rather than a second wait. The change is verified only when both read the wanted state. The
cookies the server set on them (a session cookie rotated on every response) go back to the run's
own context, so the session kept after the run is the newest.

A second match drawn a moment after the first makes the change unverified, not a false "opted
out" read before it was drawn: the fresh pages are counted again at each change until the
change's own page has shown its control for as long as a missing control is waited for
(change.py), which has mostly passed by the time they have read it.

The changed page's own settled reading is not a second witness: a page that keeps its optimistic
state shows the change whatever the server kept. Two loads of one fresh page are not either: the
first load may cache what it read for the second.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable

from playwright.async_api import Cookie, Error, Page

from optout.engine.budget import Deadline
from optout.engine.contexts import fresh_context
from optout.engine.locate import Reading, find_control, matches_until, read_settled
from optout.engine.navigate import open_setting
from optout.engine.quiet import Activity
from optout.recipes.schema import Platform, Setting

WITNESSES = 2  # fresh pages read at once after a change
SESSION_ENDED = "the session ended while saving; log in again and re-run"


class FreshPages:
    """The fresh pages of one read-back. They are made as soon as this is created (a new context
    and its renderer take a few tenths of a second, which can overlap the site's save) and closed
    by `close`, whether they were used, still being made, or failed."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._making: list[asyncio.Future[Page]] = []
        self._rotated: list[list[Cookie]] = []  # cookies the server set on the fresh pages, in order
        for _ in range(WITNESSES):
            self._new()

    def _new(self) -> asyncio.Future[Page]:
        """Start making one more fresh page; `close` closes it too."""
        self._making.append(asyncio.ensure_future(_blank_page(self._page)))
        return self._making[-1]

    async def read_back(
        self, platform: Platform, setting: Setting, timeout: float, until: float
    ) -> tuple[Reading | str, Page]:
        """Load the setting on every fresh page at once and read what the server kept there:
        the reading they agree on, or the reason (str) there is none, and the first fresh page
        (the receipt of a verified change is taken of it, so it shows what the server kept).
        Each page is watched for a second match until `until` (time.monotonic())."""
        pages = list(await asyncio.gather(*self._making))
        try:
            readings = await _all(
                _read_back(fresh, self._page, platform, setting, timeout, until, self._rotated) for fresh in pages
            )
            read = [pages[i] for i, kept in enumerate(readings) if isinstance(kept, Reading)]
            for i, kept in enumerate(readings):
                if kept == SESSION_ENDED and read:
                    # The session ended for this page only: another's load replaced the session cookie
                    # (a site that rotates it on every load). Read again, with the cookie it was given.
                    pages[i] = await self._new()
                    readings[i] = await _read_back(pages[i], read[0], platform, setting, timeout, until, self._rotated)
        finally:
            await self._keep_rotated()
        return agreed(readings), pages[0]

    async def _keep_rotated(self) -> None:
        """Give the run's own context the cookies the server set on the fresh pages, the latest
        last: a site that rotates its session cookie on every response has invalidated the value
        the run's context holds, and the session saved after the run (and the next fresh pages)
        must carry the newest. Only cookies the server set count, never the pages' storage."""
        newest = [cookie for cookies in self._rotated for cookie in cookies]
        self._rotated.clear()
        if not newest:
            return
        try:
            await self._page.context.add_cookies(newest)  # type: ignore[arg-type]
        except Error:  # the run's page closed meanwhile: its context is being discarded anyway
            pass

    async def close(self) -> None:
        for making in self._making:
            await _discard(making)


async def _all(readings: Iterable[Awaitable[Reading | str]]) -> list[Reading | str]:
    """Every reading, taken at once; the first exception is raised only once all have ended, so
    nothing still loads while the pages close."""
    done = await asyncio.gather(*readings, return_exceptions=True)
    for outcome in done:
        if isinstance(outcome, BaseException):
            raise outcome
    return list(done)  # type: ignore[arg-type]  # no exception is left in it


def agreed(readings: list[Reading | str]) -> Reading | str:
    """The one reading every fresh page gave; else a reason (str) a page could not be read, else
    the first unreadable reading, else (they disagree) a reason that names what two pages showed."""
    for kept in readings:
        if isinstance(kept, str):
            return kept
    read = [kept for kept in readings if isinstance(kept, Reading)]
    for kept in read:
        if kept.on is None:
            return kept
    first = read[0]
    other = next((kept for kept in read if kept.on != first.on), None)
    if other is None:
        return first
    return (
        f'after reload the site showed "{_shown(first)}" on one fresh page and "{_shown(other)}" on another: '
        "it does not keep a steady answer; check it by hand"
    )


def _shown(reading: Reading) -> str:
    """What a reading showed, as the user sees it: a choice's or menu's text, a switch on or off."""
    return reading.text or ("on" if reading.on else "off")


async def _blank_page(page: Page) -> Page:
    """A page in a new context of the same browser that presents itself as `page`'s does, with no
    cookies or storage yet: a page that caches its state in localStorage must not make a save the
    server discarded look kept."""
    return await (await fresh_context(page.context)).new_page()


async def _discard(making: asyncio.Future[Page]) -> None:
    """Close a fresh page's context, whether it was used, still being made, or failed."""
    try:
        fresh = await making
    except Error:
        return
    try:
        await fresh.context.close()
    except Error:
        pass


async def _read_back(
    fresh: Page,
    page: Page,
    platform: Platform,
    setting: Setting,
    timeout: float,
    until: float,
    rotated: list[list[Cookie]],
) -> Reading | str:
    """Load the setting again on `fresh` (a new context given the session's cookies, as `page`'s
    holds them: the save left them there) and read what the server kept; a reason (str) when the
    control could not be read there. The cookies the server set meanwhile are added to `rotated`."""
    assert setting.control is not None
    # Cookies as the context reports them carry every field add_cookies takes (typed apart).
    given = await page.context.cookies()
    await fresh.context.add_cookies(given)  # type: ignore[arg-type]
    activity = Activity(fresh, platform.domains)
    try:
        await open_setting(fresh, platform, setting, timeout, activity)
        reading = Deadline.after(timeout)  # finding and reading share one --timeout
        found = await find_control(fresh, platform, setting, reading.left(), activity)
        if found.login_wall:
            return SESSION_ENDED
        if len(found.handles) != 1:
            return "after reloading, the control could not be identified to verify the change"
        kept = await read_settled(fresh, activity, found.handles[0], setting, reading.left())
        if len((late := await matches_until(fresh, platform, setting, until)).handles) > 1:  # a second one drawn late
            return f"after reloading, {await late.ambiguity(setting.control)}: which one the site kept is not known"
        return kept
    finally:
        activity.close()
        try:
            rotated.append([c for c in await fresh.context.cookies() if c not in given])
        except Error:  # the fresh page's context is gone: it set nothing worth keeping
            pass
