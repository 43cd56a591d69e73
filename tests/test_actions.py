"""The action layer (optout.actions) is callable without the CLI: plain options in, a result
object out, the config file read and the history opened once per run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from optout.actions.run import RunOutcome, RunRequest, Targets, execute
from optout.exit_codes import ExitCode
from optout.home.history import History
from optout.home.user_config import UserConfig
from optout.recipes.catalogue import load_catalogue
from optout.results import Result
from optout.states import State


class _Silent:
    """A Display that keeps what it was shown."""

    def __init__(self) -> None:
        self.shown: list[RunOutcome] = []

    @contextmanager
    def progress(self, jobs: list[Any]) -> Iterator[Callable[[Result], None] | None]:
        yield None

    def notice(self, text: str) -> None:
        raise AssertionError(f"no notice expected: {text}")

    def show(self, outcome: RunOutcome) -> None:
        self.shown.append(outcome)

    def page(self, path: Path, outcome: RunOutcome, rows: list[dict[str, Any]], catalogue: Any) -> Path:
        raise AssertionError("no --html given")


def test_a_disable_reads_the_config_and_opens_the_history_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    UserConfig(home).set("region", "DE")
    UserConfig(home).set("notify", "json://127.0.0.1:9/never")
    reads, opens = [], []
    read, init = UserConfig._read, History.__init__
    monkeypatch.setattr(UserConfig, "_read", lambda self: reads.append(1) or read(self))
    monkeypatch.setattr(History, "__init__", lambda self, *a, **k: opens.append(1) or init(self, *a, **k))
    display = _Silent()

    outcome = execute(
        RunRequest(command="disable", home=home, want=State.OPTED_OUT, file_forms=False),
        lambda: Targets(load_catalogue(), [], None),
        display,
    )

    assert (len(reads), len(opens)) == (1, 1)
    assert display.shown == [outcome] and outcome.failures == [] and outcome.stopped is None
    # No session: only Meta's objection form, which in Germany is a manual step under --all.
    assert [(r.platform, r.state) for r in outcome.results] == [("meta", State.MANUAL)]
    assert outcome.not_set_up and outcome.exit_code is ExitCode.UNDETERMINED
    with History(home) as history:
        assert [row["platform"] for row in history.rows()] == ["meta"]
