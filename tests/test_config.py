"""`optout config set|get|unset|show`."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home.user_config import UserConfig
from tests.helpers import invoke


def test_set_get_unset(tmp_path: Path) -> None:
    home = tmp_path / "home"
    res = invoke("--home", str(home), "config", "set", "region", "gb")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == "region = GB\n"
    assert invoke("--home", str(home), "config", "get", "region").stdout == "GB\n"
    assert UserConfig(home).get("region") == "GB"
    assert stat.S_IMODE((home / "config.json").stat().st_mode) == 0o600
    assert invoke("--home", str(home), "config", "unset", "region").exit_code == 0
    res = invoke("--home", str(home), "config", "get", "region")
    assert (res.exit_code, res.stdout, res.stderr) == (1, "", "region is not set\n")


def test_bad_values_and_keys_are_usage_errors(tmp_path: Path) -> None:
    res = invoke("--home", str(tmp_path), "config", "set", "region", "Narnia")
    assert res.exit_code == 2 and res.stderr.startswith("optout: region 'Narnia'")
    res = invoke("--home", str(tmp_path), "config", "set", "emial", "a@b.example")
    assert res.exit_code == 2
    assert res.stderr.startswith(
        "optout: unknown config key 'emial' (did you mean \"email\"?); known: region, email, name, notify, "
    )  # then the per-resource lists the catalogue has (wordpress.site, ...)
    assert invoke("--home", str(tmp_path), "config", "get", "colour").exit_code == 2
    assert invoke("--home", str(tmp_path), "config", "unset", "colour").exit_code == 2
    assert not (tmp_path / "config.json").exists()


def test_notify_urls_are_checked_added_and_listed(tmp_path: Path) -> None:
    res = invoke("--home", str(tmp_path), "config", "set", "notify", "htp:/oops")
    assert res.exit_code == 2 and "not a notification URL Apprise understands" in res.stderr
    first, second = "json://bob:s3cretpw@127.0.0.1:9/a", "ntfy://ntfy.sh/my-topic"
    res = invoke("--home", str(tmp_path), "config", "set", "notify", first)
    assert res.exit_code == 0 and "s3cretpw" not in res.stderr
    assert res.stderr == "notify: added json://bob:****@127.0.0.1:9/a\n"
    invoke("--home", str(tmp_path), "config", "set", "notify", second)
    invoke("--home", str(tmp_path), "config", "set", "notify", first)  # once only
    assert (
        invoke("--home", str(tmp_path), "config", "get", "notify").stdout == f"{first}\n{second}\n"
    )  # asked for: in full
    invoke("--home", str(tmp_path), "config", "unset", "notify")
    assert invoke("--home", str(tmp_path), "config", "get", "notify").exit_code == 1


def test_show_masks_secrets(tmp_path: Path) -> None:
    invoke("--home", str(tmp_path), "config", "set", "email", "me@example.com")
    invoke("--home", str(tmp_path), "config", "set", "notify", "json://bob:s3cretpw@127.0.0.1:9/a")
    data = json.loads(invoke("--home", str(tmp_path), "config", "show", "--json").stdout)
    assert all(value is None for key, value in data.items() if "." in key)  # per-resource lists, unset
    assert {key: value for key, value in data.items() if "." not in key} == {
        "region": None,
        "email": "me@example.com",
        "name": None,
        "notify": ["json://bob:****@127.0.0.1:9/a"],
        "updates": None,
    }
    res = invoke("--home", str(tmp_path), "config", "show")
    assert res.exit_code == 0
    assert "s3cretpw" not in res.stdout
    rows = {line.split()[0]: line.split()[1] for line in res.stdout.splitlines()[1:] if "." not in line.split()[0]}
    assert rows == {
        "region": "(not",
        "email": "me@example.com",
        "name": "(not",
        "notify": "json://bob:****@127.0.0.1:9/a",
        "updates": "(not",
    }
    assert res.stderr == f"file: {tmp_path / 'config.json'}\n"


@pytest.mark.parametrize("content", ["{", "[1, 2]", '"GB"', "\udcff"])
def test_damaged_config_file_is_one_line_naming_the_file(tmp_path: Path, content: str) -> None:
    (tmp_path / "config.json").write_bytes(content.encode("utf-8", "surrogateescape"))
    for args in (["show"], ["get", "region"], ["set", "region", "GB"]):
        res = invoke("--home", str(tmp_path), "config", *args)
        assert res.exit_code == 2, res
        assert res.stderr.startswith(f"optout: {tmp_path / 'config.json'} is damaged")
        assert "optout config" in res.stderr and len(res.stderr.splitlines()) == 1
    with pytest.raises(UsageError, match="is damaged"):
        UserConfig(tmp_path)


def test_a_value_of_the_wrong_type_is_reported_and_can_be_unset(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"region": 44, "notify": "json://a/", "email": "a@b.example"}))
    assert invoke("--home", str(tmp_path), "config", "get", "email").stdout == "a@b.example\n"
    res = invoke("--home", str(tmp_path), "config", "get", "notify")
    assert res.exit_code == 2 and "notify is not a list of texts" in res.stderr
    assert "optout config unset notify" in res.stderr
    res = invoke("--home", str(tmp_path), "config", "show")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1
    assert (
        invoke("--home", str(tmp_path), "config", "set", "notify", "json://127.0.0.1:9/a").exit_code == 2
    )  # would add to a string
    assert invoke("--home", str(tmp_path), "config", "unset", "notify").exit_code == 0
    assert invoke("--home", str(tmp_path), "config", "set", "region", "GB").exit_code == 0  # overwrites the bad value
    assert invoke("--home", str(tmp_path), "config", "show").exit_code == 0


def test_concurrent_sets_all_land(tmp_path: Path) -> None:
    """Several processes adding notification URLs at once (scripts, two terminals): none is lost."""
    home = tmp_path / "home"
    writers, each = 4, 25
    script = (
        "import sys; from pathlib import Path; from optout.home.user_config import UserConfig\n"
        f"for i in range({each}): UserConfig(Path(sys.argv[1])).set('notify', f'json://127.0.0.1:9/{{sys.argv[2]}}-{{i}}')"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(home), str(n)]) for n in range(writers)]
    assert [p.wait(timeout=120) for p in procs] == [0] * writers
    urls = UserConfig(home).get("notify")
    assert sorted(urls) == sorted(f"json://127.0.0.1:9/{n}-{i}" for n in range(writers) for i in range(each))


def test_sessions_from_names_a_browser(tmp_path: Path) -> None:
    """`sessions.from` is checked as `login --from-browser` checks its browser, and is no per-resource list."""
    res = invoke("--home", str(tmp_path), "config", "set", "sessions.from", "Firefox:work")
    assert res.exit_code == 0, res.stderr
    assert UserConfig(tmp_path).get("sessions.from") == "firefox:work"
    assert "sessions.from" not in UserConfig(tmp_path).resources()
    res = invoke("--home", str(tmp_path), "config", "set", "sessions.from", "safari")
    assert res.exit_code == 2 and res.stderr.startswith("optout: sessions.from: unknown browser 'safari'")
    assert res.stderr.count("\n") == 1
