"""Drift: a setting that changed behind the user's back since the previous check.

Platforms have switched AI-training settings back on after redesigns, and redesigns also move
the controls so a recipe stops finding them. Both deserve a message even when the user already
knows the setting exists, so `status` compares each result with the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from optout.home.history import History
from optout.results import Action, Result, SettingRef, State

FOUND = frozenset({State.OPTED_OUT, State.OPTED_IN})


def drift(result: Result, previous: State | None) -> bool:
    """True when the setting was opted out last time and is opted in now, or its control was
    found last time (either way) and is not found now. A change optout made itself in this run
    (`enable` switching it on) is not drift."""
    if previous is None or result.action in (Action.CHANGED, Action.FILED):
        return False
    if previous is State.OPTED_OUT and result.state is State.OPTED_IN:
        return True
    return previous in FOUND and result.state is State.NOT_FOUND


RECIPE_UPDATED = "recipe updated since the last run"


def note_recipe_updates(history: History, results: Iterable[Result], changed: Mapping[str, datetime]) -> None:
    """Say "recipe updated since the last run" on a setting that was not found last time and whose
    recipe an installed update changed since (optout.recipes.updates.recipe_changed): whether it is found
    now or still not, the user and a bug report need to know the recipe is not the one that failed."""
    for result in results:
        when = changed.get(f"{result.platform}/{result.setting}")
        if when is None:
            continue
        before = history.previous(result.ref)
        if before is not None and before[0] is State.NOT_FOUND and when > before[1]:
            result.detail = f"{result.detail}; {RECIPE_UPDATED}" if result.detail else RECIPE_UPDATED


def changes(history: History, results: Iterable[Result]) -> dict[SettingRef, State]:
    """The results that drifted, each mapped to its previous state (for `--json`'s `previous`).
    Call it before or after recording this run: History.previous ignores its own runs."""
    found: dict[SettingRef, State] = {}
    for result in results:
        before = history.previous(result.ref)
        if before is not None and drift(result, before[0]):
            found[result.ref] = before[0]
    return found
