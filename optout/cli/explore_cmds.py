"""`explore`, `discover` and `report`: looking at a platform's pages to write, fix or report a
recipe. Nothing here clicks a setting; the engine's survey opens the pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

import typer

from optout.cli import context
from optout.cli.options import AccountOption, JsonOption, TimeoutOption
from optout.cli.output import emit_json, error, table
from optout.errors import OptoutError, UsageError
from optout.exit_codes import ExitCode

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
    import asyncio

    from optout.config import Config
    from optout.engine.evidence import Secrets
    from optout.engine.frames import unread_note
    from optout.engine.jobs import RunOptions
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.scaffold import control_snippet

    s = context.settings(ctx)
    p = context.platform(context.catalogue(ctx), platform)
    if url is not None:
        visit = Visit(url)
    elif visits := setting_visits(p):
        visit = visits[0]
    else:
        raise UsageError(f"{p.id} has no settings page to open; give the URL: optout explore {p.id} URL")
    options = RunOptions(home=s.home, browser=s.browser, timeout=timeout)
    seen = asyncio.run(survey(p, [visit], options, account=account, headed=headed))
    looked = seen.pages[0]
    if looked.problem:
        raise OptoutError(f"{p.id}: {looked.problem}", exit_code=ExitCode.UNDETERMINED)
    config = Config(s.home)
    secrets = Secrets.of(seen.cookie_values, [config.get("email"), config.get("name")], seen.stored_values)
    items = [i.scrubbed(secrets) for i in looked.items]
    if pick is not None and pick > len(items):
        raise UsageError(f"--pick {pick}: the page lists {len(items)} controls")
    chosen = items[pick - 1] if pick else None
    snippet = (
        control_snippet(chosen.role, chosen.name, chosen.attributes, chosen.state, visit.url, date.today())
        if chosen
        else None
    )
    unread = secrets.clean(unread_note(looked.unread))
    if as_json:
        controls = [i.as_json() for i in items]
        emit_json({"url": secrets.clean(looked.url), "controls": controls, "snippet": snippet, "unread_frames": unread})
        return
    rows = [
        [str(n), i.role, i.name, i.state + (" (disabled)" if i.disabled else ""), _attrs(i.attributes)]
        for n, i in enumerate(items, 1)
    ]
    table(["#", "role", "name", "state", "stable attributes"], rows, title=secrets.clean(looked.url))
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
    import asyncio

    from optout.discovery import Discovery, discoveries
    from optout.engine.jobs import RunOptions
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.history import History
    from optout.sessions import SessionStore

    s = context.settings(ctx)
    cat = context.catalogue(ctx)
    names = platforms or [p for p in SessionStore(s.home).platforms() if p in cat.platforms]
    if not names:
        raise UsageError("no platform is set up; log in first (optout login PLATFORM) or name one")
    options = RunOptions(home=s.home, browser=s.browser, timeout=timeout)
    found: dict[tuple[str, str, str], Discovery] = {}
    unread = 0
    for p in (context.platform(cat, n) for n in names):
        visits = setting_visits(p) + [Visit(u) for u in p.discover_urls]
        for page in asyncio.run(survey(p, visits, options, account=account)).pages:
            if page.problem:
                error(f"{p.id}: {page.url}: {page.problem}")
                unread += 1
            for d in discoveries(p, page.url, page.items):
                found.setdefault((d.platform, d.role, d.name), d)
    with History(s.home) as history:
        history.remember(found.values())
        listed = [replace(d, first_seen=history.first_seen(d)) for d in found.values()]
    if as_json:
        emit_json([d.as_json() for d in listed])
    elif listed:
        rows = [[d.platform, d.role, d.name, d.state, d.first_seen, d.url] for d in listed]
        table(["platform", "role", "name", "state", "first seen", "page"], rows)
    else:
        typer.echo("No AI setting outside the recipes on the pages looked at.")
    raise typer.Exit(ExitCode.UNDETERMINED if unread else ExitCode.OK)


def report(
    ctx: typer.Context,
    platform: PlatformArg,
    setting: Annotated[str | None, typer.Argument(help="The setting the report is about.")] = None,
    account: AccountOption = "default",
    timeout: TimeoutOption = 20.0,
) -> None:
    """Write one archive for a bug report: last result, screenshot, page HTML, ARIA snapshot,
    recipe, versions; cookie values, tokens, e-mail addresses and your name removed."""
    import asyncio
    from importlib.metadata import version

    from optout import __version__
    from optout.config import Config
    from optout.engine.evidence import Secrets, cookie_values, local_values
    from optout.engine.jobs import RunOptions
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.history import History
    from optout.report import Contents, as_json_text, evidence_files, recipe_text, write_report
    from optout.results import split_key
    from optout.selection import resource_key
    from optout.sessions import SessionStore

    s = context.settings(ctx)
    p = context.platform(context.catalogue(ctx), platform)
    chosen = context.setting(p, setting) if setting else None
    config = Config(s.home)
    contents = Contents()
    with History.reading(s.home) as history:
        last = history.last_result(p.id, setting)
    if last:
        contents.texts["result.json"] = as_json_text(last)
    else:
        contents.notes.append(f"no result in the history yet; run: optout status {p.id}")
    for path in evidence_files(s.home, p.id, setting, last):
        if path.suffix == ".html":
            contents.texts["page.html"] = path.read_text(encoding="utf-8", errors="replace")
        else:
            contents.binaries["screenshot.png"] = path.read_bytes()
    if not contents.binaries:
        contents.notes.append("no screenshot or page HTML kept for this platform")
    contents.texts["recipe.yaml"] = recipe_text(p, setting)

    cookies: list[str] = []
    stored_values: list[str] = []
    browser, language = "not started", "unknown"
    stored = SessionStore(s.home).load(p.id, account, domains=p.domains)
    if chosen is not None and chosen.resource is not None:
        # A per-resource page is opened for the resource of the last result, else the first one
        # configured; with neither, its URL has a placeholder no page answers.
        resource = split_key(last["setting"])[1] if last else None
        values = [resource] if resource else config.resources().get(resource_key(p, chosen) or "", [])
        chosen = chosen.for_resource(values[0]) if values else None
    if chosen is not None and chosen.control is not None and chosen.url:
        visits = [Visit(chosen.url, list(chosen.steps))]
    else:
        visits = setting_visits(p)[:1]
    if stored is None or not visits:
        why = "no stored session" if stored is None else "no settings page to open"
        contents.notes.append(f"no fresh ARIA snapshot: {why}")
    else:
        cookies, stored_values = cookie_values(stored), local_values(stored)
        options = RunOptions(home=s.home, browser=s.browser, timeout=timeout)
        try:
            seen = asyncio.run(survey(p, visits, options, account=account, aria=True))
        except OptoutError as exc:  # no browser: the report is still worth having
            contents.notes.append(f"no fresh ARIA snapshot: {exc}")
        else:
            cookies += seen.cookie_values
            stored_values += seen.stored_values
            browser, page = seen.browser_version, seen.pages[0]
            language = page.language or language
            if page.aria is not None:
                contents.texts["aria-snapshot.yaml"] = page.aria
            else:
                contents.notes.append(f"no fresh ARIA snapshot: {page.problem}")
    contents.texts["environment.json"] = as_json_text(
        {
            "optout": __version__,
            "playwright": version("playwright"),
            "browser": browser,
            "region": config.get("region"),
            "ui_language": language,
            "platform": p.id,
            "setting": setting,
        }
    )
    secrets = Secrets.of(cookies, [config.get("email"), config.get("name")], stored_values)
    path = write_report(s.home, p.id + (f"-{setting}" if setting else ""), contents, secrets)
    typer.echo(str(path))
    if not path.is_relative_to(s.home):
        typer.echo(f"  ({s.home / 'reports'} could not be written: the archive is in a private temporary folder)")
    for name in sorted([*contents.texts, *contents.binaries]):
        typer.echo(f"  {name}")
    for note in contents.notes:
        typer.echo(f"  (NOTES.txt: {note})")
    typer.echo(
        "Cookie values, stored tokens, CSRF tokens, e-mail addresses and your name were removed from the text files."
    )
