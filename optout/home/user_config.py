"""The user's settings file (`optout config set region GB`): region, e-mail, notification URLs.

Kept as JSON in the home directory. Values are checked when set, so a typo fails at once rather
than months later in a cron job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from optout.errors import UsageError
from optout.home.lock import file_lock
from optout.home.paths import CONFIG_LOCK, config_file
from optout.home.storage import private_dir, read_json, write_json
from optout.regions import GROUPS, is_region_code


def region_code(value: str) -> str:
    """The user's country as an upper-case ISO code, or a usage error (groups like EU are not a country)."""
    if not is_region_code(value) or value.upper() in GROUPS:
        raise UsageError(f"region {value!r}: give a two-letter country code such as GB, DE or US")
    return value.upper()


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise UsageError(f"email {value!r} does not look like an e-mail address")
    return value


def _text(value: str) -> str:
    return value.strip()


def _on_off(value: str) -> str:
    if value.strip().lower() not in ("on", "off"):
        raise UsageError(f"updates {value!r}: give on or off")
    return value.strip().lower()


def _browser(value: str) -> str:
    """`firefox`, `chromium:Profile 1`, `firefox:/path/to/profile`: as `login --from-browser` takes it."""
    from optout.home.browser_cookies import parse_spec

    return str(parse_spec(value.strip(), SESSIONS_FROM))


SESSIONS_FROM = "sessions.from"
# key -> (check, help). `notify` is a list: `set` appends, `unset` clears.
KEYS: dict[str, tuple[Callable[[str], str], str]] = {
    "region": (region_code, "country you live in (ISO code, e.g. GB); decides which opt-outs exist"),
    "email": (_email, "e-mail address to prefill in objection forms"),
    "name": (_text, "your name, to prefill in objection forms"),
    "notify": (_text, "notification URL (Apprise syntax); repeat `set` to add more"),
    "updates": (_on_off, "on or off: whether optout fetches and uses signed recipe updates"),
    SESSIONS_FROM: (_browser, "browser[:profile] whose session a run imports again when a stored one is signed out"),
}
LIST_KEYS = frozenset({"notify"})
# `tumblr.blog`: the values of a per-resource setting (which keys exist is the catalogue's to say).
RESOURCE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z][a-z0-9_]*$")
RESOURCE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _resource_key(key: str) -> bool:
    """`tumblr.blog`: a per-resource list; a known key of the same shape (`sessions.from`) is not one."""
    return key not in KEYS and bool(RESOURCE_KEY.match(key))


def resource_values(value: str) -> list[str]:
    """`myblog,otherblog` as a list; each value must be a plain name (it goes into a URL path)."""
    values = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in values if not RESOURCE_VALUE.match(v)]
    if not values or bad:
        raise UsageError(
            f"{(bad or [value])[0]!r} is not a name optout can put in a URL: give names like myblog,otherblog "
            "(letters, digits, dot, dash, underscore)"
        )
    return list(dict.fromkeys(values))


class UserConfig:
    """Read and change the config file in one home directory."""

    def __init__(self, home: Path) -> None:
        self.path = config_file(home)
        self.data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        fix = "repair it by hand, then check it with `optout config show` (set values with `optout config set`)"
        data = read_json(self.path, fix=fix)
        if data is not None and not isinstance(data, dict):
            raise UsageError(f"{self.path} is damaged (not an object of settings); delete it or {fix}")
        return data or {}

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Re-read the file under its lock, let the block change self.data, write it back: two
        `config set` run at once (two terminals, a script) both land instead of one undoing the other."""
        with file_lock(private_dir(self.path.parent) / CONFIG_LOCK):
            self.data = self._read()
            yield
            write_json(self.path, self.data)

    def get(self, key: str) -> Any:
        """The stored value; UsageError when a hand edit left it of the wrong type (checked here, not
        on load, so `optout config unset KEY` can still repair it)."""
        value = self.data.get(key)
        if value is None or (key not in KEYS and not _resource_key(key)):
            return value
        if key in LIST_KEYS or _resource_key(key):
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
            wanted = "a list of texts"
        elif isinstance(value, str):
            return value
        else:
            wanted = "a text"
        raise UsageError(
            f"{self.path}: {key} is not {wanted}; fix it with `optout config unset {key}` "
            f"and `optout config set {key} VALUE`"
        )

    def resources(self) -> dict[str, list[str]]:
        """Every per-resource list the user set (`tumblr.blog` -> ["myblog", "otherblog"])."""
        return {key: self.get(key) for key in self.data if _resource_key(key)}

    def set(self, key: str, value: str) -> None:
        if _resource_key(key):
            values = resource_values(value)
            with self._changing():
                self.data[key] = values
            return
        check = self._check_key(key)
        clean = check(value)
        with self._changing():
            if key in LIST_KEYS:
                items = list(self.get(key) or [])
                if clean not in items:
                    items.append(clean)
                self.data[key] = items
            else:
                self.data[key] = clean

    def unset(self, key: str) -> None:
        if not _resource_key(key):
            self._check_key(key)
        with self._changing():
            self.data.pop(key, None)

    @staticmethod
    def _check_key(key: str) -> Callable[[str], str]:
        if key not in KEYS:
            raise UsageError(f"unknown config key {key!r}; known: {', '.join(KEYS)}")
        return KEYS[key][0]
