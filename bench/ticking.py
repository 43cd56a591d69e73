"""Benchmark: how long a run takes on a page that never settles, against the bound the README states.

The replica's `ticking_clock` variant redraws a clock every 100 ms on every page, so the DOM is
never still; the setting's control is drawn and stays put. `status` and `disable` of one platform
must end within the README's bound (a small multiple of --timeout) and still read the real state.
Run:
    .venv/bin/python bench/ticking.py [--repeat 3] [--timeout 5] [--platform linkedin]
It prints the median wall and CPU seconds of each command, the bound, and each run's state and
detail; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sample(argv: list[str], env: dict[str, str]) -> tuple[float, float, list[dict[str, object]]]:
    """Wall and CPU seconds of one run (CPU: the process tree's, as far as it was waited for,
    Chromium included), and its results."""
    before, start = os.times(), time.perf_counter()
    out = subprocess.run(argv, env=env, capture_output=True, check=False).stdout
    wall, after = time.perf_counter() - start, os.times()
    cpu = after.children_user + after.children_system - before.children_user - before.children_system
    return wall, cpu, json.loads(out or b"[]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--platform", default="linkedin")
    parser.add_argument("--render-delay", type=float, default=0.3, help="seconds before a page shows its controls")
    args = parser.parse_args()

    from optout.engine.budget import page_bound
    from optout.engine.runner import _by_page
    from optout.home.sessions import SessionStore
    from optout.home.user_config import UserConfig
    from optout.kits import page_settings
    from optout.kits.replica import REPLICA_DOMAINS, Replica
    from optout.recipes.catalogue import load_catalogue
    from optout.replica import TEST_USER, ReplicaOptions

    home = Path(tempfile.mkdtemp(prefix="optout-bench-"))
    with Replica(ReplicaOptions(ticking_clock=True, render_delay=args.render_delay)) as replica:
        pid = args.platform
        catalogue = load_catalogue(None, replica.origins)
        SessionStore(home).save(pid, REPLICA_DOMAINS, replica.storage_state(pid))
        UserConfig(home).set("region", "GB")
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        timeout = ["--timeout", f"{args.timeout:g}"]
        commands = {"status": ["status", pid, *timeout, "--json"], "disable": ["disable", pid, *timeout, "--json"]}
        print(f"{pid} with a clock redrawn every 100 ms, --timeout {args.timeout:g}, {args.repeat} runs each")
        for label, argv in commands.items():
            walls, cpus = [], []
            for _ in range(args.repeat):
                for s in page_settings(catalogue, pid):  # opted in again, behind the browser's back
                    replica.set_state(pid, TEST_USER, s.id, True)
                wall, cpu, results = sample([sys.executable, "-m", "optout", *argv], env)
                walls.append(wall)
                cpus.append(cpu)
                for r in results:
                    print(f"  {label}: {r['setting']}: {r['state']} ({r['detail']})")
            pages = _by_page(page_settings(catalogue, pid))
            change = label == "disable"
            bound = sum(page_bound(args.timeout, len(g), steps=len(g[0].steps), change=change) for g in pages)
            print(
                f"{label:8} median {statistics.median(walls):5.1f} s wall, {statistics.median(cpus):5.1f} s cpu"
                f"  (max {max(walls):.1f} s; the page's bound {bound:g} s, besides starting Python and Chromium)"
            )


if __name__ == "__main__":
    main()
