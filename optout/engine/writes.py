"""Watching the page's requests to its own platform: its writes, so "saved" means the site's own
request was answered, and (optout/engine/quiet.py) all its traffic, so "settled" means it is done.

A switch that flips in the page proves nothing: the page may update optimistically and the save
may still be in flight (or fail). Reloading before the server answered could abort it. Analytics
beacons and other hosts never count.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Any, Self
from urllib.parse import urlsplit

from playwright.async_api import Page, Request, Response

from optout.domains import host_in

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _wait(event: asyncio.Event, timeout: float) -> bool:
    try:
        await asyncio.wait_for(event.wait(), max(0.0, timeout))
        return True
    except TimeoutError:
        return False


class PlatformRequests:
    """The page's requests to the platform's own domains that `counts` selects: how many started,
    and which still wait for the server's answer. Use as a context manager, or close()."""

    def __init__(self, page: Page, domains: Iterable[str]) -> None:
        self.started = 0
        self.last_activity = time.monotonic()  # when a request of these last started or was answered
        self._pending: set[Request] = set()
        self._first = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._page = page
        self._domains = list(domains)
        # The server's answer ends a request: Chromium may never report `requestfinished` for a
        # fetch whose body the page does not read.
        self._listeners: list[tuple[str, Callable[[Any], None]]] = [
            ("request", self._on_request),
            ("response", self._on_response),
            ("requestfinished", self._forget),
            ("requestfailed", self._forget),
        ]
        for event, listener in self._listeners:
            page.on(event, listener)  # type: ignore[call-overload]  # typed per event name, not for a str

    def counts(self, request: Request) -> bool:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening: later work on the same page gets its own watcher."""
        for event, listener in self._listeners:
            self._page.remove_listener(event, listener)

    def _on_request(self, request: Request) -> None:
        if host_in(urlsplit(request.url).hostname or "", self._domains) and self.counts(request):
            self.started += 1
            self.last_activity = time.monotonic()
            self._first.set()
            self._idle.clear()
            self._pending.add(request)

    def _on_response(self, response: Response) -> None:
        self._forget(response.request)

    def _forget(self, request: Request) -> None:
        if request in self._pending:
            self.last_activity = time.monotonic()
        self._pending.discard(request)
        if not self._pending:
            self._idle.set()

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    async def first(self, timeout: float) -> bool:
        """Wait for the first request (an optimistic page may send its save a moment after the
        click); False when none started within `timeout`."""
        return await _wait(self._first, timeout)

    async def idle(self, timeout: float) -> bool:
        """Wait until no request is waiting for its answer; False when `timeout` passed first.
        True means none is in flight now: a request that started between the last answer and
        this wake-up is waited for too."""
        deadline = time.monotonic() + timeout
        while await _wait(self._idle, deadline - time.monotonic()):
            if not self._pending:
                return True
        return False


class WriteWatcher(PlatformRequests):
    """The page's writes: non-GET requests, not beacons."""

    def counts(self, request: Request) -> bool:
        return request.method not in READ_METHODS and request.resource_type != "ping"
