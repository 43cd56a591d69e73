"""Private files under the home directory: every directory optout creates is mode 700; damaged
JSON is a one-line UsageError naming the file, never a traceback; receipts of the wrong shape likewise."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.home.receipts import Receipts
from optout.home.storage import private_dir, read_json, write_json

SECRET = "s3cr3t-VALUE-never-printed"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which mkdir(parents=True, mode=0o700) made the parents 755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_every_directory_created_is_private(tmp_path: Path, umask_022: None) -> None:
    tmp_path.chmod(0o755)
    home = tmp_path / "home"
    deep = home / "receipts" / "meta" / "default"
    assert private_dir(deep) == deep
    for folder in (home, home / "receipts", home / "receipts" / "meta", deep):
        assert mode(folder) == 0o700, folder
    assert mode(tmp_path) == 0o755  # an ancestor that was there already is left alone


def test_existing_directories_keep_their_mode_except_the_target(tmp_path: Path, umask_022: None) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    target = shared / "mine"
    target.mkdir(mode=0o755)
    private_dir(target / "a" / "b")
    assert (mode(shared), mode(target), mode(target / "a"), mode(target / "a" / "b")) == (0o755, 0o755, 0o700, 0o700)
    private_dir(target)
    assert mode(target) == 0o700  # the directory asked for is tightened even when it existed


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="not a directory"):
        private_dir(tmp_path / "file" / "below")


def test_receipts_and_their_parents_are_private(tmp_path: Path, umask_022: None) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    Receipts(home).record("meta", "default", "ai-objection", {"filed_at": "2026-01-01"})
    for folder in (home / "receipts", home / "receipts" / "meta", home / "receipts" / "meta" / "default"):
        assert mode(folder) == 0o700, folder
    assert mode(home / "receipts" / "meta" / "default" / "ai-objection.json") == 0o600


@pytest.mark.parametrize("content", [b'{"cookies": [', b"\xff\xfe not text", b"", f"{SECRET}".encode()])
def test_damaged_json_names_the_file_and_never_its_content(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(UsageError, match="is damaged \\(not JSON\\); delete it or put back a good copy") as info:
        read_json(path)
    assert str(path) in str(info.value) and SECRET not in str(info.value)
    with pytest.raises(UsageError, match="delete it or do this"):
        read_json(path, fix="do this")


def test_missing_json_is_none(tmp_path: Path) -> None:
    assert read_json(tmp_path / "nope.json") is None
    write_json(tmp_path / "yes.json", {"a": 1})
    assert read_json(tmp_path / "yes.json") == {"a": 1}


@pytest.mark.parametrize("content", ["[1, 2]", '"text"', "{", "null"])
def test_damaged_receipt_is_a_usage_error(tmp_path: Path, content: str) -> None:
    receipts = Receipts(tmp_path)
    receipts.record("meta", "default", "ai-objection", {"filed_at": "2026-01-01"})
    path = tmp_path / "receipts" / "meta" / "default" / "ai-objection.json"
    path.write_text(content)
    if content == "null":  # JSON null is as good as no receipt
        assert receipts.get("meta", "default", "ai-objection") is None
        return
    with pytest.raises(UsageError, match=f"{path} is damaged"):
        receipts.get("meta", "default", "ai-objection")


def test_good_receipt_round_trips(tmp_path: Path) -> None:
    receipts = Receipts(tmp_path)
    assert receipts.get("meta", "default", "ai-objection") is None
    receipts.record("meta", "default", "ai-objection", {"filed_at": "2026-01-01"})
    assert receipts.get("meta", "default", "ai-objection") == {"filed_at": "2026-01-01"}
    assert json.loads((tmp_path / "receipts" / "meta" / "default" / "ai-objection.json").read_text())
