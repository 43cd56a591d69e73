"""`optout mark PLATFORM SETTING --filed | --undo`: the user's word that an objection is filed.

Some objections are filed where optout cannot watch (the user's own browser, an e-mail). Without
a record, such a setting stays `manual` (exit 3) on every run. The mark is a receipt like the ones
optout keeps itself, but says it was recorded by the user, and `status` says so too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from optout.cli import context
from optout.cli.completion import markable_setting_ids, platform_ids
from optout.cli.options import AccountOption, JsonOption, LockWaitOption, RegionOption
from optout.cli.output import hint
from optout.errors import UsageError
from optout.lock import DEFAULT_WAIT_S, home_lock

if TYPE_CHECKING:
    from optout.schema import Platform, Setting


def parse_day(value: str) -> date:
    """--on: a date YYYY-MM-DD, not in the future (nothing is filed tomorrow)."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--on {value!r}: expected a date YYYY-MM-DD, such as 2026-11-20") from None
    if day > date.today():
        raise UsageError(f"--on {value}: that date is in the future")
    return day


def _markable(p: Platform, s: Setting) -> None:
    from optout.receipts import RECEIPT_KINDS

    if s.kind not in RECEIPT_KINDS:
        what = "offers no opt-out to file" if s.kind == "none" else f"is read from the page ({s.kind})"
        raise UsageError(f"{p.id} {s.id} {what}; only objection forms and manual steps can be marked")


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
    from optout.cli.render import show
    from optout.config import Config, region_code
    from optout.engine.jobs import Job, RunOptions
    from optout.engine.settled import decide
    from optout.history import History
    from optout.receipts import Receipts, recorded_by
    from optout.results import Action, Result, State

    if filed == undo:
        raise UsageError("give --filed (you filed it) or --undo (forget that), one of the two")
    if undo and (on is not None or evidence is not None):
        raise UsageError("--on and --evidence go with --filed, not --undo")
    day = parse_day(on) if on is not None else date.today()
    p = context.platform(context.catalogue(ctx), platform)
    s = context.setting(p, setting)
    _markable(p, s)
    home = context.settings(ctx).home
    region = region_code(region) if region is not None else Config(home).get("region")  # before any write
    receipts = Receipts(home)
    with home_lock(home, lock_wait):
        existing = receipts.get(p.id, account, s.id)
        if existing and recorded_by(existing) == "optout":
            hint(
                f"{p.id} {s.id}: already filed through optout on {existing.get('filed_at', '?')} "
                "(its confirmation was seen); nothing to change"
            )
            return
        if undo:
            if not existing:
                hint(f"{p.id} {s.id}: nothing recorded for account {account}; nothing to undo")
                return
            receipts.forget(p.id, account, s.id, existing)
            receipt = None
        else:
            receipt = receipts.record_by_user(p.id, account, s.id, day, evidence)
        decision = decide(Job(p, [s], account), s, RunOptions(home=home, region=region), receipt)
        assert decision is not None  # forms and manual steps are always decided without a page
        result = Result(
            platform=p.id,
            setting=s.id,
            title=s.title,
            state=decision.state,
            detail=decision.detail if receipt else f"your record is removed; {decision.detail}",
            url=s.url,
            account=account,
            action=Action.FILED if receipt else Action.NONE,
            evidence=decision.evidence,
            recorded_by="user",
            confidence=p.confidence_of(s),
            category=s.category,
        )
        # Shown before it is recorded in the history: a damaged history.db (an error, exit 3) must
        # not hide that the receipt itself was written.
        show([result], [], as_json=as_json, quiet=False, account=account, changed={})
        if result.state is not State.OPTED_OUT and receipt:
            hint(f"note: {p.id} {s.id} is {result.state.value} for you regardless: {decision.detail}")
        with History(home) as history:
            history.record("mark", [result], account=account)
