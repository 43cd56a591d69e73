"""Every exit code optout uses, in one place: a contract for scripts and cron jobs.

The values never change (a script that reads them must go on working); README.md's table
"Exit codes" lists exactly these, with the meaning given here (tests/test_readme.py checks it).
Kept free of imports so that `optout --help` and the error paths can use it at no cost.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Why optout stopped. 1 is "look at this, something is opted in" to a script, so nothing that
    merely could not tell (a lock held, an internal error, a session not logged in) ever uses it."""

    OK = 0  # every setting looked at is as wanted (or not offered); the command did what it was asked
    # not as asked: a setting opted in (`enable`: out) or a change not verified; `doctor`: something
    # is broken; `config get`: the key is not set; `demo`: a switch is still on
    NOT_AS_WANTED = 1
    USAGE = 2  # bad usage or input: unknown platform or option, invalid recipe, no browser, untrusted update
    # something could not be determined (a setting, a session not logged in, a home held by another
    # run, an internal error), or a run whose results are as wanted could not be recorded
    UNDETERMINED = 3
    SIGINT = 130  # stopped by Ctrl-C: 128 + the signal's number, as shells report it
    SIGTERM = 143  # stopped by SIGTERM (`kill`, a cron or systemd timeout)


# What README.md's table says of each code, in words its row must contain.
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "as wanted",
    ExitCode.NOT_AS_WANTED: "opted in",
    ExitCode.USAGE: "bad usage",
    ExitCode.UNDETERMINED: "could not be determined",
    ExitCode.SIGINT: "SIGINT",
    ExitCode.SIGTERM: "SIGTERM",
}
