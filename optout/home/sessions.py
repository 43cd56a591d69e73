"""Stored browser sessions: one Playwright storage state per platform and account.

A session is what lets cron runs act as the user without a password: it is as sensitive as the
password itself. So files are mode 600 in a mode-700 directory, written atomically, and a session
only ever holds cookies of its own platform's domains, so one platform's cookies can never be
loaded into another platform's browser context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout.domains import host_in
from optout.errors import UsageError
from optout.home.accounts import DEFAULT_ACCOUNT, check_account, sessions_dir
from optout.home.storage import check_own, private_dir, read_json, write_json
from optout.results import login_command, now
from optout.urls import url_host


def filter_state(state: Mapping[str, Any], domains: Iterable[str]) -> dict[str, Any]:
    """Only the cookies and local-storage origins that belong to the platform's domains."""
    domains = list(domains)
    return {
        "cookies": [c for c in state.get("cookies", []) if host_in(str(c.get("domain", "")), domains)],
        "origins": [o for o in state.get("origins", []) if host_in(url_host(str(o.get("origin", ""))), domains)],
    }


def login_storage(loaded: dict[str, Any]) -> dict[str, Any]:
    """The local storage a stored session holds, as the login left it, without its cookies: what
    a context that verifies a change starts from (its cookies come from the run's own context)."""
    return {"cookies": [], "origins": list(loaded.get("origins", []))}


def after_run(loaded: dict[str, Any], cookies: list[Any]) -> dict[str, Any]:
    """What a run saves back of the session it `loaded`: the cookies the browser holds at the end
    (a site may have rotated them), and the local storage as the login left it. Never what a page
    wrote into its storage during the run: a page that cached a state a failed change showed would
    otherwise have the next run read that cache rather than the server."""
    return {"cookies": list(cookies), "origins": login_storage(loaded)["origins"]}


def cookie_alternatives(entry: str) -> list[str]:
    """A recipe's session-cookie entry: one name, or alternatives `a|b` (a cookie some sessions
    split into chunks: ChatGPT's token, or its `.0` part)."""
    return [name.strip() for name in entry.split("|") if name.strip()]


def missing_session_cookies(entries: Iterable[str], present: Iterable[str]) -> list[str]:
    """The entries of a recipe's session cookies that no cookie in `present` satisfies."""
    have = set(present)
    return [entry for entry in entries if not have.intersection(cookie_alternatives(entry))]


def signed_out(before: Mapping[str, Any], after: Mapping[str, Any], entries: Iterable[str]) -> list[str]:
    """The recipe's session cookies that the session had before a visit and no longer has after
    it: the platform expired them (`Set-Cookie: li_at=; Max-Age=0`), which signs the session out."""
    had = {c.get("name") for c in before.get("cookies", [])}
    has = {c.get("name") for c in after.get("cookies", [])}
    return [
        entry
        for entry in entries
        if had.intersection(cookie_alternatives(entry)) and not has.intersection(cookie_alternatives(entry))
    ]


def session_owner(state: Mapping[str, Any], cookie: str | None, domains: Iterable[str]) -> dict[str, str] | None:
    """Who the session is for, as the recipe's `login.account_cookie` (a cookie that names the
    account and is no secret, GitHub's `dotcom_user`) says: {"cookie": NAME, "value": LOGIN}.
    None when the recipe names no such cookie or the session does not carry it."""
    if cookie is None:
        return None
    domains = list(domains)
    for c in state.get("cookies", []):
        if c.get("name") == cookie and host_in(str(c.get("domain", "")), domains) and c.get("value"):
            return {"cookie": cookie, "value": str(c["value"])}
    return None


def session_expiry(state: dict[str, Any], names: Iterable[str]) -> datetime | None:
    """When the first of the recipe's session cookies expires (None: unknown, or browser-session only).

    Lets `optout sessions` warn before a months-old session silently stops working."""
    wanted = {name for entry in names for name in cookie_alternatives(entry)}
    stamps = [
        float(c["expires"])
        for c in state.get("cookies", [])
        if c.get("name") in wanted and isinstance(c.get("expires"), (int, float)) and c["expires"] > 0
    ]
    return datetime.fromtimestamp(min(stamps), UTC) if stamps else None


def _objects_with(items: Any, fields: tuple[str, ...]) -> bool:
    """items is a list of objects that each have every one of fields as text."""
    return isinstance(items, list) and all(
        isinstance(item, dict) and all(isinstance(item.get(f), str) for f in fields) for item in items
    )


def _state_problem(state: Any) -> str | None:
    """What makes `state` unusable as a Playwright storage state, None when nothing does.

    Names only the part that is wrong, never a value: the values are cookies."""
    if not isinstance(state, dict):
        return "not a storage state"
    if not _objects_with(state.get("cookies", []), ("name", "value", "domain")):
        return "'cookies' is not a list of cookies with a text name, value and domain"
    origins = state.get("origins", [])
    if not _objects_with(origins, ("origin",)) or not all(
        _objects_with(o.get("localStorage", []), ("name", "value")) for o in origins
    ):
        return "'origins' is not a list of origins with text names and values"
    return None


@dataclass(frozen=True)
class SessionInfo:
    """One stored session as `optout sessions` lists it: bookkeeping only, never a cookie."""

    platform: str
    account: str
    saved_at: str | None
    last_used: str | None
    last_valid: bool | None
    invalid_reason: str | None = None  # why the last run found it signed out, when it knows

    def as_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "account": self.account,
            "saved_at": self.saved_at,
            "last_used": self.last_used,
            "last_valid": self.last_valid,
            "invalid_reason": self.invalid_reason,
        }


class SessionStore:
    """Sessions under HOME/sessions/PLATFORM/ACCOUNT.json, with ACCOUNT.meta.json beside each."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = sessions_dir(home)

    def path(self, platform: str, account: str = DEFAULT_ACCOUNT) -> Path:
        return self.root / platform / f"{check_account(account)}.json"

    def _meta_path(self, platform: str, account: str) -> Path:
        return self.root / platform / f"{check_account(account)}.meta.json"

    def exists(self, platform: str, account: str = DEFAULT_ACCOUNT) -> bool:
        return self.path(platform, account).is_file()

    def _tighten(self, platform: str, account: str) -> None:
        """Undo a loosened mode (a session copied over with scp, a restored backup) before reading:
        the directories go back to 700 and the files to 600."""
        for folder in (self.root, self.root / platform):
            if check_own(folder, directory=True):
                private_dir(folder)
        for file in (self.path(platform, account), self._meta_path(platform, account)):
            info = check_own(file)  # never chmod through a link: that would loosen or tighten its target
            if info is not None and info.st_mode & 0o077:
                file.chmod(0o600)

    def load(
        self,
        platform: str,
        account: str = DEFAULT_ACCOUNT,
        domains: Iterable[str] | None = None,
        *,
        tighten: bool = True,
    ) -> dict[str, Any] | None:
        """The stored storage state, or None when there is no session.

        With `domains` (the platform's), cookies of any other site are dropped once more on the way
        out, so a hand-edited or foreign file still cannot leak into another platform's context.
        A damaged file raises UsageError naming the fix (never quoting the file: it holds cookies).
        `tighten=False` only reads, for listings that must not change file modes behind the user's back."""
        if tighten:
            self._tighten(platform, account)
        path = self.path(platform, account)
        fix = f"replace it with `{login_command(platform, account)}`"
        state = read_json(path, fix=fix)
        if state is None:
            return None
        problem = _state_problem(state)
        if problem:
            raise UsageError(f"the stored {platform} session ({path}) is damaged ({problem}); delete it or {fix}")
        return filter_state(state, domains) if domains is not None else state

    def meta(self, platform: str, account: str = DEFAULT_ACCOUNT) -> dict[str, Any]:
        """Bookkeeping beside a session (saved_at, last_used, last_valid); {} when missing or damaged,
        because losing a timestamp must never block a run."""
        try:
            meta = read_json(self._meta_path(platform, account))
        except UsageError:
            return {}
        return meta if isinstance(meta, dict) else {}

    def save(
        self,
        platform: str,
        domains: Iterable[str],
        state: Mapping[str, Any],
        account: str = DEFAULT_ACCOUNT,
        *,
        saved: bool = True,
        identity: Mapping[str, Any] | None = None,
        valid: bool | None = None,
        owner: Mapping[str, str] | None = None,
    ) -> int:
        """Store state, keeping only the platform's own cookies; returns how many cookies were kept.

        `saved=False` is for the write-back after a run (rotated cookies): it keeps the original
        save time, updates only the last-used time (and `valid`, what the run found, when given),
        and leaves the state file alone when no cookie changed: most runs rotate nothing, and each
        write is an fsync. A new session (`saved=True`) forgets what the last run found about the
        old one, and takes `identity` (the locale, timezone and window size of the sign-in that
        made it; for imported cookies, the importing machine's locale and timezone) in place of
        the old one's, and `owner` (who it is for: `session_owner`) in place of the old one's."""
        clean = filter_state(state, domains)
        private_dir(self.home)
        private_dir(self.root)
        path = self.path(platform, account)
        if saved or not _holds(path, clean):
            write_json(path, clean)
        meta = self.meta(platform, account)
        stamp = now().isoformat()
        if saved or valid:
            meta.pop("invalid_reason", None)
        if saved:
            meta.pop("last_valid", None)
            meta.pop("identity", None)
            meta.pop("owner", None)
            if identity:
                meta["identity"] = dict(identity)
            if owner:
                meta["owner"] = dict(owner)
        if saved or "saved_at" not in meta:
            meta["saved_at"] = stamp
        meta["last_used"] = stamp
        if valid is not None:
            meta["last_valid"] = valid
        write_json(self._meta_path(platform, account), meta)
        return len(clean["cookies"])

    def identity(self, platform: str, account: str = DEFAULT_ACCOUNT) -> dict[str, Any] | None:
        """What the browser showed the site at the sign-in that made this session (see
        optout.engine.identity); None for sessions saved before it was kept, or imported where
        the machine said neither its locale nor its timezone."""
        identity = self.meta(platform, account).get("identity")
        return identity if isinstance(identity, dict) else None

    def owner(self, platform: str, account: str = DEFAULT_ACCOUNT) -> dict[str, str] | None:
        """Who the session was recorded for when it was saved (`session_owner`); None when the
        recipe names no account cookie or the session was saved before optout kept it."""
        owner = self.meta(platform, account).get("owner")
        if isinstance(owner, dict) and all(isinstance(owner.get(k), str) for k in ("cookie", "value")):
            return {"cookie": owner["cookie"], "value": owner["value"]}
        return None

    def record_check(self, platform: str, account: str, valid: bool, reason: str | None = None) -> None:
        """Remember whether the last run found the session logged in (and, when it was not, why,
        if the run knows: "signed out by the platform on …")."""
        if not self.exists(platform, account):
            return
        meta = self.meta(platform, account)
        meta.update(last_used=now().isoformat(), last_valid=valid)
        meta.pop("invalid_reason", None)
        if reason and not valid:
            meta["invalid_reason"] = reason
        write_json(self._meta_path(platform, account), meta)

    def delete(self, platform: str, account: str = DEFAULT_ACCOUNT) -> bool:
        """Remove a session; False when there was none."""
        existed = self.exists(platform, account)
        for file in (self.path(platform, account), self._meta_path(platform, account)):
            if check_own(file) is not None:
                file.unlink()
        folder = self.root / platform
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        return existed

    def accounts(self, platform: str) -> list[str]:
        folder = self.root / platform
        if not folder.is_dir():
            return []
        return sorted(p.name.removesuffix(".json") for p in folder.glob("*.json") if not p.name.endswith(".meta.json"))

    def platforms(self) -> list[str]:
        """Platforms with at least one stored session, including ones no longer in the catalogue."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and self.accounts(p.name))

    def entries(self) -> list[SessionInfo]:
        """Every stored session with its bookkeeping, by platform then account."""
        infos = []
        for platform in self.platforms():
            for account in self.accounts(platform):
                meta = self.meta(platform, account)
                valid, reason = meta.get("last_valid"), meta.get("invalid_reason")
                infos.append(
                    SessionInfo(
                        platform,
                        account,
                        meta.get("saved_at"),
                        meta.get("last_used"),
                        valid if isinstance(valid, bool) else None,
                        reason if isinstance(reason, str) and valid is False else None,
                    )
                )
        return infos


def _holds(path: Path, state: dict[str, Any]) -> bool:
    """Whether the session file already holds exactly state (a damaged file holds nothing)."""
    try:
        return bool(read_json(path) == state)
    except UsageError:
        return False
