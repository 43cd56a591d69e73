"""Private files under the home directory: mode 700 directories, mode 600 files, atomic writes.

Sessions hold live login cookies, so nothing here is ever group- or world-readable, and a crash
mid-write must never leave a truncated file behind (the old one stays until the new one is whole).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from optout.errors import UsageError


def private_dir(path: Path) -> Path:
    """Create path (and parents) if needed and make sure it is mode 700.

    Every directory created here is mode 700, not only the last one: `mkdir(parents=True, mode=...)`
    gives the parents it creates the umask's default (755), so HOME/receipts/meta/default would
    leave receipts/ and meta/ readable by everyone. Ancestors that already existed are left as they
    are (HOME's own parent is the user's business); `path` itself is tightened even if it existed."""
    missing = []
    folder = path
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by another process: it tightens its own, and `path` is checked below
        folder.chmod(0o700)  # mkdir's mode is masked by the umask
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace path with data, mode 600: temp file in the same dir, fsync, rename."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(f"{path} is damaged (not JSON); delete it or {fix}") from None
