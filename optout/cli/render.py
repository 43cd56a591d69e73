"""Showing results: a coloured table on a terminal, plain columns in pipes and cron mail, JSON."""

from __future__ import annotations

from rich.text import Text

from optout.cli.output import emit_json, interactive, out, table
from optout.results import Action, Result, State
from optout.schema import Platform
from optout.selection import setup_hint

STYLE = {
    State.OPTED_OUT: "green",
    State.OPTED_IN: "bold red",
    State.NEEDS_LOGIN: "yellow",
    State.NOT_FOUND: "magenta",
    State.NOT_OFFERED: "dim",
    State.MANUAL: "cyan",
    State.ERROR: "bold red",
}


def next_step(r: Result) -> str:
    """The detail, or when there is none, what the user can do about this state."""
    if r.detail:
        return r.detail
    if r.state is State.OPTED_IN:
        return f"run: optout disable {r.platform} {r.setting}"
    if r.state is State.OPTED_OUT:
        return "nothing to do"
    return ""


def needs_user(r: Result) -> bool:
    """Whether this result asks something of the user (what --quiet still prints)."""
    wanted = r.wanted or State.OPTED_OUT
    if r.action is Action.FAILED:
        return True
    if r.state in (State.OPTED_IN, State.OPTED_OUT):
        return r.state is not wanted
    return r.state is not State.NOT_OFFERED


def show(results: list[Result], not_set_up: list[Platform], *, as_json: bool, quiet: bool, account: str) -> None:
    if as_json:
        emit_json([r.as_json() for r in results])
        return
    shown = [r for r in results if needs_user(r)] if quiet else results
    if shown:
        rows = [[r.platform + ("" if r.account == "default" else f" ({r.account})"), r.setting,
                 Text(r.state.value, style=STYLE[r.state]), next_step(r)] for r in shown]
        table(["platform", "setting", "state", "detail / next step"], rows)
        for r in shown:
            if r.evidence and r.state in (State.NOT_FOUND, State.ERROR) or r.action is Action.FAILED and r.evidence:
                out().print(f"{r.platform} {r.setting}: screenshot and page saved at {r.evidence}", markup=False)
    if not_set_up and not quiet:
        for p in not_set_up:
            out().print(f"not set up: {p.id} (run: {setup_hint(p, account)})", markup=False, style="dim" if interactive() else None)
    if not results and not quiet:
        out().print("Nothing checked: no platform is set up yet. Run `optout login linkedin` (or x) to start.", markup=False)
