"""Results that need no page: settings with no control, manual steps, regions, receipts.

Kept apart from the browser code: these are plain rules about the recipe, the user's region and
what optout recorded, and they decide before any browser starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from optout import __version__
from optout.engine.jobs import Job, RunOptions, region_offers
from optout.home.receipts import recorded_by
from optout.recipes.files import too_old
from optout.recipes.schema import Setting
from optout.results import Action, RecordedBy, State


@dataclass(frozen=True)
class Decision:
    state: State
    detail: str
    action: Action = Action.NONE
    evidence: str | None = None
    recorded_by: RecordedBy = "optout"


def _filed(receipt: dict[str, Any], o: RunOptions) -> Decision:
    """Opted out on the strength of a receipt: optout's own, or the user's word (`optout mark`)."""
    who = recorded_by(receipt)
    when = receipt.get("filed_at", "?")
    detail = f"filed on {when}, recorded by you" if who == "user" else f"objection filed through optout on {when}"
    if o.want is State.OPTED_IN:
        detail += "; objections cannot be withdrawn here"
    return Decision(
        State.OPTED_OUT, detail, evidence=receipt.get("evidence") or receipt.get("screenshot"), recorded_by=who
    )


def decide(job: Job, s: Setting, o: RunOptions, receipt: dict[str, Any] | None) -> Decision | None:
    """The result for a setting when it is already known without opening its page; None when the
    page must be opened (a toggle to read, or a form the user is about to file)."""
    needed = job.platform.min_optout
    if needed is not None and too_old(__version__, needed):
        return Decision(State.ERROR, f"this recipe needs optout {needed} or newer; upgrade")
    if s.kind == "none":
        return Decision(State.NOT_OFFERED, s.notes or "this platform offers no opt-out")
    if s.resource is not None and s.resource_value is None:
        return Decision(
            State.MANUAL,
            f"this setting exists once per {s.resource.title}: list yours with "
            f"optout config set {job.platform.id}.{s.resource.name} NAME[,NAME...]",
        )
    if s.kind == "manual" and receipt:
        return _filed(receipt, o)
    if s.kind == "manual" and s.email is not None:
        e = s.email
        return Decision(State.MANUAL, f"send this e-mail yourself: To: {e.to} | Subject: {e.subject} | Body: {e.body}")
    if s.kind == "manual":
        return Decision(State.MANUAL, s.notes or f"follow the steps at {s.url}")
    offered = region_offers(s.regions, o.region)
    if offered is False:
        why = s.regions.note if s.regions and s.regions.note else ""
        return Decision(State.NOT_OFFERED, f"not offered in region {o.region}. {why}".strip())
    if s.kind != "form":
        return None
    if receipt:
        return _filed(receipt, o)
    if offered is None:
        return Decision(
            State.MANUAL,
            f"set your region (optout config set region GB) to learn whether an objection is possible; form: {s.url}",
        )
    if o.want is not State.OPTED_OUT or not o.file_forms:
        return Decision(State.MANUAL, f"file the objection form: {s.url} (or run: optout disable {job.platform.id})")
    if o.dry_run:
        return Decision(State.MANUAL, "would open the objection form to fill in (dry run)", Action.WOULD_CHANGE)
    return None
