"""`login`, `logout` and `sessions` as work: storing a session (signed in in a window or imported),
forgetting one, and reading what is stored. Nothing here prints, and nothing it returns holds a
cookie value the CLI would print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.errors import OptoutError, UsageError
from optout.exit_codes import ExitCode
from optout.home.lock import home_lock

# The session store, cookie files and the catalogue's models load when a command runs.
if TYPE_CHECKING:
    from optout.home.cookie_files import CookieImport
    from optout.home.sessions import SessionInfo
    from optout.recipes.schema import Catalogue, Platform


@dataclass(frozen=True)
class Saved:
    """A session stored for a platform and account."""

    path: Path  # the session file
    cookies: int  # how many of its cookies were kept
    url: str | None = None  # the page that opened logged in; None: saved without checking
    warnings: list[str] = field(default_factory=list)  # what an unchecked import probably lacks


@dataclass(frozen=True)
class Chosen:
    """The platform's own cookies of an imported file; the others are never stored."""

    state: dict[str, Any]
    kept: int
    dropped: int


@dataclass(frozen=True)
class Stored:
    """One stored session as `optout sessions` lists it."""

    entry: SessionInfo
    expires: datetime | None  # when its session cookie runs out, if the recipe names it and the session says
    damaged: str | None  # what is wrong with the session file, if it is damaged


def resources(home: Path) -> dict[str, list[str]]:
    """The blogs and sites the user listed (`optout config set tumblr.blog ...`): the login probe
    opens the first one's page, as a per-resource setting has no page of its own."""
    from optout.home.user_config import UserConfig

    return UserConfig(home).resources()


def save(
    home: Path,
    p: Platform,
    account: str,
    state: dict[str, Any],
    lock_wait: float,
    *,
    checked: bool,
    identity: dict[str, Any] | None = None,
) -> int:
    """Store a new session under the home lock, so a run in progress cannot write its copy of the old
    session back over it afterwards (or read a half-replaced one); returns the cookies kept."""
    from optout.home.sessions import SessionStore, session_owner

    store = SessionStore(home)
    assert p.login is not None
    owner = session_owner(state, p.login.account_cookie, p.domains)  # who it is for, for `sessions.from`
    with home_lock(store.home, lock_wait):
        return store.save(
            p.id, p.domains, state, account, identity=identity, valid=True if checked else None, owner=owner
        )


def unchecked_warnings(p: Platform, imported: CookieImport) -> list[str]:
    """What an unchecked import probably lacks: the recipe's session cookies, or their freshness."""
    from optout.home.sessions import missing_session_cookies, session_expiry

    assert p.login is not None
    names = {c["name"] for c in imported.state["cookies"]}
    missing = missing_session_cookies(p.login.session_cookies, names)
    if missing:
        return [f"no {', '.join(missing)} cookie among them: {p.name} will most likely ask to log in"]
    expiry = session_expiry(imported.state, p.login.session_cookies)
    if expiry is not None and expiry <= datetime.now(expiry.tzinfo):
        return [f"the {p.name} session cookie expired on {when(expiry)}"]
    return []


def when(stamp: str | datetime | None) -> str:
    """A stored ISO time as 'YYYY-MM-DD HH:MM UTC'; '-' when never."""
    if stamp is None:
        return "-"
    try:
        moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    except ValueError:
        return str(stamp)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def choose(p: Platform, source: Path, imported: CookieImport) -> Chosen:
    """The platform's cookies of an imported file; a usage error when it has none of them."""
    from optout.home.sessions import filter_state

    mine = filter_state(imported.state, p.domains)
    kept = len(mine["cookies"])
    if not kept:
        raise UsageError(
            f"{source}: none of its {imported.cookie_count} cookies belong to {p.name} "
            f"({', '.join(p.domains)}); export them while signed in there"
        )
    return Chosen(mine, kept, imported.cookie_count - kept)


def import_session(
    home: Path,
    browser: Path | None,
    p: Platform,
    account: str,
    chosen: Chosen,
    imported: CookieImport,
    *,
    check: bool,
    lock_wait: float,
) -> Saved:
    """Prove the chosen cookies log in (unless told not to), then store them; cookies that do not
    log in are an error (exit 3) and nothing is saved."""
    from optout.home.sessions import SessionStore

    path = SessionStore(home).path(p.id, account)
    identity = _import_identity()
    if not check:
        save(home, p, account, chosen.state, lock_wait, checked=False, identity=identity)
        return Saved(path, chosen.kept, warnings=unchecked_warnings(p, imported))
    import asyncio

    from optout.engine.browser import find_browser
    from optout.engine.login import probe_session

    probe = asyncio.run(probe_session(p, chosen.state, find_browser(browser), resources(home), identity))
    if not probe.valid:
        raise OptoutError(
            f"these cookies do not log in to {p.name}: {probe.url} showed a login page; nothing saved. "
            f"Export them again while signed in, or store them anyway with --no-check.",
            exit_code=ExitCode.UNDETERMINED,
        )
    kept = save(home, p, account, probe.state, lock_wait, checked=True, identity=identity)
    return Saved(path, kept, url=probe.url)


def _import_identity() -> dict[str, Any] | None:
    """The locale and timezone of the shell that imports the cookies, kept beside the session as
    `login` keeps its window's: the runs that use the session, cron's among them (which has no
    LANG), then present the same browser the terminal did. None when the machine says neither."""
    from optout.engine.identity import machine_identity

    known = {k: v for k, v in machine_identity().items() if v}
    return known or None


def sign_in(
    home: Path,
    browser: Path | None,
    p: Platform,
    account: str,
    *,
    timeout: float,
    lock_wait: float,
    notify: Callable[[str], None],
) -> Saved:
    """The visible-window sign-in, then the session stored; refuses early, with the import
    alternative, when there is no screen. `notify` tells the user at once what the window waits for."""
    import asyncio

    from optout.engine.browser import find_browser, has_display
    from optout.engine.login import interactive_login, no_display_error
    from optout.home.sessions import SessionStore

    if not has_display():
        raise no_display_error(p)
    choice = find_browser(browser)
    probe = asyncio.run(interactive_login(p, choice, timeout=timeout, notify=notify, resources=resources(home)))
    kept = save(home, p, account, probe.state, lock_wait, checked=True, identity=probe.identity)
    return Saved(SessionStore(home).path(p.id, account), kept, url=probe.url)


def forget(home: Path, p: Platform, account: str, lock_wait: float) -> bool:
    """Delete the stored session; whether there was one."""
    from optout.home.sessions import SessionStore

    store = SessionStore(home)
    with home_lock(store.home, lock_wait):  # a run in progress must not write the session back afterwards
        return store.delete(p.id, account)


def stored(home: Path, catalogue: Catalogue) -> list[Stored]:
    """Every stored session, with when its session cookie runs out and what is wrong with its file:
    one bad file must not hide the others. Only reads: listing never changes a file's mode."""
    from optout.home.sessions import SessionStore, session_expiry

    store = SessionStore(home)
    listed = []
    for e in store.entries():
        p = catalogue.platforms.get(e.platform)
        expires, damaged = None, None
        if p is not None and p.login is not None:
            try:
                state = store.load(e.platform, e.account, tighten=False) or {}
            except OptoutError as exc:
                damaged = str(exc)
            else:
                expires = session_expiry(state, p.login.session_cookies)
        listed.append(Stored(e, expires, damaged))
    return listed
