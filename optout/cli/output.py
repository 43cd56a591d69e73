"""Printing for people and for scripts: rich tables on a terminal, plain columns otherwise,
JSON on request, and errors as one line on stderr.

rich loads when something is printed through it, not with this module: every command imports
this one, and `optout --help`, an error line or a table sent to a pipe need no rich."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    Cell = str | Text

# Variables with which rich treats a stream that is not a terminal as one.
RICH_TERMINAL_VARIABLES = frozenset({"TTY_COMPATIBLE", "FORCE_COLOR"})

_out: Console | None = None
_err: Console | None = None


def out() -> Console:
    """Console for results (stdout). Built lazily so tests that swap sys.stdout are honoured."""
    from rich.console import Console

    global _out
    if _out is None or _out.file is not sys.stdout:
        _out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    return _out


def err() -> Console:
    """Console for problems and hints (stderr)."""
    from rich.console import Console

    global _err
    if _err is None or _err.file is not sys.stderr:
        _err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    return _err


def interactive() -> bool:
    """True when a person is watching stdout: tables, colours and live progress make sense.

    rich decides (Console.is_terminal), except where its answer is known to be no without loading
    it: stdout is not a terminal (a pipe, a file, cron) and no variable rich reads says otherwise."""
    if not _isatty(sys.stdout) and not RICH_TERMINAL_VARIABLES & os.environ.keys():
        return False
    return out().is_terminal


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed: not a terminal, as rich says
        return False


def emit_json(data: Any) -> None:
    """Machine-readable output: stable keys, one document, nothing else on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str | None = None) -> None:
    """A rich table on a terminal; plain aligned columns for pipes, files and cron mail."""
    if interactive():
        from rich.table import Table

        t = Table(title=title, header_style="bold")
        for h in headers:
            t.add_column(h, overflow="fold")
        for row in rows:
            t.add_row(*row)
        out().print(t)
        return
    plain = [[c if isinstance(c, str) else c.plain for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in plain)) if plain else len(h) for i, h in enumerate(headers)]
    lines = [headers, *plain]
    if title:
        sys.stdout.write(title + "\n")
    for line in lines:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n")


def error(message: str) -> None:
    """One line per problem on stderr, prefixed so it stands out in cron mail."""
    for line in message.splitlines() or [""]:
        sys.stderr.write(f"optout: {line}\n")


def hint(message: str) -> None:
    err().print(message, markup=False)
