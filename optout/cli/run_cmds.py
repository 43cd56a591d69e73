"""`status`, `disable` and `enable`: parse the options, run the command (optout.actions.run),
render what it did (optout.cli.render) and exit with its code (optout.exit_codes).
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
from optout.errors import UsageError
from optout.lock import DEFAULT_WAIT_S

# What a run needs (the catalogue's models, results, history, the engine) loads when a command
# runs, not when `optout --help` imports this module.
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from optout.actions.run import RunOutcome
    from optout.engine.jobs import Job
    from optout.results import Result, State
    from optout.schema import Catalogue, Platform, Setting

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Report what would change; click nothing.")]


@dataclass(frozen=True)
class Watch:
    """How the run fits unattended use: output volume, notifications, the home lock."""

    as_json: bool
    quiet: bool
    notify: list[str]
    lock_wait: float
    html: Path | None = None  # --html FILE: the results as a page too


@dataclass(frozen=True)
class _Screen:
    """The run's Display (optout.actions.run): optout.cli.render, imported when first used, by
    which time the worker thread that planned the run has loaded it."""

    as_json: bool
    quiet: bool

    def progress(self, jobs: list[Job]) -> AbstractContextManager[Callable[[Result], None] | None]:
        from optout.cli.render import progress

        return progress(jobs, enabled=not (self.as_json or self.quiet))

    def notice(self, text: str) -> None:
        hint(text)

    def show(self, outcome: RunOutcome) -> None:
        from optout.cli.render import show_run

        show_run(outcome, as_json=self.as_json, quiet=self.quiet)

    def page(self, path: Path, outcome: RunOutcome, rows: list[dict[str, Any]], catalogue: Catalogue) -> Path:
        from optout.cli.render import write_page

        return write_page(
            path,
            outcome.results,
            rows,
            command=outcome.command,
            catalogue=catalogue,
            changed=outcome.changed,
            quiet=self.quiet,
        )


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
    """Run the command (optout.actions.run.execute), render what it did and exit with its code.
    `targets` names the platforms and settings asked for; it runs in the action's worker thread,
    which also loads the rendering here, so that it is ready when the results are."""
    from optout.actions.run import RunRequest, Targets, check_recipes, execute

    s = context.settings(ctx)
    if watch.quiet and (problem := check_recipes(s.home)) is not None:
        error(f"warning: {problem}")

    def asked() -> Targets:
        import optout.cli.render  # noqa: F401 - loaded in the worker thread, not after the run

        platforms, settings = targets()
        return Targets(context.catalogue(ctx), platforms, settings)

    request = RunRequest(
        command=command,
        home=s.home,
        want=want,
        browser=s.browser,
        account=account,
        dry_run=dry_run,
        jobs=jobs,
        timeout=timeout,
        region=region,
        file_forms=file_forms,
        include=include,
        notify=watch.notify,
        lock_wait=watch.lock_wait,
        html=watch.html,
        quiet=watch.quiet,
    )
    outcome = execute(request, asked, _Screen(watch.as_json, watch.quiet))

    from optout.cli.render import run_warnings

    run_warnings(outcome)
    raise typer.Exit(outcome.exit_code)


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
