"""Watching the page's write requests, so "saved" means the site's own request was answered.

A switch that flips in the page proves nothing: the page may update optimistically and the save
may still be in flight (or fail). Reloading before the server answered could abort it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Page, Request, Response

from optout.domains import host_in

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteWatcher:
    """Counts the page's writes to the platform itself (non-GET requests to its own domains, not
    analytics beacons): how many started, how many are still in flight."""

    def __init__(self, page: Page, domains: Iterable[str]) -> None:
        self.started = 0
        self._first = asyncio.Event()
        self._pending: set[Request] = set()
        self._page = page
        self._domains = list(domains)
        # The server's answer ends a write: Chromium may never report `requestfinished` for a
        # fetch whose body the page does not read.
        self._listeners: list[tuple[str, Callable[[Any], None]]] = [
            ("request", self._on_request),
            ("response", self._on_response),
            ("requestfinished", self._on_done),
            ("requestfailed", self._on_done),
        ]
        for event, listener in self._listeners:
            page.on(event, listener)  # type: ignore[call-overload]

    def __enter__(self) -> WriteWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop listening: later changes on the same page get their own watcher."""
        for event, listener in self._listeners:
            self._page.remove_listener(event, listener)

    def _on_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if request.method not in READ_METHODS and request.resource_type != "ping" and host_in(host, self._domains):
            self.started += 1
            self._first.set()
            self._pending.add(request)

    def _on_response(self, response: Response) -> None:
        self._pending.discard(response.request)

    def _on_done(self, request: Request) -> None:
        self._pending.discard(request)

    async def first_write(self, timeout: float) -> bool:
        """Wait for the page's first write (an optimistic page may send it a moment after the
        click); False when none started within `timeout`."""
        try:
            await asyncio.wait_for(self._first.wait(), timeout)
            return True
        except TimeoutError:
            return False

    @property
    def in_flight(self) -> int:
        return len(self._pending)
