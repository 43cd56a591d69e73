"""The session store and the commands around it that need no browser: private files, atomic
writes, domain filtering, accounts kept apart, and no cookie value in any output."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home import sessions as sessions_mod
from optout.home.sessions import SessionStore, after_run, check_account, login_storage, session_expiry
from optout.results import login_command

SECRET = "s3cr3t-VALUE-never-printed"
LINKEDIN = ["linkedin.com"]


def cookie(name: str, domain: str, value: str = SECRET, expires: float = -1) -> dict[str, object]:
    return {
        "name": name,
        "value": value,
        "domain": domain,
        "path": "/",
        "expires": expires,
        "httpOnly": True,
        "secure": True,
        "sameSite": "Lax",
    }


def state(*cookies: dict[str, object], origins: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {"cookies": list(cookies), "origins": origins or []}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def netscape_file(tmp_path: Path, *rows: tuple[str, str]) -> Path:
    lines = ["# Netscape HTTP Cookie File"] + [f"{d}\tTRUE\t/\tTRUE\t1900000000\t{n}\t{SECRET}" for d, n in rows]
    path = tmp_path / "cookies.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- the store ------------------------------------------------------------------------------------


def test_save_is_private_and_keeps_only_the_platforms_cookies(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = SessionStore(home)
    kept = store.save(
        "linkedin",
        LINKEDIN,
        state(
            cookie("li_at", ".linkedin.com"),
            cookie("JSESSIONID", "www.linkedin.com"),
            cookie("auth_token", ".x.com"),
            cookie("evil", "notlinkedin.com"),
            origins=[
                {"origin": "https://www.linkedin.com", "localStorage": []},
                {"origin": "https://x.com", "localStorage": []},
            ],
        ),
    )
    assert kept == 2
    saved = store.load("linkedin")
    assert [c["name"] for c in saved["cookies"]] == ["li_at", "JSESSIONID"]
    assert [o["origin"] for o in saved["origins"]] == ["https://www.linkedin.com"]
    for folder in (home, home / "sessions", home / "sessions" / "linkedin"):
        assert mode(folder) == 0o700, folder
    for file in (store.path("linkedin"), store.path("linkedin").with_name("default.meta.json")):
        assert mode(file) == 0o600, file
    assert sorted(p.name for p in (home / "sessions" / "linkedin").iterdir()) == ["default.json", "default.meta.json"]


def test_loosened_permissions_are_tightened_before_reading(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save("x", ["x.com"], state(cookie("auth_token", ".x.com")))
    (tmp_path / "sessions").chmod(0o755)
    (tmp_path / "sessions" / "x").chmod(0o777)
    store.path("x").chmod(0o644)
    assert store.load("x") is not None
    assert mode(tmp_path / "sessions") == 0o700
    assert mode(tmp_path / "sessions" / "x") == 0o700
    assert mode(store.path("x")) == 0o600


def test_a_crash_mid_write_leaves_the_old_session_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SessionStore(tmp_path)
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "old")))

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "new")))
    monkeypatch.undo()
    assert store.load("linkedin")["cookies"][0]["value"] == "old"
    assert not [p for p in (tmp_path / "sessions" / "linkedin").iterdir() if p.name.endswith(".tmp")]


def test_load_refilters_a_hand_edited_session(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.path("linkedin").parent.mkdir(parents=True)
    mixed = state(cookie("li_at", ".linkedin.com"), cookie("xs", ".facebook.com"))
    store.path("linkedin").write_text(json.dumps(mixed))
    assert [c["name"] for c in store.load("linkedin", domains=LINKEDIN)["cookies"]] == ["li_at"]
    assert len(store.load("linkedin")["cookies"]) == 2  # without domains: the file as it is


def test_damaged_session_names_the_fix(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.path("linkedin", "work").parent.mkdir(parents=True)
    store.path("linkedin", "work").write_text('{"cookies": [')
    with pytest.raises(UsageError, match="optout login linkedin --account work"):
        store.load("linkedin", "work")


@pytest.mark.parametrize(
    "content",
    [
        {"cookies": ["x"]},
        {"cookies": SECRET},
        {"cookies": [{"name": "li_at", "value": 5, "domain": ".linkedin.com"}]},
        {"cookies": [{"name": "li_at", "value": SECRET}]},
        {"cookies": [], "origins": [SECRET]},
        {"cookies": [], "origins": [{"origin": "https://www.linkedin.com", "localStorage": [{"name": SECRET}]}]},
        {"cookies": None},
        [SECRET],
    ],
)
def test_a_session_of_the_wrong_shape_is_damaged_not_a_crash(tmp_path: Path, content: object) -> None:
    store = SessionStore(tmp_path)
    store.path("linkedin").parent.mkdir(parents=True)
    store.path("linkedin").write_text(json.dumps(content))
    for domains in (None, LINKEDIN):
        with pytest.raises(UsageError, match="session .* is damaged .*optout login linkedin") as info:
            store.load("linkedin", domains=domains)
        assert SECRET not in str(info.value)


def test_a_session_that_is_not_json_names_the_file_not_its_content(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.path("linkedin").parent.mkdir(parents=True)
    store.path("linkedin").write_text(f'{{"cookies": [{{"value": "{SECRET}"')
    with pytest.raises(UsageError) as info:
        store.load("linkedin")
    assert str(store.path("linkedin")) in str(info.value) and SECRET not in str(info.value)
    store._meta_path("linkedin", "default").write_text("{")  # damaged bookkeeping never blocks anything
    assert store.meta("linkedin") == {}


def test_a_write_back_with_nothing_rotated_leaves_the_session_file_alone(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "v1")))
    before = store.path("linkedin").stat()
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "v1")), saved=False, valid=True)
    after = store.path("linkedin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rewritten
    assert store.meta("linkedin")["last_valid"] is True


def test_rotation_write_back_keeps_saved_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SessionStore(tmp_path)
    clock = iter(datetime(2026, 1, day, tzinfo=UTC) for day in range(1, 10))
    monkeypatch.setattr(sessions_mod, "now", lambda: next(clock))
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "v1")))  # day 1
    store.record_check("linkedin", "default", False)  # day 2
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "v2")), saved=False)  # day 3
    meta = store.meta("linkedin")
    assert (meta["saved_at"][:10], meta["last_used"][:10], meta["last_valid"]) == ("2026-01-01", "2026-01-03", False)
    assert store.load("linkedin")["cookies"][0]["value"] == "v2"
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "v3")))  # day 4: a new login
    assert store.meta("linkedin")["saved_at"][:10] == "2026-01-04"
    assert "last_valid" not in store.meta("linkedin")


def test_accounts_are_kept_apart(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "me")))
    store.save("linkedin", LINKEDIN, state(cookie("li_at", ".linkedin.com", "work")), "work")
    store.record_check("linkedin", "work", True)
    assert store.accounts("linkedin") == ["default", "work"]
    assert store.load("linkedin")["cookies"][0]["value"] == "me"
    assert store.load("linkedin", "work")["cookies"][0]["value"] == "work"
    assert [(e.platform, e.account, e.last_valid) for e in store.entries()] == [
        ("linkedin", "default", None),
        ("linkedin", "work", True),
    ]
    assert store.delete("linkedin", "work") and not store.delete("linkedin", "work")
    assert store.accounts("linkedin") == ["default"]
    assert store.delete("linkedin") and store.platforms() == []


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "a b", "x" * 65])
def test_account_names_stay_file_names(bad: str) -> None:
    with pytest.raises(UsageError):
        check_account(bad)


def test_login_command_and_expiry() -> None:
    assert login_command("x") == "optout login x"
    assert login_command("x", "work") == "optout login x --account work"
    st = state(cookie("li_at", ".linkedin.com", expires=1900000000), cookie("other", ".linkedin.com", expires=1000))
    assert session_expiry(st, ["li_at"]) == datetime.fromtimestamp(1900000000, UTC)
    assert session_expiry(state(cookie("li_at", ".linkedin.com")), ["li_at"]) is None


# --- the commands, without a browser --------------------------------------------------------------


def test_import_without_check_stores_only_the_platform(cli, home: Path, tmp_path: Path) -> None:
    file = netscape_file(tmp_path, (".linkedin.com", "li_at"), (".x.com", "auth_token"), (".google.com", "SID"))
    run = cli("login", "linkedin", "--cookies", str(file), "--no-check", "--account", "work")
    assert run.exit_code == 0, run.stderr
    assert "1 LinkedIn cookies, 2 of other sites dropped" in run.stdout
    store = SessionStore(home)
    assert [c["name"] for c in store.load("linkedin", "work")["cookies"]] == ["li_at"]
    assert not store.exists("linkedin") and not store.exists("x", "work")
    assert SECRET not in run.stdout + run.stderr


def test_sessions_lists_without_values_then_logout(cli, home: Path, tmp_path: Path) -> None:
    file = netscape_file(tmp_path, (".x.com", "auth_token"))
    assert cli("login", "x", "--cookies", str(file), "--no-check").exit_code == 0
    table = cli("sessions")
    assert table.exit_code == 0 and "x " in table.stdout and "2030-03-17" in table.stdout  # session cookie expiry
    listed = cli("sessions", "--json")
    assert SECRET not in listed.stdout + table.stdout
    [entry] = json.loads(listed.stdout)
    assert {k: entry[k] for k in ("platform", "account", "last_valid")} == {
        "platform": "x",
        "account": "default",
        "last_valid": None,
    }
    assert entry["saved_at"] and entry["last_used"]
    assert cli("logout", "x").exit_code == 0
    again = cli("logout", "x")
    assert again.exit_code == 0 and "nothing to delete" in again.stdout
    assert json.loads(cli("sessions", "--json").stdout) == []


def test_sessions_lists_a_damaged_session_as_damaged_and_the_others_as_usual(cli, home: Path, tmp_path: Path) -> None:
    file = netscape_file(tmp_path, (".x.com", "auth_token"), (".linkedin.com", "li_at"))
    assert cli("login", "x", "--cookies", str(file), "--no-check").exit_code == 0
    assert cli("login", "linkedin", "--cookies", str(file), "--no-check", "--account", "work").exit_code == 0
    store = SessionStore(home)
    store.path("linkedin", "work").write_text(json.dumps({"cookies": [SECRET]}))
    table = cli("sessions")
    assert table.exit_code == 0, table
    rows = {line.split()[0]: line for line in table.stdout.splitlines()[1:]}
    assert rows["linkedin"].rstrip().endswith("DAMAGED") and "2030-03-17" in rows["x"]
    assert "optout login linkedin --account work" in table.stderr
    listed = cli("sessions", "--json")
    assert listed.exit_code == 0
    entries = {e["platform"]: e for e in json.loads(listed.stdout)}
    assert "is damaged" in entries["linkedin"]["damaged"] and entries["linkedin"]["expires"] is None
    assert entries["x"]["damaged"] is None and entries["x"]["expires"].startswith("2030-03-17")
    assert SECRET not in table.stdout + table.stderr + listed.stdout + listed.stderr
    store.path("linkedin", "work").write_text("{")  # not JSON at all
    assert "DAMAGED" in cli("sessions").stdout


def test_listing_sessions_changes_no_file_mode(cli, home: Path, tmp_path: Path) -> None:
    file = netscape_file(tmp_path, (".x.com", "auth_token"))
    assert cli("login", "x", "--cookies", str(file), "--no-check").exit_code == 0
    path = SessionStore(home).path("x")
    path.chmod(0o644)
    path.parent.chmod(0o755)
    assert cli("sessions").exit_code == 0 and cli("sessions", "--json").exit_code == 0
    assert (mode(path), mode(path.parent)) == (0o644, 0o755)  # only a real use tightens them
    SessionStore(home).load("x")
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)


def test_account_from_environment(cli, home: Path, tmp_path: Path) -> None:
    file = netscape_file(tmp_path, (".x.com", "auth_token"))
    assert cli("login", "x", "--cookies", str(file), "--no-check", env={"OPTOUT_ACCOUNT": "alt"}).exit_code == 0
    assert SessionStore(home).accounts("x") == ["alt"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["login", "linkedn"], 'did you mean "linkedin"'),
        (["logout", "twiter", "--account", "a"], "unknown platform"),
        (["login", "x", "--account", "../x"], "--account"),
        (["login", "x", "--cookies", "A", "--storage-state", "B"], "either --cookies or --storage-state"),
        (["login", "x", "--cookies", "{bad}", "--no-check"], "cookies.txt:2: expected 7 tab-separated fields"),
        (["login", "x", "--cookies", "{other}", "--no-check"], "none of its 1 cookies belong to X (Twitter)"),
        (["login", "x", "--cookies", "/nonexistent/c.txt"], "no such file"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(cli, home: Path, tmp_path: Path, args: list[str], expected: str) -> None:
    bad = tmp_path / "cookies.txt"
    bad.write_text(f"# Netscape HTTP Cookie File\n.x.com TRUE / TRUE 0 auth_token {SECRET}\n")
    other = tmp_path / "other.txt"
    other.write_text(f".facebook.com\tTRUE\t/\tTRUE\t0\txs\t{SECRET}\n")
    run = cli(*[a.replace("{bad}", str(bad)).replace("{other}", str(other)) for a in args])
    assert run.exit_code == 2
    assert expected in run.stderr + run.stdout
    assert SECRET not in run.stderr + run.stdout
    assert not (home / "sessions").exists() or SessionStore(home).platforms() == []


def test_no_display_exits_3_and_points_to_import(cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    run = cli("login", "linkedin")
    assert run.exit_code == 3
    assert "no display" in run.stderr and "optout login linkedin --cookies cookies.txt" in run.stderr


def test_real_executable(home: Path, tmp_path: Path) -> None:
    """The installed `optout` script, as cron would run it."""
    file = netscape_file(tmp_path, (".linkedin.com", "li_at"))
    exe = Path(sys.executable).with_name("optout")
    env = {**os.environ, "OPTOUT_HOME": str(home)}
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [str(exe), "login", "linkedin", "--cookies", str(file), "--no-check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([str(exe), "sessions", "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert [e["platform"] for e in json.loads(listed.stdout)] == ["linkedin"]
    assert SECRET not in done.stdout + done.stderr + listed.stdout + listed.stderr
    no_screen = subprocess.run([str(exe), "login", "x"], capture_output=True, text=True, env=env, timeout=60)
    assert no_screen.returncode == 3 and "--cookies" in no_screen.stderr


def _github(user: str, token: str, expires: float) -> dict[str, object]:
    cookies = [("user_session", token), ("dotcom_user", user)]
    return {
        "cookies": [
            {"name": n, "value": v, "domain": "github.com", "path": "/", "expires": expires} for n, v in cookies
        ],
        "origins": [],
    }


def test_the_owner_is_recorded_at_save_and_a_new_session_forgets_the_old_one(tmp_path: Path) -> None:
    from optout.home.sessions import session_owner

    store = SessionStore(tmp_path)
    owner = session_owner(_github("ada", "t1", 2e9), "dotcom_user", ["github.com"])
    assert owner == {"cookie": "dotcom_user", "value": "ada"}
    assert session_owner(_github("ada", "t1", 2e9), None, ["github.com"]) is None
    store.save("github", ["github.com"], _github("ada", "t1", 2e9), owner=owner)
    assert store.owner("github") == owner
    store.save("github", ["github.com"], _github("ada", "t1", 2e9), saved=False, valid=True)  # a run's write-back
    assert store.owner("github") == owner
    store.save("github", ["github.com"], _github("ada", "t2", 2e9))
    assert store.owner("github") is None


@pytest.mark.parametrize(
    ("platform", "imported", "owner", "why"),
    [
        ("github", _github("ada", "new", 2.1e9), {"cookie": "dotcom_user", "value": "ada"}, None),
        ("github", _github("bob", "new", 2.1e9), {"cookie": "dotcom_user", "value": "ada"}, "another account"),
        ("github", _github("ada", "new", 2.1e9), None, "no account was recorded"),
        ("github", _github("ada", "old", 2e9), {"cookie": "dotcom_user", "value": "ada"}, "the same GitHub Copilot"),
        ("github", _github("ada", "new", 1.9e9), {"cookie": "dotcom_user", "value": "ada"}, "older than the stored"),
        ("linkedin", _github("ada", "new", 2.1e9), None, "says which account"),
    ],
)
def test_a_refresh_takes_only_a_newer_session_of_the_same_account(
    platform: str, imported: dict[str, object], owner: dict[str, str] | None, why: str | None
) -> None:
    from optout.engine.session_refresh import refusal
    from optout.recipes.catalogue import load_catalogue

    p = load_catalogue().platforms[platform]
    said = refusal(p, _github("ada", "old", 2e9), imported, owner)
    assert (said is None) if why is None else (why in said and "ada" not in said and "new" not in said), said


def test_a_run_keeps_its_newest_cookies_and_never_the_storage_a_page_wrote() -> None:
    """A page that cached a state during a failed change must not have the next run read that
    cache: the session saved after a run holds the browser's cookies and the login's storage."""
    login = {"origins": [{"origin": "https://chat.example", "localStorage": [{"name": "token", "value": "t"}]}]}
    loaded = {"cookies": [{"name": "sid", "value": "old"}], **login}
    newest = [{"name": "sid", "value": "rotated"}]
    assert after_run(loaded, newest) == {"cookies": newest, **login}
    assert login_storage(loaded) == {"cookies": [], **login}
