"""The kit × variation table (issue 22): each variation of tests/variation_table.py asked of each
kit against fresh replicas, and the table of outcomes printed, one row per kit and one column per
variation ("ok" where the outcome is the wanted one, else a number, explained below the table).

    .venv/bin/python bench/variations.py          # the suite's rotation (tests/test_variation_table.py)
    .venv/bin/python bench/variations.py --all    # every kit under every variation that applies
    .venv/bin/python bench/variations.py --all --only languages,truth   # some classes only

Each variation is one optout run over all its kits, as cron runs them, in a throwaway home and
against a replica started for it. It asserts nothing; the exit code is 1 when a cell is not ok.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from optout.kits.replica import Replica  # noqa: E402
from optout.replica import ReplicaOptions  # noqa: E402
from tests.helpers import invoke  # noqa: E402
from tests.variation_table import GROUPS, PLATFORMS, VARIATIONS, Stage, Variation, applicable, play, rotation  # noqa: E402


def ask(variation: Variation, kits: list[str]) -> dict[str, str]:
    """One variation over `kits`, in its own home and replica."""
    with tempfile.TemporaryDirectory(prefix="optout-variations-") as scratch, Replica(ReplicaOptions()) as running:
        os.environ.update(
            OPTOUT_HOME=str(Path(scratch) / "home"),
            OPTOUT_ORIGIN=running.origin_env(),
            OPTOUT_TIMEOUT="15",
            XDG_CACHE_HOME=str(Path(scratch) / "cache"),
        )
        return play(variation, Stage(invoke, running, Path(scratch) / "home"), kits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="every kit under every variation that applies")
    parser.add_argument("--only", default="", help="comma-separated classes: " + ", ".join(GROUPS))
    args = parser.parse_args()
    groups = [g for g in args.only.split(",") if g] or list(GROUPS)
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"no such class: {', '.join(unknown)}")
    chosen = rotation()
    columns = [v for v in VARIATIONS if v.group in groups]
    cells: dict[tuple[str, str], str] = {}
    notes: list[str] = []
    started = time.monotonic()
    for number, variation in enumerate(columns, 1):
        kits = applicable(variation) if args.all else chosen[variation.id]
        if not kits:
            continue
        began = time.monotonic()
        for kit, problem in ask(variation, kits).items():
            if problem:
                notes.append(f"{variation.id} / {kit}: {problem}")
            cells[(kit, variation.id)] = "ok" if not problem else str(len(notes))
        print(
            f"[{number}/{len(columns)}] {variation.id}: {len(kits)} kits, {time.monotonic() - began:.1f} s",
            file=sys.stderr,
        )

    print("| kit | " + " | ".join(f"{i}" for i in range(1, len(columns) + 1)) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for kit in PLATFORMS:
        print(f"| {kit} | " + " | ".join(cells.get((kit, v.id), "·") for v in columns) + " |")
    print()
    for i, v in enumerate(columns, 1):
        print(f"{i}. {v.id}: wanted {v.wanted}")
    print()
    ok = sum(c == "ok" for c in cells.values())
    print(
        f"{ok} of {len(cells)} cells as wanted, {len(notes)} not; '·' = not asked (does not apply"
        f"{'' if args.all else ', or not in the rotation'}); {time.monotonic() - started:.0f} s"
    )
    for i, note in enumerate(notes, 1):
        print(f"  [{i}] {note}")
    return 0 if not notes else 1


if __name__ == "__main__":
    sys.exit(main())
