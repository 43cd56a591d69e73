"""Server-side memory of one replica platform: accounts, their settings, sessions, write count.

Request handlers run in many threads at once (Chromium opens several connections), so every
read and write goes through one lock, and callers only ever get copies, never live dicts.
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def normal_email(email: str) -> str:
    """Sites treat sign-in names case-insensitively; so does the replica."""
    return email.strip().lower()


@dataclass(frozen=True)
class Session:
    """One logged-in browser: the cookie value that proves it, whose it is, its CSRF token."""

    token: str
    email: str
    csrf: str


@dataclass
class _Account:
    password: str
    uid: str
    settings: dict[str, Any] = field(default_factory=dict)


class Store:
    """Accounts, settings and sessions of one platform, safe to use from any thread.

    `defaults` builds a new account's settings: every platform starts users opted in.
    """

    def __init__(self, defaults: Callable[[], dict[str, Any]], csrf: Callable[[], str]) -> None:
        self._lock = threading.Lock()
        self._defaults = defaults
        self._new_csrf = csrf
        self._accounts: dict[str, _Account] = {}
        self._sessions: dict[str, Session] = {}
        self._writes = 0
        self._reads = 0

    # accounts -------------------------------------------------------------------------------
    def add_user(self, email: str, password: str) -> None:
        """Create (or reset the password of) an account; new accounts get the default settings."""
        key = normal_email(email)
        with self._lock:
            if key in self._accounts:
                self._accounts[key].password = password
            else:
                uid = str(100000000000000 + secrets.randbelow(900000000000000))
                self._accounts[key] = _Account(password, uid, self._defaults())

    def check_password(self, email: str, password: str) -> str | None:
        """The account's canonical email when the credentials are right, else None."""
        key = normal_email(email)
        with self._lock:
            account = self._accounts.get(key)
            if account is None or not secrets.compare_digest(account.password, password):
                return None
            return key

    def uid(self, email: str) -> str:
        """The account's numeric user id (Meta's `c_user` cookie)."""
        with self._lock:
            return self._account(email).uid

    def _account(self, email: str) -> _Account:
        try:
            return self._accounts[normal_email(email)]
        except KeyError:
            raise KeyError(f"no such replica user: {email!r}") from None

    # settings -------------------------------------------------------------------------------
    def settings(self, email: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._account(email).settings)

    def get(self, email: str, key: str) -> Any:
        with self._lock:
            return copy.deepcopy(self._account(email).settings[key])

    def set(self, email: str, key: str, value: Any) -> None:
        """Change one setting; unknown keys are an error so a typo in a test cannot pass silently."""
        with self._lock:
            settings = self._account(email).settings
            if key not in settings:
                raise KeyError(f"no setting {key!r}; known: {', '.join(sorted(settings))}")
            settings[key] = copy.deepcopy(value)

    def append(self, email: str, key: str, item: Any) -> None:
        with self._lock:
            self._account(email).settings[key].append(copy.deepcopy(item))

    # sessions -------------------------------------------------------------------------------
    def new_session(self, email: str) -> Session:
        with self._lock:
            self._account(email)
            session = Session(secrets.token_urlsafe(24), normal_email(email), self._new_csrf())
            self._sessions[session.token] = session
            return session

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            return self._sessions.get(token)

    def rotate(self, token: str) -> Session | None:
        """Replace a session's cookie value, keeping user and CSRF token; the old value dies now."""
        with self._lock:
            old = self._sessions.pop(token, None)
            if old is None:
                return None
            new = Session(secrets.token_urlsafe(24), old.email, old.csrf)
            self._sessions[new.token] = new
            return new

    def revoke(self, email: str) -> int:
        """End all sessions of a user (an expired or logged-out session); returns how many."""
        key = normal_email(email)
        with self._lock:
            dead = [t for t, s in self._sessions.items() if s.email == key]
            for token in dead:
                del self._sessions[token]
            return len(dead)

    def end(self, token: str) -> bool:
        """End one session (signed out on the site's sessions page, or run out on its own): the
        user's other sessions, another browser's, live on. False when it was not alive."""
        with self._lock:
            return self._sessions.pop(token, None) is not None

    def tokens(self, email: str) -> list[str]:
        key = normal_email(email)
        with self._lock:
            return [t for t, s in self._sessions.items() if s.email == key]

    # writes ---------------------------------------------------------------------------------
    def count_write(self) -> None:
        with self._lock:
            self._writes += 1

    def count_read(self) -> int:
        """Count one answered read of the settings; how many were answered before it."""
        with self._lock:
            self._reads += 1
            return self._reads - 1

    @property
    def writes(self) -> int:
        with self._lock:
            return self._writes
