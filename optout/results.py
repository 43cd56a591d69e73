"""What a check found: one result per setting, in one of the states of optout.states, and the
exit code they add up to.

The state names and exit codes are a contract that users' scripts and cron jobs rely on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from optout.exit_codes import ExitCode
from optout.states import State as State  # most of optout imports it from here

# States that leave the user's standing unknown: exit code 3 unless something is opted in.
# `manual` belongs here: optout cannot see whether an objection filed by hand was accepted.
UNDETERMINED = frozenset({State.NEEDS_LOGIN, State.NOT_FOUND, State.ERROR, State.MANUAL})


class Action(str, Enum):
    """What optout did to the setting in this run."""

    NONE = "none"  # looked only (status, or already as wanted)
    CHANGED = "changed"  # clicked, and the reloaded page shows the wanted state
    WOULD_CHANGE = "would_change"  # --dry-run: it differs and would have been clicked
    FAILED = "failed"  # clicked, but the reloaded page does not show the wanted state
    FILED = "filed"  # an objection form was sent and its confirmation seen


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# Who recorded what a result rests on: optout (it read the page or saw the confirmation), or the
# user (`optout mark`: an objection filed where optout could not see it).
RecordedBy = Literal["optout", "user"]


class SettingRef(NamedTuple):
    """One setting of one account: the one identity that results, the history, drift, the report,
    the run's bookkeeping and --json share. Per resource (a blog, a site), each value is its own
    setting, kept in the history as `key`: "site-setting[a.com]"."""

    platform: str
    account: str
    setting: str
    resource: str | None = None

    @property
    def key(self) -> str:
        """The setting as the history's `setting` column holds it."""
        return self.setting if self.resource is None else f"{self.setting}[{self.resource}]"

    @classmethod
    def of(cls, platform: str, account: str, key: str) -> SettingRef:
        """The setting a history row names by `key` (the inverse of `key`)."""
        setting, bracket, rest = key.partition("[")
        if bracket and rest.endswith("]"):
            return cls(platform, account, setting, rest[:-1])
        return cls(platform, account, key)

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> SettingRef:
        """The setting a history row (its platform, account and setting columns) is about."""
        return cls.of(row["platform"], row["account"], row["setting"])


class Result(BaseModel):
    """One setting of one platform (and account) as found in this run."""

    model_config = ConfigDict(use_enum_values=False)

    platform: str
    setting: str
    title: str
    state: State
    detail: str = ""
    url: str | None = None
    checked_at: datetime = Field(default_factory=now)
    evidence: str | None = None
    account: str = "default"
    action: Action = Action.NONE
    wanted: State | None = None  # opted_out for disable, opted_in for enable, None for status
    resource: str | None = None  # the blog, site or publication of a per-resource setting
    confidence: str | None = None  # how sure the recipe's facts are: confirmed, single-source, inferred
    category: str | None = None  # what the setting is: training, ai-use or sharing (optout.recipes.schema.Category)
    recorded_by: RecordedBy = "optout"

    @property
    def ref(self) -> SettingRef:
        """Which setting of which account this is."""
        return SettingRef(self.platform, self.account, self.setting, self.resource)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON object: platform, setting, title, state, detail, url, checked_at,
        evidence, plus account, action, resource, confidence, category and recorded_by."""
        return {
            "platform": self.platform,
            "setting": self.setting,
            "title": self.title,
            "state": self.state.value,
            "detail": self.detail,
            "url": self.url,
            "checked_at": self.checked_at.isoformat(),
            "evidence": self.evidence,
            "account": self.account,
            "action": self.action.value,
            "resource": self.resource,
            "confidence": self.confidence,
            "category": self.category,
            "recorded_by": self.recorded_by,
        }


def exit_code(results: Iterable[Result]) -> ExitCode:
    """0: every setting is as wanted (or not offered); 1: at least one is opted in (or, for
    `enable`, out) or a change could not be verified; 3: something could not be determined
    (needs login, not found, error, a manual step) and none is opted in. (2, bad usage, never
    comes from results.)"""
    results = list(results)
    if any(
        r.action is Action.FAILED
        or (r.state in (State.OPTED_IN, State.OPTED_OUT) and r.state is not (r.wanted or State.OPTED_OUT))
        for r in results
    ):
        return ExitCode.NOT_AS_WANTED
    if any(r.state in UNDETERMINED for r in results):
        return ExitCode.UNDETERMINED
    return ExitCode.OK


def login_command(platform: str, account: str = "default") -> str:
    """The exact command that fixes a `needs_login` result."""
    return f"optout login {platform}" + (f" --account {account}" if account != "default" else "")


@dataclass(frozen=True)
class Discovery:
    """A control that looks like an AI setting and is in no recipe of its platform: what a run
    found beside its results (the rules are optout.engine.discovery's; the history keeps them)."""

    platform: str
    url: str
    role: str
    name: str
    state: str
    first_seen: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def notice(self) -> str:
        state = f" ({self.state})" if self.state else ""
        return (
            f"new on {self.platform}: {self.role} '{self.name}'{state}: not in the recipes; "
            f"run: optout explore {self.platform}"
        )
