"""Which platforms and settings a command works on, from what the user typed and what is set up.

`status` alone checks every platform that is set up; `disable linkedin` changes that platform's
default settings; `disable x grok-memory` one setting; `disable --all` every set-up platform.
A platform's default settings are the training ones it marks `disable_by_default`; `--include
ai-use,sharing` widens that to the other categories (still only where `disable_by_default`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from optout.engine.jobs import Job
from optout.errors import UsageError
from optout.home.sessions import SessionStore
from optout.recipes.schema import CATEGORIES, PAGE_KINDS, Catalogue, Platform, Setting
from optout.results import login_command


def needs_session(platform: Platform) -> bool:
    """Platforms with a control on a page need a logged-in session; form- or info-only ones do not."""
    return any(s.kind in PAGE_KINDS for s in platform.settings)


def is_set_up(
    platform: Platform, sessions: SessionStore, account: str, region: str | None, resources: Mapping[str, list[str]]
) -> bool:
    """Whether `status` with no platform named checks it: a session for page settings, the region
    for objection forms, the listed workspaces for a per-resource request; a platform with no
    opt-out at all is only listed."""
    if needs_session(platform):
        return sessions.exists(platform.id, account)
    if any(s.kind == "form" for s in platform.settings):
        return region is not None
    keys = [key for s in platform.settings if (key := resource_key(platform, s))]
    return bool(keys) and all(resources.get(key) for key in keys)


def setup_hint(platform: Platform, account: str) -> str:
    """The command that sets a platform up (or why there is nothing to set up: no opt-out, or a
    step the user takes where optout cannot look)."""
    if needs_session(platform):
        return "run: " + login_command(platform.id, account)
    if any(s.kind == "form" for s in platform.settings):
        return "run: optout config set region XX (your country code)"
    for s in platform.settings:
        if s.resource is not None:
            return f"run: optout config set {platform.id}.{s.resource.name} YOUR-{s.resource.title.upper()}"
    if any(s.kind == "manual" for s in platform.settings):
        return f"a step only you can do, in an app or a console; optout status {platform.id} says where"
    return f"no opt-out exists; optout status {platform.id} says why"


def parse_include(text: str | None) -> frozenset[str]:
    """`--include ai-use,sharing` as a set of categories; an unknown one is a usage error, so a
    typo never quietly leaves a setting on."""
    given = {part.strip() for part in (text or "").split(",") if part.strip()}
    unknown = sorted(given - set(CATEGORIES))
    if unknown:
        raise UsageError(f"unknown category {unknown[0]!r} in --include (known: {', '.join(CATEGORIES)})")
    return frozenset(given)


def by_default(setting: Setting, include: Collection[str] = ()) -> bool:
    """Whether a change with no setting named touches this one: marked `disable_by_default`, and
    training or a category the user included."""
    return setting.disable_by_default and (setting.category == "training" or setting.category in include)


def resource_key(platform: Platform, setting: Setting) -> str | None:
    """The config key listing the values of a per-resource setting (`tumblr.blog`)."""
    return f"{platform.id}.{setting.resource.name}" if setting.resource else None


def resource_keys(catalogue: Catalogue) -> dict[str, str]:
    """Every per-resource config key the catalogue knows, with what it lists."""
    keys: dict[str, str] = {}
    for p in catalogue.platforms.values():
        for s in p.settings:
            if (key := resource_key(p, s)) and s.resource:
                keys[key] = f"your {p.name} {s.resource.title}s, comma-separated (for {s.title!r})"
    return keys


def concrete(platform: Platform, setting: Setting, resources: Mapping[str, list[str]]) -> list[Setting]:
    """A per-resource setting once per configured value (none configured: the setting as it is,
    which the engine reports as a manual step naming the config command); others unchanged."""
    key = resource_key(platform, setting)
    if key is None or not resources.get(key):
        return [setting]
    return [setting.for_resource(value) for value in resources[key]]


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
    resources: Mapping[str, list[str]] | None = None,
    include: Collection[str] = (),
) -> Plan:
    """Jobs for the chosen platforms; with none chosen, every set-up platform (the rest listed).
    `defaults_only` (a change): only the settings `by_default` picks, unless settings are named; a
    platform named whose default settings are all of other categories is a usage error that says
    which `--include` it needs, rather than a run that does nothing."""
    if chosen:
        targets, idle = chosen, []
    else:
        everything = list(catalogue.platforms.values())
        targets = [p for p in everything if is_set_up(p, sessions, account, region, resources or {})]
        idle = [p for p in everything if p not in targets]
    jobs = []
    for p in targets:
        picked = (
            settings if settings is not None else [s for s in p.settings if not defaults_only or by_default(s, include)]
        )
        others = ",".join(sorted({s.category for s in p.settings if s.disable_by_default} - {"training"}))
        if not picked and chosen and defaults_only and others:
            raise UsageError(f"{p.id} has no training setting to change by default; add --include {others}")
        if picked:
            jobs.append(Job(p, [c for s in picked for c in concrete(p, s, resources or {})], account))
    return Plan(jobs, idle)
