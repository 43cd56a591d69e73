"""Commands for keeping watch from cron: `history`, `notify-test`, `schedule`."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optout.actions.schedule import Via
from optout.cli import context
from optout.cli.completion import platform_ids
from optout.cli.options import HtmlOption, JsonOption
from optout.cli.output import emit_json, hint, table
from optout.errors import UsageError
from optout.home.user_config import UserConfig
from optout.unattended import schedule as sched

if TYPE_CHECKING:
    from rich.text import Text


def parse_since(value: str) -> datetime:
    """--since: a date (midnight, local time) or an ISO date and time (local unless it has an
    offset)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            day = date.fromisoformat(value.strip())
            return datetime(day.year, day.month, day.day)
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--since {value!r}: expected a date YYYY-MM-DD or a date and time such as 2026-03-01T09:00"
        ) from None


def _row_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "time": row["time"].isoformat()}


def _row_cells(row: dict[str, Any]) -> list[str | Text]:
    from rich.text import Text

    from optout.cli.render import STYLE
    from optout.results import State

    local = row["time"].astimezone().strftime("%Y-%m-%d %H:%M")
    state = Text(row["state"], style=STYLE.get(State(row["state"]), ""))
    return [local, row["command"], row["platform"], row["account"], row["setting"], state, row["action"], row["detail"]]


def history(
    ctx: typer.Context,
    platform: Annotated[
        str | None, typer.Argument(help="Only this platform.", show_default=False, autocompletion=platform_ids)
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only from this date (YYYY-MM-DD) or time on.")
    ] = None,
    account: Annotated[
        str | None, typer.Option("--account", metavar="NAME", help="Only this account (default: all).")
    ] = None,
    as_json: JsonOption = False,
    html: HtmlOption = None,
) -> None:
    """Show every result optout recorded, oldest first: what each check found and did."""
    from optout.home.history import History
    from optout.home.paths import history_db

    if html is not None:
        from optout.actions.page import target

        target(html)
    start = parse_since(since) if since is not None else None
    home = context.global_options(ctx).home
    name = platform.lower() if platform else None
    rows: list[dict[str, Any]] = []
    if history_db(home).exists():  # reading must not create a database in a mistyped --home
        with History.reading(home) as db:
            rows = db.rows(platform=name, since=start, account=account)
    if name is not None and not rows:
        context.platform(context.catalogue(ctx), name)  # a typo gets "did you mean"
    if html is not None:
        from optout.cli.render import write_page

        write_page(html, None, rows, command="history", catalogue=context.catalogue(ctx))
    if as_json:
        emit_json([_row_json(r) for r in rows])
        return
    if not rows:
        which = " matching that" if platform or since or account else ""
        hint(f"no history{which} in {home} (`optout status` adds to it)")
        return
    headers = ["time", "command", "platform", "account", "setting", "state", "action", "detail"]
    cells = [_row_cells(r) for r in rows]
    if all(r["account"] == "default" for r in rows):  # most people have one account: save the width
        headers.pop(3)
        cells = [c[:3] + c[4:] for c in cells]
    table(headers, cells)


def notify_test(
    ctx: typer.Context,
    notify: Annotated[
        list[str],
        typer.Option("--notify", metavar="URL", help="Apprise URL to send to (repeatable), besides the config file's."),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
) -> None:
    """Send a test message to every notification URL, to check they work before cron needs them."""
    import socket

    from optout.unattended import notify as notifications

    urls = notifications.configured_urls(UserConfig(context.global_options(ctx).home), notify)
    if not urls:
        raise UsageError("no notification URL: pass --notify URL, or add one with `optout config set notify URL`")
    notifications.send(
        urls,
        "optout: test message",
        f"This is a test from optout on {socket.gethostname()}. Notifications work: optout will write "
        "here when a setting is opted in, changes, needs a login, or can no longer be found.",
    )
    for url in urls:
        typer.echo(f"sent a test message to {notifications.mask_url(url)}")


def schedule(
    ctx: typer.Context,
    every: Annotated[sched.Every, typer.Option("--every", help="How often to run.")] = sched.Every.DAILY,
    fix: Annotated[
        bool, typer.Option("--fix", help="Run `disable --all` (switch everything off), not just `status`.")
    ] = False,
    install: Annotated[
        bool, typer.Option("--install", help="Install it for your user instead of printing it.")
    ] = False,
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Remove what --install set up for this home (nothing else is touched)."),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            dir_okay=False,
            help="Keep this HTML page current: every scheduled run rewrites it, and notifications name it.",
        ),
    ] = None,
    include: Annotated[
        str | None,
        typer.Option(
            "--include",
            metavar="CATEGORIES",
            help="With --fix: also switch off these categories, not only training: ai-use, sharing.",
        ),
    ] = None,
    via: Annotated[
        Via,
        typer.Option(
            "--via",
            help="Scheduler: auto picks launchd on macOS, else systemd when a user manager runs, else cron. "
            "Printing: auto prints launchd's agent on macOS, else the cron line and the systemd units.",
        ),
    ] = Via.AUTO,
) -> None:
    """Print (or --install) a crontab line, a systemd user timer or a launchd agent that runs optout
    unattended: quiet unless something needs you, notifying the URLs in the config file.

    Sessions expire: with `optout config set sessions.from firefox` (or chromium, or BROWSER:PROFILE),
    a scheduled run that finds a stored session signed out imports it once more from that browser and
    checks the platform again ("session refreshed from Firefox"); a session there for another account,
    or older than the stored one, is refused in one line and the platform stays needs_login."""
    from optout.actions.schedule import entries
    from optout.actions.schedule import install as install_entries
    from optout.actions.schedule import remove as remove_entries

    settings = context.global_options(ctx)
    if remove:
        if install:
            raise UsageError("--install and --remove cannot be used together")
        typer.echo(remove_entries(via, settings.home))
        return
    made = entries(settings, every, fix=fix, html=html, include=include)
    if not made.notifies:
        hint(
            "note: no notification URL is configured, so a run that needs you shows only in cron mail, "
            "the journal or schedule.log; add one with `optout config set notify URL` (then `optout notify-test`)"
        )
    if install:
        typer.echo(install_entries(via, made, settings.home))
        return
    if via is Via.AUTO and sched.is_macos():
        via = Via.LAUNCHD
    if via is Via.CRON:
        typer.echo(made.cron_line)
        return
    if via is Via.SYSTEMD:
        typer.echo(_units_text(made.service, made.timer))
        return
    if via is Via.LAUNCHD:  # the plist alone on stdout, so it can be saved as it is
        hint(f"# save as {sched.agent_path()} (or run `optout schedule --install --via launchd`)")
        typer.echo(made.agent.rstrip("\n"))
        return
    typer.echo(
        f"# crontab line (add with `crontab -e`, or run `optout schedule --install --via cron`):\n{made.cron_line}\n"
    )
    typer.echo(f"# or systemd user units, in {sched.unit_dir()}/ (or `optout schedule --install --via systemd`):")
    typer.echo(_units_text(made.service, made.timer))


def _units_text(service: str, timer: str) -> str:
    return f"# --- {sched.UNIT}.service\n{service}\n# --- {sched.UNIT}.timer\n{timer}".rstrip("\n")
