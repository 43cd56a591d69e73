"""The layout of optout's home directory, spelled once.

Every module that reads or writes a file of the home asks here where it is, so that a new file, a
renamed folder or a question such as "what does optout keep?" has one place to look. The folder
itself (mode 700, no links followed) is made by optout.home.storage; nothing here touches the disk.
Only pathlib is imported: every command asks for a path, `optout --help` included.
"""

from __future__ import annotations

from pathlib import Path

SESSIONS = "sessions"  # one folder per platform, one storage-state file per account
HISTORY = "history.db"  # every result of every run (SQLite)
CONFIG = "config.json"  # what `optout config set` keeps
CONFIG_LOCK = ".config.lock"  # not config.json itself: each write replaces that file by a new one
RUN_LOCK = ".lock"  # held by a run or a login, so that two never write the same session
EVIDENCE = "evidence"  # screenshots and HTML of recent results, pruned (optout.engine.evidence)
RECEIPTS = "receipts"  # the proof of settings no page shows (a form sent), kept
REPORTS = "reports"  # `optout report`'s archives
RECIPES = "recipes"  # the installed catalogue update, its state and the trusted TUF metadata
LISTING = "platforms-listing.json"  # in the cache folder: the catalogue's listing, made again at will


def default_home() -> Path:
    """Where optout keeps its state when neither --home nor OPTOUT_HOME says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("optout", appauthor=False))


def cache_home() -> Path:
    """Where optout keeps what it can make again (Node's compiled code, the platforms listing): the
    user's cache folder, whatever --home says, since nothing there is the user's state."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("optout"))


def sessions_dir(home: Path) -> Path:
    return home / SESSIONS


def history_db(home: Path) -> Path:
    return home / HISTORY


def config_file(home: Path) -> Path:
    return home / CONFIG


def evidence_dir(home: Path) -> Path:
    return home / EVIDENCE


def receipts_dir(home: Path) -> Path:
    return home / RECEIPTS


def reports_dir(home: Path) -> Path:
    return home / REPORTS


def recipes_dir(home: Path) -> Path:
    return home / RECIPES


def listing_file() -> Path:
    return cache_home() / LISTING
