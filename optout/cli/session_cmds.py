"""`optout login`, `optout logout`, `optout sessions`: getting a session in once, and seeing what is stored.

Signing in happens once, in a visible window or by importing cookies from the user's everyday
browser; after that every `status` and `disable`, cron included, runs headless on the stored
session. Nothing printed here ever contains a cookie value.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from optout.cli import context
from optout.cli.completion import platform_ids
from optout.cli.options import AccountOption, JsonOption, LockWaitOption
from optout.cli.output import emit_json, hint, table
from optout.errors import UsageError
from optout.home.accounts import DEFAULT_ACCOUNT
from optout.home.lock import DEFAULT_WAIT_S

# The session store, cookie files and the catalogue's models load when a command runs.
if TYPE_CHECKING:
    from optout.home.cookie_files import CookieImport
    from optout.recipes.schema import Platform

PlatformArg = Annotated[
    str, typer.Argument(help="linkedin, x, meta, ... (see `optout platforms`).", autocompletion=platform_ids)
]


def _platform(ctx: typer.Context, name: str) -> Platform:
    """The recipe, refusing platforms that have nothing to sign in to."""
    p = context.platform(context.catalogue(ctx), name)
    if p.login is None:
        raise UsageError(f"{p.name} needs no login: optout visits it without a session")
    return p


def _read(cookies: Path | None, storage_state: Path | None) -> CookieImport:
    from optout.home.cookie_files import read_cookies, read_storage_state

    if cookies is not None and storage_state is not None:
        raise UsageError("give either --cookies or --storage-state, not both")
    # The caller (login) comes here only with one of the two given: storage_state is set when cookies is not.
    return read_cookies(cookies) if cookies is not None else read_storage_state(storage_state)  # type: ignore[arg-type]


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
    from optout.actions.sessions import choose, import_session

    chosen = choose(p, source, imported)
    typer.echo(
        f"{source.name} ({imported.format}): {chosen.kept} {p.name} cookies"
        + (f", {chosen.dropped} of other sites dropped" if chosen.dropped else "")
    )
    s = context.global_options(ctx)
    saved = import_session(s.home, s.browser, p, account, chosen, imported, check=check, lock_wait=lock_wait)
    for warning in saved.warnings:
        hint(f"warning: {warning}")
    if saved.url is None:
        typer.echo(f"Saved without checking, as {p.id} account {account}: {saved.path}")
    else:
        typer.echo(f"Logged in: {saved.url} opened. Saved as {p.id} account {account}: {saved.path}")


def _interactive(ctx: typer.Context, p: Platform, account: str, timeout: float, lock_wait: float) -> None:
    """The visible-window sign-in (optout.actions.sessions.sign_in), and what to run next."""
    from optout.actions.sessions import sign_in

    s = context.global_options(ctx)
    saved = sign_in(s.home, s.browser, p, account, timeout=timeout, lock_wait=lock_wait, notify=hint)
    typer.echo(f"Logged in to {p.name}; session saved as account {account} ({saved.cookies} cookies): {saved.path}")
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
        from optout.cli.browser_login import login_all
        from optout.home.browser_cookies import parse_spec

        login_all(ctx, parse_spec(from_browser), account, check, lock_wait, as_json)
        return
    if platform is None:
        raise UsageError("name a platform (see `optout platforms`), or import them all with --all --from-browser")
    if as_json:
        raise UsageError("--json goes with --all")
    p = _platform(ctx, platform)
    if from_browser is not None:
        from optout.cli.browser_login import login_one
        from optout.home.browser_cookies import parse_spec

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
    from optout.actions.sessions import forget

    p = _platform(ctx, platform)
    if forget(context.global_options(ctx).home, p, account, lock_wait):
        typer.echo(f"Deleted the {p.name} session of account {account}.")
    else:
        typer.echo(f"No stored {p.name} session for account {account}; nothing to delete.")


def sessions(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List stored sessions: platform, account, when saved and last used, whether the last run found it
    logged in, and when its session cookie expires. Never shows a cookie."""
    from optout.actions.sessions import stored, when
    from optout.results import login_command

    listed = stored(context.global_options(ctx).home, context.catalogue(ctx))
    if as_json:
        emit_json(
            [
                {**x.entry.as_json(), "expires": x.expires.isoformat() if x.expires else None, "damaged": x.damaged}
                for x in listed
            ]
        )
        return
    if not listed:
        typer.echo("No stored sessions. Sign in with `optout login PLATFORM`.")
        return
    valid = {True: "yes", False: "NO", None: "not checked"}
    table(
        ["platform", "account", "saved", "last used", "logged in", "expires"],
        [
            [
                x.entry.platform,
                x.entry.account,
                when(x.entry.saved_at),
                when(x.entry.last_used),
                valid[x.entry.last_valid],
                "DAMAGED" if x.damaged else when(x.expires),
            ]
            for x in listed
        ],
    )
    for x in listed:
        e = x.entry
        if x.damaged is not None:
            hint(x.damaged)
        elif e.last_valid is False:
            why = f" ({e.invalid_reason})" if e.invalid_reason else ""
            hint(f"{e.platform} ({e.account}) needs a new session{why}: {login_command(e.platform, e.account)}")
