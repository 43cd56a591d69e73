"""Reading cookies exported from the user's everyday browser, for servers without a screen.

Three formats reach us: the Netscape cookies.txt that "cookies.txt" extensions and yt-dlp write,
the JSON list that cookie-editor extensions export (chrome.cookies field names), and Playwright's
own storage state. All three become one Playwright storage state: `{"cookies": [...], "origins": [...]}`.

A cookie file is as secret as a password, so no error message ever quotes a line or a field of
the file: they name the file, the line and the field, and say what was expected instead.
"""

from __future__ import annotations

import codecs
import ipaddress
import json
import json.decoder
import json.scanner
import math
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optout.domains import host_in
from optout.errors import UsageError
from optout.input_files import read_input
from optout.urls import parse_web_url

MAX_BYTES = 20 * 1024 * 1024  # a whole browser's cookie jar is far smaller; anything bigger is the wrong file
MAX_EXPIRES = 253402300799  # 9999-12-31T23:59:59Z, the latest time a cookie can carry
NETSCAPE_FIELDS = "domain, include-subdomains flag, path, secure flag, expiry, name, value"
SAME_SITE = {
    # cookie-editor / chrome.cookies spelling -> Playwright spelling; "unspecified" behaves as Lax in Chromium
    "no_restriction": "None",
    "none": "None",
    "lax": "Lax",
    "strict": "Strict",
    "unspecified": "Lax",
}


@dataclass(frozen=True)
class CookieImport:
    """What a file held: a Playwright storage state, and the name of the format it came in."""

    state: dict[str, Any]
    format: str

    @property
    def cookie_count(self) -> int:
        return len(self.state["cookies"])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _domain(domain: str, include_subdomains: bool | None) -> str:
    """Playwright marks a cookie for subdomains with a leading dot; an IP address never takes one."""
    bare = domain.lstrip(".").lower()
    if include_subdomains is None:
        return domain.lower()
    return "." + bare if include_subdomains and not _is_ip(bare) else bare


def _cookie(
    where: str,
    name: str,
    value: str,
    domain: str,
    path: str,
    expires: float,
    http_only: bool,
    secure: bool,
    same_site: str,
) -> dict[str, Any]:
    """One cookie in Playwright's spelling, or a UsageError for what Chromium would refuse later
    (it then refuses the whole session at the next run). Names the cookie, never its value."""
    cookie = f"cookie {name!r}" if name.isprintable() else "a cookie with an unprintable name"
    if not math.isfinite(expires) or expires > MAX_EXPIRES:
        raise UsageError(f"{where}: {cookie}: the expiry is not a Unix time in seconds")
    if not host_in(domain, [domain.lstrip(".").lower()]):  # the one host-name rule: no "/", "\\", spaces
        raise UsageError(f"{where}: {cookie}: the domain is not a host name")
    for what, text in (("name", name), ("value", value), ("path", path)):
        if any(ord(ch) < 0x20 and ch != "\t" or ord(ch) == 0x7F for ch in text):
            raise UsageError(f"{where}: {cookie}: its {what} holds control characters, which browsers refuse")
    # A __Secure- or __Host- cookie only ever exists with the secure flag (a __Host- one also
    # host-only, on path /): browsers set it no other way, so an export that lost the flag is restored.
    if name.startswith(("__Secure-", "__Host-")):
        secure = True
    if name.startswith("__Host-"):
        domain, path = domain.lstrip("."), "/"
    # Chromium drops a SameSite=None cookie that is not Secure; Lax is what it would then apply anyway.
    if same_site == "None" and not secure:
        same_site = "Lax"
    return {
        "name": name,
        "value": value,
        "domain": domain,
        "path": path or "/",
        "expires": expires if expires > 0 else -1,
        "httpOnly": http_only,
        "secure": secure,
        "sameSite": same_site,
    }


SUPPORTED = "optout reads cookies.txt (Netscape format) or a JSON export, as UTF-8 or UTF-16 text"
_SQLITE = b"SQLite format 3\x00"


def _read_text(path: Path) -> str:
    """The file's text, or a UsageError that says why it cannot be read and what is supported (a
    device or a pipe is refused before reading: see optout.input_files). Windows tools save
    exports as UTF-16 with a byte-order mark; a browser's own cookie database is not an export."""
    data = read_input(path, MAX_BYTES, "cookie file")
    if data.startswith(_SQLITE):
        raise UsageError(f"{path}: a browser's cookie database (SQLite), not an export; {SUPPORTED}")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a text file; {SUPPORTED}") from None


# --- Netscape cookies.txt -------------------------------------------------------------------------


def _flag(text: str, where: str, what: str) -> bool:
    upper = text.strip().upper()
    if upper not in ("TRUE", "FALSE"):
        raise UsageError(f"{where}: the {what} field must be TRUE or FALSE")
    return upper == "TRUE"


def _netscape_line(line: str, where: str) -> dict[str, Any] | None:
    """One cookie from one line, None for comments and blank lines. `#HttpOnly_` marks HttpOnly."""
    http_only = line.startswith("#HttpOnly_")
    if http_only:
        line = line.removeprefix("#HttpOnly_")
    elif line.startswith("#") or not line.strip():
        return None
    fields = line.split("\t")
    if len(fields) == 6:  # an empty value loses its tab in some exporters; yt-dlp reads it the same way
        fields.append("")
    if len(fields) != 7:
        raise UsageError(f"{where}: expected 7 tab-separated fields ({NETSCAPE_FIELDS}), found {len(fields)}")
    domain, subdomains, path, secure, expiry, name, value = fields
    if not domain.strip() or not name:
        raise UsageError(f"{where}: the {'domain' if not domain.strip() else 'name'} field is empty")
    try:
        expires = float(expiry.strip() or 0)
    except ValueError:
        raise UsageError(f"{where}: the expiry field must be a Unix time in seconds") from None
    return _cookie(
        where,
        name,
        value,
        _domain(domain.strip(), _flag(subdomains, where, "include-subdomains")),
        path,
        expires,
        http_only,
        _flag(secure, where, "secure"),
        "Lax",
    )


def parse_netscape(text: str, name: str) -> list[dict[str, Any]]:
    """Cookies of a Netscape cookies.txt; `name` (the file) goes into error messages."""
    cookies = []
    for number, line in enumerate(text.splitlines(), start=1):
        cookie = _netscape_line(line.rstrip("\r\n"), f"{name}:{number}")
        if cookie is not None:
            cookies.append(cookie)
    return cookies


# --- JSON: cookie-editor lists and Playwright storage states --------------------------------------


class _Located(dict[str, Any]):
    """A JSON object that remembers the line it started on, for error messages."""

    line: int = 1


def _load_json(text: str, name: str) -> Any:
    """json.loads, but every object knows its line (the pure-Python scanner lets us hook objects)."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        # The pure-Python scanner's hooks are json's internals, which typeshed does not describe.
        obj, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        located = _Located(obj)
        located.line = bisect_right(newlines, s_and_end[1]) + 1
        return located, end

    decoder.parse_object = parse_object  # type: ignore[attr-defined]  # json's internals, as above
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]  # likewise
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise UsageError(f"{name}: nested too deeply to be a cookie export") from None


def _where(name: str, obj: Any, index: int) -> str:
    return f"{name}:{getattr(obj, 'line', 1)}: cookie {index + 1}"


def _field(
    obj: dict[str, Any], keys: tuple[str, ...], kind: type | tuple[type, ...], where: str, default: Any = None
) -> Any:
    """The first of keys present in obj, checked against kind; never quotes the value it found."""
    for key in keys:
        if key in obj and obj[key] is not None:
            value = obj[key]
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                names: dict[object, str] = {str: "text", bool: "true or false"}  # other kinds: numbers
                expected = names.get(kind, "a number")
                raise UsageError(f"{where}: {key!r} must be {expected}")
            return value
    if default is None:
        raise UsageError(f"{where}: {keys[0]!r} is missing")
    return default


def _json_cookie(obj: Any, where: str) -> dict[str, Any]:
    """A cookie in chrome.cookies spelling (cookie-editor, EditThisCookie) or Playwright's."""
    if not isinstance(obj, dict):
        raise UsageError(f"{where}: expected an object with name, value and domain")
    name = _field(obj, ("name",), str, where)
    value = _field(obj, ("value",), str, where)
    domain = _field(obj, ("domain",), str, where)
    if not name or not domain.strip("."):
        raise UsageError(f"{where}: {'name' if not name else 'domain'!r} is empty")
    expires = _field(obj, ("expires", "expirationDate"), (int, float), where, -1)
    if obj.get("session") is True:
        expires = -1
    host_only = obj.get("hostOnly")
    same_site_raw = _field(obj, ("sameSite",), str, where, "unspecified")
    same_site = SAME_SITE.get(same_site_raw.lower())
    if same_site is None:
        raise UsageError(f"{where}: 'sameSite' must be one of Strict, Lax, None, no_restriction, unspecified")
    cookie = _cookie(
        where,
        name,
        value,
        _domain(domain, None if host_only is None else not host_only),
        _field(obj, ("path",), str, where, "/"),
        float(expires),
        _field(obj, ("httpOnly",), bool, where, False),
        _field(obj, ("secure",), bool, where, False),
        same_site,
    )
    return cookie | _partition(obj, where)


def _partition(obj: dict[str, Any], where: str) -> dict[str, Any]:
    """A partitioned (CHIPS) cookie's partition in Playwright's spelling, {} for an ordinary cookie.

    A site's cookie set while it was embedded in another site lives in that site's partition, and
    often has the same name as the site's own session cookie: without its partition it would
    replace the session cookie and sign the session out. chrome.cookies (cookie-editor) spells it
    `{"topLevelSite": …, "hasCrossSiteAncestor": …}`, Playwright `"partitionKey": SITE` with
    `_crHasCrossSiteAncestor`. Browsers keep partitioned cookies only with the Secure flag."""
    key = obj.get("partitionKey")
    if key is None or key == "" or key == {}:
        return {}
    cross = obj.get("_crHasCrossSiteAncestor")
    if isinstance(key, dict):
        site, cross = key.get("topLevelSite"), key.get("hasCrossSiteAncestor", cross)
    else:
        site = key
    if not isinstance(site, str) or (cross is not None and not isinstance(cross, bool)):
        raise UsageError(f"{where}: 'partitionKey' must be a top-level site, or an object with 'topLevelSite'")
    try:
        site = parse_web_url(site).origin
    except ValueError as exc:
        raise UsageError(f"{where}: 'partitionKey' is not a web site: {exc}") from None
    return {"partitionKey": site, "secure": True} | ({} if cross is None else {"_crHasCrossSiteAncestor": cross})


def _cookie_list(items: list[Any], name: str) -> list[dict[str, Any]]:
    return [_json_cookie(obj, _where(name, obj, i)) for i, obj in enumerate(items)]


def _origins(items: Any, name: str, line: int) -> list[dict[str, Any]]:
    """Playwright's localStorage records: kept as they are once their shape is right."""
    if not isinstance(items, list):
        raise UsageError(f"{name}:{line}: 'origins' must be a list")
    for obj in items:
        where = f"{name}:{getattr(obj, 'line', line)}: origin"
        if not isinstance(obj, dict) or not isinstance(obj.get("origin"), str):
            raise UsageError(f"{where}: expected an object with 'origin' and 'localStorage'")
        try:
            obj["origin"] = parse_web_url(obj["origin"]).origin
        except ValueError as exc:
            raise UsageError(f"{where}: 'origin' is not a web origin: {exc}") from None
        entries = obj.get("localStorage", [])
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("value"), str) for e in entries
        ):
            raise UsageError(f"{where}: 'localStorage' must be a list of objects with text name and value")
    return [{"origin": o["origin"], "localStorage": [dict(e) for e in o.get("localStorage", [])]} for o in items]


def _storage_state(data: Any, name: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("cookies"), list):
        raise UsageError(f"{name}:1: expected a Playwright storage state: an object with a 'cookies' list")
    line = getattr(data, "line", 1)
    return {"cookies": _cookie_list(data["cookies"], name), "origins": _origins(data.get("origins", []), name, line)}


# --- entry points ---------------------------------------------------------------------------------


def _nonempty(result: CookieImport, path: Path) -> CookieImport:
    if not result.state["cookies"]:
        raise UsageError(f"{path}: no cookies in this file")
    return result


def read_storage_state(path: Path) -> CookieImport:
    """A Playwright storage state file (`--storage-state`), checked cookie by cookie."""
    data = _load_json(_read_text(path), path.name)
    return _nonempty(CookieImport(_storage_state(data, path.name), "Playwright storage state"), path)


def read_cookies(path: Path) -> CookieImport:
    """A cookie export (`--cookies`) in whichever format it is: JSON list, storage state or cookies.txt."""
    text = _read_text(path)
    start = text.lstrip()[:1]
    if start == "<":
        raise UsageError(f"{path}: looks like an HTML page, not a cookie export (expected cookies.txt or JSON)")
    if start == "[":
        cookies = _cookie_list(_load_json(text, path.name), path.name)
        result = CookieImport({"cookies": cookies, "origins": []}, "JSON cookie list")
    elif start == "{":
        result = CookieImport(_storage_state(_load_json(text, path.name), path.name), "Playwright storage state")
    else:
        result = CookieImport({"cookies": parse_netscape(text, path.name), "origins": []}, "Netscape cookies.txt")
    return _nonempty(result, path)
