"""What the engine checks about a page before it reads or clicks anything on it.

A settings URL can answer with an error page, a login wall on another host, or a redirect to a
site that is not the platform at all (which may show a switch with the very same label). Nothing
on such a page is read or clicked: the result says what happened instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from optout.domains import host_in
from optout.recipes.schema import Platform
from optout.results import State
from optout.urls import url_host

if TYPE_CHECKING:  # the login command imports this module before it needs Playwright
    from playwright.async_api import BrowserContext, Page, Request, Response

# Where each page's main frame last asked to go (a redirect's target included). A navigation that
# fails leaves the page on the browser's error page, whose URL (chrome-error://…) does not say
# where it was going: a redirect to a site that does not answer must still be called off-site.
_heading: WeakKeyDictionary[Page, str] = WeakKeyDictionary()
# Why that navigation failed, when it did (net::ERR_CONNECTION_RESET): Playwright may report the
# failure only as the navigation being "interrupted by another navigation to chrome-error://…".
_failure: WeakKeyDictionary[Page, str] = WeakKeyDictionary()


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


def follow_navigations(context: BrowserContext) -> None:
    """Remember, for every page of `context`, the URL its last navigation asked for, and why that
    navigation failed if it did."""
    from playwright.async_api import Error

    def main_frame_page(request: Request) -> Page | None:
        if not request.is_navigation_request():
            return None
        try:
            frame = request.frame
        except Error:  # a service worker's request has no frame
            return None
        return frame.page if frame.parent_frame is None else None

    def on_request(request: Request) -> None:
        if (page := main_frame_page(request)) is not None:
            _heading[page] = request.url
            _failure.pop(page, None)

    def on_failed(request: Request) -> None:
        if (page := main_frame_page(request)) is not None and request.failure:
            _failure[page] = request.failure

    context.on("request", on_request)
    context.on("requestfailed", on_failed)


def failed_navigation(page: Page) -> str | None:
    """Why the page's last navigation failed (net::ERR_CONNECTION_REFUSED), None if it did not."""
    return _failure.get(page)


def _on_platform(url: str, platform: Platform) -> bool:
    return (
        urlsplit(url).scheme in ("about", "data")
        or on_login_host(url, platform)
        or host_in(host_of(url), platform.domains)
    )


def _moved(url: str) -> PageRefused:
    return PageRefused(
        State.ERROR, f"the page moved to another site: {host_of(url) or url}; nothing was read or clicked"
    )


def check_heading(page: Page, platform: Platform) -> None:
    """Refuse a page whose last navigation asked for a URL off the platform, whether or not that
    URL loaded (call when a navigation failed: the error names only the URL first asked for)."""
    heading = _heading.get(page)
    if heading is not None and not _on_platform(heading, platform):
        raise _moved(heading)


def check_host(page: Page, platform: Platform) -> None:
    """Refuse a page outside the platform's domains and login hosts; call after every navigation
    and before every read or click (a script may move the page at any time). The browser's error
    page is refused too, named by where the page was going."""
    url = page.url
    if url.startswith("chrome-error:"):
        check_heading(page, platform)
        raise PageRefused(State.ERROR, f"{_heading.get(page, 'the page')} did not load; nothing was read or clicked")
    if not _on_platform(url, platform):
        raise _moved(url)


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
