"""What in a run's results needs the user: one short line each, or nothing.

One rule serves both `--quiet` (what still gets printed) and notifications (what gets sent), so
cron mail and alerts never disagree about what deserves attention.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from optout.results import Action, Result, SettingRef, State, login_command

DETAIL_MAX = 120


def _who(r: Result) -> str:
    return r.platform if r.account == "default" else f"{r.platform} ({r.account})"


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def attention_line(r: Result, changed: bool) -> str | None:
    """The one line a person needs about this result, or None when it needs nothing."""
    who, what = _who(r), f"{r.title!r}" + (f" for {r.resource}" if r.resource else "")
    since = " (changed since the last check)" if changed else ""
    wanted = r.wanted or State.OPTED_OUT
    if r.action is Action.FAILED:
        return f"{who}: {what}: optout switched it but the page still shows it {r.state.value.replace('_', ' ')}"
    if r.state in (State.OPTED_IN, State.OPTED_OUT) and r.state is not wanted:
        verb = "disable" if r.state is State.OPTED_IN else "enable"
        fix = f"optout {verb} {r.platform} {r.setting}" + (f" --account {r.account}" if r.account != "default" else "")
        return f"{who}: {what} is {r.state.value.replace('_', ' ')}{since}; to fix: {fix}"
    if r.state is State.NOT_FOUND:
        return f"{who}: {what}: control not found{since}; the site changed and the recipe needs an update"
    if r.state is State.ERROR:
        return f"{who}: {what}: check failed: {short(r.detail) or 'unknown error'}"
    if changed:
        return f"{who}: {what} changed since the last check: now {r.state.value.replace('_', ' ')}"
    return None


def needs_attention(results: Iterable[Result], changed: Collection[SettingRef] = ()) -> list[str]:
    """One short line per thing that needs the user: a setting opted in (or not as wanted), a
    change since the last check, a session that needs login (once per platform and account, with
    the command that fixes it), a control the site moved (not_found), a failed check or change.
    Opted-out and not-offered settings need nothing, nor do `manual` ones: those stay manual on
    every run and would otherwise send the same message forever. An empty list: send nothing."""
    lines: list[str] = []
    logins: set[tuple[str, str]] = set()
    for r in results:
        if r.state is State.NEEDS_LOGIN:
            if (r.platform, r.account) not in logins:
                logins.add((r.platform, r.account))
                lines.append(f"{_who(r)}: the session needs login; run: {login_command(r.platform, r.account)}")
            continue
        line = attention_line(r, r.ref in changed)
        if line is not None:
            lines.append(line)
    return lines
