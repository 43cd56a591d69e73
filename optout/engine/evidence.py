"""Screenshots and page HTML kept under the home directory: proof of a change (receipt), or what
the page looked like when a recipe failed (evidence a user can attach to a bug report).

Cookie values are scrubbed from saved HTML: some sites echo CSRF tokens or session ids into the page.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote

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
            content = scrub(content, cookie.get("value") or "")
        write_private(base.with_suffix(".html"), content.encode())
    return png


def scrub(content: str, value: str) -> str:
    """Remove a cookie value from page text in every form a page might echo it: as is, without
    its quotes, HTML-escaped, URL-encoded or JSON-escaped. Short values are left alone: they are
    not secrets (flags like "1") and replacing them would mangle the page."""
    bare = value.strip('"')
    if len(bare) < 6:
        return content
    forms = {value, bare, html.escape(bare), quote(bare, safe=""), json.dumps(bare)[1:-1]}
    for form in sorted(forms, key=len, reverse=True):
        content = content.replace(form, "[cookie value removed]")
    return content
