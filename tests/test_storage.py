"""Private files under the home directory: damaged JSON is a one-line UsageError naming the file,
never a traceback; receipts of the wrong shape likewise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optout.errors import UsageError
from optout.receipts import Receipts
from optout.storage import read_json, write_json

SECRET = "s3cr3t-VALUE-never-printed"


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
