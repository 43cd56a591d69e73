"""Benchmark: how long `optout --help` and `optout platforms` take to start and finish.

Target (issue 10): under 150 ms median each. Run:
    .venv/bin/python bench/startup.py [--repeat 20]
It prints the median wall time and the median CPU time (user + system) of each command; CPU time
is steadier than wall time on a machine shared with other work. For reference it also prints the
CPU time of the bare interpreter and of importing typer, in the same run. It asserts nothing.
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

COMMANDS = {"--help": ["--help"], "platforms": ["platforms"], "platforms --json": ["platforms", "--json"]}
REFERENCE = {"python -c pass": "pass", "python -c 'import typer'": "import typer"}


def optout_executable() -> str:
    """The console script beside this interpreter: what a user types, not `python -m`."""
    script = Path(sys.executable).with_name("optout")
    return str(script) if script.exists() else "optout"


def sample(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    exe = optout_executable()
    env = {**os.environ, "OPTOUT_HOME": tempfile.mkdtemp(prefix="optout-bench-")}
    # Python writes the bytecode of what it imports (an installed optout has it from pip): with
    # PYTHONDONTWRITEBYTECODE set, as on some machines, a source checkout would compile optout's
    # modules anew on every run, which no user's start pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for label, argv in COMMANDS.items():
        sample([exe, *argv], env)  # warm-up: page cache, bytecode, and any cache optout keeps
        runs = [sample([exe, *argv], env) for _ in range(args.repeat)]
        wall = statistics.median(r[0] for r in runs) * 1000
        cpu = statistics.median(r[1] for r in runs) * 1000
        print(f"optout {label:18} median {wall:5.0f} ms wall, {cpu:5.0f} ms cpu  (target < 150 ms)")
    # The same machine's speed varies from hour to hour (steal time on a shared VM): the bare
    # interpreter and the CLI library, measured in the same run, say how fast it was.
    for label, code in REFERENCE.items():
        runs = [sample([sys.executable, "-c", code], env) for _ in range(args.repeat)]
        cpu = statistics.median(r[1] for r in runs) * 1000
        print(f"for reference: {label:26} median {cpu:5.0f} ms cpu")


if __name__ == "__main__":
    main()
