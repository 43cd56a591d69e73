"""Reading the files a user points optout at (recipe files, cookie exports): regular files only,
and never more than a bound.

`--cookies /dev/zero` would otherwise read until memory runs out and a FIFO would block forever;
both are refused before a byte is read. The file is opened without blocking and checked on the
open descriptor, so what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from optout.errors import UsageError


def read_input(path: Path, limit: int, what: str, *, missing: str = "no such file") -> bytes:
    """The bytes of the regular file at path, at most `limit` of them; UsageError naming the file
    and saying why otherwise (`what` names the kind of file expected, e.g. "cookie file")."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UsageError(f"{path}: {missing}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{path}: is a directory, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{path}: not a regular file (a device or a pipe?), not a {what}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UsageError(f"{path}: more than {limit} bytes is too big for a {what}; is it the right file?")
        return b"".join(chunks)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
