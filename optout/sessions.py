"""Stored browser sessions: one Playwright storage state per platform and account.

A session is what lets cron runs act as the user without a password: it is as sensitive as the
password itself. So files are mode 600 in a mode-700 directory, written atomically, and a session
only ever holds cookies of its own platform's domains, so one platform's cookies can never be
loaded into another platform's browser context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from optout.errors import UsageError
from optout.results import now
from optout.storage import read_json, write_json

ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_ACCOUNT = "default"


def check_account(account: str) -> str:
    """Account names become file names: keep them to a safe alphabet."""
    if not ACCOUNT_RE.match(account):
        raise UsageError(f"account {account!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return account


def host_in(host: str, domains: Iterable[str]) -> bool:
    """True when host is one of domains or a subdomain of one (cookie domains may start with '.')."""
    host = host.lstrip(".").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def filter_state(state: dict[str, Any], domains: Iterable[str]) -> dict[str, Any]:
    """Only the cookies and local-storage origins that belong to the platform's domains."""
    domains = list(domains)
    return {
        "cookies": [c for c in state.get("cookies", []) if host_in(str(c.get("domain", "")), domains)],
        "origins": [o for o in state.get("origins", []) if host_in(urlsplit(o.get("origin", "")).hostname or "", domains)],
    }


class SessionStore:
    """Sessions under HOME/sessions/PLATFORM/ACCOUNT.json, with ACCOUNT.meta.json beside each."""

    def __init__(self, home: Path) -> None:
        self.root = home / "sessions"

    def path(self, platform: str, account: str = DEFAULT_ACCOUNT) -> Path:
        return self.root / platform / f"{check_account(account)}.json"

    def _meta_path(self, platform: str, account: str) -> Path:
        return self.root / platform / f"{check_account(account)}.meta.json"

    def exists(self, platform: str, account: str = DEFAULT_ACCOUNT) -> bool:
        return self.path(platform, account).is_file()

    def load(self, platform: str, account: str = DEFAULT_ACCOUNT) -> dict[str, Any] | None:
        """The stored storage state, or None when there is no session."""
        return read_json(self.path(platform, account))

    def meta(self, platform: str, account: str = DEFAULT_ACCOUNT) -> dict[str, Any]:
        return read_json(self._meta_path(platform, account)) or {}

    def save(
        self, platform: str, domains: Iterable[str], state: dict[str, Any], account: str = DEFAULT_ACCOUNT,
        *, saved: bool = True,
    ) -> int:
        """Store state, keeping only the platform's own cookies; returns how many cookies were kept.

        `saved=False` is for the write-back after a run (rotated cookies): it keeps the original
        save time and updates only the last-used time."""
        clean = filter_state(state, domains)
        write_json(self.path(platform, account), clean)
        meta = self.meta(platform, account)
        stamp = now().isoformat()
        if saved or "saved_at" not in meta:
            meta["saved_at"] = stamp
        meta["last_used"] = stamp
        write_json(self._meta_path(platform, account), meta)
        return len(clean["cookies"])

    def record_check(self, platform: str, account: str, valid: bool) -> None:
        """Remember whether the last run found the session logged in."""
        if not self.exists(platform, account):
            return
        meta = self.meta(platform, account)
        meta.update(last_used=now().isoformat(), last_valid=valid)
        write_json(self._meta_path(platform, account), meta)

    def delete(self, platform: str, account: str = DEFAULT_ACCOUNT) -> bool:
        """Remove a session; False when there was none."""
        existed = self.exists(platform, account)
        self.path(platform, account).unlink(missing_ok=True)
        self._meta_path(platform, account).unlink(missing_ok=True)
        return existed

    def accounts(self, platform: str) -> list[str]:
        folder = self.root / platform
        if not folder.is_dir():
            return []
        return sorted(p.name.removesuffix(".json") for p in folder.glob("*.json") if not p.name.endswith(".meta.json"))
