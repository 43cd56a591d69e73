"""Benchmark: optout next to the floor and a do-it-yourself baseline, on the same replicas.

Everything runs in this process tree, against one set of replica platforms (optout.replica) whose
pages render their controls --render-delay seconds after load:

  floor   a minimal Playwright script: one launch of the Chromium optout finds, one context per
          platform concurrently, wait for each control and read it (what any tool must spend);
  diy     the same script once per platform, in sequence, each a new process and browser (what a
          shell loop over `shot-scraper javascript` does);
  optout  `python -m optout status` of one platform and of every replica platform, `disable` of
          one setting, `status` of a settings page answering HTTP 500 and of one whose label the
          recipe does not know; peak memory (RSS summed over the process tree, Chromium included)
          of an all-platform status against a single-platform one.

The platforms are those of optout.replica.PLATFORMS whose recipe has a toggle to read, so new
replica platforms join by themselves. Run:
    .venv/bin/python bench/engine.py [--repeat 3] [--render-delay 1.0] [--save-delay 0.5]
It prints medians and the ratios against the targets of issue 10; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_JOBS = 3  # optout's default --jobs


# --- the floor script, run in a child process --------------------------------------------------


async def _floor(spec: dict[str, Any]) -> dict[str, Any]:
    """One launch; every page in its own context at once; wait for each control, read it.
    With spec["reload"], also time one reload of the first page until its control is back."""
    from playwright.async_api import async_playwright

    from optout.browser import find_browser, launch_options

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options(find_browser()))  # type: ignore[arg-type]

        async def visit(page_spec: dict[str, Any], reload: bool) -> dict[str, Any]:
            context = await browser.new_context(storage_state=page_spec["state"])
            page = await context.new_page()
            await page.goto(page_spec["url"])
            states = []
            for role, pattern in page_spec["controls"]:
                control = page.get_by_role(role, name=re.compile(pattern, re.IGNORECASE)).first
                await control.wait_for()
                states.append(await control.is_checked())
            reload_s = None
            if reload:
                start = time.perf_counter()
                await page.reload()
                role, pattern = page_spec["controls"][0]
                await page.get_by_role(role, name=re.compile(pattern, re.IGNORECASE)).first.wait_for()
                reload_s = time.perf_counter() - start
            await context.close()
            return {"states": states, "reload_s": reload_s}

        pages = spec["pages"]
        found = await asyncio.gather(*(visit(p, spec["reload"] and i == 0) for i, p in enumerate(pages)))
        await browser.close()
    return {"read": [f["states"] for f in found], "reload_s": found[0]["reload_s"]}


# --- measuring ---------------------------------------------------------------------------------


def _tree(root: int) -> list[int]:
    """root and every process descending from it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process. RSS counts the libraries Chromium's processes share once per
    process; PSS divides shared pages among their users, so its sum is the tree's real share."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def run(argv: list[str], env: dict[str, str], *, memory: bool = False) -> tuple[float, tuple[float, float], str]:
    """Wall seconds, peak tree (RSS, PSS) in MB when asked (polled every 50 ms), and stdout of one run."""
    peak = (0, 0)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.wait(0.05):
            sizes = [_memory_kb(p) for p in _tree(proc.pid)]
            peak = (max(peak[0], sum(r for r, _ in sizes)), max(peak[1], sum(p for _, p in sizes)))

    watcher = threading.Thread(target=poll, daemon=True)
    if memory:
        watcher.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    if memory:
        watcher.join()
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"{' '.join(argv[1:])} failed ({proc.returncode}): {err.strip()}")
    return elapsed, (peak[0] / 1024, peak[1] / 1024), out


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def show(label: str, samples: list[float], unit: str = "s") -> float:
    value = median(samples)
    print(f"  {label:52} median {value:7.2f} {unit}  ({', '.join(f'{s:.2f}' for s in samples)})")
    return value


# --- the replica set-up ------------------------------------------------------------------------


def page_specs(catalogue: Any, pids: list[str], states: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per platform, its settings pages with the (role, name regex) of each toggle on them."""
    from optout.engine.locate import name_pattern

    specs: dict[str, list[dict[str, Any]]] = {}
    for pid in pids:
        pages: dict[str, dict[str, Any]] = {}
        for s in catalogue.platforms[pid].settings:
            if s.kind != "toggle" or s.url is None or s.control is None or not s.control.names:
                continue
            page = pages.setdefault(s.url, {"url": s.url, "state": states[pid], "controls": []})
            page["controls"].append([s.control.role, name_pattern(s.control.names[0]).pattern])
        specs[pid] = list(pages.values())
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--render-delay", type=float, default=1.0, help="seconds before a page shows its controls")
    parser.add_argument("--save-delay", type=float, default=0.5, help="seconds the replica takes to save")
    parser.add_argument("--floor", metavar="SPEC", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.floor:
        print(json.dumps(asyncio.run(_floor(json.loads(Path(args.floor).read_text())))))
        return

    from optout.catalogue import load_catalogue
    from optout.config import Config
    from optout.replica import PLATFORMS, TEST_USER, Replica, ReplicaOptions
    from optout.sessions import SessionStore

    home = Path(tempfile.mkdtemp(prefix="optout-bench-"))
    options = ReplicaOptions(render_delay=args.render_delay, save_delay=args.save_delay)
    with Replica(options) as replica:
        catalogue = load_catalogue(None, replica.origins)
        states = {pid: replica.storage_state(pid) for pid in PLATFORMS}
        specs = page_specs(catalogue, list(PLATFORMS), states)
        pids = [pid for pid in PLATFORMS if specs[pid]]  # those with a toggle to read
        one = pids[0]
        setting = next(s.id for s in catalogue.platforms[one].settings if s.kind == "toggle")
        for pid in pids:
            SessionStore(home).save(pid, ["127.0.0.1"], states[pid])
        Config(home).set("region", "GB")
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        optout = [sys.executable, "-m", "optout"]

        def floor(which: list[str], reload: bool = False) -> tuple[float, dict[str, Any]]:
            spec = home / "floor.json"
            spec.write_text(json.dumps({"pages": [p for pid in which for p in specs[pid]], "reload": reload}))
            elapsed, _, out = run([sys.executable, __file__, "--floor", str(spec)], env)
            return elapsed, json.loads(out)

        def reset() -> None:
            """Every toggle back to the platform default (opted in), behind the browser's back."""
            for pid in pids:
                for s in catalogue.platforms[pid].settings:
                    if s.kind == "toggle":
                        replica.set_state(pid, TEST_USER, s.id, True)

        print(
            f"replica platforms with a toggle: {' '.join(pids)}; render delay {args.render_delay}s, "
            f"save delay {args.save_delay}s, {args.repeat} runs each"
        )
        run([*optout, "status", one], env)  # warm-up: page cache, Chromium's first start
        floor([one])

        samples: dict[str, list[float]] = {k: [] for k in ("floor1", "floorN", "reload", "diy", "one", "all", "dis")}
        for _ in range(args.repeat):
            elapsed, found = floor([one], reload=True)
            samples["floor1"].append(elapsed - found["reload_s"])
            samples["reload"].append(found["reload_s"])
            samples["floorN"].append(floor(pids)[0])
            samples["diy"].append(sum(floor([pid])[0] for pid in pids))
            samples["one"].append(run([*optout, "status", one], env)[0])
            samples["all"].append(run([*optout, "status", *pids], env)[0])
            reset()
            samples["dis"].append(run([*optout, "disable", one, setting], env)[0])
            reset()

        print("floor and baseline:")
        floor1 = show(f"floor, {one} (1 launch)", samples["floor1"])
        reload = show(f"one reload of {one} until its control is back", samples["reload"])
        floor_n = show(f"floor, {' '.join(pids)} (1 launch, concurrent contexts)", samples["floorN"])
        diy = show(f"diy, {' '.join(pids)} (1 process and launch each, in sequence)", samples["diy"])
        print("optout:")
        status_one = show(f"status {one}", samples["one"])
        status_all = show(f"status {' '.join(pids)}", samples["all"])
        disable = show(f"disable {one} {setting}", samples["dis"])

        def status_one_times() -> list[float]:
            return [run([*optout, "status", one], env)[0] for _ in range(args.repeat)]

        replica.options.settings_status = 500
        http500 = show(f"status {one}, settings page answers HTTP 500", status_one_times())
        replica.options.settings_status = 200
        replica.options.label_variant = "changed"
        unknown = show(f"status {one}, a label the recipe does not know", status_one_times())
        replica.options.label_variant = "current"

        mem_one = [run([*optout, "status", one], env, memory=True)[1] for _ in range(args.repeat)]
        mem_all = [run([*optout, "status", *pids], env, memory=True)[1] for _ in range(args.repeat)]
        print("peak memory of the process tree, Chromium included (RSS sums shared pages once per process):")
        peak_one = show(f"RSS, status {one}", [m[0] for m in mem_one], "MB")
        peak_all = show(f"RSS, status {' '.join(pids)} (--jobs {DEFAULT_JOBS})", [m[0] for m in mem_all], "MB")
        pss_one = show(f"PSS, status {one}", [m[1] for m in mem_one], "MB")
        pss_all = show(f"PSS, status {' '.join(pids)} (--jobs {DEFAULT_JOBS})", [m[1] for m in mem_all], "MB")

    print("against the targets of issue 10:")
    print(f"  status {one} / floor {one}:            {status_one / floor1:5.2f}x  (for reference)")
    print(f"  status all / floor all:              {status_all / floor_n:5.2f}x  (target <= 1.25x)")
    print(f"  diy / floor all:                     {diy / floor_n:5.2f}x;  status all / diy: {status_all / diy:5.2f}x")
    budget = floor1 + args.save_delay + reload
    print(f"  disable {disable:.2f}s vs floor + save + reload {budget:.2f}s: {disable / budget:5.2f}x  (target <= 1x)")
    print(f"  status on HTTP 500: {http500:.2f}s  (target <= 1.5 s)")
    limit = args.render_delay + 2.5
    print(f"  status on an unknown label: {unknown:.2f}s vs render + 2.5 s = {limit:.2f}s  (target <=)")
    print(f"  peak memory all / one: RSS {peak_all / peak_one:5.2f}x, PSS {pss_all / pss_one:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
