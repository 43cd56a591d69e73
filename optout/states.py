"""The states a setting can be found in: a contract that users' scripts and cron jobs rely on.

Kept apart from the results (optout.results, built on pydantic) so that a command can name the
state it wants before anything heavy loads: `disable` starts Playwright's driver first, and the
sooner it starts, the sooner the browser opens.
"""

from __future__ import annotations

from enum import Enum


class State(str, Enum):
    OPTED_OUT = "opted_out"
    OPTED_IN = "opted_in"
    NEEDS_LOGIN = "needs_login"
    NOT_FOUND = "not_found"
    NOT_OFFERED = "not_offered"
    MANUAL = "manual"
    ERROR = "error"
