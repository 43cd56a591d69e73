"""Benchmark: `optout status` of every replica platform (from the kit registry) with a 1 s server
delay per page, sequentially (--jobs 1) and concurrently, next to one platform alone.

Target: the concurrent run takes at most 1.5x one platform alone. Run:
    .venv/bin/python bench/status_concurrency.py [--repeat 3] [--delay 1.0]
It prints figures; it asserts nothing (timings are not tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from optout.home.sessions import SessionStore
from optout.home.user_config import UserConfig
from optout.kits import page_settings, replica_platforms, resource_config
from optout.kits.replica import REPLICA_DOMAINS, Replica
from optout.recipes.catalogue import load_catalogue
from optout.replica import ReplicaOptions


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "optout", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode not in (0, 1, 3):
        sys.exit(f"optout {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--delay", type=float, default=1.0, help="server delay per page, seconds")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="optout-bench-"))
    cat = load_catalogue()
    platforms = replica_platforms(cat)
    with Replica(ReplicaOptions(page_delay=args.delay)) as replica:
        config = UserConfig(home)
        for pid in platforms:
            if page_settings(cat, pid):
                SessionStore(home).save(pid, REPLICA_DOMAINS, replica.storage_state(pid))
            for key, value in resource_config(cat, pid).items():
                config.set(key, value)
        config.set("region", "GB")
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        alone = platforms[0]
        runs = {
            f"one platform alone ({alone})": ["status", alone],
            f"{len(platforms)} platforms, --jobs 1": ["status", *platforms, "--jobs", "1"],
            f"{len(platforms)} platforms, --jobs 3": ["status", *platforms, "--jobs", "3"],
        }
        timed(["status", alone], env)  # warm-up: page cache, Chromium's first start
        medians = {}
        for label, argv in runs.items():
            samples = [timed(argv, env) for _ in range(args.repeat)]
            medians[label] = statistics.median(samples)
            print(f"{label:34} median {medians[label]:.2f}s  ({', '.join(f'{s:.2f}' for s in samples)})")
    alone, seq, conc = medians.values()
    print(f"sequential / concurrent: {seq / conc:.2f}x faster concurrently")
    print(f"concurrent / one alone:  {conc / alone:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
