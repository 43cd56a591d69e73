"""Small shared helpers: which hosts belong to a platform, and the first line of a long message."""

from __future__ import annotations

import pytest

from optout import catalogue, login, sessions
from optout.domains import host_in
from optout.errors import first_line


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("linkedin.com", True),
        ("www.linkedin.com", True),
        (".linkedin.com", True),  # a cookie domain
        ("WWW.LinkedIn.com", True),
        ("evil-linkedin.com", False),
        ("linkedin.com.evil.example", False),
        ("", False),
    ],
)
def test_host_in(host: str, expected: bool) -> None:
    assert host_in(host, ["linkedin.com", "licdn.com"]) is expected


def test_one_host_rule_for_cookies_login_and_recipes() -> None:
    assert sessions.host_in is login.host_in is catalogue.host_in is host_in


def test_first_line_of_an_exception_or_a_text() -> None:
    assert first_line(RuntimeError("\n  Browser closed  \n=== logs ===\nmore")) == "Browser closed"
    assert first_line(TimeoutError()) == "TimeoutError"
    assert first_line("\n\ncrontab: permission denied\nusage: ...") == "crontab: permission denied"
    assert first_line("  \n") == "no reason given"
