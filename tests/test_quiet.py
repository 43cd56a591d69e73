"""Waiting on the page's own signals (optout/engine/quiet.py), in a real Chromium: a change the page
made between the engine's last look and its wait must wake the wait, not be slept through."""

from __future__ import annotations

import asyncio

from optout.engine.browser import BrowserChoice
from optout.engine.quiet import WATCH_JS, changes, loading, next_change
from tests.helpers import launched

PAGE = "<main><p>loading…</p></main>"
DRAW = "document.querySelector('main').append(Object.assign(document.createElement('button'), {role: 'switch'}))"


async def _waits(chromium: BrowserChoice) -> dict[str, bool]:
    async with launched(chromium) as browser:
        context = await browser.new_context()
        await context.add_init_script(WATCH_JS)  # as every platform context has it (contexts.py)
        page = await context.new_page()
        await page.set_content(PAGE)
        mark = await changes(page)
        await page.evaluate(DRAW)  # the page draws after the mark, before the wait begins
        return {
            "drawn since the mark": await next_change(page, 30.0, mark),
            "nothing since a new mark": await next_change(page, 0.3, await changes(page)),
            "no mark, nothing new": await next_change(page, 0.3),
        }


def test_a_change_since_the_mark_wakes_the_wait_and_stillness_does_not(chromium: BrowserChoice) -> None:
    assert asyncio.run(_waits(chromium)) == {
        "drawn since the mark": True,
        "nothing since a new mark": False,
        "no mark, nothing new": False,
    }


# What says a page is still loading, and what merely looks like it (issue 22).
LOADING = {
    '<div aria-busy="true">Settings</div>': "aria-busy",
    '<div role="progressbar" aria-label="Loading settings"></div>': "a progress bar",
    "<progress></progress>": "a progress bar",
    '<div class="Skeleton-row" style="height:20px"></div>': "a skeleton placeholder",
    "<p>Loading…</p>": '"Loading…"',
    "<p> loading... </p>": '"loading..."',
    # not loading: a storage meter (a determinate bar), words that mention loading, hidden spinners
    '<div role="progressbar" aria-valuenow="40" aria-label="Storage used"></div>': "",
    "<progress value=3 max=10></progress>": "",
    "<p>Loading times may vary</p>": "",
    '<div aria-busy="true" hidden>Loading</div>': "",
    '<p style="visibility:hidden">Loading…</p>': "",
    '<div aria-busy="false"><button role="switch">Use my data</button></div>': "",
}


async def _loading(chromium: BrowserChoice) -> dict[str, str]:
    async with launched(chromium) as browser:
        page = await browser.new_page()
        seen = {}
        for markup in LOADING:
            await page.set_content(f"<main>{markup}</main>")
            seen[markup] = await loading(page)
        return seen


def test_a_loading_state_is_recognised_and_a_progress_meter_is_not(chromium: BrowserChoice) -> None:
    assert asyncio.run(_loading(chromium)) == LOADING
