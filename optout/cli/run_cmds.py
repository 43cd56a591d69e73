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
from optout.home.lock import DEFAULT_WAIT_S

# What a run needs (the catalogue's models, results, history, the engine) loads when a command
# runs, not when `optout --help` imports this module.
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from optout.actions.run import RunOutcome, RunRequest
    from optout.engine.jobs import Job
    from optout.recipes.schema import Catalogue, Platform, Setting
    from optout.results import Result
    from optout.states import State

DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Report what would change; click nothing.")]


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
    request: RunRequest,
    as_json: bool,
) -> None:
    """Run the command (optout.actions.run.execute), render what it did and exit with its code.
    `targets` names the platforms and settings asked for; it runs in the action's worker thread,
    which also loads the rendering here, so that it is ready when the results are."""
    from optout.actions.run import Targets, check_recipes, execute

    if request.quiet and (problem := check_recipes(request.home)) is not None:
        error(f"warning: {problem}")

    def asked() -> Targets:
        import optout.cli.render  # noqa: F401 - loaded in the worker thread, not after the run

        platforms, settings = targets()
        return Targets(context.catalogue(ctx), platforms, settings)

    outcome = execute(request, asked, _Screen(as_json, request.quiet))

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

    request = _request(
        ctx,
        "status",
        None,
        account=account,
        jobs=jobs,
        timeout=timeout,
        region=region,
        file_forms=False,
        notify=notify or [],
        lock_wait=lock_wait,
        html=html,
        quiet=quiet,
    )
    _execute(ctx, targets, request, as_json)


def _request(ctx: typer.Context, command: str, want: State | None, **options: Any) -> RunRequest:
    """The run `command` asks for: its own options (`RunRequest`'s fields), with the global ones
    (--home, --browser) that every run takes from the root callback."""
    from optout.actions.run import RunRequest

    s = context.global_options(ctx)
    return RunRequest(command=command, home=s.home, want=want, browser=s.browser, **options)


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

    request = _request(
        ctx,
        "disable",
        State.OPTED_OUT,
        account=account,
        dry_run=dry_run,
        jobs=jobs,
        timeout=timeout,
        region=region,
        file_forms=not every,
        include=include,
        notify=notify or [],
        lock_wait=lock_wait,
        html=html,
        quiet=quiet,
    )
    _execute(ctx, lambda: _targets(ctx, platform, settings, every), request, as_json)


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

    request = _request(
        ctx,
        "enable",
        State.OPTED_IN,
        account=account,
        dry_run=dry_run,
        jobs=jobs,
        timeout=timeout,
        region=region,
        include=include,
        notify=notify or [],
        lock_wait=lock_wait,
        html=html,
        quiet=quiet,
    )
    _execute(ctx, lambda: _targets(ctx, platform, settings, False), request, as_json)
