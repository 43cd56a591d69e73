"""Finding the one control a recipe describes, and reading its state without touching it.

Safety rule: exactly one element may match. None means the site changed ("not found"); several
means we cannot know which one is the AI-training switch ("ambiguous"), and clicking a guess could
switch the wrong thing, so both end the check before any click.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any

from playwright.async_api import ElementHandle, Locator, Page

from optout.engine.login_wall import on_login_wall
from optout.schema import Control, Platform, Target

# Text of the nearest section-like ancestor, for `within`: the phrase must label the same block
# of the page as the control, not merely appear somewhere on it.
_WITHIN_JS = """(el, phrase) => {
  const blocks = 'section, fieldset, form, article, li, dialog, [role=region], [role=group], [role=dialog]';
  let block = el.parentElement && el.parentElement.closest(blocks);
  if (!block) block = document.querySelector('main') || document.body;
  const norm = s => (s || '').replace(/\\s+/g, ' ').toLowerCase();
  return norm(block.innerText).includes(norm(phrase));
}"""

_READ_JS = """el => ({
  aria: el.getAttribute('aria-checked'),
  native: (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) ? el.checked : null,
  disabled: el.disabled === true || el.getAttribute('aria-disabled') === 'true',
})"""

SETTLE_SECONDS = 0.4
POLL_SECONDS = 0.2


def name_pattern(pattern: str) -> re.Pattern[str]:
    """A recipe name pattern as a regex: `/regex/` as written, plain text as a literal piece;
    always case-insensitive (sites change capitalisation freely)."""
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.compile(pattern[1:-1], re.IGNORECASE)
    return re.compile(re.escape(pattern), re.IGNORECASE)


def target_locator(page: Page, target: Target) -> Locator:
    """The Playwright locator for a recipe Target (steps and form fields)."""
    if target.role and target.name:
        return page.get_by_role(target.role, name=name_pattern(target.name))  # type: ignore[arg-type]
    if target.text:
        return page.get_by_text(target.text)
    return page.locator(target.css or "")


def _control_locator(page: Page, control: Control) -> Locator | None:
    locator: Locator | None = None
    for name in control.names:
        one = page.get_by_role(control.role, name=name_pattern(name))  # type: ignore[arg-type]
        locator = one if locator is None else locator.or_(one)
    return locator


async def _candidates(page: Page, control: Control) -> list[ElementHandle]:
    """Elements matching the control: role/name first; CSS only when role/name finds nothing."""
    handles: list[ElementHandle] = []
    by_role = _control_locator(page, control)
    if by_role is not None:
        handles = await by_role.element_handles()
    if not handles and control.css:
        handles = await page.locator(control.css).element_handles()
    if control.within:
        handles = [h for h in handles if await h.evaluate(_WITHIN_JS, control.within)]
    return handles


@dataclass
class Found:
    """What the search for a control ended with."""

    handles: list[ElementHandle]
    login_wall: bool = False


async def find_control(page: Page, platform: Platform, control: Control, timeout: float) -> Found:
    """Wait up to `timeout` seconds for the control to render (sites render late), watching for a
    login wall meanwhile; once something matches, wait until the count is stable so a second,
    similar control that renders a moment later is still seen."""
    deadline = time.monotonic() + timeout
    while True:
        if await on_login_wall(page, platform):
            return Found([], login_wall=True)
        handles = await _candidates(page, control)
        if handles:
            await asyncio.sleep(SETTLE_SECONDS)
            again = await _candidates(page, control)
            if len(again) == len(handles) or time.monotonic() >= deadline:
                return Found(again)
            continue
        if time.monotonic() >= deadline:
            return Found([])
        await asyncio.sleep(POLL_SECONDS)


@dataclass(frozen=True)
class Reading:
    """A control's state: on (True/False), or None with the reason it could not be read."""

    on: bool | None
    disabled: bool = False
    problem: str = ""


def interpret(raw: dict[str, Any]) -> Reading:
    """Decide on/off from aria-checked and the native checked property. When they disagree, or
    neither exists, the state is unreadable: better to report that than to guess."""
    aria, native, disabled = raw.get("aria"), raw.get("native"), bool(raw.get("disabled"))
    values: list[bool] = []
    if aria is not None:
        if aria not in ("true", "false"):
            return Reading(None, disabled, f'aria-checked is "{aria}"')
        values.append(aria == "true")
    if native is not None:
        values.append(bool(native))
    if not values:
        return Reading(None, disabled, "the control has neither aria-checked nor a checked property")
    if len(set(values)) > 1:
        return Reading(None, disabled, f"aria-checked={aria} but checked={str(native).lower()}")
    return Reading(values[0], disabled)


async def read(handle: ElementHandle) -> Reading:
    return interpret(await handle.evaluate(_READ_JS))


async def read_settled(handle: ElementHandle, timeout: float) -> Reading:
    """Read until two readings a moment apart agree: a page may draw a placeholder switch before
    its own settings request returns, and a decision must not rest on that first frame."""
    deadline = time.monotonic() + timeout
    previous = await read(handle)
    while True:
        await asyncio.sleep(SETTLE_SECONDS)
        current = await read(handle)
        if current == previous:
            return current
        if time.monotonic() >= deadline:
            return Reading(None, current.disabled, "the switch kept changing while it was read")
        previous = current
