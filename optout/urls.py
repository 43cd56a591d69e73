"""Web URLs read the way Chromium reads them, so that the host optout checks is the host the
browser visits.

Python's `urlsplit` and the browser disagree on hostile URLs: `http://127.0.0.1:1\\@evil.example/`
is "evil.example" to urlsplit and 127.0.0.1 to Chromium (a backslash is a slash in a web URL).
Every URL optout reads from a recipe, an option or a stored session goes through
`parse_web_url`, which parses by the WHATWG URL standard (ada-url, the parser Node.js uses) and
refuses what has no honest use here: backslashes, a user name or password, control characters,
and the ports browsers refuse to connect to.
"""

from __future__ import annotations

from dataclasses import dataclass

import ada_url

# The Fetch standard's "bad ports": Chromium refuses them (ERR_UNSAFE_PORT), so a recipe that
# names one could only fail at run time. Port 0 is never a real server.
BAD_PORTS = frozenset(
    {0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104}
    | {109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515}
    | {526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049}
    | {3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}
)


@dataclass(frozen=True)
class WebUrl:
    """An http(s) URL as the browser normalised it (lower-case host, punycode, default port dropped)."""

    href: str
    scheme: str
    host: str  # hostname only; IPv6 addresses keep their brackets, as the browser writes them
    port: str  # "" for the scheme's default port
    path: str
    query: str  # with its "?", or ""
    fragment: str  # with its "#", or ""

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}" + (f":{self.port}" if self.port else "")


def parse_web_url(value: str) -> WebUrl:
    """The http(s) URL in value; ValueError (saying what is wrong, quoting nothing but the port)
    for anything else."""
    if "\\" in value:
        raise ValueError("a backslash in a URL is read as a slash by browsers; write / instead")
    if value != value.strip() or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError("spaces or control characters around or inside the URL")
    try:
        parts = ada_url.parse_url(value)
    except ValueError:
        raise ValueError("not a valid URL") from None
    scheme = parts["protocol"].removesuffix(":")
    if scheme not in ("http", "https") or not parts["hostname"]:
        raise ValueError("not an http(s) URL")
    if parts["username"] or parts["password"]:
        raise ValueError("a user name or password in a URL is not allowed")
    if parts["port"] and int(parts["port"]) in BAD_PORTS:
        raise ValueError(f"port {parts['port']} is one browsers refuse to use")
    return WebUrl(
        href=parts["href"],
        scheme=scheme,
        host=parts["hostname"],
        port=parts["port"],
        path=parts["pathname"],
        query=parts["search"],
        fragment=parts["hash"],
    )


def url_host(value: str) -> str:
    """The host the browser would visit for value, or "" when it is not a usable http(s) URL
    (so that a domain check on it fails closed)."""
    try:
        return parse_web_url(value).host
    except ValueError:
        return ""
