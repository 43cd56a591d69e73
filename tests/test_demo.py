"""`optout demo`, the README's first command: the whole job against the replicas, real output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from optout.kits import page_settings, replica_platforms, site_class
from optout.recipes.catalogue import load_catalogue

# A switch, three switches on one page, a per-blog switch, a chip and menu, and Meta's form: each
# kind of result the demo shows. Every platform's own behaviour is the matrix's (test_matrix.py);
# the whole demo, every platform at once, is timed by hand (`time optout demo`), not here.
SOME = ["linkedin", "x", "tumblr", "gemini", "meta"]


def page_results(platforms: list[str]) -> int:
    """How many page results the platforms give: one per setting, per resource for some."""
    cat = load_catalogue()
    return sum(
        len(site_class(pid).resources) if s.resource else 1 for pid in platforms for s in page_settings(cat, pid)
    )


def demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    return subprocess.run(
        [sys.executable, "-m", "optout", "demo", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_demo_switches_everything_off_and_says_so(chromium) -> None:
    run = demo(*SOME)
    assert run.returncode == 0, run.stdout + run.stderr
    before, change, after = run.stdout.split("$ optout ")[1:]
    assert before.startswith("status") and "opted_in" in before
    assert change.startswith("disable --all") and change.count("changed and verified after reload") == page_results(
        SOME
    )
    assert after.count("opted_out") == page_results(SOME) and "opted_in" not in after
    assert "manual" in after  # Meta in GB: the objection form is the user's to send
    assert "new on" not in run.stderr + run.stdout  # no recipe switch is announced as a discovery
    # the last status also wrote the page, which outlives the throwaway home
    assert after.startswith("status --html ")
    page = Path(re.search(r"the page, with the receipts: (\S+)", run.stdout)[1])  # type: ignore[index]
    try:
        text = page.read_text()
        # and Meta's two without a page: the objection form (manual), the AI-chat ads use (no opt-out)
        assert text.count("<article") == page_results(SOME) + 2
        assert [p.name for p in page.parent.iterdir()] == [page.name]
    finally:
        shutil.rmtree(page.parent)


def test_demo_names_only_platforms_it_has(chromium) -> None:
    run = demo("slack")
    assert run.returncode == 2 and run.stderr.startswith("optout: no replica of slack")
    assert replica_platforms(load_catalogue())[0] in run.stderr
