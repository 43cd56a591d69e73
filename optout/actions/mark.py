"""`mark` as work: the user's word that an objection is filed (or the undoing of it), kept as a
receipt and in the history, and the setting's state that follows from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from optout.errors import UsageError
from optout.home.lock import home_lock

if TYPE_CHECKING:
    from optout.recipes.schema import Platform, Setting
    from optout.results import Result


@dataclass(frozen=True)
class Marked:
    """What a mark did: the setting's new result, or why nothing changed."""

    result: Result | None  # None: nothing was changed, and `said` says why
    said: str | None = None
    note: str | None = None  # the setting is not opted out even so, and why


def markable(p: Platform, s: Setting) -> None:
    """Only objection forms and manual steps are the user's to mark: a usage error otherwise."""
    from optout.home.receipts import RECEIPT_KINDS

    if s.kind not in RECEIPT_KINDS:
        what = "offers no opt-out to file" if s.kind == "none" else f"is read from the page ({s.kind})"
        raise UsageError(f"{p.id} {s.id} {what}; only objection forms and manual steps can be marked")


def mark(
    home: Path,
    p: Platform,
    s: Setting,
    *,
    filed: bool,
    day: date,
    evidence: Path | None,
    account: str,
    region: str | None,
    lock_wait: float,
    shown: Callable[[Marked], None],
) -> Marked:
    """Record (`filed`) or forget the user's receipt under the home lock and decide the setting's
    state from it. `shown` gets the outcome before it is recorded in the history: a damaged
    history.db (an error, exit 3) must not hide that the receipt itself was written."""
    from optout.engine.jobs import Job, RunOptions
    from optout.engine.settled import decide
    from optout.home.history import History
    from optout.home.receipts import Receipts, recorded_by
    from optout.home.user_config import UserConfig, region_code
    from optout.results import Action, Result, State

    markable(p, s)
    region = region_code(region) if region is not None else UserConfig(home).get("region")  # before any write
    receipts = Receipts(home)
    with home_lock(home, lock_wait):
        existing = receipts.get(p.id, account, s.id)
        if existing and recorded_by(existing) == "optout":
            return Marked(
                None,
                f"{p.id} {s.id}: already filed through optout on {existing.get('filed_at', '?')} "
                "(its confirmation was seen); nothing to change",
            )
        if not filed:
            if not existing:
                return Marked(None, f"{p.id} {s.id}: nothing recorded for account {account}; nothing to undo")
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
        regardless = result.state is not State.OPTED_OUT and receipt
        marked = Marked(
            result,
            note=f"{p.id} {s.id} is {result.state.value} for you regardless: {decision.detail}" if regardless else None,
        )
        shown(marked)
        with History(home) as history:
            history.record("mark", [result], account=account)
    return marked
