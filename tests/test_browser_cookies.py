"""The pure rules of `login --from-browser`, and the one-line refusals that need no browser."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home.browser_cookies import INSTALL_HINT, BrowserSpec, _main_jar, parse_spec


def test_spec_names_browser_key_store_and_profile() -> None:
    assert parse_spec("Firefox") == BrowserSpec("firefox")
    assert parse_spec("chrome+gnomekeyring:Profile 1") == BrowserSpec("chrome", "gnomekeyring", "Profile 1")
    assert parse_spec("chromium:/tmp/p") == BrowserSpec("chromium", None, "/tmp/p")
    for bad in ("netscape", "chrome+vault", "firefox+kwallet"):
        with pytest.raises(UsageError):
            parse_spec(bad)


def test_only_the_users_own_firefox_jar_is_read() -> None:
    assert _main_jar("") and _main_jar(None) and _main_jar("^firstPartyDomain=x")
    assert not _main_jar("^userContextId=2") and not _main_jar("^partitionKey=%28https%2Cexample.com%29")


def one_line(run) -> str:
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    return run.stderr


def test_browser_not_installed_and_profile_missing(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("yt_dlp.cookies")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    assert "Firefox is not installed" in one_line(cli("login", "linkedin", "--from-browser", "firefox"))
    assert "Chromium is not installed" in one_line(cli("login", "--all", "--from-browser", "chromium"))
    (tmp_path / ".config" / "chromium" / "Default").mkdir(parents=True)
    (tmp_path / ".config" / "chromium" / "Default" / "Preferences").write_text("{}")
    assert "no Chromium profile 'Work'; profiles here: Default" in one_line(
        cli("login", "x", "--from-browser", "chromium:Work")
    )
    assert "no Cookies database" in one_line(cli("login", "x", "--from-browser", "chromium:Default"))
    assert "no Firefox profile folder" in one_line(cli("login", "x", "--from-browser", f"firefox:{tmp_path}/none"))
    damaged = tmp_path / "ff"
    damaged.mkdir()
    (damaged / "cookies.sqlite").write_text("not a database")
    assert "not a readable cookie database" in one_line(cli("login", "x", "--from-browser", f"firefox:{damaged}"))


def test_windows_and_a_missing_extra_are_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yt_dlp.cookies", None)  # as if not installed
    assert INSTALL_HINT in one_line(cli("login", "linkedin", "--from-browser", "firefox"))
    monkeypatch.setattr(sys, "platform", "win32")
    assert "not supported on Windows" in one_line(cli("login", "--all", "--from-browser", "chrome"))


def test_all_needs_a_browser_and_no_platform(cli) -> None:
    assert "--all imports from a browser" in one_line(cli("login", "--all"))
    assert "--all imports from a browser" in one_line(cli("login", "x", "--all", "--from-browser", "firefox"))
    assert "give one of" in one_line(cli("login", "x", "--from-browser", "firefox", "--cookies", "c.txt"))
