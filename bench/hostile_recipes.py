"""Benchmark: how fast and how small `optout recipes validate` refuses hostile recipe files: a
342-byte YAML alias bomb (once 6 GB and a minute before a MemoryError), 5,000-deep flow and
block nesting, and a file just over the 1 MiB bound.

Target: each refused (exit 2, one line) in well under a second, in a few tens of MB. Run:
    .venv/bin/python bench/hostile_recipes.py
It prints wall time (with Python's start-up, and `optout --version` alone for comparison), CPU
time and peak memory of each run; it asserts nothing (timings are not tests).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)
FILES = {
    "alias bomb": BOMB,
    "5,000-deep flow": "x: " + "[" * 5000 + "]" * 5000 + "\n",
    "5,000-deep block": "- " * 5000 + "x\n",
    "1 MiB + 1": "#" * (1024 * 1024 + 1),
}


def measure(args: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS (MB) of one `optout` run, and its first stderr line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "optout", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    line = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[0]
    return wall, cpu, after.ru_maxrss // 1024, f"exit {run.returncode}: {line}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OPTOUT_HOME"] = str(Path(tmp) / "home")
        wall, cpu, peak, _ = measure(["--version"])
        print(f"{'optout --version':18} {wall:6.2f} s wall {cpu:6.2f} s CPU {peak:5d} MB peak")
        for label, text in FILES.items():
            path = Path(tmp) / "recipe.yaml"
            path.write_text(text)
            wall, cpu, peak, line = measure(["recipes", "validate", str(path)])
            print(f"{label:18} {wall:6.2f} s wall {cpu:6.2f} s CPU {peak:5d} MB peak  {line}")


if __name__ == "__main__":
    main()
