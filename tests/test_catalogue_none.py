"""Platforms where no opt-out exists (`kind: none`): optout says so, with the reason, and is done.

No page is opened for them, so they need no replica: the answer is the recipe's, printed as
`not_offered` with exit 0 (nothing is left for the user to do), for `disable` as for `status`.
"""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(
    ("platform", "reason"),
    [("reddit", "licenses posts and comments to AI companies"), ("zoom", "does not use audio, video, chat")],
)
@pytest.mark.parametrize("command", ["status", "disable"])
def test_no_opt_out_is_not_offered_with_the_reason(cli, command: str, platform: str, reason: str) -> None:
    run = cli(command, platform, "--json")
    assert run.exit_code == 0, run
    (got,) = json.loads(run.stdout)
    assert (got["setting"], got["state"], got["action"]) == ("ai-training", "not_offered", "none")
    assert reason in got["detail"]


def test_the_table_prints_the_reason(cli) -> None:
    run = cli("status", "reddit")
    assert run.exit_code == 0
    assert "not_offered" in run.stdout and "Reddit offers no opt-out" in run.stdout
