"""Hostile inputs on the command line and in imported cookie files: each gives one line and
exit 2, never "internal error" (exit 3), never a hang, never a secret echoed:

- `--cookies /dev/zero` (read for ever), a FIFO (blocks for ever), a 5,000-deep JSON file;
- cookie expiries `inf`, `nan`, `1e300`; control characters in a cookie's value or name;
- `--home ''` (would be the current directory), `--region ÉÉ`, `--timeout inf` / `nan` /
  negative / absurdly large, `--lock-wait inf`, `--since` an impossible date;
- an `--origin` (or OPTOUT_ORIGIN) with a user name and password: refused, never echoed (and so
  never copied into a crontab by `schedule`).

A `__Secure-` or `__Host-` cookie exported without its secure flag is imported with it restored
(browsers only ever hold such cookies that way): Chromium refused the whole session otherwise.
A partitioned (CHIPS) cookie keeps its partition, so one with the session cookie's name no longer
replaces the session cookie.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from optout.engine.browser import BrowserChoice
from optout.home.cookie_files import read_cookies
from tests.helpers import launched


def one_line_exit_2(run, *phrases: str) -> None:
    assert run.exit_code == 2, run
    assert run.stderr.count("\n") == 1, run.stderr
    assert "internal error" not in run.stderr
    for phrase in phrases:
        assert phrase in run.stderr, run.stderr


def netscape(*lines: str) -> str:
    return "# Netscape HTTP Cookie File\n" + "".join(line + "\n" for line in lines)


def test_a_device_is_refused_unread(cli) -> None:
    one_line_exit_2(cli("login", "x", "--cookies", "/dev/zero"), "not a regular file")


def test_a_fifo_is_refused_without_waiting(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "cookies.txt"
    os.mkfifo(fifo)
    one_line_exit_2(cli("login", "x", "--cookies", str(fifo)), "not a regular file")


def test_deeply_nested_json_is_one_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "cookies.json"
    path.write_text("[" * 5000 + "]" * 5000)
    one_line_exit_2(cli("login", "x", "--cookies", str(path)), "nested too deeply")


SECRET = "s3cretCookieValue"


@pytest.mark.parametrize(
    ("name", "text", "phrase"),
    [
        ("c.txt", netscape(f".x.com\tTRUE\t/\tTRUE\tinf\tauth_token\t{SECRET}"), "the expiry is not a Unix time"),
        ("c.txt", netscape(f".x.com\tTRUE\t/\tTRUE\tnan\tauth_token\t{SECRET}"), "the expiry is not a Unix time"),
        ("c.txt", netscape(f".x.com\tTRUE\t/\tTRUE\t1e300\tauth_token\t{SECRET}"), "the expiry is not a Unix time"),
        (
            "c.json",
            json.dumps([{"name": "auth_token", "value": SECRET, "domain": ".x.com", "expirationDate": 1e300}]),
            "the expiry is not a Unix time",
        ),
        (
            "c.json",
            f'[{{"name": "auth_token", "value": "{SECRET}", "domain": ".x.com", "expires": Infinity}}]',
            "expiry",
        ),
        (
            "c.txt",
            netscape(f".x.com\tTRUE\t/\tTRUE\t0\tauth_token\t{SECRET}\x01"),
            "its value holds control characters",
        ),
        (
            "c.json",
            json.dumps([{"name": "auth_token", "value": SECRET + "\x00", "domain": ".x.com"}]),
            "its value holds control characters",
        ),
        ("c.json", json.dumps([{"name": "a\x07", "value": SECRET, "domain": ".x.com"}]), "unprintable name"),
        ("c.json", json.dumps([{"name": "a", "value": SECRET, "domain": "evil.example/.x.com"}]), "not a host name"),
    ],
)
def test_absurd_cookies_are_refused_naming_the_cookie_not_its_value(
    cli, tmp_path: Path, name: str, text: str, phrase: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    run = cli("login", "x", "--cookies", str(path))
    one_line_exit_2(run, phrase)
    assert SECRET not in run.stderr


def test_secure_prefixed_cookies_get_their_secure_flag_back(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(
        netscape(
            f".x.com\tTRUE\t/\tFALSE\t0\t__Secure-auth\t{SECRET}",
            f".x.com\tTRUE\t/i\tFALSE\t0\t__Host-ct0\t{SECRET}",
        )
    )
    secure, host = read_cookies(path).state["cookies"]
    assert secure["secure"] is True and secure["domain"] == ".x.com"
    assert host["secure"] is True and host["domain"] == "x.com" and host["path"] == "/"


def test_chromium_accepts_the_imported_prefixed_cookies(tmp_path: Path, chromium: BrowserChoice) -> None:
    """The session that Chromium refused whole ("Error setting storage state") now loads."""
    path = tmp_path / "c.txt"
    path.write_text(
        netscape(
            f".x.com\tTRUE\t/\tFALSE\t0\t__Secure-auth\t{SECRET}",
            f".x.com\tTRUE\t/\tFALSE\t0\t__Host-ct0\t{SECRET}",
        )
    )
    state = read_cookies(path).state

    async def load() -> list[str]:
        async with launched(chromium) as browser:
            context = await browser.new_context(storage_state=state)  # type: ignore[arg-type]  # a storage state read as plain JSON
            return sorted(c["name"] for c in await context.cookies())

    assert asyncio.run(load()) == ["__Host-ct0", "__Secure-auth"]


def test_an_empty_home_is_refused(cli) -> None:
    one_line_exit_2(cli("--home", "", "config", "show"), "--home (or OPTOUT_HOME) is empty")


@pytest.mark.parametrize("args", [["config", "set", "region", "ÉÉ"], ["status", "--region", "ÉÉ"]])
def test_a_non_ascii_region_is_refused(cli, args: list[str]) -> None:
    one_line_exit_2(cli(*args), "region 'ÉÉ'")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--timeout", "inf"), ("--timeout", "nan"), ("--timeout", "-1"), ("--timeout", "1e9"), ("--lock-wait", "inf")],
)
def test_waits_must_be_finite_and_sane(cli, option: str, value: str) -> None:
    run = cli("status", option, value)
    assert run.exit_code == 2, run
    assert f"Invalid value for '{option}'" in run.stderr


def test_an_impossible_date_is_one_line(cli) -> None:
    one_line_exit_2(cli("history", "--since", "2026-13-45"), "expected a date")


def test_an_origin_with_a_password_is_refused_and_not_echoed(cli) -> None:
    run = cli("--origin", "x=http://bob:hunter22@127.0.0.1:8001", "schedule")
    one_line_exit_2(run, "user name or password")
    assert "hunter22" not in run.stderr + run.stdout
    run = cli("schedule", env={"OPTOUT_ORIGIN": "x=http://bob:hunter22@127.0.0.1:8001"})
    one_line_exit_2(run, "user name or password")
    assert "hunter22" not in run.stderr + run.stdout


def test_a_partitioned_cookie_beside_the_session_cookie_leaves_it_logged_in(cli, home, replica, tmp_path) -> None:
    """cookie-editor exports a site's CHIPS cookies (set while it was embedded elsewhere) beside its
    own: one with the session cookie's name replaced it, and the import failed, "these cookies do
    not log in"."""
    [li_at, *rest] = replica.storage_state("linkedin")["cookies"]
    embedded = {**li_at, "value": "set-in-an-embed", "partitionKey": {"topLevelSite": "https://news.example"}}
    exported = tmp_path / "cookies.json"
    exported.write_text(json.dumps([li_at, *rest, embedded]))
    run = cli("login", "linkedin", "--cookies", str(exported))
    assert run.exit_code == 0, run
    assert "Logged in" in run.stdout
    assert cli("status", "linkedin").exit_code == 1  # the stored session works too: opted in
