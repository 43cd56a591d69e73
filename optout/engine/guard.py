"""What the engine checks about a page before it reads or clicks anything on it.

A settings URL can answer with an error page, a login wall on another host, or a redirect to a
site that is not the platform at all (which may show a switch with the very same label). Nothing
on such a page is read or clicked: the result says what happened instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from optout.domains import host_in
from optout.results import State
from optout.schema import Platform
from optout.urls import url_host

if TYPE_CHECKING:  # the login command imports this module before it needs Playwright
    from playwright.async_api import Page, Response


class PageRefused(Exception):
    """The page is not one to read: `state` and the message are the result to report."""

    def __init__(self, state: State, detail: str) -> None:
        super().__init__(detail)
        self.state = state


def host_of(url: str) -> str:
    """The host as the browser reads it; "" (no platform's) for anything but a plain http(s) URL."""
    return url_host(url)


def on_login_host(url: str, platform: Platform) -> bool:
    """A page of the platform's sign-in service on another host (auth.openai.com, accounts.google.com)."""
    return platform.login is not None and host_in(host_of(url), platform.login.hosts)


def check_host(page: Page, platform: Platform) -> None:
    """Refuse a page outside the platform's domains and login hosts; call after every navigation
    and before every read or click (a script may move the page at any time)."""
    url = page.url
    if urlsplit(url).scheme in ("about", "data") or on_login_host(url, platform):
        return
    host = host_of(url)
    if not host_in(host, platform.domains):
        raise PageRefused(State.ERROR, f"the page moved to another site: {host or url}; nothing was read or clicked")


def check_response(response: Response | None, platform: Platform) -> None:
    """Refuse a document the server answered with an error: reading it would misreport (a 500 is
    not a missing control). 401 is a login wall; 403 and 429 are the platform refusing the visit."""
    if response is None:
        return
    status, url = response.status, response.url
    if status == 401:
        raise PageRefused(State.NEEDS_LOGIN, f"HTTP 401 from {url}: the site wants you to log in again")
    if status in (403, 429):
        why = "refused the visit" if status == 403 else "rate-limited the visit (too many requests)"
        raise PageRefused(State.ERROR, f"HTTP {status} from {url}: the platform {why}; try again later")
    if status == 404 or status >= 500:
        raise PageRefused(State.ERROR, f"HTTP {status} from {url}; nothing was read or clicked")
