"""Screenshots and page HTML kept under the home directory: proof of a change (receipt), or what
the page looked like when a recipe failed (evidence a user can attach to a bug report).

Cookie values are scrubbed from saved HTML: some sites echo CSRF tokens or session ids into the page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
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


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A CSRF token as pages carry it: a meta tag, a hidden field, a JSON or JS assignment.
CSRF = re.compile(
    r"""((?:csrf|xsrf)[\w-]*["']?\s*(?:[:=]|content=|value=)\s*["']?)([^"'\s<>;&,}]{6,})""", re.IGNORECASE
)


@dataclass(frozen=True)
class Secrets:
    """What must never leave the machine in a report or on screen: the session's cookie values,
    CSRF tokens, e-mail addresses, and the user's own e-mail and name from the config."""

    cookies: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()

    @classmethod
    def of(cls, cookies: Iterable[str], personal: Iterable[str | None]) -> Secrets:
        return cls(tuple(cookies), tuple(p.strip() for p in personal if p and len(p.strip()) >= 3))

    def clean(self, text: str) -> str:
        for value in self.cookies:
            text = scrub(text, value)
        for value in sorted(self.personal, key=len, reverse=True):
            text = re.sub(re.escape(value), "[personal data removed]", text, flags=re.IGNORECASE)
        text = EMAIL.sub("[e-mail removed]", text)
        return CSRF.sub(r"\1[token removed]", text)
