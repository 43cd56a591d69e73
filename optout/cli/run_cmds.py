"""`status`, `disable` and `enable`: plan what to look at, run the engine, show and exit.

Exit codes (a contract for scripts): 0 all as wanted or not offered; 1 something is opted in or
a change could not be verified; 2 bad usage; 3 something could not be determined, or the run
could not be recorded; 130 or 143 the run was stopped by SIGINT or SIGTERM.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optout.cli import context
from optout.cli.completion import platform_ids, setting_ids
from optout.cli.options import (
    DEFAULT_JOBS,
    AccountOption,
    HtmlOption,
    JobsOption,
    JsonOption,
    LockWaitOption,
    NotifyOption,
    QuietOption,
    RegionOption,
    TimeoutOption,
)
from optout.cli.output import error, hint
from optout.errors import OptoutError, UsageError, first_line
from optout.exit_codes import ExitCode
from optout.lock import DEFAULT_WAIT_S, home_lock

# What a run needs (the catalogue's models, results, history, the engine) loads when a command
# runs, not when `optout --help` imports this module.
if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.async_api import Playwright

    from optout.discovery import Discovery
    from optout.engine.inventory import Item
    from optout.results import Key, Result, State
    from optout.schema import Platform, Setting
    from optout.selection import Plan

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Report what would change; click nothing.")]


def _region(ctx: typer.Context, region: str | None) -> str | None:
    """--region when given, else the configured one."""
    from optout.config import Config, region_code

    if region is not None:
        return region_code(region)
    return Config(context.settings(ctx).home).get("region")


@dataclass(frozen=True)
class Watch:
    """How the run fits unattended use: output volume, notifications, the home lock."""

    as_json: bool
    quiet: bool
    notify: list[str]
    lock_wait: float
    html: Path | None = None  # --html FILE: the results as a page too


def _execute(
    ctx: typer.Context,
    targets: Callable[[], tuple[list[Platform], list[Setting] | None]],
    watch: Watch,
    *,
    command: str,
    want: State | None,
    dry_run: bool,
    jobs: int,
    timeout: float,
    region: str | None,
    file_forms: bool,
    account: str,
    include: str | None = None,
) -> None:
    """Plan the run (changes touch only default settings unless named, widened by `include`: the
    categories of `--include`, read in the worker thread like the catalogue), run it under the home
    lock, show it, then record it in the history and notify, exit. `targets` reads the catalogue
    and names the platforms and settings asked for (a usage error if one is unknown).

    Playwright's driver, a Node process that takes half a second to load, starts first when a
    session is stored (a run will most likely open pages), and loads while the catalogue is read
    and the run planned in a worker thread.

    The results are printed (or emitted as JSON) before anything that records them can fail: a
    damaged history or a dead notifier must never hide what a run did. Such a failure is a warning
    on stderr and turns exit code 0 into 3; 1 (opted in, or a change not verified) and 3 stay as
    they are, because they already tell a script to look, and "opted in" is the more urgent news.
    A signal (Ctrl-C, SIGTERM) stops the run: what was done so far is shown and recorded, and the
    exit code is 130 or 143, whatever the results."""
    import asyncio

    from optout.accounts import any_session
    from optout.browser import abandon, start_driver  # Playwright's API, not yet the engine

    s = context.settings(ctx)
    if watch.quiet:
        _check_recipes(s.home)
    if watch.html is not None:
        from optout.page import target

        target(watch.html)  # a missing folder is a usage error before the run, not after it

    def prepare() -> tuple[Plan, str | None]:
        """In a worker thread while Node loads: what the run needs loaded, the targets, the plan."""
        import optout.cli.render
        import optout.engine.runner
        import optout.notify  # noqa: F401 - loaded here rather than after the plan
        from optout.config import Config
        from optout.selection import parse_include, plan
        from optout.sessions import SessionStore

        chosen, picked = targets()
        where = _region(ctx, region)
        the_plan = plan(
            context.catalogue(ctx),
            chosen,
            picked,
            account=account,
            sessions=SessionStore(s.home),
            region=where,
            defaults_only=want is not None,
            resources=Config(s.home).resources(),
            include=parse_include(include),
        )
        return the_plan, where

    async def begin() -> asyncio.Future[Playwright]:
        return start_driver()

    with asyncio.Runner() as loop:
        starting = loop.run(begin()) if any_session(s.home) else None
        try:
            the_plan, where = loop.run(asyncio.to_thread(prepare))
            if starting is not None and not the_plan.jobs:
                loop.run(abandon(starting))
        except BaseException:
            if starting is not None:
                loop.run(abandon(starting))
            raise
        from optout.cli.render import caveats, progress, show
        from optout.config import Config
        from optout.engine.interrupt import Interrupted
        from optout.engine.jobs import RunOptions
        from optout.engine.runner import run
        from optout.notify import alert, announce, configured_urls
        from optout.results import exit_code

        config = Config(s.home)
        failures: list[str] = []  # what could not be recorded; the results stand
        stopped: Interrupted | None = None
        pages: list[tuple[Platform, str, list[Item]]] = []  # every settings page seen, for discoveries
        with home_lock(s.home, watch.lock_wait):
            with progress(the_plan.jobs, enabled=not (watch.as_json or watch.quiet)) as on_result:
                options = RunOptions(
                    home=s.home,
                    browser=s.browser,
                    want=want,
                    dry_run=dry_run,
                    jobs=jobs,
                    timeout=timeout,
                    region=where,
                    form_values={"email": config.get("email"), "name": config.get("name"), "country": where},
                    file_forms=file_forms,
                    on_result=on_result,
                    on_notice=hint,
                    on_record_failure=failures.append,
                    on_page=lambda platform, url, items: pages.append((platform, url, items)),
                )
                try:
                    results: list[Result] = loop.run(run(the_plan.jobs, options, starting)) if the_plan.jobs else []
                except Interrupted as exc:
                    results, stopped = exc.results, exc
            changed = _drift(s.home, results, failures)
            show(
                results,
                the_plan.not_set_up,
                as_json=watch.as_json,
                quiet=watch.quiet,
                account=account,
                changed=changed,
                notes=caveats(the_plan.jobs, results),
            )
            page = _page(ctx, watch, command, results, changed, failures) if watch.html is not None else None
            _record(s.home, command, results, account, failures)
            fresh = _discoveries(s.home, pages, failures)
    for d in fresh:
        hint(d.notice())
    if stopped is None:
        try:
            alert(configured_urls(s.home, watch.notify), results, changed, page)
            announce(configured_urls(s.home, watch.notify), [d.notice() for d in fresh])
        except OptoutError as exc:
            failures.append(f"notification failed: {exc}")
    for line in (line for failure in failures for line in failure.splitlines()):
        error(f"warning: {line}")  # each line: several notification URLs fail a line each
    if stopped is not None:
        error(f"{stopped}: the results above are what was done before it")
        raise typer.Exit(stopped.exit_code)
    code = exit_code(results)
    raise typer.Exit(ExitCode.UNDETERMINED if failures and code == ExitCode.OK else code)


def _check_recipes(home: Path) -> None:
    """A scheduled (`--quiet`) run asks for a recipe update at most once a day, before it reads the
    recipes; a failed check is one warning line and never changes the run's exit code."""
    import time

    from optout.updates import due

    if not due(home, time.time()):
        return
    from optout.update_client import scheduled

    problem = scheduled(home)
    if problem is not None:
        error(f"warning: {problem}")


def _drift(home: Path, results: list[Result], failures: list[str]) -> dict[Key, State]:
    """The drifted results (see optout.drift), after noting on each setting that was not found
    last time whether an update changed its recipe since; none when the history cannot be read,
    which is then one of the run's recording failures."""
    import sqlite3

    from optout.drift import changes, note_recipe_updates
    from optout.history import History
    from optout.updates import recipe_changed

    try:
        with History(home) as history:
            note_recipe_updates(history, results, recipe_changed(home))
            return changes(history, results)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        failures.append(f"changes since the last check are not marked: {first_line(exc)}")
        return {}


def _discoveries(home: Path, pages: list[tuple[Platform, str, list[Item]]], failures: list[str]) -> list[Discovery]:
    """New AI switches on the pages seen, each announced once (optout.discovery); a failure to keep
    them is one of the run's recording failures."""
    import sqlite3

    from optout.discovery import remember

    try:
        return remember(home, pages)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        failures.append(f"new settings seen on the pages are not kept: {first_line(exc)}")
        return []


def _page(
    ctx: typer.Context,
    watch: Watch,
    command: str,
    results: list[Result],
    changed: dict[Key, State],
    failures: list[str],
) -> Path | None:
    """--html: the results as a page, each setting's story from the history's earlier rows; its
    path, or None when it could not be written, which is one of the run's failures, like a
    history that cannot be kept."""
    import sqlite3

    from optout.cli.render import write_page
    from optout.history import DB_NAME, History

    home = context.settings(ctx).home
    try:
        rows: list[dict[str, Any]] = []
        accounts = {r.account for r in results}
        if (home / DB_NAME).exists():  # a first run has no history yet, and need not create one here
            with History(home) as history:
                rows = history.rows(account=accounts.pop() if len(accounts) == 1 else None)
        assert watch.html is not None
        return write_page(
            watch.html,
            results,
            rows,
            command=command,
            catalogue=context.catalogue(ctx),
            changed=changed,
            quiet=watch.quiet,
        )
    except (OptoutError, sqlite3.Error, OSError) as exc:
        failures.append(f"the page was not written: {first_line(exc)}")
        return None


def _record(home: Path, command: str, results: list[Result], account: str, failures: list[str]) -> None:
    """Keep the run in the history; a failure is one of the run's recording failures."""
    import sqlite3

    from optout.history import History

    if not results:
        return
    try:
        with History(home) as history:
            history.record(command, results, account=account)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        failures.append(f"this run is not in the history: {first_line(exc)}")


def status(
    ctx: typer.Context,
    platforms: Annotated[
        list[str] | None,
        typer.Argument(help="Platforms to check (default: every one set up).", autocompletion=platform_ids),
    ] = None,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    region: RegionOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    timeout: TimeoutOption = 20.0,
    quiet: QuietOption = False,
    notify: NotifyOption = None,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
    html: HtmlOption = None,
) -> None:
    """Show where you stand: whether each platform uses your data for AI training."""

    def targets() -> tuple[list[Platform], list[Setting] | None]:
        cat = context.catalogue(ctx)
        return [context.platform(cat, name) for name in platforms or []], None

    _execute(
        ctx,
        targets,
        Watch(as_json, quiet, notify or [], lock_wait, html),
        command="status",
        want=None,
        dry_run=False,
        jobs=jobs,
        timeout=timeout,
        region=region,
        file_forms=False,
        account=account,
    )


def _targets(
    ctx: typer.Context, platform: str | None, settings: list[str] | None, every: bool
) -> tuple[list[Platform], list[Setting] | None]:
    cat = context.catalogue(ctx)
    if every and platform:
        raise UsageError("give a platform or --all, not both")
    if not every and not platform:
        raise UsageError("name a platform (e.g. `optout disable linkedin`) or use --all")
    if every:
        return [], None
    p = context.platform(cat, platform or "")
    return [p], [context.setting(p, name) for name in settings] if settings else None


def _change(
    ctx: typer.Context,
    command: str,
    want: State,
    platform: str | None,
    settings: list[str] | None,
    every: bool,
    dry_run: bool,
    watch: Watch,
    account: str,
    region: str | None,
    jobs: int,
    timeout: float,
    include: str | None = None,
) -> None:
    _execute(
        ctx,
        lambda: _targets(ctx, platform, settings, every),
        watch,
        command=command,
        want=want,
        dry_run=dry_run,
        jobs=jobs,
        timeout=timeout,
        region=region,
        file_forms=not every,
        account=account,
        include=include,
    )


IncludeOption = Annotated[
    str | None,
    typer.Option(
        "--include",
        metavar="CATEGORIES",
        help="Also the settings of these categories, not only training: ai-use, sharing (comma-separated).",
    ),
]
PlatformArg = Annotated[
    str | None, typer.Argument(help="Platform, e.g. linkedin.", show_default=False, autocompletion=platform_ids)
]
SettingsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Settings (default: the platform's default ones).", autocompletion=setting_ids),
]


def disable(
    ctx: typer.Context,
    platform: PlatformArg = None,
    settings: SettingsArg = None,
    every: Annotated[bool, typer.Option("--all", help="Every platform that is set up.")] = False,
    include: IncludeOption = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    region: RegionOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    timeout: TimeoutOption = 20.0,
    quiet: QuietOption = False,
    notify: NotifyOption = None,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
    html: HtmlOption = None,
) -> None:
    """Opt out: switch AI training off, verify after a reload, and keep a screenshot as receipt."""
    from optout.states import State  # not optout.results: pydantic would load before the driver starts

    _change(
        ctx,
        "disable",
        State.OPTED_OUT,
        platform,
        settings,
        every,
        dry_run,
        Watch(as_json, quiet, notify or [], lock_wait, html),
        account,
        region,
        jobs,
        timeout,
        include,
    )


def enable(
    ctx: typer.Context,
    platform: Annotated[
        str, typer.Argument(help="Platform, e.g. linkedin.", show_default=False, autocompletion=platform_ids)
    ],
    settings: SettingsArg = None,
    include: IncludeOption = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    region: RegionOption = None,
    jobs: JobsOption = DEFAULT_JOBS,
    timeout: TimeoutOption = 20.0,
    quiet: QuietOption = False,
    notify: NotifyOption = None,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
    html: HtmlOption = None,
) -> None:
    """Undo an opt-out: switch the setting back on (verified after a reload like `disable`)."""
    from optout.states import State  # not optout.results: pydantic would load before the driver starts

    _change(
        ctx,
        "enable",
        State.OPTED_IN,
        platform,
        settings,
        False,
        dry_run,
        Watch(as_json, quiet, notify or [], lock_wait, html),
        account,
        region,
        jobs,
        timeout,
        include,
    )
