"""The widget and names variations (issue 22): each kit's setting drawn as every widget of its
kind, and its labels worded with the extra words real sites add, with the outcome wanted beside
each row.

A row is one `disable --all` over the kits signed in for it, under one variation (a replica
option that applies to every kit: ReplicaOptions.widget, .names). Every variation is run at least
once; LinkedIn, X and ChatGPT (toggles) and GitHub (choices) are in every row their variation
applies to, and the other kits of the family take turns over the rows (`rotation`), so each meets
the classes without the cross of every kit with every variation (`--all` of bench/variations.py).
Each row checks what the replica server kept, not only what optout printed.
"""

from __future__ import annotations

import json

import pytest

from optout.catalogue import load_catalogue
from optout.kits import page_settings, replica_platforms
from optout.replica.options import CHOICE_WIDGETS, TOGGLE_WIDGETS

pytestmark = pytest.mark.browser

CATALOGUE = load_catalogue()
VERIFIED = ("opted_out", "changed")


def _kind_of(platform: str) -> set[str]:
    return {s.kind for s in page_settings(CATALOGUE, platform) if s.category == "training"}


PLATFORMS = [p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p)]
ALWAYS = {"toggle": ["linkedin", "x", "chatgpt"], "choice": ["github"], "menu": ["gemini"]}
# The other kits of each family, in registry order, taken in turn.
OTHERS = {
    kind: [p for p in PLATFORMS if _kind_of(p) == {kind} and p not in ALWAYS[kind]] for kind in ("toggle", "choice", "menu")
}


def rotation(kind: str, row: int, count: int = 1) -> list[str]:
    """The kits of `kind` row `row` runs besides the ones always run: the next `count` in turn."""
    others = OTHERS[kind]
    return [others[(row * count + i) % len(others)] for i in range(min(count, len(others)))] if others else []


# (variation, the kinds of kit it applies to, the wanted (state, action) of each training result)
ROWS: list[tuple[dict[str, str], tuple[str, ...], tuple[str, str]]] = [
    *(({"widget": w}, ("choice",), VERIFIED) for w in CHOICE_WIDGETS),
    *(({"widget": w}, ("toggle",), VERIFIED) for w in TOGGLE_WIDGETS),
    ({"names": "case"}, ("toggle", "choice"), VERIFIED),
    ({"names": "badge"}, ("toggle", "choice"), VERIFIED),
    ({"names": "description"}, ("toggle", "choice"), VERIFIED),
    ({"names": "hint"}, ("menu", "choice"), VERIFIED),  # "Turn off" + "1 step"; "Disabled" + "1 step"
]


def key(result: dict) -> str:
    """The replica's stored key of a result (per resource: setting@resource)."""
    return result["setting"] + (f"@{result['resource']}" if result["resource"] else "")


def kits(row: int) -> list[str]:
    variation, kinds, _ = ROWS[row]
    chosen = [p for kind in kinds for p in ALWAYS[kind] + rotation(kind, row)]
    return list(dict.fromkeys(chosen))


@pytest.mark.parametrize("row", range(len(ROWS)), ids=[next(iter(v.values())) for v, _, _ in ROWS])
def test_every_widget_and_wording_is_switched_and_verified(row: int, log_in, cli, replica) -> None:
    variation, _, wanted = ROWS[row]
    platforms = kits(row)
    for platform in platforms:
        log_in(platform)
    for option, value in variation.items():
        setattr(replica.options, option, value)
    run = cli("disable", "--all", "--json", "--jobs", "2", "--timeout", "20")
    training = [r for r in json.loads(run.stdout) if r["category"] == "training"]
    got = {(r["platform"], r["setting"]): (r["state"], r["action"]) for r in training}
    assert {r["platform"] for r in training} == set(platforms), run.stderr
    assert {k: v for k, v in got.items() if v != wanted} == {}, [(r["platform"], r["detail"]) for r in training]
    if wanted == VERIFIED:  # the server kept it, and nothing else of the page was switched
        kept = {(r["platform"], key(r)): replica.is_opted_out(r["platform"], key(r)) for r in training}
        assert all(kept.values()), kept
