"""A home that cannot be written: a read-only mount (a backup restored read-only, a container's
read-only volume) or a full disk.

- `config set` says so in one line, exit 2 (it was "internal error: OSError …/.config.lock", exit 3);
- `history` and `report`, which only read the home, still work: the history is read as it is,
  and the report's archive goes to a private folder of its own in the temporary directory;
- a receipt the full disk would not take is a warning of the run (exit 3), not lost in silence.

The file system refuses writes under the home here the way the kernel does (EROFS, ENOSPC on
every open for writing, mkdir, chmod, rename), for a test that runs unprivileged; the same
commands were also run on a real read-only bind mount (see the commit).
"""

from __future__ import annotations

import errno
import json
import os
import tarfile
from pathlib import Path

import pytest

from optout.home.history import History
from optout.results import Result, State, now

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def refuse_writes(monkeypatch: pytest.MonkeyPatch, under: Path, code: int = errno.EROFS) -> None:
    """Make every write under `under` fail with `code`, as a read-only mount or a full disk does."""
    real_open, real_mkdir, real_chmod, real_replace = os.open, os.mkdir, os.chmod, os.replace

    def inside(path: object) -> bool:
        return Path(os.fsdecode(path)).absolute().is_relative_to(under.absolute())  # type: ignore[arg-type]

    def refuse(path: object) -> None:
        raise OSError(code, os.strerror(code), os.fsdecode(path))  # type: ignore[arg-type]

    def open_(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if flags & WRITING and inside(path):
            refuse(path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def mkdir(path, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if inside(path):
            refuse(path)
        return real_mkdir(path, mode, dir_fd=dir_fd)

    def chmod(path, mode, **kw):  # type: ignore[no-untyped-def]
        if inside(path):
            refuse(path)
        return real_chmod(path, mode, **kw)

    def replace(src, dst, **kw):  # type: ignore[no-untyped-def]
        if inside(dst):
            refuse(dst)
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(os, "replace", replace)


def test_config_set_on_a_read_only_home_is_one_line(cli, home: Path, monkeypatch) -> None:
    assert cli("config", "set", "region", "DE").exit_code == 0
    refuse_writes(monkeypatch, home)
    run = cli("config", "set", "region", "GB")
    assert run.exit_code == 2, run
    assert run.stderr.count("\n") == 1 and "internal error" not in run.stderr
    assert "Read-only file system" in run.stderr and ".config.lock" in run.stderr
    assert "DE" in cli("config", "get", "region").stdout  # reading it still works


def test_history_and_report_read_a_read_only_home(cli, home: Path, monkeypatch) -> None:
    result = Result(
        platform="linkedin",
        setting="ai-training",
        title="Data for Generative AI Improvement",
        state=State.OPTED_IN,
        detail="read from the page",
        url="https://www.linkedin.com/",
        account="default",
        wanted=None,
        checked_at=now(),
    )
    with History(home) as history:
        history.record("status", [result])
    refuse_writes(monkeypatch, home)

    listed = cli("history", "--json")
    assert listed.exit_code == 0, listed
    assert [r["state"] for r in json.loads(listed.stdout)] == ["opted_in"]
    run = cli("report", "linkedin", "ai-training")
    assert run.exit_code == 0, run
    archive = Path(run.stdout.splitlines()[0])
    assert not archive.is_relative_to(home) and "could not be written" in run.stdout
    assert archive.stat().st_mode & 0o777 == 0o600 and archive.parent.stat().st_mode & 0o777 == 0o700
    with tarfile.open(archive) as tar:
        assert json.loads(tar.extractfile("result.json").read())["state"] == "opted_in"  # type: ignore[union-attr]


def test_a_receipt_the_full_disk_would_not_take_is_a_warning(log_in, cli, home: Path, replica, monkeypatch) -> None:
    log_in("linkedin")
    refuse_writes(monkeypatch, home / "receipts", errno.ENOSPC)
    run = cli("disable", "linkedin", "--json")
    [result] = json.loads(run.stdout)
    assert (result["state"], result["action"], result["evidence"]) == ("opted_out", "changed", None)
    assert replica.is_opted_out("linkedin", "ai-training")
    assert run.exit_code == 3  # as wanted, but the proof of it could not be kept
    assert "warning: the receipt of linkedin ai-training could not be saved" in run.stderr
    assert "No space left on device" in run.stderr
