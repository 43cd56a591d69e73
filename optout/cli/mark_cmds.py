"""`optout mark PLATFORM SETTING --filed | --undo`: the user's word that an objection is filed.

Some objections are filed where optout cannot watch (the user's own browser, an e-mail). Without
a record, such a setting stays `manual` (exit 3) on every run. The mark is a receipt like the ones
optout keeps itself, but says it was recorded by the user, and `status` says so too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from optout.cli import context
from optout.cli.completion import markable_setting_ids, platform_ids
from optout.cli.options import AccountOption, JsonOption, LockWaitOption, RegionOption
from optout.cli.output import hint
from optout.errors import UsageError
from optout.home.lock import DEFAULT_WAIT_S


def parse_day(value: str) -> date:
    """--on: a date YYYY-MM-DD, not in the future (nothing is filed tomorrow)."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--on {value!r}: expected a date YYYY-MM-DD, such as 2026-11-20") from None
    if day > date.today():
        raise UsageError(f"--on {value}: that date is in the future")
    return day


def mark(
    ctx: typer.Context,
    platform: Annotated[
        str, typer.Argument(help="Platform, e.g. meta.", show_default=False, autocompletion=platform_ids)
    ],
    setting: Annotated[
        str, typer.Argument(help="Setting, e.g. ai-objection.", show_default=False, autocompletion=markable_setting_ids)
    ],
    filed: Annotated[bool, typer.Option("--filed", help="Record that you filed it yourself.")] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove what you recorded with --filed.")] = False,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="When you filed it (YYYY-MM-DD; default today).")
    ] = None,
    evidence: Annotated[
        Path | None,
        typer.Option("--evidence", metavar="FILE", help="Proof to keep a private copy of (confirmation e-mail, PDF)."),
    ] = None,
    as_json: JsonOption = False,
    account: AccountOption = "default",
    region: RegionOption = None,
    lock_wait: LockWaitOption = DEFAULT_WAIT_S,
) -> None:
    """Record that you filed an objection yourself (or --undo it): then `status` counts it as opted out."""
    from optout.actions.mark import Marked
    from optout.actions.mark import mark as record

    if filed == undo:
        raise UsageError("give --filed (you filed it) or --undo (forget that), one of the two")
    if undo and (on is not None or evidence is not None):
        raise UsageError("--on and --evidence go with --filed, not --undo")
    day = parse_day(on) if on is not None else date.today()
    p = context.platform(context.catalogue(ctx), platform)
    s = context.setting(p, setting)

    def shown(marked: Marked) -> None:
        from optout.cli.render import show

        assert marked.result is not None
        show([marked.result], [], as_json=as_json, quiet=False, account=account, changed={})
        if marked.note:
            hint(f"note: {marked.note}")

    home = context.global_options(ctx).home
    done = record(
        home,
        p,
        s,
        filed=filed,
        day=day,
        evidence=evidence,
        account=account,
        region=region,
        lock_wait=lock_wait,
        shown=shown,
    )
    if done.said:
        hint(done.said)
