"""Recognising that the browser is not logged in: a login, authwall or checkpoint page.

Both the checks (`status`, `disable`) and `optout login` ask the same question, so it lives here once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Page

from optout.domains import host_in
from optout.recipes.schema import Platform


def url_is_login_wall(url: str, platform: Platform) -> bool:
    """True when url is on the platform's sign-in host, or its path starts with one of the
    recipe's logged-out URL patterns."""
    if platform.login is None:
        return False
    if host_in((urlsplit(url).hostname or "").lower(), platform.login.hosts):
        return True
    path = urlsplit(url).path or "/"
    return any(path.startswith(pattern) for pattern in platform.login.logged_out_urls)


async def on_login_wall(page: Page, platform: Platform) -> bool:
    """True when the page is a login/authwall/checkpoint page, by URL or by a login form on it."""
    if url_is_login_wall(page.url, platform):
        return True
    if platform.login is None:
        return False
    for selector in platform.login.logged_out_selectors:
        if await page.locator(selector).count():
            return True
    return False
