"""A platform that cannot be reached: its server refuses the connection, resets it, or never
answers. The result is `error` with the reason, the other platforms of the run are read as usual,
nothing is clicked, and the browser's own error page is kept as no one's evidence."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import closed_port


def _by_platform(stdout: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for result in json.loads(stdout):
        grouped.setdefault(result["platform"], []).append(result)
    return grouped


@contextmanager
def _silent_origin() -> Iterator[str]:
    """An origin on 127.0.0.1 whose port accepts connections and never answers (a server that hangs)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_a_refused_connection_is_an_error_and_the_other_platforms_are_read(log_in, cli, replica, home: Path) -> None:
    log_in("linkedin")
    log_in("x")
    run = cli("--origin", f"linkedin=http://127.0.0.1:{closed_port()}", "status", "linkedin", "x", "--json")
    got = _by_platform(run.stdout)
    (linkedin,) = got["linkedin"]
    assert linkedin["state"] == "error" and "ERR_CONNECTION_REFUSED" in linkedin["detail"], linkedin["detail"]
    assert linkedin["evidence"] is None and not (home / "evidence").exists()  # Chromium's error page
    assert {r["state"] for r in got["x"]} == {"opted_in"}
    assert replica.writes("linkedin") == 0


def test_a_platform_that_never_answers_is_given_up_at_the_timeout_and_the_others_are_read(
    log_in, cli, replica, home: Path
) -> None:
    log_in("linkedin")
    log_in("x")
    with _silent_origin() as silent:
        run = cli("--origin", f"linkedin={silent}", "status", "linkedin", "x", "--timeout", "2", "--json")
    got = _by_platform(run.stdout)
    (linkedin,) = got["linkedin"]
    assert linkedin["state"] == "error" and "did not load within 2 s" in linkedin["detail"], linkedin["detail"]
    assert {r["state"] for r in got["x"]} == {"opted_in"}


@pytest.mark.parametrize(("resets", "state", "words"), [(1, "opted_in", ""), (2, "error", "ERR_CONNECTION_RESET")])
def test_a_reset_connection_is_tried_once_more(log_in, cli, replica, resets: int, state: str, words: str) -> None:
    log_in("linkedin")
    replica.options.reset_settings = resets
    run = cli("status", "linkedin", "--json")
    (got,) = json.loads(run.stdout)
    assert got["state"] == state and words in got["detail"], got["detail"]
