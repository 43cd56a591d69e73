"""Which platforms and settings a command works on, from what the user typed and what is set up.

`status` alone checks every platform that is set up; `disable linkedin` changes that platform's
default settings; `disable x grok-memory` one setting; `disable --all` every set-up platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from optout.engine.jobs import Job
from optout.results import login_command
from optout.schema import Catalogue, Platform, Setting
from optout.sessions import SessionStore


def needs_session(platform: Platform) -> bool:
    """Platforms with a switch need a logged-in session; form- or info-only ones do not."""
    return any(s.kind == "toggle" for s in platform.settings)


def is_set_up(platform: Platform, sessions: SessionStore, account: str, region: str | None) -> bool:
    if needs_session(platform):
        return sessions.exists(platform.id, account)
    return region is not None


def setup_hint(platform: Platform, account: str) -> str:
    """The command that sets a platform up."""
    if needs_session(platform):
        return login_command(platform.id, account)
    return "optout config set region XX (your country code)"


@dataclass(frozen=True)
class Plan:
    jobs: list[Job]
    not_set_up: list[Platform]


def plan(
    catalogue: Catalogue,
    chosen: list[Platform],
    settings: list[Setting] | None,
    *,
    account: str,
    sessions: SessionStore,
    region: str | None,
    defaults_only: bool,
) -> Plan:
    """Jobs for the chosen platforms; with none chosen, every set-up platform (the rest listed)."""
    if chosen:
        targets, idle = chosen, []
    else:
        everything = list(catalogue.platforms.values())
        targets = [p for p in everything if is_set_up(p, sessions, account, region)]
        idle = [p for p in everything if p not in targets]
    jobs = []
    for p in targets:
        picked = (
            settings if settings is not None else [s for s in p.settings if s.disable_by_default or not defaults_only]
        )
        if picked:
            jobs.append(Job(p, list(picked), account))
    return Plan(jobs, idle)
