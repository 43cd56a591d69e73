"""Controls inside frames (issue 19, item 9). A settings app embedded in its page's iframe is read,
counted and clicked like the page's own: `status` reads it, `disable` changes and verifies it,
`explore` lists it, and a copy in the page beside it is ambiguous. A frame from another site
(127.0.0.1 named localhost is one) showing a lookalike of the very switch is neither read nor
clicked, and the result says a frame could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.hostile.test_off_platform import Lookalike

LABEL = "Product Improvement and Training"  # Grammarly's switch, the one setting of its page
LOOKALIKE = f"""<!doctype html><title>Privacy</title>
<span id="l">{LABEL}</span>
<button role="switch" aria-checked="true" aria-labelledby="l"
 onclick="this.setAttribute('aria-checked', 'false'); fetch('/save', {{method: 'POST'}})">x</button>"""


@pytest.fixture
def elsewhere() -> Iterator[Lookalike]:
    with Lookalike(LOOKALIKE, "127.0.0.1", "localhost").serving() as site:
        yield site


@pytest.mark.parametrize(
    "platform",
    [
        "grammarly",  # a switch
        "github",  # a dropdown whose list opens in the frame
        "deepseek",  # a navigation step and closing steps clicked in the frame, a switch in its dialog
    ],
)
def test_a_control_in_a_frame_of_the_platform_is_read_changed_and_verified(log_in, cli, replica, platform) -> None:
    log_in(platform)
    replica.options.framed = "self"
    run = cli("status", platform, "--json")
    assert run.exit_code == 1, run
    got = json.loads(run.stdout)  # GitHub has two dropdowns on the page, the others one control
    assert {r["state"] for r in got} == {"opted_in"}, got
    run = cli("disable", platform, "--json")
    assert run.exit_code == 0, run
    got = json.loads(run.stdout)
    assert all(r["state"] == "opted_out" and r["action"] == "changed" and "verified" in r["detail"] for r in got), got
    assert all(replica.is_opted_out(platform, key) for key in replica.state(platform))


def test_explore_lists_the_controls_of_a_frame_of_the_platform(log_in, cli, replica) -> None:
    log_in("grammarly")
    replica.options.framed = "self"
    run = cli("explore", "grammarly", "--json")
    assert run.exit_code == 0, run
    listed = json.loads(run.stdout)
    assert [c["state"] for c in listed["controls"] if c["role"] == "switch" and c["name"] == LABEL] == ["on"]
    assert listed["unread_frames"] == ""


def test_one_match_in_the_page_and_one_in_its_frame_is_ambiguous(log_in, cli, replica) -> None:
    log_in("grammarly")
    replica.options.framed = "both"
    run = cli("disable", "grammarly", "--json")
    assert run.exit_code == 3, run
    (got,) = json.loads(run.stdout)
    assert got["state"] == "not_found" and "ambiguous: 2 switches match the recipe: 'Product" in got["detail"], got
    assert replica.writes("grammarly") == 0


def test_a_frame_of_another_site_is_neither_read_nor_clicked(log_in, cli, replica, elsewhere: Lookalike) -> None:
    log_in("grammarly")
    replica.options.foreign_frame = elsewhere.url
    for command in ("status", "disable"):
        run = cli(command, "grammarly", "--json")
        assert run.exit_code == 3, run
        (got,) = json.loads(run.stdout)
        assert got["state"] == "not_found" and got["action"] in (None, "none"), got
        assert "a frame from localhost could not be read (not the platform's)" in got["detail"], got
        assert "nothing was clicked" in got["detail"]
    assert elsewhere.saves == 0 and replica.writes("grammarly") == 0
    run = cli("explore", "grammarly", "--json")
    assert run.exit_code == 0, run
    listed = json.loads(run.stdout)
    assert not [c for c in listed["controls"] if c["name"] == LABEL]
    assert "localhost" in listed["unread_frames"]
    assert elsewhere.saves == 0


def test_the_unread_frames_are_named_once_each() -> None:
    from optout.engine.frames import unread_note

    assert unread_note(()) == ""
    assert unread_note(("ads.example",)) == "a frame from ads.example could not be read (not the platform's)"
    assert unread_note(("a.example", "data:", "a.example")) == (
        "3 frames from a.example, data: could not be read (not the platform's)"
    )
