"""Screenshots and page HTML kept under the home directory: proof of a change (receipt), or what
the page looked like when a recipe failed (evidence a user can attach to a bug report).

Cookie values are scrubbed from saved HTML: some sites echo CSRF tokens or session ids into the page.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from optout.results import now
from optout.storage import private_dir, write_private


async def capture(page: Page, folder: Path, stem: str, *, html: bool) -> Path:
    """Save a screenshot (and the HTML when asked) as folder/TIME-stem.png; return the PNG path."""
    private_dir(folder)
    base = folder / f"{now().strftime('%Y%m%dT%H%M%SZ')}-{stem}"
    png = base.with_suffix(".png")
    write_private(png, await page.screenshot(full_page=True))
    if html:
        content = await page.content()
        for cookie in await page.context.cookies():
            value = cookie.get("value") or ""
            if len(value) >= 6:
                content = content.replace(value, "[cookie value removed]")
        write_private(base.with_suffix(".html"), content.encode())
    return png
