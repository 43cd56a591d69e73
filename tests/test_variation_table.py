"""The kit × variation table (tests/variation_table.py), asked in a fixed rotation: every kit
meets one variation of each class (OPTOUT_MATRIX_ALL=1: every variation that applies). One optout
run covers up to CHUNK kits at once, as cron runs them; a failure names each kit and what it got.
`python bench/variations.py --all` asks the whole cross.
"""

from __future__ import annotations

import os

import pytest

from tests.helpers import in_runs
from tests.variation_table import (
    GROUPS,
    KNOWN_GAPS,
    PLATFORMS,
    VARIATIONS,
    Stage,
    Variation,
    applicable,
    play,
    rotation,
)

CHOSEN = rotation()
WHOLE = os.environ.get("OPTOUT_MATRIX_ALL", "") not in ("", "0")


def test_every_kit_meets_every_class() -> None:
    for group in GROUPS:
        met = {k for v in VARIATIONS if v.group == group for k in CHOSEN[v.id]}
        fits = {k for v in VARIATIONS if v.group == group for k in applicable(v)}
        assert met == fits, group
    assert set(GROUPS) == {"widget", "names", "timing", "truth", "interruptions", "sessions", "languages"}
    # every class applies to every kit (a kit drawn by its own site still meets "truth" by the server)
    assert all({k for v in VARIATIONS if v.group == g for k in applicable(v)} == set(PLATFORMS) for g in GROUPS)
    # and every variation is asked of some kit it applies to
    assert [v.id for v in VARIATIONS if not CHOSEN[v.id]] == []


# Kits per optout run. A variation every kit meets (sessions, languages) is split into runs of
# this many, which the suite's workers can share, rather than one run of minutes that ends last.
CHUNK = 8


def _runs() -> list[object]:
    """One test per run of a variation: the variation and the kits it is asked of."""
    runs = []
    for v in VARIATIONS:
        kits = applicable(v) if WHOLE else CHOSEN[v.id]
        parts = in_runs(kits, CHUNK)
        gap = KNOWN_GAPS.get(v.id)
        marks = [pytest.mark.xfail(reason=gap, strict=False)] if gap else []
        for n, part in enumerate(parts, 1):
            name = v.id if len(parts) == 1 else f"{v.id} ({n}/{len(parts)})"
            runs.append(pytest.param(v, part, id=name, marks=marks))
    return runs


@pytest.mark.parametrize(("variation", "kits"), _runs())
def test_variation(variation: Variation, kits: list[str], cli, replica, home) -> None:
    got = play(variation, Stage(cli, replica, home), kits)
    assert {k: v for k, v in got.items() if v} == {}, variation.wanted
