"""Small shared helpers: which hosts belong to a platform, which domains a recipe may claim, and the
first line of a long message."""

from __future__ import annotations

import pytest

from optout.domains import check_domain, host_in
from optout.engine import login
from optout.errors import first_line
from optout.home import sessions
from optout.recipes import catalogue


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


@pytest.mark.parametrize(
    "entry",
    [
        "com",
        "co.uk",
        "github.io",  # a private suffix: every user's site is under it
        "example",  # reserved names are suffixes of their own
        "test",
        "xn--55qx5d.cn",  # 公司.cn, a public suffix, written in punycode
        "x.kawasaki.jp",  # under the wildcard rule *.kawasaki.jp
        "kawasaki.jp",  # the wildcard's own root
        "example.unknowntld",  # under no suffix the list knows
        "",
        ".linkedin.com",
        "linkedin.com.",
        "bücher.com",  # non-ASCII: write it in punycode
    ],
)
def test_check_domain_refuses_a_public_suffix(entry: str) -> None:
    with pytest.raises(ValueError):
        check_domain(entry)


@pytest.mark.parametrize(
    "entry",
    [
        "linkedin.com",
        "www.linkedin.com",
        "bbc.co.uk",
        "me.github.io",
        "demo.example",
        "shop.test",
        "shop.xn--55qx5d.cn",  # a name under 公司.cn
        "xn--bcher-kva.com",  # bücher.com
        "city.kawasaki.jp",  # the exception !city.kawasaki.jp
        "127.0.0.1",
        "localhost",
    ],
)
def test_check_domain_accepts_a_registrable_domain(entry: str) -> None:
    assert check_domain(entry.upper()) == entry


def test_one_host_rule_for_cookies_login_and_recipes() -> None:
    assert sessions.host_in is login.host_in is catalogue.host_in is host_in


def test_first_line_of_an_exception_or_a_text() -> None:
    assert first_line(RuntimeError("\n  Browser closed  \n=== logs ===\nmore")) == "Browser closed"
    assert first_line(TimeoutError()) == "TimeoutError"
    assert first_line("\n\ncrontab: permission denied\nusage: ...") == "crontab: permission denied"
    assert first_line("  \n") == "no reason given"
