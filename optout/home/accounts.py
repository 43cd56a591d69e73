"""Account names: which of the user's accounts on a platform a session and its results belong to,
and where the sessions of the accounts are kept.

Apart from the session store, so that the command line can check an --account value (on every
start, for every command's options), or whether any session is stored, without loading the store
and, through it, the result models.
"""

from __future__ import annotations

import re
from pathlib import Path

from optout.errors import UsageError
from optout.home import paths

ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_ACCOUNT = "default"


def check_account(account: str) -> str:
    """Account names become file names: keep them to a safe alphabet."""
    if not ACCOUNT_RE.match(account):
        raise UsageError(f"account {account!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return account


def sessions_dir(home: Path) -> Path:
    """The folder of the stored sessions: one folder per platform, a file per account."""
    return paths.sessions_dir(home)


def any_session(home: Path) -> bool:
    """Whether any platform has a stored session (or a folder for one): a run will likely open pages."""
    root = sessions_dir(home)
    try:
        return any(root.iterdir())
    except OSError:
        return False
