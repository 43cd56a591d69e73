"""Opening a setting's page: its URL, then the recipe's navigation steps (goto, click, wait_for, press).

A step whose target is missing means the site changed, exactly like a missing control, so it is
reported as such. A click step must match exactly one element: a navigation click on a guess could
press the wrong button.
"""

from __future__ import annotations

import time
from functools import partial

from playwright.async_api import Error, Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from optout.engine.botcheck import bot_check
from optout.engine.consent import clear as clear_consent
from optout.engine.frames import roots
from optout.engine.guard import PageRefused, check_heading, check_host, check_response, failed_navigation
from optout.engine.inventory import explain_missing
from optout.engine.locate import target_locator
from optout.engine.login_wall import on_login_wall, url_is_login_wall
from optout.engine.quiet import Activity, still_loading, until_drawn
from optout.errors import plain
from optout.recipes.schema import Platform, Setting, Step, Target
from optout.states import State


class StepNotFound(Exception):
    """A navigation step's target is not on the page (or is ambiguous, for a click)."""


class StepStillLoading(StepNotFound):
    """A navigation step's target is missing from a page that still shows a loading state: not the
    site changing. A StepNotFound, so that a caller without its own words for it refuses alike."""


def describe(target: Target) -> str:
    if target.role:
        return f'{target.role} "{target.name}"'
    return f'text "{target.text}"' if target.text else f"css {target.css}"


async def goto(page: Page, platform: Platform, url: str, timeout: float) -> None:
    """Load a document within `timeout`, retrying once after a connection reset, and refuse what
    must not be read: a page that did not load (the reason said: refused, reset, the timeout), an
    HTTP error (the result says which), a bot check still shown after one more try (botcheck.py)
    or a page off the platform, also one the URL redirected to that did not load."""
    for attempt in (1, 2):
        response = await _load(page, platform, url, timeout)
        check_host(page, platform)
        if url_is_login_wall(page.url, platform):
            return
        if (challenge := await bot_check(page, response)) is None:
            break
        if attempt == 2:
            raise PageRefused(
                State.ERROR,
                f"the platform showed a bot check ({challenge}) at {url}, also on a second try; nothing was read "
                "or clicked: open the page in your browser once, then run optout again",
            )
    check_response(response, platform)
    if await _came_back_empty(page):
        raise PageRefused(State.ERROR, f"{url} came back empty (a glitch of the site); nothing was read or clicked")


async def _load(page: Page, platform: Platform, url: str, timeout: float, *, retry: bool = True) -> Response | None:
    """page.goto, retried once after a connection reset; a page that did not load is refused."""
    try:
        return await page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    except Error as exc:
        check_heading(page, platform)
        reason = failed_navigation(page) or plain(exc)
        if retry and "ERR_CONNECTION_RESET" in reason:
            await _error_page_shown(page)
            return await _load(page, platform, url, timeout, retry=False)
        if isinstance(exc, PlaywrightTimeout):
            reason = f"it did not load within {timeout:g} s (--timeout)"
        raise PageRefused(State.ERROR, f"could not open {url}: {reason}; nothing was read or clicked") from None


# A document with nothing in it at all: no element, no text (a page that draws itself has at
# least its script).
_EMPTY_JS = "() => !document.documentElement || document.documentElement.innerHTML === '<head></head><body></body>'"


async def _came_back_empty(page: Page) -> bool:
    """Whether the server answered with an empty document: a glitch to report, not a page from
    which the control is missing."""
    try:
        return bool(await page.evaluate(_EMPTY_JS))
    except Error:  # navigating on: the next page is read as usual
        return False


async def _error_page_shown(page: Page) -> None:
    """Wait, briefly, for the browser's error page a failed navigation ends on: a navigation begun
    before that page is shown is interrupted by it."""
    try:
        await page.wait_for_url(lambda url: url.startswith("chrome-error:"), wait_until="commit", timeout=2000)
    except Error:
        pass


async def _shown(page: Page, platform: Platform, target: Target) -> bool | None:
    """True when the first element the target finds, in the page or in one of its frames, is
    visible (None: not yet, for until_drawn); the frames are looked up again each time."""
    try:
        return True if any([await loc.first.is_visible() for loc in _locators(page, platform, target)]) else None
    except Error:  # the page is navigating: look again once it has settled
        return None


def _locators(page: Page, platform: Platform, target: Target) -> list[Locator]:
    """The target's locator in the page and in each of its frames of the platform's (frames.roots)."""
    return [target_locator(frame, target) for frame in roots(page, platform).frames]


async def open_setting(page: Page, platform: Platform, setting: Setting, timeout: float, activity: Activity) -> None:
    """Load the setting's URL and run its steps; stops early on a login wall (the caller sees it)."""
    await goto(page, platform, setting.url or "", timeout)
    await run_steps(page, platform, setting.steps, timeout, activity)


async def run_steps(page: Page, platform: Platform, steps: list[Step], timeout: float, activity: Activity) -> None:
    """Run navigation steps in order (also the `close` steps after a dialog was used). The page
    must still be the platform's before every click. A step's target that has not appeared once
    the page has settled and stayed still is missing, as a control is (quiet.until_drawn): a
    changed site is reported in seconds, not after --timeout."""
    for number, step in enumerate(steps, 1):
        if step.goto:
            await goto(page, platform, step.goto, timeout)
            continue
        if step.press:
            await page.keyboard.press(step.press)
            continue
        if await on_login_wall(page, platform):
            return
        target = step.click or step.wait_for
        assert target is not None  # the schema allows exactly one verb per step
        started = time.monotonic()
        if not await until_drawn(page, activity, timeout, partial(_shown, page, platform, target)):
            if why := await still_loading(page, started):
                raise StepStillLoading(why)
            names = [n for n in (target.name, target.text) if n]
            hint = await explain_missing(page, platform, target.role, names)
            raise StepNotFound(f"navigation step {number} ({describe(target)}): {hint}")
        check_host(page, platform)
        if step.click:
            counted = [(locator, await locator.count()) for locator in _locators(page, platform, target)]
            if (count := sum(n for _, n in counted)) != 1:
                raise StepNotFound(f"navigation step {number}: {count} elements match {describe(target)}")
            chosen = next(locator for locator, n in counted if n)
            await clear_consent(page, platform, await chosen.element_handle())  # a banner would take the click
            await chosen.click(timeout=timeout * 1000)
