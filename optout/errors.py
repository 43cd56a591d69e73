"""Errors that reach the user as one line and a stable exit code, never as a traceback.

The engine and the loaders raise these; only the CLI layer decides how to print them.
"""

from __future__ import annotations

import os
import re

from optout.exit_codes import ExitCode


class OptoutError(Exception):
    """A problem the user can fix (bad input, missing browser, ...): exit code 2 by default."""

    exit_code: int = ExitCode.USAGE

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

    exit_code = ExitCode.UNDETERMINED


def first_line(exc: BaseException | str) -> str:
    """The first non-empty line of an exception's message (Playwright's run to pages), or its type;
    of a text (a program's stderr), or "no reason given" when it is blank."""
    empty = "no reason given" if isinstance(exc, str) else type(exc).__name__
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), empty)


# Playwright's messages, as what happened in plain words (the detail of a result): the first line
# is matched, and a message matched by none is given as it is.
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\.(?:click|check|uncheck|tap|select_option|selectOption).*Timeout (?P<ms>\d+)ms exceeded"),
        "the click did not go through within {s} s: something covers the control, or it never became clickable",
    ),
    (
        re.compile(r"not attached to the DOM|Element is detached|Execution context was destroyed"),
        "the page redrew or reloaded itself while optout was using it",
    ),
    (
        re.compile(r"Target (?:page, context or browser )?(?:has been )?closed|Browser has been closed|crash", re.I),
        "the browser closed the page (it crashed or was stopped)",
    ),
    (
        re.compile(r"net::ERR_ABORTED"),
        "the page did not load: its address started a download, or the page left for another one",
    ),
    (re.compile(r"Timeout (?P<ms>\d+)ms exceeded"), "the page did not answer within {s} s"),
)


def plain(exc: BaseException | str) -> str:
    """What a browser error means, for a result's detail: `first_line`, in plain words when it is
    one of Playwright's known messages (a timeout, a detached element, a closed page, an aborted
    load), so a user reads what happened rather than which Playwright call failed."""
    line = first_line(exc)
    for pattern, words in _PLAIN:
        if match := pattern.search(line):
            ms = match.groupdict().get("ms")
            return words.format(s=f"{int(ms) / 1000:g}" if ms else "")
    return line


def debugging() -> bool:
    """Whether OPTOUT_DEBUG asks for the full story (tracebacks, the output of programs run)."""
    return os.environ.get("OPTOUT_DEBUG", "") not in ("", "0")
