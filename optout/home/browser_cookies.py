"""Reading one platform's cookies out of an installed browser's own cookie store (`login --from-browser`).

Where each browser keeps its profiles and how Chromium encrypts its cookies (the v10/v11 schemes
of Linux with the basic, GNOME keyring and KWallet key stores; the macOS Keychain) come from yt-dlp's
cookie module, the most actively maintained one, installed with `pip install 'optout[browsers]'`.
What optout does itself is what that module does not promise: the database is copied with its
write-ahead log before it is opened (a running Firefox keeps its newest cookies there, and the
browser is neither blocked nor touched), and only the rows whose host belongs to the platform are
ever read out of the copy: the rest of the jar is neither decrypted nor loaded. No message quotes a
cookie's value.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from optout.domains import host_in
from optout.errors import UsageError
from optout.home.cookie_files import CookieImport, _cookie

FIREFOX = "firefox"
CHROMIUM_FAMILY = ("chrome", "chromium", "edge", "brave", "vivaldi", "opera")
BROWSERS = (FIREFOX, *CHROMIUM_FAMILY)
SPEC = "NAME[+KEYRING][:PROFILE]"
KEYRINGS = ("basictext", "gnomekeyring", "kwallet", "kwallet5", "kwallet6")
INSTALL_HINT = "reading cookies from a browser needs the browsers extra: pip install 'optout[browsers]'"
UNSUPPORTED_WINDOWS = (
    "reading cookies from a browser is not supported on Windows (Chrome's app-bound encryption); "
    "export them with a cookies.txt extension and use --cookies FILE"
)
# Chromium counts its times in microseconds since 1601-01-01; the Unix epoch is this many seconds later.
CHROMIUM_EPOCH_OFFSET = 11644473600
# Chromium's samesite column: -1 unspecified (Lax in practice), 0 None, 1 Lax, 2 Strict; Firefox: 0..2.
SAME_SITE = {-1: "Lax", 0: "None", 1: "Lax", 2: "Strict"}


class BrowserStoreError(UsageError):
    """The browser, its profile, its database or its key store is not usable: the same for every
    platform, so `login --all` stops at the first one (exit 2)."""


@dataclass(frozen=True)
class BrowserSpec:
    """What `--from-browser` names: a browser, optionally a Linux key store and a profile (name or path)."""

    name: str
    keyring: str | None = None
    profile: str | None = None

    @property
    def title(self) -> str:
        return {"edge": "Edge", "vivaldi": "Vivaldi"}.get(self.name, self.name.capitalize())

    def __str__(self) -> str:
        return self.name + (f"+{self.keyring}" if self.keyring else "") + (f":{self.profile}" if self.profile else "")


@dataclass(frozen=True)
class BrowserCookies:
    """The platform's live cookies from one browser profile, and the names of those that had expired."""

    imported: CookieImport
    source: str  # "Firefox profile /home/u/.mozilla/firefox/abcd.default-release", for messages
    expired: tuple[str, ...]
    others: int  # how many cookies of the store belong to other sites (counted, never read)


def parse_spec(text: str, what: str = "--from-browser") -> BrowserSpec:
    """`firefox`, `chromium:Profile 1`, `chrome+gnomekeyring`, `firefox:/path/to/profile`; `what`
    is the option or config key the text came from, for the messages."""
    head, _, profile = text.partition(":")
    name, _, keyring = head.strip().lower().partition("+")
    if name not in BROWSERS:
        raise UsageError(f"{what}: unknown browser {name!r}; give one of {', '.join(BROWSERS)} ({SPEC})")
    if keyring and keyring not in KEYRINGS:
        raise UsageError(f"{what}: unknown key store {keyring!r}; give one of {', '.join(KEYRINGS)}")
    if keyring and name == FIREFOX:
        raise UsageError(f"{what}: Firefox keeps its cookies unencrypted; give no +KEYRING")
    return BrowserSpec(name, keyring or None, os.path.expanduser(profile) if profile else None)


def _library() -> ModuleType:
    """yt-dlp's cookie module, or the one-line install hint; Windows is refused before."""
    if sys.platform in ("win32", "cygwin"):
        raise BrowserStoreError(UNSUPPORTED_WINDOWS)
    try:
        import yt_dlp.cookies as library
    except ImportError:
        raise BrowserStoreError(INSTALL_HINT) from None
    return library


class _Quiet:
    """The logger yt-dlp's functions want: keeps their warnings (key-store trouble) for one message."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def debug(self, message: str, **_: Any) -> None:
        pass

    info = debug

    def warning(self, message: str, only_once: bool = False) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    error = warning

    def progress_bar(self) -> None:
        return None


def _is_path(profile: str) -> bool:
    return os.sep in profile or (os.altsep or os.sep) in profile


def _firefox_database(lib: ModuleType, spec: BrowserSpec) -> Path:
    roots = [Path(r) for r in lib._firefox_browser_dirs()]
    if spec.profile is not None and _is_path(spec.profile):
        search = [Path(spec.profile)]
        if not search[0].is_dir():
            raise BrowserStoreError(f"no Firefox profile folder {search[0]}: give the folder that holds cookies.sqlite")
    else:
        present = [r for r in roots if r.is_dir()]
        if not present:
            raise BrowserStoreError(
                f"Firefox is not installed for this user (no {', '.join(map(str, roots[:2]))}): "
                "sign in with Firefox once, or give its profile folder as firefox:/path/to/profile"
            )
        search = present if spec.profile is None else [r / spec.profile for r in present]
        if spec.profile is not None and not any(p.is_dir() for p in search):
            known = sorted({d.name for r in present for d in r.iterdir() if (d / "cookies.sqlite").is_file()})
            raise BrowserStoreError(
                f"no Firefox profile {spec.profile!r}; profiles here: {', '.join(known) or 'none'} "
                "(or give the profile folder as firefox:/path/to/profile)"
            )
    found = lib._newest(lib._firefox_cookie_dbs([str(p) for p in search]))
    if found is None:
        where = ", ".join(map(str, search))
        raise BrowserStoreError(f"no cookies.sqlite in {where}: open that profile in Firefox once")
    return Path(found)


def _chromium_database(lib: ModuleType, spec: BrowserSpec) -> tuple[Path, dict[str, Any]]:
    config = lib._get_chromium_based_browser_settings(spec.name)
    if spec.profile is not None and _is_path(spec.profile):
        root = Path(spec.profile)
        if not root.is_dir():
            raise BrowserStoreError(f"no {spec.title} profile folder {root}")
        # yt-dlp's rule: a profile path's parent holds the key file ("Local State") on Windows/macOS
        config["browser_dir"] = str(root.parent if config["supports_profiles"] else root)
    else:
        base = Path(config["browser_dir"])
        if not base.is_dir():
            raise BrowserStoreError(
                f"{spec.title} is not installed for this user (no {base}): "
                f"give its profile folder as {spec.name}:/path/to/profile"
            )
        root = base / spec.profile if spec.profile is not None and config["supports_profiles"] else base
        if not root.is_dir():
            known = sorted(d.name for d in base.iterdir() if (d / "Preferences").is_file())
            listed = ", ".join(known) or "none"
            raise BrowserStoreError(f"no {spec.title} profile {spec.profile!r}; profiles here: {listed}")
    found = lib._newest(lib._find_files(str(root), "Cookies", _Quiet()))
    if found is None:
        raise BrowserStoreError(f"no Cookies database in {root}: open that profile in {spec.title} once")
    return Path(found), config


@contextmanager
def _copy(database: Path) -> Iterator[sqlite3.Connection]:
    """The database opened from a private copy, with its write-ahead log and journal: the browser
    may hold it open and locked, and keeps its newest writes in the -wal file until a checkpoint."""
    with tempfile.TemporaryDirectory(prefix="optout-cookies-") as scratch:
        os.chmod(scratch, 0o700)
        copy = Path(scratch) / database.name
        try:
            shutil.copyfile(database, copy)
            for suffix in ("-wal", "-shm", "-journal"):
                sidecar = database.with_name(database.name + suffix)
                if sidecar.is_file():
                    shutil.copyfile(sidecar, copy.with_name(copy.name + suffix))
        except OSError as exc:
            raise BrowserStoreError(f"cannot read {database}: {exc.strerror or exc}") from None
        try:
            with closing(sqlite3.connect(copy)) as connection:
                yield connection
        except sqlite3.DatabaseError as exc:
            raise BrowserStoreError(f"{database}: not a readable cookie database ({exc})") from None


def _select(
    connection: sqlite3.Connection, table: str, host: str, columns: str, domains: list[str]
) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of the platform's hosts only (the filter runs inside SQLite, so no other site's
    value is ever read out), and how many rows belong to other sites."""
    connection.create_function("optout_keeps", 1, lambda h: host_in(str(h or ""), domains), deterministic=True)
    total = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    rows = connection.execute(f"SELECT {columns} FROM {table} WHERE optout_keeps({host})").fetchall()
    return rows, total - len(rows)


def _main_jar(attributes: str | None) -> bool:
    """Firefox's originAttributes of a cookie in the user's own jar: no container, no partition."""
    return not attributes or ("userContextId=" not in attributes and "partitionKey=" not in attributes)


def _firefox_rows(connection: sqlite3.Connection, domains: list[str]) -> tuple[list[tuple[Any, ...]], int]:
    # Cookies of containers and partitioned (third-party, CHIPS) cookies belong to other jars than the
    # one the user signs in with; FF142 (schema 16) counts expiry in milliseconds.
    schema = connection.execute("PRAGMA user_version").fetchone()[0]
    connection.create_function("optout_plain", 1, _main_jar, deterministic=True)
    rows, others = _select(
        connection,
        "moz_cookies",
        "host",
        "host, name, value, path, expiry, isSecure, isHttpOnly, sameSite, optout_plain(originAttributes)",
        domains,
    )
    scale = 1000 if schema >= 16 else 1
    return [
        (host, name, value, path, (expiry or 0) / scale, secure, http_only, same_site)
        for host, name, value, path, expiry, secure, http_only, same_site, plain in rows
        if plain
    ], others


def _chromium_rows(
    lib: ModuleType, connection: sqlite3.Connection, config: dict[str, Any], spec: BrowserSpec, domains: list[str]
) -> tuple[list[tuple[Any, ...]], int]:
    meta = int(connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
    logger = _Quiet()
    keyring = spec.keyring.upper() if spec.keyring else None
    decryptor = lib.get_cookie_decryptor(
        config["browser_dir"], config["keyring_name"], logger, keyring=keyring, meta_version=meta
    )
    connection.text_factory = bytes
    columns = {row[1].decode() for row in connection.execute("PRAGMA table_info(cookies)")}
    secure = "is_secure" if "is_secure" in columns else "secure"
    http_only = "is_httponly" if "is_httponly" in columns else "httponly"
    rows, others = _select(
        connection,
        "cookies",
        "host_key",
        f"host_key, name, value, encrypted_value, path, expires_utc, {secure}, {http_only}, samesite",
        domains,
    )
    out = []
    for host, name, value, encrypted, path, expires_utc, is_secure, is_http_only, same_site in rows:
        if encrypted:
            if encrypted[:3] == b"v20":
                raise BrowserStoreError(f"{spec.title} encrypts these cookies app-bound (v20), which is not supported")
            plain = decryptor.decrypt(encrypted)
            if plain is None:
                why = "; ".join(logger.warnings) or "the key did not fit"
                raise BrowserStoreError(
                    f"cannot decrypt {spec.title}'s cookies ({why}): unlock the key store it uses, or name it "
                    f"as {spec.name}+KEYRING ({', '.join(KEYRINGS)})"
                )
        else:
            plain = value.decode("utf-8", "replace")
        expires = expires_utc / 1_000_000 - CHROMIUM_EPOCH_OFFSET if expires_utc else 0
        out.append((host.decode(), name.decode(), plain, path.decode(), expires, is_secure, is_http_only, same_site))
    return out, others


def _cookies(rows: Iterable[tuple[Any, ...]], where: str, now: float) -> tuple[list[dict[str, Any]], list[str]]:
    """Playwright cookies under the `--cookies` rules (optout.home.cookie_files), and the names of the
    expired ones, which the browser itself would no longer send."""
    cookies, expired = [], []
    for host, name, value, path, expires, secure, http_only, same_site in rows:
        if 0 < expires <= now:
            expired.append(name)
            continue
        domain = host.lower()  # a leading dot marks a domain cookie; none, a host-only one
        site = SAME_SITE.get(same_site, "Lax")
        cookies.append(_cookie(where, name, value, domain, path, float(expires), bool(http_only), bool(secure), site))
    return cookies, expired


class Store:
    """One browser profile's cookie database, copied once and open: `read` takes each platform's share."""

    def __init__(
        self,
        lib: ModuleType,
        spec: BrowserSpec,
        database: Path,
        connection: sqlite3.Connection,
        config: dict[str, Any] | None,
    ) -> None:
        self._lib, self.spec, self._connection, self._config = lib, spec, connection, config
        profile = database.parent.parent if database.parent.name == "Network" else database.parent  # Chromium 96+
        self.source = f"{spec.title} profile {profile}"

    def read(self, domains: Iterable[str]) -> BrowserCookies:
        """The live cookies of `domains` under the `--cookies` rules, and the names of expired ones."""
        domains = list(domains)
        try:
            if self._config is None:
                rows, others = _firefox_rows(self._connection, domains)
            else:
                rows, others = _chromium_rows(self._lib, self._connection, self._config, self.spec, domains)
        except sqlite3.DatabaseError as exc:
            raise BrowserStoreError(f"{self.source}: not a readable cookie database ({exc})") from None
        cookies, expired = _cookies(rows, self.source, time.time())
        imported = CookieImport({"cookies": cookies, "origins": []}, f"{self.spec.title} cookie store")
        return BrowserCookies(imported, self.source, tuple(expired), others)


@contextmanager
def open_store(spec: BrowserSpec) -> Iterator[Store]:
    """The profile's cookie store, found and copied; BrowserStoreError (exit 2) saying what to do when
    the browser, the profile or the database is not there."""
    lib = _library()
    if spec.name == FIREFOX:
        database, config = _firefox_database(lib, spec), None
    else:
        database, config = _chromium_database(lib, spec)
    with _copy(database) as connection:
        yield Store(lib, spec, database, connection, config)


def read_browser_cookies(spec: BrowserSpec, domains: Iterable[str]) -> BrowserCookies:
    """The cookies of `domains` in the browser profile `spec` names."""
    with open_store(spec) as store:
        return store.read(domains)
