"""Hostile URLs and domain lists: optout reads a URL the way Chromium reads it, and a platform's
domains can only ever be its own.

- `http://127.0.0.1:1\\@evil.example/` is 127.0.0.1 to Chromium and evil.example to Python's
  urlsplit: backslashes are refused in recipe URLs, `--origin` values and storage-state origins;
- a user name and password in a URL are refused (an `--origin` would copy them into a crontab);
- `domains: [com]` or `[""]` would let every `.com` cookie in: each entry must be a registrable
  domain by the public suffix list (offline snapshot), or an IP address or localhost;
- a cookie domain or origin that is not plainly a host belongs to no platform (fails closed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.domains import check_domain, host_in
from optout.errors import UsageError
from optout.global_options import parse_origin
from optout.home.cookie_files import read_storage_state
from optout.home.sessions import filter_state
from optout.recipes.catalogue import load_catalogue
from optout.urls import parse_web_url, url_host

from .test_recipe_files import GOOD, lines_of


def test_the_host_is_the_one_chromium_visits() -> None:
    assert url_host("http://127.1:8001/x") == "127.0.0.1"
    assert url_host("HTTPS://LinkedIn.COM:443/x") == "linkedin.com"
    assert parse_web_url("https://linkedin.com:443/a?b#c").origin == "https://linkedin.com"
    assert url_host("http://127.0.0.1:1\\@evil.example/") == ""  # refused, so every domain check fails
    assert url_host("javascript:alert(1)") == ""


@pytest.mark.parametrize("entry", ["com", "", "co.uk", "github.io", "example", "linkedin.com/x", ".linkedin.com"])
def test_a_public_suffix_or_a_non_domain_is_refused_in_domains(tmp_path: Path, entry: str) -> None:
    with pytest.raises(ValueError):
        check_domain(entry)
    [line] = lines_of(tmp_path, GOOD.replace("domains: [demo.example]", f"domains: [demo.example, '{entry}']"))
    assert line.startswith("recipes.yaml:6 platforms.demo.domains.1: "), line


@pytest.mark.parametrize("entry", ["linkedin.com", "www.linkedin.com", "bbc.co.uk", "127.0.0.1", "localhost", "::1"])
def test_registrable_domains_ips_and_localhost_are_fine(entry: str) -> None:
    assert check_domain(entry) == entry


def test_cookies_of_a_suffix_never_pass() -> None:
    state = {"cookies": [{"name": "a", "value": "v", "domain": ".evil.com"}], "origins": []}
    assert filter_state(state, ["linkedin.com"])["cookies"] == []
    assert not host_in("evil.example/.linkedin.com", ["linkedin.com"])
    assert not host_in("evil.example\\.linkedin.com", ["linkedin.com"])
    assert not host_in("anything", [""])


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:19709\\@localhost",
        "http://user:s3cret@127.0.0.1:8001",
        "http://com",
        "http://127.0.0.1:6000",
    ],
)
def test_a_hostile_origin_option_is_refused_without_echoing_it(cli, url: str) -> None:
    run = cli("--origin", f"linkedin={url}", "platforms")
    assert run.exit_code == 2, run
    assert run.stderr.count("\n") == 1 and "s3cret" not in run.stderr


def test_replica_origins_keep_working() -> None:
    assert parse_origin("linkedin=http://127.0.0.1:8001") == ("linkedin", "http://127.0.0.1:8001")
    li = load_catalogue(origins={"linkedin": "http://127.0.0.1:8001"}).platforms["linkedin"]
    assert li.settings[0].url == "http://127.0.0.1:8001/mypreferences/d/settings/data-for-ai-improvement"


def test_a_storage_state_origin_with_the_backslash_trick_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    state = {
        "cookies": [{"name": "li_at", "value": "v" * 10, "domain": ".linkedin.com"}],
        "origins": [{"origin": "https://evil.example\\@www.linkedin.com", "localStorage": []}],
    }
    path.write_text(json.dumps(state))
    with pytest.raises(UsageError, match="'origin' is not a web origin: a backslash"):
        read_storage_state(path)
    state["origins"][0]["origin"] = "https://me:pw@www.linkedin.com"
    path.write_text(json.dumps(state))
    with pytest.raises(UsageError, match="user name or password"):
        read_storage_state(path)


def test_a_stored_session_with_a_tricky_origin_loses_it() -> None:
    state = {"cookies": [], "origins": [{"origin": "https://evil.example\\@www.linkedin.com", "localStorage": []}]}
    assert filter_state(state, ["linkedin.com"])["origins"] == []
