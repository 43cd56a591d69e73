"""Account names: which of the user's accounts on a platform a session and its results belong to.

Apart from the session store, so that the command line can check an --account value (on every
start, for every command's options) without loading the store and, through it, the result models.
"""

from __future__ import annotations

import re

from optout.errors import UsageError

ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_ACCOUNT = "default"


def check_account(account: str) -> str:
    """Account names become file names: keep them to a safe alphabet."""
    if not ACCOUNT_RE.match(account):
        raise UsageError(f"account {account!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return account
