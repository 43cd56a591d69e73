"""`optout login`, `optout logout`, `optout sessions`: getting a session in once, and seeing what is stored.

Signing in happens once, in a visible window or by importing cookies from the user's everyday
browser; after that every `status` and `disable`, cron included, runs headless on the stored
session. Nothing printed here ever contains a cookie value.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optout.accounts import DEFAULT_ACCOUNT
from optout.cli import context
from optout.cli.completion import platform_ids
from optout.cli.options import AccountOption, JsonOption, LockWaitOption
from optout.cli.output import emit_json, hint, table
from optout.errors import OptoutError, UsageError
from optout.lock import DEFAULT_WAIT_S, home_lock

# The session store, cookie files and the catalogue's models load when a command runs.
if TYPE_CHECKING:
    from optout.cookie_files import CookieImport
    from optout.schema import Platform
    from optout.sessions import SessionStore

PlatformArg = Annotated[
    str, typer.Argument(help="linkedin, x, meta, ... (see `optout platforms`).", autocompletion=platform_ids)
]


def _platform(ctx: typer.Context, name: str) -> Platform:
    """The recipe, refusing platforms that have nothing to sign in to."""
    p = context.platform(context.catalogue(ctx), name)
    if p.login is None:
        raise UsageError(f"{p.name} needs no login: optout visits it without a session")
    return p


def _store(ctx: typer.Context) -> SessionStore:
    from optout.sessions import SessionStore

    return SessionStore(context.settings(ctx).home)


def _resources(ctx: typer.Context) -> dict[str, list[str]]:
    """The blogs and sites the user listed (`optout config set tumblr.blog ...`): the login probe
    opens the first one's page, as a per-resource setting has no page of its own."""
    from optout.config import Config

    return Config(context.settings(ctx).home).resources()


def _when(stamp: str | datetime | None) -> str:
    """A stored ISO time as 'YYYY-MM-DD HH:MM UTC'; '-' when never."""
    if stamp is None:
        return "-"
    try:
        moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    except ValueError:
        return str(stamp)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _read(cookies: Path | None, storage_state: Path | None) -> CookieImport:
    from optout.cookie_files import read_cookies, read_storage_state

    if cookies is not None and storage_state is not None:
        raise UsageError("give either --cookies or --storage-state, not both")
    # The caller (login) comes here only with one of the two given: storage_state is set when cookies is not.
    return read_cookies(cookies) if cookies is not None else read_storage_state(storage_state)  # type: ignore[arg-type]


def _warnings(p: Platform, imported: CookieImport) -> list[str]:
    """What an unchecked import probably lacks: the recipe's session cookies, or their freshness."""
    from optout.sessions import missing_session_cookies, session_expiry

    assert p.login is not None
    names = {c["name"] for c in imported.state["cookies"]}
    missing = missing_session_cookies(p.login.session_cookies, names)
    if missing:
        return [f"no {', '.join(missing)} cookie among them: {p.name} will most likely ask to log in"]
    expiry = session_expiry(imported.state, p.login.session_cookies)
    if expiry is not None and expiry <= datetime.now(expiry.tzinfo):
        return [f"the {p.name} session cookie expired on {_when(expiry)}"]
    return []


def _save(
    ctx: typer.Context,
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
    store = _store(ctx)
    with home_lock(store.home, lock_wait):
        return store.save(p.id, p.domains, state, account, identity=identity, valid=True if checked else None)


def _import(
    ctx: typer.Context,
    p: Platform,
    account: str,
    source: Path,
    imported: CookieImport,
    check: bool,
    lock_wait: float,
) -> None:
    """Keep the platform's cookies, prove they log in (unless told not to), then store them."""
    from optout.sessions import filter_state

    mine = filter_state(imported.state, p.domains)
    kept, dropped = len(mine["cookies"]), imported.cookie_count - len(mine["cookies"])
    if not kept:
        raise UsageError(
            f"{source}: none of its {imported.cookie_count} cookies belong to {p.name} "
            f"({', '.join(p.domains)}); export them while signed in there"
        )
    typer.echo(
        f"{source.name} ({imported.format}): {kept} {p.name} cookies"
        + (f", {dropped} of other sites dropped" if dropped else "")
    )
    store = _store(ctx)
    identity = _import_identity()
    if not check:
        for warning in _warnings(p, imported):
            hint(f"warning: {warning}")
        _save(ctx, p, account, mine, lock_wait, checked=False, identity=identity)
        typer.echo(f"Saved without checking, as {p.id} account {account}: {store.path(p.id, account)}")
        return
    import asyncio

    from optout.browser import find_browser
    from optout.login import NOT_LOGGED_IN, probe_session

    choice = find_browser(context.settings(ctx).browser)
    probe = asyncio.run(probe_session(p, mine, choice, _resources(ctx), identity))
    if not probe.valid:
        raise OptoutError(
            f"these cookies do not log in to {p.name}: {probe.url} showed a login page; nothing saved. "
            f"Export them again while signed in, or store them anyway with --no-check.",
            exit_code=NOT_LOGGED_IN,
        )
    _save(ctx, p, account, probe.state, lock_wait, checked=True, identity=identity)
    typer.echo(f"Logged in: {probe.url} opened. Saved as {p.id} account {account}: {store.path(p.id, account)}")


def _import_identity() -> dict[str, Any] | None:
    """The locale and timezone of the shell that imports the cookies, kept beside the session as
    `login` keeps its window's: the runs that use the session, cron's among them (which has no
    LANG), then present the same browser the terminal did. None when the machine says neither."""
    from optout.engine.identity import machine_identity

    known = {k: v for k, v in machine_identity().items() if v}
    return known or None


def _interactive(ctx: typer.Context, p: Platform, account: str, timeout: float, lock_wait: float) -> None:
    """The visible-window sign-in; refuses early, with the import alternative, when there is no screen."""
    import asyncio

    from optout.browser import find_browser, has_display
    from optout.login import interactive_login, no_display_error

    if not has_display():
        raise no_display_error(p)
    choice = find_browser(context.settings(ctx).browser)
    probe = asyncio.run(interactive_login(p, choice, timeout=timeout, notify=hint, resources=_resources(ctx)))
    kept = _save(ctx, p, account, probe.state, lock_wait, checked=True, identity=probe.identity)
    path = _store(ctx).path(p.id, account)
    typer.echo(f"Logged in to {p.name}; session saved as account {account} ({kept} cookies): {path}")
    again = f"optout status {p.id}" + ("" if account == DEFAULT_ACCOUNT else f" --account {account}")
    typer.echo(f"`{again}` now runs without a window, from cron too.")


def login(
    ctx: typer.Context,
    platform: Annotated[
        str | None,
        typer.Argument(
            help="linkedin, x, meta, ... (see `optout platforms`); none with --all.", autocompletion=platform_ids
        ),
    ] = None,
    cookies: Annotated[
        Path | None,
        typer.Option(
            "--cookies",
            metavar="FILE",
            help="Import cookies exported from your everyday browser instead "
            "of signing in here: Netscape cookies.txt or a cookie-editor JSON list.",
        ),
    ] = None,
    storage_state: Annotated[
        Path | None,
        typer.Option("--storage-state", metavar="FILE", help="Import a Playwright storage state (JSON)."),
    ] = None,
    from_browser: Annotated[
        str | None,
        typer.Option(
            "--from-browser",
            metavar="NAME[:PROFILE]",
            help="Import the session your browser already holds, from its own cookie store: firefox, chrome, "
            "chromium, edge, brave, vivaldi or opera, optionally :PROFILE (a name or a folder). Only the "
            "platform's cookies are read. Needs pip install 'optout[browsers]'.",
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="With --from-browser: every platform signed in in that browser, one line each."),
    ] = False,
    as_json: JsonOption = False,
    account: AccountOption = DEFAULT_ACCOUNT,
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check",
            help="After an import, open the settings page to prove the "
            "cookies are logged in; nothing is saved if they are not.",
        ),
    ] = True,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=1, help="How long the window waits for you to sign in.")
    ] = 300,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
) -> None:
    """Sign in once: in a browser window (default), by importing cookies for a server without a screen,
    or from your browser's own cookie store (--from-browser, --all).

    The window opens at the platform's login page; your password, two-factor codes and captchas go
    only to the site. optout notices by itself when the settings page opens without a login
    redirect, saves the session (mode 600, under --home) and closes the window. Exit 3 when the
    sign-in timed out, there is no display, or imported cookies are not logged in (with --all:
    when no platform was imported)."""
    if from_browser is not None and (cookies is not None or storage_state is not None):
        raise UsageError("give one of --from-browser, --cookies and --storage-state")
    if every:
        if platform is not None or from_browser is None:
            raise UsageError("--all imports from a browser: optout login --all --from-browser NAME[:PROFILE]")
        from optout.browser_cookies import parse_spec
        from optout.cli.browser_login import login_all

        login_all(ctx, parse_spec(from_browser), account, check, lock_wait, as_json)
        return
    if platform is None:
        raise UsageError("name a platform (see `optout platforms`), or import them all with --all --from-browser")
    if as_json:
        raise UsageError("--json goes with --all")
    p = _platform(ctx, platform)
    if from_browser is not None:
        from optout.browser_cookies import parse_spec
        from optout.cli.browser_login import login_one

        login_one(ctx, p, parse_spec(from_browser), account, check, lock_wait)
        return
    if cookies is None and storage_state is None:
        _interactive(ctx, p, account, timeout, lock_wait)
        return
    source = cookies or storage_state
    assert source is not None
    _import(ctx, p, account, source, _read(cookies, storage_state), check, lock_wait)


def logout(
    ctx: typer.Context,
    platform: PlatformArg,
    account: AccountOption = DEFAULT_ACCOUNT,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
) -> None:
    """Delete the stored session of a platform and account.

    This forgets the session on this machine only: the site keeps it valid until it expires, so sign
    out of it in the platform's own security settings to revoke it there too."""
    p = _platform(ctx, platform)
    store = _store(ctx)
    with home_lock(store.home, lock_wait):  # a run in progress must not write the session back afterwards
        deleted = store.delete(p.id, account)
    if deleted:
        typer.echo(f"Deleted the {p.name} session of account {account}.")
    else:
        typer.echo(f"No stored {p.name} session for account {account}; nothing to delete.")


def _inspect(
    ctx: typer.Context, store: SessionStore, platform: str, account: str
) -> tuple[datetime | None, str | None]:
    """When the stored session cookie runs out (if the recipe names it and the session says), and
    what is wrong with the session file if it is damaged: one bad file must not hide the others.
    Only reads: listing never changes a file's mode."""
    from optout.sessions import session_expiry

    p = context.catalogue(ctx).platforms.get(platform)
    if p is None or p.login is None:
        return None, None
    try:
        state = store.load(platform, account, tighten=False) or {}
    except OptoutError as exc:
        return None, str(exc)
    return session_expiry(state, p.login.session_cookies), None


def sessions(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List stored sessions: platform, account, when saved and last used, whether the last run found it
    logged in, and when its session cookie expires. Never shows a cookie."""
    from optout.results import login_command

    store = _store(ctx)
    entries = store.entries()
    checked = {(e.platform, e.account): _inspect(ctx, store, e.platform, e.account) for e in entries}
    if as_json:
        emit_json(
            [
                {
                    **e.as_json(),
                    "expires": x.isoformat() if (x := checked[e.platform, e.account][0]) else None,
                    "damaged": checked[e.platform, e.account][1],
                }
                for e in entries
            ]
        )
        return
    if not entries:
        typer.echo("No stored sessions. Sign in with `optout login PLATFORM`.")
        return
    valid = {True: "yes", False: "NO", None: "not checked"}
    table(
        ["platform", "account", "saved", "last used", "logged in", "expires"],
        [
            [
                e.platform,
                e.account,
                _when(e.saved_at),
                _when(e.last_used),
                valid[e.last_valid],
                "DAMAGED" if checked[e.platform, e.account][1] else _when(checked[e.platform, e.account][0]),
            ]
            for e in entries
        ],
    )
    for e in entries:
        if (problem := checked[e.platform, e.account][1]) is not None:
            hint(problem)
        elif e.last_valid is False:
            why = f" ({e.invalid_reason})" if e.invalid_reason else ""
            hint(f"{e.platform} ({e.account}) needs a new session{why}: {login_command(e.platform, e.account)}")
