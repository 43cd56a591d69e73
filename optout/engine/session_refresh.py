"""Sessions that refresh themselves: `optout config set sessions.from firefox`.

A stored session expires or is signed out after some weeks, and a scheduled run would then say
needs_login everywhere until the user notices. With `sessions.from` set, a run that finds a stored
session signed out imports that platform's session once more from the named browser (as `login
--from-browser` does), and runs the platform once more before reporting it. Never at any price:

- never for another account: the imported session must carry the account the stored one was
  recorded for at login (the recipe's `login.account_cookie`), else it is refused;
- never an older session: the imported session cookies must not run out before the stored ones;
- never the same signed-out session again, and never a cookie value in any message.

A refusal is one line in the results' detail; the results stay needs_login.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.errors import UsageError, first_line
from optout.home.sessions import SessionStore, cookie_alternatives, session_expiry, session_owner
from optout.results import Result, State

if TYPE_CHECKING:
    from optout.engine.jobs import Job
    from optout.home.browser_cookies import BrowserSpec
    from optout.home.user_config import UserConfig
    from optout.recipes.schema import Platform


@dataclass(frozen=True)
class Refresh:
    """Where signed-out sessions are imported from again (`sessions.from`), and the home they go to."""

    spec: BrowserSpec
    home: Path

    @classmethod
    def configured(cls, home: Path, config: UserConfig) -> Refresh | None:
        """The refresh `optout config set sessions.from ...` asks for; None when it is not set."""
        from optout.home.browser_cookies import parse_spec
        from optout.home.user_config import SESSIONS_FROM

        value = config.get(SESSIONS_FROM)
        return cls(parse_spec(value, SESSIONS_FROM), home) if value else None

    def attempt(self, p: Platform, account: str) -> str | None:
        """Import `p`'s session from the browser over the stored one of `account`: None when it
        was stored, else the one line saying why not. Runs in a thread (it reads a database)."""
        from optout.engine.browser_sessions import Outcome, share
        from optout.home.browser_cookies import open_store

        title = self.spec.title
        store = SessionStore(self.home)
        try:
            stored = store.load(p.id, account, p.domains)
            if stored is None:  # deleted since the run began
                return f"not refreshed from {title}: no stored session"
            with open_store(self.spec) as browser:
                found = share(p, browser, signed_in_only=True)
        except UsageError as exc:  # no such browser or profile, a locked key store, a damaged file
            return f"not refreshed from {title}: {first_line(exc)}"
        if isinstance(found, Outcome):
            return f"not refreshed from {title}: {found.detail}"
        owner = store.owner(p.id, account)
        why = refusal(p, stored, found, owner)
        if why is not None:
            return f"not refreshed from {title}: {why}"
        identity = store.identity(p.id, account)  # the same user's browser, presented as before
        store.save(p.id, p.domains, found, account, identity=identity, owner=owner)
        return None


def refusal(p: Platform, stored: dict[str, Any], imported: dict[str, Any], owner: dict[str, str] | None) -> str | None:
    """Why the imported session may not replace the stored one (never quoting a value), or None."""
    assert p.login is not None
    cookie = p.login.account_cookie
    if cookie is None:
        return f"the {p.name} recipe names no cookie that says which account a session is for"
    if owner is None:
        return f"no account was recorded when this {p.name} session was saved: sign in once with `optout login {p.id}`"
    if session_owner(imported, cookie, p.domains) != owner:
        return f"the {p.name} session there is for another account than the one this session was saved for"
    names = {name for entry in p.login.session_cookies for name in cookie_alternatives(entry)}
    values = {c["value"] for c in stored.get("cookies", []) if c.get("name") in names}
    if values and values >= {c["value"] for c in imported["cookies"] if c.get("name") in names}:
        return f"it holds the same {p.name} session, which is signed out"
    old, new = session_expiry(stored, p.login.session_cookies), session_expiry(imported, p.login.session_cookies)
    if old is not None and (new is None or new < old):
        return f"its {p.name} session is older than the stored one"
    return None


async def refreshing(work: Callable[[Job], Awaitable[list[Result]]], job: Job, refresh: Refresh | None) -> list[Result]:
    """`work(job)`, and when it finds the stored session signed out and `refresh` is set, the
    session imported once more from the browser and `work(job)` once more: its results say
    "session refreshed from Firefox"; a refusal is said in the first results' detail instead."""
    import asyncio

    results = await work(job)
    p = job.platform
    if refresh is None or p.login is None or not any(r.state is State.NEEDS_LOGIN for r in results):
        return results
    if not SessionStore(refresh.home).exists(p.id, job.account):
        return results  # nothing was signed in here: `optout login` is the user's to run
    refused = await asyncio.to_thread(refresh.attempt, p, job.account)
    if refused is not None:
        return [_noted(r, refused) if r.state is State.NEEDS_LOGIN else r for r in results]
    return [_noted(r, f"session refreshed from {refresh.spec.title}") for r in await work(job)]


def _noted(result: Result, note: str) -> Result:
    return result.model_copy(update={"detail": "; ".join(d for d in (result.detail, note) if d)})
