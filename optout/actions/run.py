"""`status`, `disable` and `enable` as work: plan the run, run it under the home lock, keep it in
the history, notify, and hand back a RunOutcome for the CLI to render and exit with.

`optout status` must start fast, so this module imports little when it loads: what a run needs
(the catalogue's models, results, history, the engine) loads in `execute`, most of it in a worker
thread while Playwright's driver starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from optout.errors import OptoutError, first_line
from optout.exit_codes import ExitCode
from optout.home.lock import DEFAULT_WAIT_S, home_lock

if TYPE_CHECKING:
    from types import TracebackType

    from playwright.async_api import Playwright

    from optout.engine.interrupt import Interrupted
    from optout.engine.inventory import Item
    from optout.engine.jobs import Job
    from optout.engine.plan import Plan
    from optout.home.history import History
    from optout.home.user_config import UserConfig
    from optout.recipes.schema import Catalogue, Platform, Setting
    from optout.results import Discovery, Result, SettingRef, State


@dataclass(frozen=True)
class RunRequest:
    """What a run is asked to do, as plain values (the CLI parses them from its options)."""

    command: str  # "status", "disable" or "enable": how the history and the page name the run
    home: Path
    want: State | None  # None: only look; OPTED_OUT: disable; OPTED_IN: enable
    browser: Path | None = None
    account: str = "default"
    dry_run: bool = False
    jobs: int = 1
    timeout: float = 20.0
    region: str | None = None  # --region; None: the configured one
    file_forms: bool = True  # False under `disable --all`: forms need the user at a window
    include: str | None = None  # --include: categories besides training, read when planning
    notify: Sequence[str] = ()  # --notify URLs, besides the config file's
    lock_wait: float = DEFAULT_WAIT_S
    html: Path | None = None  # --html FILE: the results as a page too
    quiet: bool = False  # --quiet: the page says less where it went


class Targets(NamedTuple):
    """The catalogue and what in it the run was asked for (settings None: each platform's defaults)."""

    catalogue: Catalogue
    platforms: list[Platform]  # empty: every platform that is set up
    settings: list[Setting] | None


@dataclass
class RunOutcome:
    """What a run did: its results and everything said about them, for the CLI to render."""

    command: str
    account: str
    jobs: list[Job]
    not_set_up: list[Platform]
    results: list[Result] = field(default_factory=list)
    changed: dict[SettingRef, State] = field(default_factory=dict)  # drifted settings: their state before
    # What could not be kept (history, session write-back, receipt, page, notification): the
    # results stand; each is a warning.
    failures: list[str] = field(default_factory=list)
    discoveries: list[Discovery] = field(default_factory=list)  # new AI switches, each said once
    page: Path | None = None  # the --html page, when it was written
    stopped: Interrupted | None = None  # the signal that stopped the run, if one did

    @property
    def exit_code(self) -> ExitCode:
        """The results' code (optout.results.exit_code), or 128 + the signal's number after one.
        A recording failure turns 0 into 3; 1 and 3 stay as they are, because they already tell a
        script to look, and "opted in" is the more urgent news."""
        from optout.results import exit_code

        if self.stopped is not None:
            return self.stopped.exit_code
        code = exit_code(self.results)
        return ExitCode.UNDETERMINED if self.failures and code is ExitCode.OK else code


class Display(Protocol):
    """What a run shows while it runs; the CLI's rendering (optout.cli.render) provides it."""

    def progress(self, jobs: list[Job]) -> AbstractContextManager[Callable[[Result], None] | None]:
        """A display of results as they arrive, and the callback that feeds it (None: no display)."""

    def notice(self, text: str) -> None:
        """Something the user must hear at once (an objection form waits for them to send it)."""

    def show(self, outcome: RunOutcome) -> None:
        """The results, shown as soon as they and their drift are known: before anything that
        records them can fail, so a damaged history or a dead notifier never hides what a run did."""

    def page(self, path: Path, outcome: RunOutcome, rows: list[dict[str, Any]], catalogue: Catalogue) -> Path:
        """Write the results as an HTML page at `path`, each setting's story from the history `rows`."""


def check_recipes(home: Path) -> str | None:
    """A scheduled (`--quiet`) run asks for a recipe update at most once a day, before it reads the
    recipes; what went wrong, if anything, is a warning and never changes the run's exit code."""
    import time

    from optout.recipes.updates import due

    if not due(home, time.time()):
        return None
    from optout.recipes.update_client import scheduled

    return scheduled(home)


def execute(request: RunRequest, targets: Callable[[], Targets], display: Display) -> RunOutcome:
    """Plan the run (changes touch only default settings unless named, widened by
    `request.include`), run it under the home lock, show it, then record it in the history and
    notify. `targets` reads the catalogue and names the platforms and settings asked for (a usage
    error if one is unknown); it runs in the worker thread.

    Playwright's driver, a Node process that takes half a second to load, starts first when a
    session is stored (a run will most likely open pages), and loads while the catalogue is read
    and the run planned in a worker thread. The config file is read and the history opened once.

    A signal (Ctrl-C, SIGTERM) stops the run: what was done so far is shown and recorded, not
    notified, and the outcome's exit code is 130 or 143, whatever the results."""
    import asyncio

    from optout.engine.browser import abandon, start_driver  # Playwright's API, not yet the engine
    from optout.home.accounts import any_session

    if request.html is not None:
        from optout.actions.page import target

        target(request.html)  # a missing folder is a usage error before the run, not after it

    def prepare() -> tuple[Targets, Plan, UserConfig, str | None]:
        """In a worker thread while Node loads: what the run needs loaded, the targets, the plan."""
        import optout.engine.runner
        import optout.unattended.notify  # noqa: F401 - loaded here rather than after the plan
        from optout.engine.plan import parse_include, plan
        from optout.home.sessions import SessionStore
        from optout.home.user_config import UserConfig, region_code

        asked = targets()
        config = UserConfig(request.home)
        where = region_code(request.region) if request.region is not None else config.get("region")
        the_plan = plan(
            asked.catalogue,
            asked.platforms,
            asked.settings,
            account=request.account,
            sessions=SessionStore(request.home),
            region=where,
            defaults_only=request.want is not None,
            resources=config.resources(),
            include=parse_include(request.include),
        )
        return asked, the_plan, config, where

    async def begin() -> asyncio.Future[Playwright]:
        return start_driver()

    with asyncio.Runner() as loop:
        starting = loop.run(begin()) if any_session(request.home) else None
        try:
            asked, the_plan, config, where = loop.run(asyncio.to_thread(prepare))
            if starting is not None and not the_plan.jobs:
                loop.run(abandon(starting))
        except BaseException:
            if starting is not None:
                loop.run(abandon(starting))
            raise
        from optout.engine.interrupt import Interrupted
        from optout.engine.jobs import RunLog, RunOptions
        from optout.engine.runner import run
        from optout.engine.session_refresh import Refresh

        outcome = RunOutcome(request.command, request.account, the_plan.jobs, the_plan.not_set_up)
        log = RunLog()
        with home_lock(request.home, request.lock_wait):
            with display.progress(the_plan.jobs) as on_result:
                options = RunOptions(
                    home=request.home,
                    browser=request.browser,
                    want=request.want,
                    dry_run=request.dry_run,
                    jobs=request.jobs,
                    timeout=request.timeout,
                    region=where,
                    form_values={"email": config.get("email"), "name": config.get("name"), "country": where},
                    file_forms=request.file_forms,
                    on_result=on_result,
                    on_notice=display.notice,
                    log=log,
                    refresh=Refresh.configured(request.home, config),
                )
                try:
                    outcome.results = loop.run(run(the_plan.jobs, options, starting)) if the_plan.jobs else []
                except Interrupted as exc:
                    outcome.results, outcome.stopped = exc.results, exc
            outcome.failures += log.record_failures
            with _OnceOpened(request.home) as history:
                outcome.changed = _drift(request.home, history, outcome)
                display.show(outcome)
                if request.html is not None:
                    outcome.page = _page(request, history, outcome, display, asked.catalogue)
                _record(history, outcome)
                outcome.discoveries = _discoveries(history, log.pages, outcome)
    if outcome.stopped is None:
        _notify(config, request.notify, outcome)
    return outcome


class _OnceOpened:
    """The history, opened once for everything a run keeps in it. One that cannot be opened (a
    damaged file, a home that cannot be written) fails each step that needs it, in that step's
    words, as if each had opened it."""

    def __init__(self, home: Path) -> None:
        import sqlite3

        from optout.home.history import History

        self.history: History | None = None
        self.problem: Exception | None = None
        try:
            self.history = History(home)
        except (OptoutError, sqlite3.Error, OSError) as exc:
            self.problem = exc

    def get(self) -> History:
        """The open history, or the error that kept it from opening."""
        if self.history is None:
            assert self.problem is not None
            raise self.problem
        return self.history

    def __enter__(self) -> _OnceOpened:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.history is not None:
            self.history.close()


def _drift(home: Path, history: _OnceOpened, outcome: RunOutcome) -> dict[SettingRef, State]:
    """The drifted results (see optout.unattended.drift), after noting on each setting that was not found
    last time whether an update changed its recipe since; none when the history cannot be read,
    which is then one of the run's recording failures."""
    import sqlite3

    from optout.recipes.updates import recipe_changed
    from optout.unattended.drift import changes, note_recipe_updates

    try:
        note_recipe_updates(history.get(), outcome.results, recipe_changed(home))
        return changes(history.get(), outcome.results)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        outcome.failures.append(f"changes since the last check are not marked: {first_line(exc)}")
        return {}


def _page(
    request: RunRequest, history: _OnceOpened, outcome: RunOutcome, display: Display, catalogue: Catalogue
) -> Path | None:
    """--html: the results as a page, each setting's story from the history's earlier rows; its
    path, or None when it could not be written, which is one of the run's failures, like a
    history that cannot be kept."""
    import sqlite3

    from optout.home.paths import history_db

    assert request.html is not None
    try:
        rows: list[dict[str, Any]] = []
        accounts = {r.account for r in outcome.results}
        if history_db(request.home).exists():  # a first run has no history yet, and need not create one here
            rows = history.get().rows(account=accounts.pop() if len(accounts) == 1 else None)
        return display.page(request.html, outcome, rows, catalogue)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        outcome.failures.append(f"the page was not written: {first_line(exc)}")
        return None


def _record(history: _OnceOpened, outcome: RunOutcome) -> None:
    """Keep the run in the history; a failure is one of the run's recording failures."""
    import sqlite3

    if not outcome.results:
        return
    try:
        history.get().record(outcome.command, outcome.results, account=outcome.account)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        outcome.failures.append(f"this run is not in the history: {first_line(exc)}")


def _discoveries(
    history: _OnceOpened, pages: list[tuple[Platform, str, list[Item]]], outcome: RunOutcome
) -> list[Discovery]:
    """New AI switches on the pages seen, each announced once (optout.engine.discovery); a failure to keep
    them is one of the run's recording failures."""
    import sqlite3

    from optout.engine.discovery import found_on

    found = found_on(pages)
    if not found:
        return []
    try:
        return history.get().remember(found)
    except (OptoutError, sqlite3.Error, OSError) as exc:
        outcome.failures.append(f"new settings seen on the pages are not kept: {first_line(exc)}")
        return []


def _notify(config: UserConfig, extra: Sequence[str], outcome: RunOutcome) -> None:
    """Send what needs the user, and the new AI switches, to the notification URLs; a notifier
    that fails is one of the run's failures (each line of it a warning)."""
    from optout.unattended.notify import alert, announce, configured_urls

    try:
        urls = configured_urls(config, extra)
        alert(urls, outcome.results, outcome.changed, outcome.page)
        announce(urls, [d.notice() for d in outcome.discoveries])
    except OptoutError as exc:
        outcome.failures.append(f"notification failed: {exc}")
