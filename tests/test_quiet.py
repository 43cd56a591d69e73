"""Waiting on the page's own signals (optout/engine/quiet.py), in a real Chromium: a change the page
made between the engine's last look and its wait must wake the wait, not be slept through."""

from __future__ import annotations

import asyncio

import pytest

from optout.engine.quiet import changes, loading, next_change, watch_context

PAGE = "<main><p>loading…</p></main>"
DRAW = "document.querySelector('main').append(Object.assign(document.createElement('button'), {role: 'switch'}))"


async def _waits() -> dict[str, bool]:
    from playwright.async_api import async_playwright

    from optout.browser import find_browser, launch_options

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options(find_browser()))  # type: ignore[arg-type]
        try:
            context = await browser.new_context()
            await watch_context(context)
            page = await context.new_page()
            await page.set_content(PAGE)
            mark = await changes(page)
            await page.evaluate(DRAW)  # the page draws after the mark, before the wait begins
            return {
                "drawn since the mark": await next_change(page, 30.0, mark),
                "nothing since a new mark": await next_change(page, 0.3, await changes(page)),
                "no mark, nothing new": await next_change(page, 0.3),
            }
        finally:
            await browser.close()


@pytest.mark.browser
def test_a_change_since_the_mark_wakes_the_wait_and_stillness_does_not() -> None:
    assert asyncio.run(_waits()) == {
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


async def _loading() -> dict[str, str]:
    from playwright.async_api import async_playwright

    from optout.browser import find_browser, launch_options

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options(find_browser()))  # type: ignore[arg-type]
        try:
            page = await browser.new_page()
            seen = {}
            for markup in LOADING:
                await page.set_content(f"<main>{markup}</main>")
                seen[markup] = await loading(page)
            return seen
        finally:
            await browser.close()


@pytest.mark.browser
def test_a_loading_state_is_recognised_and_a_progress_meter_is_not() -> None:
    assert asyncio.run(_loading()) == LOADING
