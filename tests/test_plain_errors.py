"""Playwright's messages as what happened (optout.errors.plain): the details a user reads.

Each message is one a hostile tester got as a result's detail (issue 19, Low): a covered switch,
a self-reloading page, a crashed browser, a download instead of a page.
"""

from __future__ import annotations

import pytest

from optout.errors import plain


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            "ElementHandle.click: Timeout 10000ms exceeded.\nCall log:\n  - waiting for element to be visible",
            "the click did not go through within 10 s: something covers the control, or it never became clickable",
        ),
        ("ElementHandle.evaluate: Element is not attached to the DOM", "the page redrew or reloaded itself"),
        ("Execution context was destroyed, most likely because of a navigation", "the page redrew or reloaded"),
        ("Locator.click: Target page, context or browser has been closed", "the browser closed the page"),
        ("Page.goto: net::ERR_ABORTED at http://127.0.0.1:9/settings", "its address started a download"),
        ("Page.wait_for_function: Timeout 3000ms exceeded.", "the page did not answer within 3 s"),
    ],
)
def test_known_browser_messages_say_what_happened(message: str, said: str) -> None:
    words = plain(Exception(message))
    assert words.startswith(said) or said in words, words
    assert "Timeout" not in words and "ElementHandle" not in words and "net::" not in words


def test_other_messages_are_given_as_they_are() -> None:
    assert plain(Exception("aria-checked is odd\nmore")) == "aria-checked is odd"
    assert plain(RuntimeError()) == "RuntimeError"
