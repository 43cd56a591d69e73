"""`explore`, `discover` and `report`: looking at a platform's pages to write, fix or report a
recipe. Nothing here clicks a setting; the engine's survey opens the pages."""

from __future__ import annotations

from typing import Annotated

import typer

from optout.cli import context
from optout.cli.options import AccountOption, JsonOption, TimeoutOption
from optout.cli.output import emit_json, error, table
from optout.errors import UsageError

PlatformArg = Annotated[str, typer.Argument(help="Platform, e.g. linkedin.", show_default=False)]


def explore(
    ctx: typer.Context,
    platform: PlatformArg,
    url: Annotated[
        str | None, typer.Argument(help="Page to open (default: the page of the platform's first setting).")
    ] = None,
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser window while it looks.")] = False,
    pick: Annotated[
        int | None, typer.Option("--pick", min=1, metavar="N", help="Print a recipe snippet for control N.")
    ] = None,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    timeout: TimeoutOption = 20.0,
) -> None:
    """List every control of a settings page (role, name, state, stable attributes); click nothing."""
    from optout.actions.explore import explore as look

    s = context.global_options(ctx)
    p = context.platform(context.catalogue(ctx), platform)
    seen = look(s.home, s.browser, p, url, pick=pick, account=account, timeout=timeout, headed=headed)
    items, snippet, unread = seen.items, seen.snippet, seen.unread
    if as_json:
        controls = [i.as_json() for i in items]
        emit_json({"url": seen.url, "controls": controls, "snippet": snippet, "unread_frames": unread})
        return
    rows = [
        [str(n), i.role, i.name, i.state + (" (disabled)" if i.disabled else ""), _attrs(i.attributes)]
        for n, i in enumerate(items, 1)
    ]
    table(["#", "role", "name", "state", "stable attributes"], rows, title=seen.url)
    if unread:
        typer.echo(f"\nNot listed: {unread}.")
    if snippet:
        typer.echo(f"\n# recipe snippet for control {pick}:\n{snippet}", nl=False)
    else:
        typer.echo(f"\nFor a recipe snippet: optout explore {p.id}{' ' + url if url else ''} --pick N")


def _attrs(attributes: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in attributes.items())


def discover(
    ctx: typer.Context,
    platforms: Annotated[
        list[str] | None, typer.Argument(help="Platforms to look at (default: every one set up).")
    ] = None,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    timeout: TimeoutOption = 20.0,
) -> None:
    """List AI settings the platforms' pages show that no recipe describes; click nothing."""
    from optout.actions.explore import discover as look
    from optout.actions.explore import set_up

    s = context.global_options(ctx)
    cat = context.catalogue(ctx)
    names = platforms or set_up(s.home, cat)
    if not names:
        raise UsageError("no platform is set up; log in first (optout login PLATFORM) or name one")
    seen = look(s.home, s.browser, [context.platform(cat, n) for n in names], account=account, timeout=timeout)
    for problem in seen.problems:
        error(problem)
    listed = seen.listed
    if as_json:
        emit_json([d.as_json() for d in listed])
    elif listed:
        rows = [[d.platform, d.role, d.name, d.state, d.first_seen, d.url] for d in listed]
        table(["platform", "role", "name", "state", "first seen", "page"], rows)
    else:
        typer.echo("No AI setting outside the recipes on the pages looked at.")
    raise typer.Exit(seen.exit_code)


def report(
    ctx: typer.Context,
    platform: PlatformArg,
    setting: Annotated[str | None, typer.Argument(help="The setting the report is about.")] = None,
    account: AccountOption = "default",
    timeout: TimeoutOption = 20.0,
) -> None:
    """Write one archive for a bug report: last result, screenshot, page HTML, ARIA snapshot,
    recipe, versions; cookie values, tokens, e-mail addresses and your name removed."""
    from optout.actions.explore import report as write
    from optout.home.paths import reports_dir

    s = context.global_options(ctx)
    p = context.platform(context.catalogue(ctx), platform)
    if setting:
        context.setting(p, setting)  # a typo gets "did you mean"
    written = write(s.home, s.browser, p, setting, account=account, timeout=timeout)
    path = written.path
    typer.echo(str(path))
    if not path.is_relative_to(s.home):
        typer.echo(f"  ({reports_dir(s.home)} could not be written: the archive is in a private temporary folder)")
    for name in written.names:
        typer.echo(f"  {name}")
    for note in written.notes:
        typer.echo(f"  (NOTES.txt: {note})")
    typer.echo(
        "Cookie values, stored tokens, CSRF tokens, e-mail addresses and your name were removed from the text files."
    )
