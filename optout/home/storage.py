"""Private files under the home directory: mode 700 directories, mode 600 files, atomic writes.

Sessions hold live login cookies, so nothing here is ever group- or world-readable, and a crash
mid-write must never leave a truncated file behind (the old one stays until the new one is whole).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from optout.errors import UsageError


def check_own(path: Path, *, directory: bool = False) -> os.stat_result | None:
    """The status of path when it is optout's to use, None when it does not exist; UsageError
    when it is a symbolic link, belongs to another user, or is not the kind expected.

    The one check every file and folder of the home goes through. In a folder others can write to
    (a shared or world-writable home), a planted `.lock` or `history.db` link would make optout
    truncate or write some other file; a file of another user could be read as optout's state."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise UsageError(f"{path}: a part of this path is a file, not a directory") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot use it: {exc.strerror}") from None
    return _checked(path, info, directory=directory)


def _checked(path: Path, info: os.stat_result, *, directory: bool) -> os.stat_result:
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{path} is a symbolic link; optout follows no links in its home: remove it")
    if info.st_uid != os.geteuid():
        raise UsageError(f"{path} belongs to another user; optout uses only files of its own: move it away")
    if directory and not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path} is not a directory")
    if not directory and not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise UsageError(f"{path} is {kind}, where optout keeps a file: move it away")
    return info


def open_private(path: Path, flags: int, *, tighten: bool = False) -> int:
    """os.open for a state file, without following a link (O_NOFOLLOW), created mode 600 (with
    O_CREAT) and checked on the open descriptor (owner, a regular file) before any byte is read
    or written; with `tighten`, a looser mode goes back to 600. UsageError (one line) when refused."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{path} is a symbolic link; optout follows no links in its home: remove it") from None
        if exc.errno == errno.EISDIR:
            raise UsageError(f"{path} is a directory, where optout keeps a file: move it away") from None
        if exc.errno == errno.ENOTDIR:
            raise UsageError(f"{path}: a part of this path is a file, not a directory") from None
        if exc.errno == errno.ENOENT:
            raise
        raise UsageError(f"{path}: cannot open it: {exc.strerror}") from None
    try:
        info = _checked(path, os.fstat(fd), directory=False)
        if tighten and info.st_mode & 0o077:
            os.fchmod(fd, 0o600)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def private_dir(path: Path) -> Path:
    """Create path (and parents) if needed and make sure it is mode 700 and optout's own.

    Every directory created here is mode 700, not only the last one: `mkdir(parents=True, mode=...)`
    gives the parents it creates the umask's default (755), so HOME/receipts/meta/default would
    leave receipts/ and meta/ readable by everyone. Ancestors that already existed are left as they
    are (HOME's own parent is the user's business); `path` itself is checked (check_own) and
    tightened even if it existed."""
    missing = []
    folder = path
    while check_own(folder, directory=True) is None:
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            check_own(folder, directory=True)
            continue  # made meanwhile by another process: it tightens its own, and `path` is checked below
        except OSError as exc:
            raise UsageError(f"cannot create {folder}: {exc.strerror}") from None
        folder.chmod(0o700)  # mkdir's mode is masked by the umask
    info = check_own(path, directory=True)
    if info is not None and info.st_mode & 0o077:
        try:
            path.chmod(0o700)
        except OSError as exc:  # a read-only mount
            raise UsageError(f"cannot make {path} private (mode 700): {exc.strerror}") from None
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace path with data, mode 600: temp file in the same dir, fsync, rename.
    The rename replaces a link rather than writing through it; a link or a directory in the
    way is refused all the same (check_own), as are folders that are not optout's."""
    private_dir(path.parent)
    check_own(path)
    _replace(path, data)


def write_private_file(path: Path, data: bytes) -> None:
    """Atomically replace path with data, mode 600, at a place the user chose outside the home
    (`--html FILE`): their folder is used as it is (never tightened or required to be optout's,
    as write_private would). A directory in the file's place fails at the rename (OSError)."""
    _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    """Write data to a mode 600 temporary file beside path, fsync it, rename it over path."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write in {path.parent}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_json(path: Path, data: Any) -> None:
    write_private(path, (json.dumps(data, indent=2, default=str) + "\n").encode())


def read_json(path: Path, *, fix: str = "put back a good copy") -> Any | None:
    """The JSON in path, or None when the file does not exist.

    A file that is not JSON (truncated, overwritten, edited by hand) raises UsageError naming the
    file and `fix` (what else the user can do), never a traceback. The parser's own message is left
    out: a session file holds cookies, and no message may quote one. Callers still check the type."""
    try:
        fd = open_private(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise UsageError(f"{path} is damaged (not JSON); delete it or {fix}") from None
