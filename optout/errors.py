"""Errors that reach the user as one line and a stable exit code, never as a traceback.

The engine and the loaders raise these; only the CLI layer decides how to print them.
"""

from __future__ import annotations

import os


class OptoutError(Exception):
    """A problem the user can fix (bad input, missing browser, ...): exit code 2 by default."""

    exit_code: int = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(OptoutError):
    """Bad command-line input or configuration (exit 2)."""


class RecipeError(OptoutError):
    """The recipe catalogue is unreadable or invalid; `lines` holds one message per problem."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


class NoBrowserError(OptoutError):
    """No usable Chromium was found or it would not start (exit 2: the setup is wrong)."""


class NoDisplayError(OptoutError):
    """A visible window was needed and no display could be opened (exit 3: nothing was done)."""

    exit_code = 3


def first_line(exc: BaseException | str) -> str:
    """The first non-empty line of an exception's message (Playwright's run to pages), or its type;
    of a text (a program's stderr), or "no reason given" when it is blank."""
    empty = "no reason given" if isinstance(exc, str) else type(exc).__name__
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), empty)


def debugging() -> bool:
    """Whether OPTOUT_DEBUG asks for the full story (tracebacks, the output of programs run)."""
    return os.environ.get("OPTOUT_DEBUG", "") not in ("", "0")
