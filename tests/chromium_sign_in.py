"""A Chromium profile signed in to replica sites, made in a process of its own (tests/test_from_browser.py).

`python -m tests.chromium_sign_in PROFILE EXPIRE URL...` opens each URL in a persistent Chromium
context on PROFILE (the replica's auto-login submits the form) and, with EXPIRE not "-", rewrites
that cookie to run out a second later, as a session left too long. It runs apart from the test
process so that a browser that hangs can be killed with its whole process group: inside the test
process, in a full suite, the persistent context sometimes never answered (no Playwright timeout
fired) and a thread could only be abandoned, not stopped.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time


async def sign_in(profile: str, urls: list[str], expire: str | None) -> None:
    from playwright.async_api import async_playwright

    from optout.engine.browser import QUIET_ARGS

    async with async_playwright() as pw:
        context = await pw.chromium.launch_persistent_context(
            profile,
            executable_path=shutil.which("chromium"),
            headless=True,
            args=["--password-store=basic", *QUIET_ARGS],
        )
        for url in urls:
            page = await context.new_page()
            async with page.expect_response(lambda r: r.request.method == "POST"):
                await page.goto(url)
            await page.wait_for_load_state()
            await page.close()
        if expire:
            [cookie] = [c for c in await context.cookies() if c["name"] == expire]
            await context.add_cookies([{**cookie, "expires": time.time() + 1}])
        await context.close()  # before the profile is read: Chromium writes its store on close


if __name__ == "__main__":
    folder, expiring, *addresses = sys.argv[1:]
    asyncio.run(sign_in(folder, addresses, None if expiring == "-" else expiring))
