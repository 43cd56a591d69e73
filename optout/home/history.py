"""Every check optout made, kept in HOME/history.db so `history` can show it and `status` can
tell what changed since the previous run.

SQLite in WAL mode with one transaction per run: a run killed half-way (cron timeout, reboot,
Ctrl-C) leaves either all of its rows or none, and never damages the runs before it. A busy
timeout lets a reader (`optout history`) and a writer share the file without "database is
locked" errors. The file holds which settings a person has switched on or off, so it is private
like everything else in the home directory.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from optout.errors import OptoutError
from optout.exit_codes import ExitCode
from optout.home.paths import history_db
from optout.home.storage import check_own, open_private, private_dir
from optout.results import Discovery, Result, SettingRef, State, now

# Tables are only ever added (CREATE ... IF NOT EXISTS), which needs no new version: an older
# optout keeps reading a file a newer one added a table to. Bump only for a change it could not read.
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0

# States that mean optout never saw the setting's control this time (no session, a crash):
# they say nothing about the setting itself, so the previous *observation* is looked up past
# them. `not_found` is an observation (the page was there, the control was not) and counts.
UNOBSERVED = frozenset({State.NEEDS_LOGIN, State.ERROR})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    command TEXT NOT NULL,
    account TEXT
);
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    time TEXT NOT NULL,
    platform TEXT NOT NULL,
    account TEXT NOT NULL,
    setting TEXT NOT NULL,
    state TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    url TEXT,
    evidence TEXT
);
CREATE INDEX IF NOT EXISTS results_by_setting ON results (platform, account, setting, time);
CREATE INDEX IF NOT EXISTS results_by_time ON results (time);
CREATE TABLE IF NOT EXISTS discoveries (
    platform TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (platform, role, name)
);
"""


def iso(moment: datetime) -> str:
    """UTC, second precision, one fixed format: stored times then sort and compare as text.
    A naive datetime is taken as local time, which is what a person typing a date means."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def unusable(path: Path, exc: sqlite3.DatabaseError) -> str:
    """Why the history database cannot be used, in the user's terms: SQLite reports a full disk
    and a read-only file as errors of the database, which are not a damaged database."""
    message = str(exc)
    if "full" in message:
        return f"history database {path} cannot be written: the disk is full"
    if "readonly" in message or "read-only" in message:
        return f"history database {path} cannot be written: it is read-only"
    return f"history database {path} is unreadable: {message}"


class History:
    """The history database of one home directory. Open one per process and close it (or use it
    as a context manager); SQLite itself arbitrates between processes."""

    @classmethod
    def reading(cls, home: Path) -> History:
        """The history for commands that only read it (`history`, `report`): opened as usual, or,
        when the home cannot be written (a read-only mount, a full disk), read-only as it is."""
        try:
            return cls(home)
        except (OptoutError, sqlite3.Error, OSError) as exc:
            if check_own(history_db(home)) is None:
                raise
            try:
                return cls(home, read_only=True)
            except (sqlite3.Error, OSError):
                raise exc from None

    def __init__(self, home: Path, *, busy_timeout: float = BUSY_TIMEOUT_S, read_only: bool = False) -> None:
        self.path = history_db(home)
        self._own_runs: list[int] = []
        if read_only:
            self._db = _read_only(self.path)
            self._db.row_factory = sqlite3.Row
            return
        private_dir(home)
        self.path = history_db(home)
        _create_private(self.path)
        # isolation_level=None: no implicit transactions; record() opens and ends its own.
        self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        self._db.execute("PRAGMA foreign_keys = ON")
        try:
            self._enable_wal(busy_timeout)
            # NORMAL is durable across application crashes in WAL mode; only a power cut can
            # lose the last committed run, never corrupt earlier ones.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise OptoutError(unusable(self.path, exc), exit_code=ExitCode.UNDETERMINED) from None
        # Runs this object wrote (self._own_runs): previous() looks only at earlier ones, so
        # callers may record before or after asking for the previous state.

    def _enable_wal(self, busy_timeout: float) -> None:
        """Switch to WAL, retrying within the busy timeout: SQLite answers "locked" at once,
        without its busy handler, when another connection opens the new database meanwhile."""
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OptoutError(
                    f"history database {self.path} was written by a newer optout; upgrade optout",
                    exit_code=ExitCode.USAGE,
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so
        two writers queue instead of failing half-way through a run."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(self, command: str, results: Iterable[Result], *, account: str | None = None) -> int:
        """Store one run and all its results atomically; return the run's id.

        `account` is the run's account when it was given; by default it is the results'
        account when they all share one, else empty (a run over several accounts)."""
        results = list(results)
        if account is None:
            accounts = {r.account for r in results}
            account = accounts.pop() if len(accounts) == 1 else None
        started = min((r.checked_at for r in results), default=now())
        with self._transaction() as db:
            run_id = db.execute(
                "INSERT INTO runs (started_at, command, account) VALUES (?, ?, ?)",
                (iso(started), command, account),
            ).lastrowid
            assert run_id is not None
            for result in results:
                self._insert(db, run_id, result)
        self._own_runs.append(run_id)
        return run_id

    @staticmethod
    def _insert(db: sqlite3.Connection, run_id: int, r: Result) -> None:
        db.execute(
            "INSERT INTO results (run_id, time, platform, account, setting, state, action, detail, url,"
            " evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                iso(r.checked_at),
                r.platform,
                r.account,
                r.ref.key,
                r.state.value,
                r.action.value,
                r.detail,
                r.url,
                r.evidence,
            ),
        )

    def previous(self, ref: SettingRef) -> tuple[State, datetime] | None:
        """The state this setting was last observed in by an earlier run, and when; None if it
        never was. Runs recorded through this object do not count, nor do results that saw
        nothing (needs_login, error)."""
        own = ",".join(str(i) for i in self._own_runs) or "0"
        row = self._db.execute(
            "SELECT state, time FROM results WHERE platform = ? AND account = ? AND setting = ?"
            f" AND state NOT IN ({','.join('?' * len(UNOBSERVED))}) AND run_id NOT IN ({own})"
            " ORDER BY time DESC, id DESC LIMIT 1",
            (ref.platform, ref.account, ref.key, *(s.value for s in UNOBSERVED)),
        ).fetchone()
        if row is None:
            return None
        return State(row["state"]), datetime.fromisoformat(row["time"])

    def rows(
        self,
        platform: str | None = None,
        since: datetime | None = None,
        account: str | None = None,
    ) -> list[dict[str, Any]]:
        """Stored results, oldest first, optionally only one platform / account / from `since` on.
        Each row: run_id, command, time (aware datetime, UTC), platform, account, setting, state,
        action, detail, url, evidence."""
        where, args = [], []
        if platform is not None:
            where.append("r.platform = ?")
            args.append(platform)
        if account is not None:
            where.append("r.account = ?")
            args.append(account)
        if since is not None:
            where.append("r.time >= ?")
            args.append(iso(since))
        sql = (
            "SELECT r.run_id, runs.command, r.time, r.platform, r.account, r.setting, r.state, r.action,"
            " r.detail, r.url, r.evidence FROM results r JOIN runs ON runs.id = r.run_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY r.time, r.id"
        )
        out = []
        for row in self._db.execute(sql, args):
            item = dict(row)
            item["time"] = datetime.fromisoformat(item["time"])
            out.append(item)
        return out

    def remember(self, found: Iterable[Discovery]) -> list[Discovery]:
        """Store controls discovered now; return those never seen before (with first_seen), the
        ones to announce. A control seen again only gets its last_seen, url and state updated."""
        fresh: list[Discovery] = []
        seen_at = iso(now())
        with self._transaction() as db:
            for d in found:
                row = db.execute(
                    "SELECT first_seen FROM discoveries WHERE platform = ? AND role = ? AND name = ?",
                    (d.platform, d.role, d.name),
                ).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO discoveries (platform, role, name, url, state, first_seen, last_seen)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (d.platform, d.role, d.name, d.url, d.state, seen_at, seen_at),
                    )
                    fresh.append(replace(d, first_seen=seen_at))
                else:
                    db.execute(
                        "UPDATE discoveries SET url = ?, state = ?, last_seen = ?"
                        " WHERE platform = ? AND role = ? AND name = ?",
                        (d.url, d.state, seen_at, d.platform, d.role, d.name),
                    )
        return fresh

    def first_seen(self, d: Discovery) -> str:
        """When this control was first discovered ("" if never)."""
        row = self._db.execute(
            "SELECT first_seen FROM discoveries WHERE platform = ? AND role = ? AND name = ?",
            (d.platform, d.role, d.name),
        ).fetchone()
        return row["first_seen"] if row else ""

    def last_result(self, platform: str, setting: str | None = None) -> dict[str, Any] | None:
        """The newest stored result of a platform (of one setting when given), or None."""
        rows = self.rows(platform)
        if setting is not None:
            rows = [r for r in rows if SettingRef.of_row(r).setting == setting]
        return rows[-1] if rows else None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database in a home that cannot be written. A database in WAL
    mode needs its -shm file to be read, which SQLite cannot create there: it is then opened as
    immutable, which is what a file on a read-only mount is. A link or another user's file in the
    place of the database or its companions is refused as for writing."""
    for file in (path, *(path.with_name(path.name + c) for c in ("-wal", "-shm", "-journal"))):
        check_own(file)
    uri = "file:" + quote(str(path.absolute())) + "?mode=ro"
    try:
        return _readable(sqlite3.connect(uri, uri=True), path)
    except sqlite3.OperationalError:
        return _readable(sqlite3.connect(uri + "&immutable=1", uri=True), path)


def _readable(db: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """db, once it has shown it can be read and is not of a newer optout (closed otherwise)."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("SELECT count(*) FROM results").fetchone()
    except BaseException:
        db.close()
        raise
    if version > SCHEMA_VERSION:
        db.close()
        raise OptoutError(
            f"history database {path} was written by a newer optout; upgrade optout", exit_code=ExitCode.USAGE
        )
    return db


def _create_private(path: Path) -> None:
    """Create the database file mode 600 before SQLite opens it, refusing a link or another user's
    file in its place (and in the place of its -wal and -shm files, which SQLite opens by name);
    SQLite gives -wal and -shm the database file's permissions, so they stay private too."""
    os.close(open_private(path, os.O_RDWR | os.O_CREAT, tighten=True))
    for companion in ("-wal", "-shm", "-journal"):
        check_own(path.with_name(path.name + companion))
