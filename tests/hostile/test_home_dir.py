"""A hostile home directory: what someone with write access to it (a shared or world-writable
folder) may have planted there. Each is refused with one line and exit 2, and nothing is read,
truncated, chmod-ed or written through it:

- a symbolic link in place of the home, `.lock`, `history.db` (or its -wal file), a session,
  `config.json`, a receipt or the evidence folder;
- a state file or folder that belongs to another user;
- a state file that is a directory, and a home that is a file;
- a folder optout may not read (permission denied).

An existing home that is too open is still tightened to mode 700.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home.history import History
from optout.home.receipts import Receipts
from optout.home.sessions import SessionStore

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a file of another user here")
not_root = pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes past permissions")


@pytest.fixture
def open_home(home: Path) -> Path:
    """A pre-existing world-writable home, as in a shared folder."""
    home.mkdir()
    home.chmod(0o777)
    return home


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    """A file of the user's elsewhere that a planted link points at."""
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    target.chmod(0o644)
    return target


def one_line_exit_2(run, *phrases: str) -> None:
    assert run.exit_code == 2, run
    assert run.stderr.count("\n") == 1, run.stderr
    for phrase in phrases:
        assert phrase in run.stderr, run.stderr


def untouched(target: Path) -> None:
    assert target.read_text() == "keep me\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_planted_lock_link_is_refused_and_its_target_kept(cli, open_home: Path, precious: Path) -> None:
    (open_home / ".lock").symlink_to(precious)
    one_line_exit_2(cli("logout", "x"), ".lock is a symbolic link")
    untouched(precious)


def test_a_planted_history_link_is_refused_and_nothing_written_through_it(
    cli, open_home: Path, precious: Path, tmp_path: Path
) -> None:
    (open_home / "history.db").symlink_to(precious)
    one_line_exit_2(cli("history"), "history.db is a symbolic link")
    untouched(precious)
    (open_home / "history.db").unlink()
    (open_home / "history.db").symlink_to(tmp_path / "elsewhere.db")  # dangling: O_CREAT would make it
    with pytest.raises(UsageError, match="history.db is a symbolic link"):
        History(open_home)
    assert not (tmp_path / "elsewhere.db").exists()


def test_a_planted_wal_link_is_refused(cli, open_home: Path, tmp_path: Path) -> None:
    History(open_home).close()
    (open_home / "history.db-wal").symlink_to(tmp_path / "elsewhere-wal")
    one_line_exit_2(cli("history"), "history.db-wal is a symbolic link")
    assert not (tmp_path / "elsewhere-wal").exists()


def test_a_planted_session_link_is_neither_read_nor_chmod_ed(open_home: Path, precious: Path) -> None:
    folder = open_home / "sessions" / "x"
    folder.mkdir(parents=True)
    (folder / "default.json").symlink_to(precious)
    for tighten in (True, False):
        with pytest.raises(UsageError, match="default.json is a symbolic link"):
            SessionStore(open_home).load("x", tighten=tighten)
    untouched(precious)


def test_a_planted_config_link_is_refused(cli, open_home: Path, precious: Path) -> None:
    (open_home / "config.json").symlink_to(precious)
    one_line_exit_2(cli("config", "show"), "config.json is a symbolic link")
    one_line_exit_2(cli("config", "set", "region", "GB"), "config.json is a symbolic link")
    untouched(precious)


def test_planted_receipt_and_evidence_folder_links_are_refused(open_home: Path, tmp_path: Path) -> None:
    (tmp_path / "theirs").mkdir()
    (open_home / "receipts").symlink_to(tmp_path / "theirs")
    with pytest.raises(UsageError, match="receipts is a symbolic link"):
        Receipts(open_home).record("meta", "default", "ai", {"filed_at": "2026-01-01"})
    assert not any((tmp_path / "theirs").iterdir())


def test_a_home_that_is_a_link_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    one_line_exit_2(cli("--home", str(tmp_path / "link"), "config", "show"), "is a symbolic link")


def test_an_existing_open_home_is_tightened(cli, open_home: Path) -> None:
    assert cli("config", "set", "region", "GB").exit_code == 0
    assert stat.S_IMODE(open_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((open_home / "config.json").stat().st_mode) == 0o600


@needs_root
def test_state_of_another_user_is_refused(cli, open_home: Path) -> None:
    config = open_home / "config.json"
    config.write_text("{}")
    os.chown(config, 65534, 65534)
    one_line_exit_2(cli("config", "show"), "belongs to another user")
    os.chown(open_home, 65534, 65534)
    one_line_exit_2(cli("config", "show"), "belongs to another user")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (".lock", ["logout", "x"]),
        ("history.db", ["history"]),
        ("config.json", ["config", "show"]),
        ("sessions/x/default.meta.json", ["logout", "x"]),
    ],
)
def test_a_state_file_that_is_a_directory_is_one_line(cli, home: Path, name: str, args: list[str]) -> None:
    (home / name).mkdir(parents=True)
    if name.startswith("sessions"):
        (home / "sessions" / "x" / "default.json").write_text("{}")
    one_line_exit_2(cli(*args), "is a directory")


def test_a_session_file_that_is_a_directory_is_one_line(home: Path) -> None:
    (home / "sessions" / "x" / "default.json").mkdir(parents=True)
    with pytest.raises(UsageError, match="is a directory"):
        SessionStore(home).load("x")


def test_a_home_that_is_a_file_is_one_line(cli, home: Path) -> None:
    home.write_text("not a folder")
    one_line_exit_2(cli("config", "show"), "is not a directory")
    one_line_exit_2(cli("history"), "is not a directory")


@not_root
def test_a_home_optout_may_not_read_is_one_line(cli, home: Path) -> None:
    home.mkdir()
    (home / "config.json").write_text("{}")
    home.chmod(0)
    try:
        one_line_exit_2(cli("config", "show"), "Permission denied")
    finally:
        home.chmod(0o700)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_a_home_the_system_will_not_create_is_one_line(cli) -> None:
    """What root meets instead of "permission denied": sysfs refuses new folders even to root."""
    one_line_exit_2(cli("--home", "/sys/optout-hostile", "config", "set", "region", "GB"), "cannot create")
