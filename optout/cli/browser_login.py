"""`optout login PLATFORM --from-browser NAME[:PROFILE]` and `optout login --all --from-browser ...`:
the sessions the user's everyday browser already holds, imported platform by platform.

Each platform gets only its own cookies (optout.home.browser_cookies reads nothing else out of the
store), is checked the way `login --cookies` checks a file unless --no-check, and ends in one of
four results: imported, not signed in there, expired, or refused (with why). Nothing printed
carries a cookie value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from optout.cli import context
from optout.cli.output import emit_json, hint
from optout.engine.browser_sessions import IMPORTED, NOT_SIGNED_IN, REFUSED, Outcome, session_names
from optout.engine.browser_sessions import share as browser_share
from optout.errors import OptoutError, UsageError
from optout.exit_codes import ExitCode

if TYPE_CHECKING:
    from optout.engine.login import Probe
    from optout.home.browser_cookies import BrowserSpec
    from optout.recipes.schema import Platform


def _unchecked(ctx: typer.Context, p: Platform, mine: dict[str, Any], account: str, lock_wait: float) -> Outcome:
    """--no-check: stored as it is, with the warnings `login --cookies --no-check` gives."""
    from optout.actions.sessions import save, unchecked_warnings
    from optout.home.cookie_files import CookieImport

    for warning in unchecked_warnings(p, CookieImport(mine, "browser")):
        hint(f"warning: {p.id}: {warning}")
    save(context.global_options(ctx).home, p, account, mine, lock_wait, checked=False)
    kept = len(mine["cookies"])
    return Outcome(p.id, IMPORTED, f"{kept} cookies saved without checking, as account {account}", kept, account)


def _checked(
    ctx: typer.Context, p: Platform, mine: dict[str, Any], probe: Probe, account: str, lock_wait: float
) -> Outcome:
    """Stored when the probe's visit found it logged in (with what the site rotated on the way)."""
    from optout.actions.sessions import save

    kept = len(mine["cookies"])
    if not probe.valid:
        if not session_names(p):  # nothing says a session was there: this is a visit's cookies
            return Outcome(p.id, NOT_SIGNED_IN, f"{probe.url} showed a login page with its {kept} cookies")
        return Outcome(p.id, REFUSED, f"its {kept} cookies do not log in: {probe.url} showed a login page", kept)
    save(context.global_options(ctx).home, p, account, probe.state, lock_wait, checked=True)
    return Outcome(p.id, IMPORTED, f"logged in ({probe.url} opened); saved as account {account}", kept, account)


def _probe(ctx: typer.Context, candidates: list[tuple[Platform, dict[str, Any]]]) -> list[Probe]:
    import asyncio

    from optout.actions.sessions import resources
    from optout.engine.browser import find_browser
    from optout.engine.login import probe_sessions

    choice = find_browser(context.global_options(ctx).browser)
    return asyncio.run(probe_sessions(candidates, choice, resources(context.global_options(ctx).home)))


def login_one(ctx: typer.Context, p: Platform, spec: BrowserSpec, account: str, check: bool, lock_wait: float) -> None:
    """One platform: its line on success, one line and a non-zero exit otherwise (2 when there is
    nothing of the platform in that browser, 3 when what is there does not log in)."""
    from optout.home.browser_cookies import open_store

    with open_store(spec) as store:
        share = browser_share(p, store, signed_in_only=False)
    if isinstance(share, Outcome):
        outcome = share
    elif not check:
        outcome = _unchecked(ctx, p, share, account, lock_wait)
    else:
        [probe] = _probe(ctx, [(p, share)])
        outcome = _checked(ctx, p, share, probe, account, lock_wait)
    if outcome.result == NOT_SIGNED_IN:
        raise UsageError(f"{outcome.detail}: sign in to {p.name} in {spec.title} first")
    if outcome.result != IMPORTED:
        raise OptoutError(f"{p.name}: {outcome.detail}; nothing saved", exit_code=ExitCode.UNDETERMINED)
    typer.echo(f"{p.name}: {outcome.cookies} cookies from {spec.title}, {outcome.detail}")


def login_all(
    ctx: typer.Context, spec: BrowserSpec, account: str, check: bool, lock_wait: float, as_json: bool
) -> None:
    """Every catalogue platform that has something to sign in to, probed in one browser; exit 0 when
    one or more were imported, 3 when none was."""
    from optout.home.browser_cookies import BrowserStoreError, open_store

    shares: dict[str, Outcome | dict[str, Any]] = {}
    platforms = [p for p in context.catalogue(ctx).platforms.values() if p.login is not None]
    with open_store(spec) as store:
        for p in platforms:
            try:
                shares[p.id] = browser_share(p, store, signed_in_only=True)
            except BrowserStoreError:
                raise  # the key store: the same for every platform
            except UsageError as exc:  # one cookie Chromium would refuse, named without its value
                shares[p.id] = Outcome(p.id, REFUSED, str(exc))
    candidates = [(p, share) for p in platforms if isinstance(share := shares[p.id], dict)]
    probes = dict(zip([p.id for p, _ in candidates], _probe(ctx, candidates) if check else [], strict=False))
    outcomes = []
    for p in platforms:
        share = shares[p.id]
        if isinstance(share, Outcome):
            outcome = share
        elif p.id in probes:
            outcome = _checked(ctx, p, share, probes[p.id], account, lock_wait)
        elif not session_names(p):  # unchecked, a visit's cookies would pass for a session
            outcome = Outcome(p.id, NOT_SIGNED_IN, f"no session cookie is known for {p.name}: check it (no --no-check)")
        else:
            outcome = _unchecked(ctx, p, share, account, lock_wait)
        outcomes.append(outcome)
        if not as_json:
            typer.echo(f"{p.id}: {outcome.result.replace('_', ' ')}: {outcome.detail}")
    if as_json:
        emit_json([o.as_json() for o in outcomes])
    imported = sum(o.result == IMPORTED for o in outcomes)
    if not as_json:
        hint(f"{imported} of {len(outcomes)} platforms imported from {spec}")
    if not imported:
        raise typer.Exit(ExitCode.UNDETERMINED)
