"""Showing results: a coloured table on a terminal, plain columns in pipes and cron mail, JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

from optout.cli.output import emit_json, error, hint, interactive, out, table
from optout.engine.jobs import Job
from optout.engine.plan import setup_hint
from optout.recipes.schema import Platform
from optout.results import Action, Result, SettingRef, State
from optout.unattended.attention import attention_line

if TYPE_CHECKING:
    from optout.actions.run import RunOutcome
    from optout.recipes.schema import Catalogue

STYLE = {
    State.OPTED_OUT: "green",
    State.OPTED_IN: "bold red",
    State.NEEDS_LOGIN: "yellow",
    State.NOT_FOUND: "magenta",
    State.NOT_OFFERED: "dim",
    State.MANUAL: "cyan",
    State.ERROR: "bold red",
}


# Said once wherever evidence paths are printed: the HTML is scrubbed, a screenshot cannot be.
EVIDENCE_NOTE = (
    "Screenshots show what the page showed and may contain personal data; the saved pages have cookie "
    "values and e-mail addresses removed. Look before you attach them to a bug report."
)


def next_step(r: Result) -> str:
    """The detail, or when there is none, what the user can do about this state."""
    if r.detail:
        return r.detail
    if r.state is State.OPTED_IN:
        return f"run: optout disable {r.platform} {r.setting}"
    if r.state is State.OPTED_OUT:
        return "nothing to do"
    return ""


def needs_user(r: Result, changed: bool) -> bool:
    """What --quiet still prints: the same things a notification is sent for (a standing manual
    step is left out, or every cron run would repeat it)."""
    return r.state is State.NEEDS_LOGIN or attention_line(r, changed) is not None


def _state_cell(r: Result, previous: State | None) -> Text:
    text = Text(r.state.value, style=STYLE[r.state])
    if previous is not None:
        text.append(f" (was {previous.value}, changed)", style="bold")
    return text


def caveats(jobs: Sequence[Job], results: Sequence[Result]) -> list[str]:
    """The caveats of the settings this run has a result for, each once (a per-resource setting
    gives many results, one platform's settings may share a caveat), as `platform: text`."""
    seen = {(r.platform, r.setting) for r in results}
    lines = [
        f"{job.platform.id}: {s.caveat}"
        for job in jobs
        for s in job.settings
        if s.caveat and (job.platform.id, s.id) in seen
    ]
    return list(dict.fromkeys(lines))


def show(
    results: list[Result],
    not_set_up: list[Platform],
    *,
    as_json: bool,
    quiet: bool,
    account: str,
    changed: Mapping[SettingRef, State],
    notes: Sequence[str] = (),
) -> None:
    """Print the results; `changed` maps drifted settings to their state at the previous check.
    `notes` (the caveats) follow the table once; with --json they go to stderr, so stdout stays
    the list of results; --quiet leaves them out (a scheduled run would repeat them each time)."""
    if as_json:
        emit_json(
            [{**r.as_json(), "changed": r.ref in changed, "previous": _value(changed.get(r.ref))} for r in results]
        )
        if not quiet:
            for note in notes:
                hint(f"note: {note}")
        return
    shown = [r for r in results if needs_user(r, r.ref in changed)] if quiet else results
    if shown:
        rows: list[list[str | Text]] = [
            [
                r.platform + ("" if r.account == "default" else f" ({r.account})"),
                r.ref.key,
                r.category or "",
                _state_cell(r, changed.get(r.ref)),
                next_step(r),
            ]
            for r in shown
        ]
        table(["platform", "setting", "category", "state", "detail / next step"], rows)
        failed = (State.NOT_FOUND, State.ERROR)
        saved = [r for r in shown if r.evidence and (r.state in failed or r.action is Action.FAILED)]
        for r in saved:
            out().print(f"{r.platform} {r.setting}: screenshot and page saved at {r.evidence}", markup=False)
        if saved:
            out().print(EVIDENCE_NOTE, markup=False)
    if not quiet:
        for note in notes:
            out().print(f"note: {note}", markup=False)
    if not_set_up and not quiet:
        for p in not_set_up:
            out().print(
                f"not set up: {p.id} ({setup_hint(p, account)})",
                markup=False,
                style="dim" if interactive() else None,
            )
    if not results and not quiet:
        out().print(
            "Nothing checked: no platform is set up yet. Run `optout login linkedin` (or x) to start.", markup=False
        )


def show_run(outcome: RunOutcome, *, as_json: bool, quiet: bool) -> None:
    """A run's results (show), with the caveats of the settings it has a result for."""
    show(
        outcome.results,
        outcome.not_set_up,
        as_json=as_json,
        quiet=quiet,
        account=outcome.account,
        changed=outcome.changed,
        notes=caveats(outcome.jobs, outcome.results),
    )


def run_warnings(outcome: RunOutcome) -> None:
    """What a run says on stderr after its results: each new AI switch once, each line of what
    could not be kept as a warning (several notification URLs fail a line each), and the signal
    that stopped it."""
    for d in outcome.discoveries:
        hint(d.notice())
    for line in (line for failure in outcome.failures for line in failure.splitlines()):
        error(f"warning: {line}")
    if outcome.stopped is not None:
        error(f"{outcome.stopped}: the results above are what was done before it")


def write_page(
    path: Path,
    results: Sequence[Result] | None,
    rows: Sequence[Mapping[str, Any]],
    *,
    command: str,
    catalogue: Catalogue | None,
    changed: Mapping[SettingRef, State] | None = None,
    quiet: bool = False,
) -> Path:
    """`--html FILE`: the same results as one HTML page (optout.actions.page), each setting's story told
    from the history `rows` (earlier rows of a run's settings; for `history`, results is None and
    the rows are all there is). Says on stderr where it went, so --json's stdout stays one
    document, unless `quiet` (--quiet: a scheduled run's mail carries only what needs the user)."""
    from optout.actions import page

    if results is None:
        title, cards = "optout: history", page.history_cards(rows, catalogue)
    else:
        title, cards = (
            f"optout: where you stand ({command})",
            page.cards(results, rows, command=command, changed=changed, catalogue=catalogue),
        )
    written = page.write(path, page.render(title, cards, timelines=results is None, note=EVIDENCE_NOTE))
    if not quiet:
        hint(f"page written to {written} (mode 600: its screenshots may show personal data)")
    return written


def _value(state: State | None) -> str | None:
    return state.value if state else None


@contextmanager
def progress(jobs: list[Job], enabled: bool) -> Iterator[Callable[[Result], None] | None]:
    """On a terminal, a live line per run showing each setting as its check finishes; elsewhere
    (cron, pipes, --json) nothing, so output stays clean."""
    if not enabled or not interactive():
        yield None
        return
    total = sum(len(j.settings) for j in jobs)
    names = ", ".join(dict.fromkeys(j.platform.name for j in jobs))
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out(),
        transient=True,
    ) as bar:
        task = bar.add_task(f"checking {names}", total=total)

        def done(r: Result) -> None:
            bar.update(task, advance=1, description=f"{r.platform} {r.setting}: {r.state.value}")

        yield done
