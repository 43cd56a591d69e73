"""Shared fixtures: a throwaway home, the CLI runner, and replica platforms on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

# Tests never touch the real user's state, browser session or config.
for var in ("OPTOUT_HOME", "OPTOUT_RECIPES", "OPTOUT_ORIGIN", "OPTOUT_ACCOUNT", "OPTOUT_BROWSER", "OPTOUT_TIMEOUT",
            "OPTOUT_JOBS"):
    os.environ.pop(var, None)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def cli(home: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke `optout ...` in-process with a throwaway home; returns exit code, stdout, stderr."""
    from optout.cli.app import app

    monkeypatch.setenv("OPTOUT_HOME", str(home))

    def invoke(*args: str, env: dict[str, str] | None = None) -> Run:
        result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """LinkedIn, X and Meta replicas on 127.0.0.1, with OPTOUT_ORIGIN pointing the recipes at them."""
    from optout.replica import Replica, ReplicaOptions

    with Replica(ReplicaOptions()) as running:
        monkeypatch.setenv("OPTOUT_ORIGIN", running.origin_env())
        monkeypatch.setenv("OPTOUT_TIMEOUT", "4")
        yield running
