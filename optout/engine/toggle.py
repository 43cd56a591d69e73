"""Changing one switch: click once, wait for the site to save, reload, and believe only the reload.

Never leave a user worse off: the click happens only after a clean reading showed the unwanted
state; no second click is attempted if the first one's outcome is unclear; and success is claimed
only when the page, freshly loaded from the server, shows the wanted state.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from playwright.async_api import ElementHandle, Error, Page

from optout.engine.locate import Reading, find_control, read, read_settled
from optout.engine.navigate import StepNotFound, open_setting
from optout.engine.writes import WriteWatcher
from optout.errors import first_line
from optout.schema import Platform, Setting

CLICK_TIMEOUT_MS = 3000
NO_WRITE_GRACE = 1.5  # seconds to wait for a save request that has not shown up yet


@dataclass(frozen=True)
class Outcome:
    """How a change ended: verified (the reloaded page shows `want`), and why not if it did not."""

    verified: bool
    detail: str
    reading: Reading | None = None


# Whether a click at the element's centre would reach it, or something drawn over it (custom
# switches often hide the real input under a styled label or track).
_REACHABLE_JS = """el => {
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit === el || el.contains(hit);
}"""
_LABEL_JS = "el => (el.labels && el.labels[0]) || el.closest('label')"


async def _click(handle: ElementHandle) -> str:
    """Click the control once; when something covers it, click its label instead (the way a
    person would). Returns what was clicked. Exactly one click either way."""
    await handle.scroll_into_view_if_needed(timeout=CLICK_TIMEOUT_MS)
    if not await handle.evaluate(_REACHABLE_JS):
        label = (await handle.evaluate_handle(_LABEL_JS)).as_element()
        if label is not None:
            await label.click(timeout=CLICK_TIMEOUT_MS)
            return "label"
    await handle.click(timeout=CLICK_TIMEOUT_MS)
    return "control"


async def _wait_saved(handle: ElementHandle, watcher: WriteWatcher, want_on: bool, timeout: float) -> bool:
    """Wait until the control reads as wanted and the site's write was answered. A page that
    flips optimistically may not have sent its request yet when the click returns, so without a
    write seen, wait a grace period before believing the page."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        reading = await read(handle)
        if reading.on == want_on and watcher.in_flight == 0:
            if watcher.started or time.monotonic() - start >= NO_WRITE_GRACE:
                return True
        await asyncio.sleep(0.1)
    return False


async def change(
    page: Page, platform: Platform, setting: Setting, handle: ElementHandle, want_on: bool, timeout: float
) -> Outcome:
    """Switch `handle` to want_on and verify on a fresh load of the setting (its URL and steps).
    `handle` must have been read as the opposite state just before. Anything that goes wrong after
    the click is an unverified change, never "nothing done"."""
    with WriteWatcher(page, platform.domains) as watcher:
        await _click(handle)
        try:
            saved = await _wait_saved(handle, watcher, want_on, timeout)
            return await _verify(page, platform, setting, want_on, timeout, saved, watcher.started)
        except (Error, StepNotFound) as exc:
            return Outcome(False, f"clicked once, but the change could not be verified: {first_line(exc)}")


async def _verify(
    page: Page, platform: Platform, setting: Setting, want_on: bool, timeout: float, saved: bool, writes: int
) -> Outcome:
    assert setting.control is not None
    await open_setting(page, platform, setting, timeout)
    found = await find_control(page, platform, setting.control, timeout)
    if found.login_wall:
        return Outcome(False, "the session ended while saving; log in again and re-run")
    if len(found.handles) != 1:
        return Outcome(False, "after reloading, the control could not be identified to verify the change")
    reading = await read_settled(found.handles[0], timeout)
    if reading.on is None:
        return Outcome(False, f"after reloading, the state could not be read ({reading.problem})", reading)
    if reading.on == want_on:
        return Outcome(True, "changed and verified after reload", reading)
    if not saved:
        why = "no save request was seen" if writes == 0 else "the save did not complete"
        return Outcome(False, f"the site did not keep the change ({why}; after reload it is unchanged)", reading)
    return Outcome(False, "the site did not keep the change (after reload it is back as before)", reading)
