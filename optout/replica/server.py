"""HTTP plumbing shared by the replica platforms: requests, responses, routing, one server each.

Standard library only, so the replica ships inside optout without new dependencies. Each
platform runs its own ThreadingHTTPServer on 127.0.0.1 (port 0 = a free port) in a daemon
thread. Connections are HTTP/1.0 (one request each) and stopping also closes any socket still
open, so tests can start and stop many replicas without threads piling up.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

from optout.replica import interruptions
from optout.replica.assets import json_script, kit_file
from optout.replica.options import ReplicaOptions
from optout.replica.state import Session, Store

COOKIE_MAX_AGE = 365 * 24 * 3600

# What the ticking_clock variant adds to every HTML page: a clock redrawn every 100 ms.
TICKING_CLOCK = (
    b'<p class="replica-clock" aria-live="off">Server time: <time></time></p><script>'
    b'setInterval(() => { document.querySelector(".replica-clock time").textContent = '
    b"new Date().toISOString(); }, 100);</script>"
)
# What the flickering_switch variant adds: every switch flips its state every 150 ms.
FLICKERING_SWITCH = (
    b"<script>setInterval(() => document.querySelectorAll('[role=switch]').forEach((el) => {"
    b" const on = el.getAttribute('aria-checked') !== 'true'; el.setAttribute('aria-checked', String(on));"
    b" if (el instanceof HTMLInputElement) el.checked = on; }), 150);</script>"
)


def _restless(options: ReplicaOptions) -> bytes:
    """The scripts the restless variants add to every HTML page (none by default)."""
    return (TICKING_CLOCK if options.ticking_clock else b"") + (FLICKERING_SWITCH if options.flickering_switch else b"")


def _variations(options: ReplicaOptions) -> bytes:
    """The script of the widget and names variations for every HTML page (widgets.js), when one is on."""
    if options.toggle_widget is None and options.names is None:
        return b""
    config = json_script("replica-variation", {"widget": options.toggle_widget, "names": options.names})
    return (config + "<script>" + kit_file("optout.replica", "widgets.js") + "</script>").encode()


@dataclass(frozen=True)
class Cookie:
    """A cookie a site sets; the same object yields the Set-Cookie header and the storage state."""

    name: str
    value: str
    http_only: bool = True

    @property
    def secure(self) -> bool:
        """`__Secure-`/`__Host-` cookies must be Secure, or browsers refuse them. Chromium counts
        http://127.0.0.1 as a secure context, so the replica can keep the real names."""
        return self.name.startswith(("__Secure-", "__Host-"))

    def header(self) -> str:
        flags = ("; HttpOnly" if self.http_only else "") + ("; Secure" if self.secure else "")
        return f"{self.name}={self.value}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax{flags}"

    def storage(self, host: str) -> dict[str, Any]:
        """The cookie in Playwright's storage-state format."""
        return {
            "name": self.name,
            "value": self.value,
            "domain": host,
            "path": "/",
            "expires": float(int(time.time()) + COOKIE_MAX_AGE),
            "httpOnly": self.http_only,
            "secure": self.secure,
            "sameSite": "Lax",
        }


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    cookies: dict[str, str]
    body: bytes = b""
    match: re.Match[str] | None = None

    @property
    def target(self) -> str:
        """Path plus query string, as the browser asked for it (for login redirects)."""
        if not self.query:
            return self.path
        return self.path + "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in self.query.items())

    def json(self) -> dict[str, Any]:
        try:
            data = json.loads(self.body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items()}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode("utf-8"))

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data).encode("utf-8"), "application/json; charset=utf-8")

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        return cls(status, b"", "text/plain", [("Location", location)])

    @classmethod
    def not_found(cls) -> Response:
        return cls(404, b"<!doctype html><title>Page not found</title><h1>Page not found</h1>")

    def set_cookies(self, cookies: list[Cookie]) -> Response:
        self.headers.extend(("Set-Cookie", c.header()) for c in cookies)
        return self


def parse_cookies(header: str) -> dict[str, str]:
    """A lenient Cookie-header parser: SimpleCookie gives up on values other sites may set."""
    cookies: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


def safe_redirect(target: str | None, default: str) -> str:
    """Only same-site paths are followed after login: no open redirect, not even on a replica."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# A page method of a Site subclass: (self, request, *groups of its pattern) -> Response. Kept
# generic so that `@route` returns the subclass's own method type unchanged.
Handler = TypeVar("Handler", bound=Callable[..., Response])


class ResetConnection(Exception):
    """Raised by a page handler to answer with a TCP reset instead of an HTTP response."""


_RESETS = threading.Lock()  # the options' reset count is shared by every site's server threads


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Mark a Site method as the handler of `method` on paths fully matching `pattern`."""

    def mark(fn: Handler) -> Handler:
        fn.__dict__.setdefault("_routes", []).append((method, re.compile(pattern)))
        return fn

    return mark


class Site:
    """One platform: its routes, its store, how its cookies make a session.

    Subclasses set `name`, define `defaults()`, `cookies()` and `session_of()`, and mark their
    page methods with `@route`.
    """

    name = "site"
    # settings kept for decoy controls only; `Replica.state()` leaves them out
    private_keys: frozenset[str] = frozenset()
    # Each resource (publication, site) lives on a host of its own, `{resource}.HOST`, as on
    # Substack and Squarespace: the site is then served as `localhost`, whose every subdomain
    # browsers resolve to loopback by themselves (RFC 6761), which no IP address allows.
    resource_in_host = False

    def __init__(self, options: ReplicaOptions) -> None:
        self.options = options
        self.store = Store(self.defaults, self.new_csrf)
        self.stopping = threading.Event()  # set on stop: cuts short any delay still sleeping
        # The headers of each settings-page request: how the browser presented itself (its
        # User-Agent, its Accept-Language), which tests of the session's identity look at.
        self.visits: list[dict[str, str]] = []
        self.consents: list[str] = []  # what the interruptions variant's consent banner was answered
        self._routes: list[tuple[str, re.Pattern[str], Callable[[Request], Response]]] = []
        seen: set[str] = set()
        for klass in type(self).__mro__:  # subclass first, so an override wins
            for attr, fn in vars(klass).items():
                if attr in seen or not hasattr(fn, "_routes"):
                    continue
                seen.add(attr)
                for method, pattern in fn._routes:
                    self._routes.append((method, pattern, getattr(self, attr)))

    # per-platform contract ------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        raise NotImplementedError

    def new_csrf(self) -> str:
        return secrets.token_hex(16)

    def cookies(self, session: Session) -> list[Cookie]:
        """The cookies that carry `session` in a browser."""
        raise NotImplementedError

    def session_of(self, request: Request) -> Session | None:
        """The valid session the request's cookies prove, or None."""
        raise NotImplementedError

    def login_redirect(self, request: Request) -> Response:
        """Where the site sends a logged-out visitor of a page that needs a session."""
        raise NotImplementedError

    def checkpoint_redirect(self, request: Request) -> Response:
        """Where the site sends a logged-in visitor it wants to check first (the `checkpoint` variant)."""
        raise NotImplementedError

    def gate(self, request: Request) -> Session | Response:
        """What every settings page does first: the server's delay, then its login wall, then its
        security checkpoint. Returns the session, or the redirect to answer with instead."""
        self.visits.append(dict(request.headers))
        self.page_delay()
        o = self.options
        with _RESETS:
            if o.reset_settings > 0:
                o.reset_settings -= 1
                raise ResetConnection
        session = self.session_of(request)
        if session is None:
            return self.login_redirect(request)
        if (challenge := interruptions.bot_check(o.interruption)) is not None:
            return Response.html(challenge[1], challenge[0])
        if o.checkpoint or (o.headless_checkpoint and "HeadlessChrome" in request.headers.get("user-agent", "")):
            return self.checkpoint_redirect(request)
        if o.settings_status != 200:
            return Response.html(
                f"<!doctype html><title>Error {o.settings_status}</title><h1>Something went wrong</h1>",
                o.settings_status,
            )
        if o.empty_settings:
            return Response(200, b"")
        if o.offsite and o.offsite_by == "http":
            return Response.redirect(o.offsite)
        if o.offsite:
            return Response.html(
                f"<!doctype html><title>Moving</title><script>location.replace({json.dumps(o.offsite)})</script>"
            )
        return session

    def opted_out(self, key: str, value: Any) -> bool:
        """Whether a stored value means opted out: the ground truth tests check. Most platforms'
        switches opt out when off; a kit whose controls differ says so."""
        return value is False

    def opted_out_value(self, key: str) -> Any:
        """The value stored for `key` when the user has opted out (the one opted_out accepts)."""
        return False

    def served_settings(self, email: str) -> dict[str, Any]:
        """The settings a page's read is answered with: what the store keeps, except that with
        alternate_reads every other answer has each setting opted out (decoys keep theirs)."""
        settings = self.store.settings(email)
        if self.options.alternate_reads and self.store.count_read() % 2:
            settings.update({k: self.opted_out_value(k) for k in settings if k not in self.private_keys})
        return settings

    def cookie_hosts(self, host: str) -> list[str]:
        """The hosts a signed-in browser holds the session cookies for, the site being served on
        `host`: one, unless its resources live on hosts of their own."""
        return [host]

    def session_values(self, email: str) -> list[str]:
        return self.store.tokens(email)

    # helpers for page handlers --------------------------------------------------------------
    def page_delay(self) -> None:
        if self.options.page_delay > 0:
            self.stopping.wait(self.options.page_delay)

    def save_delay(self) -> None:
        if self.options.save_delay > 0:
            self.stopping.wait(self.options.save_delay)

    def rotated(self, session: Session, response: Response) -> Response:
        """With rotate_cookies on, give the browser a new session value and kill the old one."""
        if self.options.rotate_cookies:
            new = self.store.rotate(session.token)
            if new is not None:
                response.set_cookies(self.cookies(new))
        return response

    @route("GET", r"/favicon\.ico")
    def favicon(self, request: Request) -> Response:
        return Response(204, b"", "image/x-icon")

    @route("GET", r"/__replica/ready")
    def ready(self, request: Request) -> Response:
        """The request enable_after's controls wait on, answered that many seconds late."""
        self.stopping.wait(self.options.enable_after or 0.0)
        return Response.json({"ready": True})

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path == interruptions.CONSENT_PATH:
            self.consents.append(str(request.json().get("choice")))
            return Response(204, b"", "text/plain")
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if match and method == request.method:
                request.match = match
                response = self.varied(request, handler(request))
                if request.method == "GET" and response.status == 200 and response.content_type.startswith("text/html"):
                    response.body += interruptions.script(self.options.interruption)
                return response
        return Response.not_found()

    def varied(self, request: Request, response: Response) -> Response:
        """The variations every kit gets whatever its own pages and API: a session cookie replaced
        on every signed-in response (rotate_every_response), and the page script of
        variations.js (a loading placeholder, controls enabled late, a second match drawn late)."""
        o = self.options
        answer = response.content_type.startswith(("text/html", "application/json"))  # not an icon
        if o.rotate_cookies and o.rotate_every_response and answer and (session := self.session_of(request)):
            response = self.rotated(session, response)  # (a settings page has rotated it already)
        if response.content_type.startswith("text/html") and b"</body>" in response.body:
            config: dict[str, object] = {"placeholder": o.placeholder, "enableAfter": o.enable_after is not None}
            config["lateDuplicateMs"] = None if o.late_duplicate is None else round(o.late_duplicate * 1000)
            if config != {"placeholder": "busy", "enableAfter": False, "lateDuplicateMs": None}:
                script = json_script("replica-variations", config)
                script += f"<script>{kit_file(__package__, 'variations.js')}</script>"
                response.body = response.body.replace(b"</body>", script.encode("utf-8") + b"</body>", 1)
        return response


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "replica"
    timeout = 30  # a client that connects and never speaks does not hold a thread for ever

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        request = Request(
            method=self.command,
            path=parts.path or "/",
            query=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            cookies=parse_cookies(self.headers.get("Cookie", "")),
            body=body,
        )
        try:
            response = self.server.site.handle(request)
        except ResetConnection:  # close at once with no lingering: the client gets a TCP reset
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        except Exception:  # a bug in a replica page must show up in the test output, not hang it
            traceback.print_exc(file=sys.stderr)
            response = Response(500, b"Internal Server Error", "text/plain")
        if response.content_type.startswith("text/html"):
            options = self.server.site.options
            response.body = response.body.replace(b"</body>", _restless(options) + _variations(options) + b"</body>", 1)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: test output is for failures, and request lines could carry tokens."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins handler threads: nothing outlives stop()

    def __init__(self, site: Site, host: str) -> None:
        self.site = site
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__((host, 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Unblock handler threads still waiting on a client (e.g. Chromium's pre-opened sockets)."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that navigates away mid-answer is normal; anything else is printed."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class SiteServer:
    """One Site served on host:free-port in a daemon thread."""

    def __init__(self, site: Site, host: str = "127.0.0.1") -> None:
        self.site = site
        self.host = host
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError(f"the {self.site.name} replica is not running")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> None:
        if self._server is not None:
            return
        self.site.stopping.clear()
        self._server = _Server(self.site, self.host)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"replica-{self.site.name}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.shutdown()
        self.site.stopping.set()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()
