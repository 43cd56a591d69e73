"""Cookie imports: the three formats become Playwright cookies, and bad files fail with file and line
but never with a cookie value in the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home.cookie_files import read_cookies, read_storage_state

SECRET = "s3cr3t-VALUE-never-printed"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def netscape(*lines: str) -> str:
    return "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n" + "\n".join(lines) + "\n"


def test_netscape_fields_flags_and_httponly(tmp_path: Path) -> None:
    text = netscape(
        f".linkedin.com\tTRUE\t/\tTRUE\t1900000000\tli_at\t{SECRET}",
        '#HttpOnly_www.linkedin.com\tFALSE\t/feed\tFALSE\t0\tJSESSIONID\t"ajax:1"',
        "linkedin.com\tTRUE\t/\tFALSE\t1900000000\tlang",  # empty value, its tab lost
        "127.0.0.1\tTRUE\t/\tFALSE\t0\tli_at\treplica",  # an IP never gets a leading dot
    ).replace("\n", "\r\n")
    got = read_cookies(write(tmp_path, "cookies.txt", text))
    assert got.format == "Netscape cookies.txt"
    li_at, jsession, lang, local = got.state["cookies"]
    assert li_at == {
        "name": "li_at",
        "value": SECRET,
        "domain": ".linkedin.com",
        "path": "/",
        "expires": 1900000000.0,
        "httpOnly": False,
        "secure": True,
        "sameSite": "Lax",
    }
    assert (jsession["domain"], jsession["path"], jsession["httpOnly"], jsession["expires"]) == (
        "www.linkedin.com",
        "/feed",
        True,
        -1,
    )
    assert (lang["domain"], lang["value"]) == (".linkedin.com", "")
    assert local["domain"] == "127.0.0.1"
    assert got.state["origins"] == []


def test_cookie_editor_json(tmp_path: Path) -> None:
    cookies = [
        {
            "domain": ".x.com",
            "expirationDate": 1900000000.25,
            "hostOnly": False,
            "httpOnly": True,
            "name": "auth_token",
            "path": "/",
            "sameSite": "no_restriction",
            "secure": True,
            "session": False,
            "storeId": "0",
            "value": SECRET,
        },
        {
            "domain": "x.com",
            "hostOnly": True,
            "name": "lang",
            "path": "/",
            "sameSite": "unspecified",
            "secure": False,
            "session": True,
            "value": "en",
        },
        {
            "domain": ".x.com",
            "name": "ct0",
            "sameSite": "no_restriction",
            "secure": False,
            "value": "v",
            "expirationDate": 1900000000,
        },
        {"domain": "127.0.0.1", "name": "auth_token", "sameSite": None, "value": "v", "hostOnly": False},
    ]
    got = read_cookies(write(tmp_path, "x.json", json.dumps(cookies, indent=2)))
    assert got.format == "JSON cookie list"
    auth, lang, ct0, local = got.state["cookies"]
    assert auth == {
        "name": "auth_token",
        "value": SECRET,
        "domain": ".x.com",
        "path": "/",
        "expires": 1900000000.25,
        "httpOnly": True,
        "secure": True,
        "sameSite": "None",
    }
    assert (lang["domain"], lang["expires"], lang["sameSite"]) == ("x.com", -1, "Lax")
    assert ct0["sameSite"] == "Lax"  # Chromium refuses SameSite=None without Secure
    assert local["domain"] == "127.0.0.1"


def test_storage_state_both_ways(tmp_path: Path) -> None:
    state = {
        "cookies": [
            {
                "name": "li_at",
                "value": SECRET,
                "domain": "127.0.0.1",
                "path": "/",
                "expires": -1,
                "httpOnly": True,
                "secure": False,
                "sameSite": "Lax",
            }
        ],
        "origins": [{"origin": "http://127.0.0.1:8001", "localStorage": [{"name": "k", "value": "v"}]}],
    }
    path = write(tmp_path, "state.json", json.dumps(state))
    for got in (read_storage_state(path), read_cookies(path)):
        assert got.format == "Playwright storage state"
        assert got.state == state


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("c.txt", netscape(f".linkedin.com\tTRUE\t/\tli_at\t{SECRET}"), "c.txt:4: expected 7 tab-separated fields"),
        ("c.txt", netscape(f".linkedin.com TRUE / TRUE 0 li_at {SECRET}"), "c.txt:4: expected 7 tab-separated fields"),
        (
            "c.txt",
            netscape(f".linkedin.com\tyes\t/\tTRUE\t0\tli_at\t{SECRET}"),
            "c.txt:4: the include-subdomains field",
        ),
        (
            "c.txt",
            netscape("ok.com\tTRUE\t/\tTRUE\t0\ta\tb", f".linkedin.com\tTRUE\t/\tmaybe\t0\tli_at\t{SECRET}"),
            "c.txt:5: the secure field must be TRUE or FALSE",
        ),
        ("c.txt", netscape(f".linkedin.com\tTRUE\t/\tTRUE\tnever\tli_at\t{SECRET}"), "c.txt:4: the expiry field"),
        ("c.txt", netscape(f"\tTRUE\t/\tTRUE\t0\tli_at\t{SECRET}"), "c.txt:4: the domain field is empty"),
        ("c.txt", "# Netscape HTTP Cookie File\n# nothing else\n", "c.txt: no cookies in this file"),
        ("c.txt", "", "c.txt: no cookies in this file"),
        ("c.txt", "<!DOCTYPE html><html>", "looks like an HTML page"),
        (
            "c.json",
            f'[\n  {{"name": "li_at", "value": "{SECRET}", "domain": ".linkedin.com"}},\n  {{"name": "x",\n',
            "c.json:4: not valid JSON",
        ),
        (
            "c.json",
            f'[\n  {{"name": "li_at", "value": "{SECRET}", "domain": ".linkedin.com"}},\n'
            f'  {{"value": "{SECRET}", "domain": ".linkedin.com"}}\n]',
            "c.json:3: cookie 2: 'name' is missing",
        ),
        (
            "c.json",
            f'[{{"name": "li_at", "value": ["{SECRET}"], "domain": "a.com"}}]',
            "c.json:1: cookie 1: 'value' must be text",
        ),
        (
            "c.json",
            f'[\n{{"name": "a", "value": "{SECRET}", "domain": "a.com",\n "expirationDate": "{SECRET}"}}]',
            "c.json:2: cookie 1: 'expirationDate' must be a number",
        ),
        (
            "c.json",
            f'[{{"name": "a", "value": "{SECRET}", "domain": "a.com", "secure": "yes"}}]',
            "'secure' must be true or false",
        ),
        (
            "c.json",
            f'[{{"name": "a", "value": "{SECRET}", "domain": "a.com", "sameSite": "{SECRET}"}}]',
            "'sameSite' must be one of",
        ),
        ("c.json", f'["{SECRET}"]', "c.json:1: cookie 1: expected an object"),
        ("c.json", "[]", "c.json: no cookies in this file"),
        ("c.json", f'{{"cookie": [{{"value": "{SECRET}"}}]}}', "expected a Playwright storage state"),
        (
            "c.json",
            f'{{"cookies": [], "origins": [{{"origin": "http://a", "localStorage": "{SECRET}"}}]}}',
            "'localStorage' must be a list",
        ),
        ("c.txt", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not a text file; optout reads cookies.txt"),
        (
            "cookies.sqlite",
            b"SQLite format 3\x00" + SECRET.encode(),
            "a browser's cookie database (SQLite), not an export",
        ),
    ],
)
def test_malformed_files_name_file_and_line_never_the_value(
    tmp_path: Path, name: str, text: str | bytes, expected: str
) -> None:
    with pytest.raises(UsageError) as caught:
        read_cookies(write(tmp_path, name, text))
    message = str(caught.value)
    assert expected in message
    assert SECRET not in message


def test_utf16_exports_are_read(tmp_path: Path) -> None:
    """Windows tools (PowerShell's Out-File, Notepad's "Unicode") save exports as UTF-16 with a BOM."""
    text = netscape(f".linkedin.com\tTRUE\t/\tTRUE\t1900000000\tli_at\t{SECRET}")
    for encoding in ("utf-16-le", "utf-16-be"):
        bom = "\ufeff".encode(encoding)
        got = read_cookies(write(tmp_path, f"{encoding}.txt", bom + text.encode(encoding)))
        assert [(c["name"], c["value"]) for c in got.state["cookies"]] == [("li_at", SECRET)]


def test_storage_state_option_wants_a_storage_state(tmp_path: Path) -> None:
    path = write(tmp_path, "list.json", json.dumps([{"name": "a", "value": SECRET, "domain": "a.com"}]))
    with pytest.raises(UsageError, match="expected a Playwright storage state") as caught:
        read_storage_state(path)
    assert SECRET not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_cookies(tmp_path / "nope.txt")
    with pytest.raises(UsageError, match="is a directory"):
        read_cookies(tmp_path)


def test_partitioned_cookies_keep_their_partition(tmp_path: Path) -> None:
    """A CHIPS cookie of the same name as the session cookie stays in its own partition: without
    it, it replaced the first-party one and the import did not log in."""
    first = {"domain": ".linkedin.com", "name": "li_at", "value": SECRET, "secure": True}
    embedded = {
        **first,
        "value": "other",
        "partitionKey": {"topLevelSite": "https://news.example", "hasCrossSiteAncestor": True},
    }
    got = read_cookies(write(tmp_path, "c.json", json.dumps([first, embedded])))
    mine, theirs = got.state["cookies"]
    assert "partitionKey" not in mine and mine["value"] == SECRET
    assert (theirs["partitionKey"], theirs["_crHasCrossSiteAncestor"], theirs["secure"]) == (
        "https://news.example",
        True,
        True,
    )
    # Playwright's own spelling, and what it saves, read back the same
    saved = {"cookies": [first | {"path": "/", "expires": -1, "httpOnly": False, "sameSite": "Lax"}, theirs]}
    path = write(tmp_path, "state.json", json.dumps(saved))
    assert read_storage_state(path).state["cookies"][1] == theirs
    for key in ({"topLevelSite": 7}, "not a site", 12):
        bad = write(tmp_path, "bad.json", json.dumps([{**first, "partitionKey": key}]))
        with pytest.raises(UsageError, match="'partitionKey'") as info:
            read_cookies(bad)
        assert SECRET not in str(info.value)
    plain = write(tmp_path, "plain.json", json.dumps([{**first, "partitionKey": None}]))
    assert "partitionKey" not in read_cookies(plain).state["cookies"][0]
