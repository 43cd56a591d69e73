"""Benchmark: optout next to the floor and a do-it-yourself baseline, on the same replicas.

Everything runs in this process tree, against one set of replica platforms (optout.replica) whose
pages render their controls --render-delay seconds after load:

  floor   a minimal Playwright script: one launch of the Chromium optout finds, one context per
          platform concurrently, wait for each control and read it (what any tool must spend);
  diy     the same script once per platform, in sequence, each a new process and browser (what a
          shell loop over `shot-scraper javascript` does);
  optout  `python -m optout status` of one platform and of all the floor reads (at the default
          --jobs, and with --jobs 3 for reference: less memory, more waves), `disable` of one
          setting, `status` of a settings page answering HTTP 500 and of one whose label the
          recipe does not know; peak memory (RSS and PSS summed over the process tree, Chromium
          included, and the kernel's own count when a memory cgroup can be made for each run) of
          an all-platform status against a single-platform one, and the floor's the same way: how
          much of that ratio is Chromium's own (a renderer per site) rather than optout's.

The floor only opens a URL and waits for a toggle, so the floor and the optout runs compared with
it use the same platforms: those of the registry (optout.kits.replica_platforms) whose every page
setting is a plain toggle with a URL, no steps, no per-resource placeholder and no close steps.
New replica platforms of that shape join by themselves; the others are named with the reason.
Each command's CPU time (user + system of its process tree, Chromium included) is printed next to
its wall time: on a shared machine the wall time is noisy, the CPU time much less so. Run:
    .venv/bin/python bench/engine.py [--repeat 3] [--render-delay 1.0] [--save-delay 0.5]
It prints medians and the ratios against the targets of issue 10; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optout.recipes.schema import Catalogue, Setting

Timed = list[tuple[float, float]]  # (wall, cpu) seconds of each run


# --- the floor script, run in a child process --------------------------------------------------


async def _floor(spec: dict[str, Any]) -> dict[str, Any]:
    """One launch; every page in its own context at once; wait for each control, read it.
    With spec["reload"], also time one reload of the first page until its control is back."""
    from playwright.async_api import async_playwright

    from optout.engine.browser import find_browser, launch_options

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


class ChargedPeak:
    """The kernel's count of a run's peak memory: the run starts in a memory cgroup of its own
    (cgroup v1's memory.max_usage_in_bytes, v2's memory.peak), whose peak is every page charged
    to it at once: anonymous memory and shared memory each counted once, and the page cache the
    run itself brought in; not the Chromium binary, already cached by the warm-up. It needs a
    cgroup this user may create (root, here): `reason` says why not otherwise."""

    def __init__(self) -> None:
        self.parent: Path | None = None
        self.peak_file = ""
        self.reason = ""
        self._runs = 0
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError as exc:
            self.reason = f"no /proc/self/cgroup ({exc.strerror})"
            return
        for line in sorted(lines, key=lambda line: line.startswith("0::")):  # v1's memory first
            _, controllers, path = line.split(":", 2)
            if self.parent is None and "memory" in controllers.split(","):
                self.parent, self.peak_file = Path("/sys/fs/cgroup/memory", path[1:]), "memory.max_usage_in_bytes"
            elif self.parent is None and controllers == "":
                self.parent, self.peak_file = Path("/sys/fs/cgroup", path[1:]), "memory.peak"
        if self.parent is None:
            self.reason = "no memory cgroup"
            return
        try:
            probe = self._make()
        except OSError as exc:
            self.reason, self.parent = f"cannot make a memory cgroup under {self.parent} ({exc.strerror})", None
            return
        if not (probe / self.peak_file).exists():
            self.reason, self.parent = f"this kernel's memory cgroup has no {self.peak_file}", None
        probe.rmdir()

    def _make(self) -> Path:
        assert self.parent is not None
        self._runs += 1
        group = self.parent / f"optout-bench-{os.getpid()}-{self._runs}"
        group.mkdir()
        return group

    def start(self) -> Path | None:
        """A fresh cgroup for the next run, None when the kernel's count is not available."""
        return self._make() if self.parent is not None else None

    def finish(self, group: Path) -> float:
        """The run's peak in MB; the cgroup is removed (its processes are all gone by now)."""
        peak = int((group / self.peak_file).read_text()) / 2**20
        group.rmdir()
        return peak


@dataclass(frozen=True)
class Sample:
    """One run of a command: wall seconds, CPU seconds (user + system) of its process tree, peak
    tree (RSS, PSS) in MB when asked, the kernel's count of its peak in MB (0 when not asked or
    not available), and its stdout."""

    wall: float
    cpu: float
    peak: tuple[float, float]
    out: str
    charged: float = 0.0


def _adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants. Chromium's zygotes outlive the
    browser process at shutdown; without this they are reparented to init, which then collects
    their CPU time and that of every renderer they reaped, and a run's CPU misses them."""
    pr_set_child_subreaper = 36  # from <linux/prctl.h>
    if ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0) != 0:
        sys.exit(f"prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")


def _reap_orphans(patience: float = 30.0) -> None:
    """Wait for every descendant a run left behind (see `_adopt_orphans`), so that its CPU time
    is counted with that run's; warn and go on after `patience` seconds."""
    deadline = time.monotonic() + patience
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            if time.monotonic() > deadline:
                print(f"  (processes still running {patience:.0f} s after a run: {_tree(os.getpid())[1:]})")
                return
            time.sleep(0.02)


def _children_cpu() -> float:
    """User + system seconds of every descendant reaped so far. Chromium's processes are reaped by
    the browser or its zygotes, those by the driver or (orphaned) by us, the driver by optout,
    optout by us: a delta around one run, orphans reaped, is its whole tree."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    argv: list[str],
    env: dict[str, str],
    *,
    memory: ChargedPeak | None = None,
    ok: tuple[int, ...] = (0, 1, 3),
) -> Sample:
    """One run of argv, which must exit with a code in `ok` (optout's: done, some setting not
    opted out, some not read). With `memory`, its tree's RSS and PSS are polled every 50 ms and
    the run is made in a memory cgroup of its own when one can be made."""
    peak = (0, 0)
    group = memory.start() if memory is not None else None

    def enter_group() -> None:  # in the child, before it runs argv
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=enter_group
    )
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.wait(0.05):
            # every descendant of this process, orphans adopted included (the replica is threads)
            sizes = [_memory_kb(p) for p in _tree(os.getpid())[1:]]
            peak = (max(peak[0], sum(r for r, _ in sizes)), max(peak[1], sum(p for _, p in sizes)))

    watcher = threading.Thread(target=poll, daemon=True)
    if memory is not None:
        watcher.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    _reap_orphans()
    cpu = _children_cpu() - cpu
    done.set()
    if memory is not None:
        watcher.join()
    charged = memory.finish(group) if memory is not None and group is not None else 0.0
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv[1:])} failed ({proc.returncode}): {err.strip()}")
    return Sample(elapsed, cpu, (peak[0] / 1024, peak[1] / 1024), out, charged)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def show(label: str, samples: list[float], unit: str = "s") -> float:
    value = median(samples)
    print(f"  {label:58} median {value:7.2f} {unit}  ({', '.join(f'{s:.2f}' for s in samples)})")
    return value


def show_timed(label: str, samples: Timed) -> tuple[float, float]:
    """Print and return the median wall and CPU seconds of (wall, cpu) samples."""
    wall, cpu = median([w for w, _ in samples]), median([c for _, c in samples])
    runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in samples)
    print(f"  {label:58} median {wall:6.2f} s wall, {cpu:6.2f} s cpu  (wall/cpu: {runs})")
    return wall, cpu


def show_ratio(label: str, measured: tuple[float, float], base: tuple[float, float], note: str = "") -> None:
    """Print measured / base for wall and CPU medians alike."""
    print(f"  {label + ':':36} {measured[0] / base[0]:5.2f}x wall, {measured[1] / base[1]:5.2f}x cpu  {note}".rstrip())


# --- the replica set-up ------------------------------------------------------------------------


def _unfit(setting: Setting) -> list[str]:
    """Why the floor script cannot read a page setting (it opens the URL and waits for a toggle)."""
    why = [] if setting.kind == "toggle" else [f"a {setting.kind}"]
    if setting.url is None:
        why.append("no URL")
    if setting.steps:
        why.append("steps")
    if setting.resource is not None:
        why.append(f"{{{setting.resource.name}}} URL")
    if setting.close:
        why.append("close steps")
    if setting.control is None or not setting.control.names:
        why.append("no control name")
    return why


def floor_platforms(catalogue: Catalogue) -> tuple[list[str], dict[str, str]]:
    """The replica platforms whose every page setting is a plain toggle, and why each other one is
    left out: both the floor and the optout runs compared with it use exactly the first list."""
    from optout.kits import page_settings, replica_platforms

    used: list[str] = []
    left_out: dict[str, str] = {}
    for pid in replica_platforms(catalogue):
        settings = page_settings(catalogue, pid)
        why = sorted({w for s in settings for w in _unfit(s)}) if settings else ["no page setting"]
        if why:
            left_out[pid] = ", ".join(why)
        else:
            used.append(pid)
    return used, left_out


def page_specs(catalogue: Any, pids: list[str], states: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per platform, its settings pages with the (role, name regex) of each toggle on them; the
    regex matches any of the recipe's names, as a label may be in any of its wordings."""
    from optout.engine.locate import name_pattern
    from optout.kits import page_settings

    specs: dict[str, list[dict[str, Any]]] = {}
    for pid in pids:
        pages: dict[str, dict[str, Any]] = {}
        for s in page_settings(catalogue, pid):
            assert s.url is not None and s.control is not None and not _unfit(s), f"{pid}.{s.id} is not plain"
            page = pages.setdefault(s.url, {"url": s.url, "state": states[pid], "controls": []})
            names = "|".join(f"(?:{name_pattern(n).pattern})" for n in s.control.names)
            page["controls"].append([s.control.role, names])
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

    _adopt_orphans()
    from optout.cli.options import DEFAULT_JOBS
    from optout.home.sessions import SessionStore
    from optout.home.user_config import UserConfig
    from optout.kits import page_settings
    from optout.kits.replica import REPLICA_DOMAINS, Replica
    from optout.recipes.catalogue import load_catalogue
    from optout.replica import TEST_USER, ReplicaOptions

    home = Path(tempfile.mkdtemp(prefix="optout-bench-"))
    options = ReplicaOptions(render_delay=args.render_delay, save_delay=args.save_delay)
    with Replica(options) as replica:
        catalogue = load_catalogue(None, replica.origins)
        pids, left_out = floor_platforms(catalogue)
        if not pids:
            sys.exit("no replica platform has only plain toggles: nothing the floor script can read")
        states = {pid: replica.storage_state(pid) for pid in pids}
        specs = page_specs(catalogue, pids, states)
        one = pids[0]
        setting = page_settings(catalogue, one)[0].id
        for pid in pids:
            SessionStore(home).save(pid, REPLICA_DOMAINS, states[pid])
        UserConfig(home).set("region", "GB")
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        optout = [sys.executable, "-m", "optout"]

        def floor(
            which: list[str], reload: bool = False, memory: ChargedPeak | None = None
        ) -> tuple[Sample, dict[str, Any]]:
            spec = home / "floor.json"
            spec.write_text(json.dumps({"pages": [p for pid in which for p in specs[pid]], "reload": reload}))
            sample = run([sys.executable, __file__, "--floor", str(spec)], env, memory=memory, ok=(0,))
            return sample, json.loads(sample.out)

        def reset() -> None:
            """Every toggle back to the platform default (opted in), behind the browser's back."""
            for pid in pids:
                for s in page_settings(catalogue, pid):
                    replica.set_state(pid, TEST_USER, s.id, True)

        print(f"replica platforms with only plain toggles (floor and optout alike): {' '.join(pids)}")
        print(f"left out: {'; '.join(f'{pid} ({why})' for pid, why in left_out.items()) or 'none'}")
        print(f"render delay {args.render_delay}s, save delay {args.save_delay}s, {args.repeat} runs each")
        run([*optout, "status", one], env)  # warm-up: page cache, Chromium's first start
        floor([one])

        samples: dict[str, Timed] = {k: [] for k in ("floor1", "floorN", "diy", "one", "all", "narrow", "dis")}
        narrow = ["--jobs", "3"]  # fewer renderers at once: less memory, more waves (for reference)
        reloads: list[float] = []
        for _ in range(args.repeat):
            first, found = floor([one], reload=True)
            samples["floor1"].append((first.wall - found["reload_s"], first.cpu))
            reloads.append(found["reload_s"])
            every = floor(pids)[0]
            samples["floorN"].append((every.wall, every.cpu))
            each = [floor([pid])[0] for pid in pids]
            samples["diy"].append((sum(s.wall for s in each), sum(s.cpu for s in each)))
            runs = (("one", ["status", one]), ("all", ["status", *pids]), ("narrow", ["status", *narrow, *pids]))
            for key, argv in runs:
                sample = run([*optout, *argv], env)
                samples[key].append((sample.wall, sample.cpu))
            reset()
            sample = run([*optout, "disable", one, setting], env)
            samples["dis"].append((sample.wall, sample.cpu))
            reset()

        print("floor and baseline:")
        floor1, _ = show_timed(f"floor, {one} (1 launch; cpu includes the reload)", samples["floor1"])
        reload = show(f"one reload of {one} until its control is back", reloads)
        floor_n = show_timed(f"floor, {len(pids)} platforms (1 launch, concurrent contexts)", samples["floorN"])
        diy = show_timed(f"diy, {len(pids)} platforms (1 process and launch each, in sequence)", samples["diy"])
        print("optout:")
        status_one, _ = show_timed(f"status {one}", samples["one"])
        status_all = show_timed(f"status, {len(pids)} platforms", samples["all"])
        status_narrow = show_timed(f"status, {len(pids)} platforms, {' '.join(narrow)}", samples["narrow"])
        disable, _ = show_timed(f"disable {one} {setting}", samples["dis"])

        def status_one_times() -> Timed:
            return [(s.wall, s.cpu) for s in (run([*optout, "status", one], env) for _ in range(args.repeat))]

        replica.options.settings_status = 500
        http500, _ = show_timed(f"status {one}, settings page answers HTTP 500", status_one_times())
        replica.options.settings_status = 200
        replica.options.label_variant = "changed"
        unknown, _ = show_timed(f"status {one}, a label the recipe does not know", status_one_times())
        replica.options.label_variant = "current"

        kernel = ChargedPeak()
        mem_one = [run([*optout, "status", one], env, memory=kernel) for _ in range(args.repeat)]
        mem_all = [run([*optout, "status", *pids], env, memory=kernel) for _ in range(args.repeat)]
        mem_narrow = [run([*optout, "status", *narrow, *pids], env, memory=kernel) for _ in range(args.repeat)]
        floor_one = [floor([one], memory=kernel)[0] for _ in range(args.repeat)]
        floor_all = [floor(pids, memory=kernel)[0] for _ in range(args.repeat)]
        print("peak memory of the process tree, Chromium included (RSS sums shared pages once per process):")
        runs = {
            "one": (f"status {one}", mem_one),
            "all": (f"status, {len(pids)} platforms (--jobs {DEFAULT_JOBS})", mem_all),
            "narrow": (f"status, {len(pids)} platforms ({' '.join(narrow)})", mem_narrow),
            "floor one": (f"floor, {one}", floor_one),
            "floor all": (f"floor, {len(pids)} platforms", floor_all),
        }
        measures = {"RSS": lambda m: m.peak[0], "PSS": lambda m: m.peak[1]}
        if kernel.parent is not None:
            measures["cgroup"] = lambda m: m.charged
            print("  (cgroup: the kernel's count, a memory cgroup per run: what the run itself allocated)")
        else:
            print(f"  (the kernel's count of the peak is not available: {kernel.reason})")
        peaks = {
            (measure, key): show(f"{measure}, {label}", [of(m) for m in ms], "MB")
            for measure, of in measures.items()
            for key, (label, ms) in runs.items()
        }

        def ratios(one: str, every: str) -> str:
            return ", ".join(f"{m} {peaks[m, every] / peaks[m, one]:5.2f}x" for m in measures)

    print("against the targets of issue 10:")
    print(f"  status {one} / floor {one}:            {status_one / floor1:5.2f}x  (for reference)")
    show_ratio("status all / floor all", status_all, floor_n, "(target <= 1.25x)")
    show_ratio(f"status all {' '.join(narrow)} / floor all", status_narrow, floor_n, "(less memory)")
    show_ratio("diy / floor all", diy, floor_n)
    show_ratio("status all / diy", status_all, diy)
    budget = floor1 + args.save_delay + reload
    print(f"  disable {disable:.2f}s vs floor + save + reload {budget:.2f}s: {disable / budget:5.2f}x  (target <= 1x)")
    print(f"  status on HTTP 500: {http500:.2f}s  (target <= 1.5 s)")
    limit = args.render_delay + 2.5
    print(f"  status on an unknown label: {unknown:.2f}s vs render + 2.5 s = {limit:.2f}s  (target <=)")
    print(f"  peak memory all / one: {ratios('one', 'all')}  (target <= 1.5x)")
    print(f"  the floor's, all / one: {ratios('floor one', 'floor all')}  (for reference)")


if __name__ == "__main__":
    main()
