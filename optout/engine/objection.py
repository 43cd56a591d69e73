"""Objection forms (Meta): optout opens the form, fills what it knows, and the user sends it.

optout never presses "Send" itself: the user reads what is being filed on their behalf. It then
waits for the site's confirmation and only that counts as filed.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from playwright.async_api import Error, Page

from optout.engine.locate import target_locator
from optout.recipes.schema import Form

FIELD_WAIT_MS = 15_000


async def prefill(page: Page, form: Form, values: Mapping[str, str | None]) -> list[str]:
    """Fill each field the config has a value for; returns the names of fields left for the user."""
    left: list[str] = []
    for item in form.fill:
        value = values.get(item.value)
        if not value:
            left.append(item.value)
            continue
        field = target_locator(page, item.field).first
        try:
            await field.wait_for(timeout=FIELD_WAIT_MS)
            if await field.evaluate("el => el.tagName") == "SELECT":
                await field.select_option(value)
            else:
                await field.fill(value)
        except Error:
            left.append(item.value)
    return left


async def confirmed_already(page: Page, form: Form) -> bool:
    """True when the confirmation is on the page before anything was sent: then its appearance
    could not prove that the objection went out."""
    await page.wait_for_load_state("load")
    return await target_locator(page, form.confirmation).count() > 0


async def wait_confirmed(page: Page, form: Form, timeout: float) -> bool:
    """Wait (while the user reviews and sends the form) for the site's confirmation."""
    confirmation = target_locator(page, form.confirmation).first
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            await confirmation.wait_for(timeout=1000)
            return True
        except Error:
            if page.is_closed():
                return False
    return False
