"""`optout demo`, the README's first command: the whole job against the replicas, real output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from optout.catalogue import load_catalogue
from optout.kits import page_settings, replica_platforms, site_class

pytestmark = pytest.mark.browser


def page_results() -> int:
    """How many page results the demo's platforms give: one per setting, per resource for some."""
    cat = load_catalogue()
    return sum(
        len(site_class(pid).resources) if s.resource else 1
        for pid in replica_platforms(cat)
        for s in page_settings(cat, pid)
    )


def test_demo_switches_everything_off_and_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    run = subprocess.run([sys.executable, "-m", "optout", "demo"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    before, change, after = run.stdout.split("$ optout ")[1:]
    assert before.startswith("status") and "opted_in" in before
    assert change.startswith("disable --all") and change.count("changed and verified after reload") == page_results()
    assert after.count("opted_out") == page_results() and "opted_in" not in after
    assert "manual" in after  # Meta in GB: the objection form is the user's to send
