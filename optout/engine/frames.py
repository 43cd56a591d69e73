"""The parts of a page the engine may read and click: the page itself and its frames that are
the platform's own.

A settings page may draw its controls inside an iframe (a settings app embedded in the page):
those are read, counted and clicked like the page's own, and the safety rule counts them too
(one match in the page and one in a frame is ambiguous). A frame from anywhere else (a widget,
an advert, a lookalike of the very switch) is never read nor clicked, and a result that could
not find its control says such a frame was left unread. Playwright reads any frame, whatever
its origin, so the rule is kept here: a frame is readable when its URL is on the platform's
domains (the rule guard.check_host keeps for the page), or about:blank / about:srcdoc, which
are of their parent's origin, and when every frame it sits in is readable too. A data: frame
has an origin of its own and is not read. Login hosts are not the platform's settings either.

Finding the frames costs nothing on a page without any: Playwright keeps the frame tree itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Frame, Page

from optout.domains import host_in
from optout.engine.guard import host_of
from optout.recipes.schema import Platform

# A frame of its parent's origin: empty, written by its parent, or not yet navigated ("").
_INHERITED = ("about:blank", "about:srcdoc", "")


@dataclass(frozen=True)
class Roots:
    """The page's main frame and its readable frames (document order), and the frames left unread."""

    frames: tuple[Frame, ...]
    unread: tuple[str, ...] = ()  # where each unread frame is from (a host, or the URL's scheme)

    def note(self) -> str:
        return unread_note(self.unread)


def unread_note(unread: tuple[str, ...]) -> str:
    """The sentence a result adds when frames were left unread (Roots.unread), "" when none was."""
    if not unread:
        return ""
    where = ", ".join(dict.fromkeys(unread))
    frames = "a frame" if len(unread) == 1 else f"{len(unread)} frames"
    return f"{frames} from {where} could not be read (not the platform's)"


def _own(frame: Frame, platform: Platform) -> bool:
    url = frame.url
    return url in _INHERITED or host_in(host_of(url), platform.domains)


def _where(url: str) -> str:
    return host_of(url) or url.partition(":")[0] + ":"


def roots(page: Page, platform: Platform) -> Roots:
    """Where to look for controls on `page` (whose own URL the caller has checked, guard.check_host)."""
    main = page.main_frame
    readable: list[Frame] = [main]
    unread: list[str] = []
    refused: set[Frame] = set()  # frames unread, so that what they contain is unread too
    for frame in page.frames:  # parents come before their children
        if frame is main or frame.is_detached():
            continue
        parent = frame.parent_frame
        if parent in refused or not _own(frame, platform):
            refused.add(frame)
            if parent not in refused:  # a frame inside an unread one is not named again
                unread.append(_where(frame.url))
        else:
            readable.append(frame)
    return Roots(tuple(readable), tuple(unread))
