"""Command-line options that several commands share, defined once so they read the same everywhere."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from optout.errors import UsageError
from optout.home.accounts import DEFAULT_ACCOUNT, check_account


def _account(value: str) -> str:
    """Account names become file names; a bad one is a usage error before anything runs."""
    try:
        return check_account(value)
    except UsageError as exc:
        raise typer.BadParameter(str(exc).removeprefix(f"account {value!r}: ")) from None


AccountOption = Annotated[
    str,
    typer.Option(
        "--account",
        metavar="NAME",
        envvar="OPTOUT_ACCOUNT",
        callback=_account,
        help=f"Which of your accounts on the platform: each has its own session and results "
        f"(default: {DEFAULT_ACCOUNT}).",
        show_default=False,
    ),
]
MAX_SECONDS = 86400.0  # a day: any wait longer than that is a typo (or `inf`)


def _seconds(value: float) -> float:
    """A number of seconds to wait: finite and at most a day (`inf` and `nan` pass click's range
    check, and a run must always end)."""
    if not math.isfinite(value) or value > MAX_SECONDS:
        raise typer.BadParameter(f"give a number of seconds up to {MAX_SECONDS:g}")
    return value


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
# Platforms checked at once by default: as many as a typical run has, so `status` of all of them
# takes about as long as the slowest one (0.96x a minimal script that opens them all at once,
# bench/engine.py). Each job is one Chromium renderer: 8 of them add about 40 % to the memory of a
# one-platform run (PSS; summed RSS counts the shared browser binary once per renderer, 2.3x).
DEFAULT_JOBS = 8

JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        max=16,
        envvar="OPTOUT_JOBS",
        help="Platforms checked at the same time (fewer: less memory, slower).",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=1,
        envvar="OPTOUT_TIMEOUT",
        callback=_seconds,
        help="Seconds to wait for a page's control to appear or a change to save.",
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option("--region", help="Country you live in (e.g. GB); default from `optout config set region`."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing unless something needs you.")]
NotifyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--notify",
        metavar="URL",
        help="Apprise URL to tell when something needs you (repeatable; also `optout config set notify`).",
    ),
]
LockWaitOption = Annotated[
    float,
    typer.Option(
        "--lock-wait",
        min=0,
        callback=_seconds,
        metavar="SECONDS",
        help="How long to wait for another optout run on the same home to finish.",
    ),
]
HtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        dir_okay=False,
        help="Also write it as one self-contained HTML page with the receipts (mode 600; opens offline).",
    ),
]
