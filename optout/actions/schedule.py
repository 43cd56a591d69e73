"""`schedule` as work: the scheduler entries that run optout unattended, installing them and
removing them (optout.unattended.schedule writes each scheduler's own format)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from optout.errors import OptoutError, UsageError
from optout.unattended import schedule as sched

if TYPE_CHECKING:
    from optout.global_options import GlobalOptions


class Via(str, Enum):
    """Which scheduler: auto picks launchd on macOS, else systemd when a user manager runs, else cron."""

    AUTO = "auto"
    CRON = "cron"
    SYSTEMD = "systemd"
    LAUNCHD = "launchd"


@dataclass(frozen=True)
class Entries:
    """The same unattended run, in each scheduler's format."""

    cron_line: str
    service: str  # the systemd user service...
    timer: str  # ...and its timer
    agent: str  # launchd's agent (a plist)
    notifies: bool  # whether the config file names a notification URL the runs will use


def entries(
    settings: GlobalOptions, every: sched.Every, *, fix: bool, html: Path | None, include: str | None
) -> Entries:
    """The entries for `settings.home`, with the run-wide options in effect now. `include` and
    `html` are checked now (a typo refused, a missing folder an error), not first at the
    scheduled run at 09:17."""
    from optout.home.user_config import UserConfig

    if include is not None:
        if not fix:
            raise UsageError("--include goes with --fix: a scheduled status already checks every category")
        from optout.engine.plan import parse_include

        include = ",".join(sorted(parse_include(include)))
    if html is not None:
        from optout.actions.page import target

        html = target(html)
    argv = sched.command(
        sched.find_executable(), settings.home, sched.run_args(fix, html, include), sched.global_options(settings)
    )
    return Entries(
        sched.cron_line(argv, every, settings.home),
        sched.service_unit(argv, fix),
        sched.timer_unit(every),
        sched.launch_agent(argv, every, settings.home),
        bool(UserConfig(settings.home).get("notify")),
    )


def remove(via: Via, home: Path) -> str:
    """Remove optout's own schedule for `home` from the schedulers `via` names (auto: every one
    it may be in); say what was removed."""
    removers = {
        Via.CRON: lambda: sched.remove_crontab(home),
        Via.SYSTEMD: lambda: sched.remove_systemd(home),
        Via.LAUNCHD: lambda: sched.remove_launchd(home),
    }
    done = [said for v, remover in removers.items() if via in (Via.AUTO, v) and (said := remover())]
    return "\n".join(done) or f"nothing to remove: no optout schedule runs {home}"


def install(via: Via, made: Entries, home: Path) -> str:
    """Install the entries in the scheduler `via` names (auto: the one this machine runs); say where."""
    if via is Via.AUTO:
        if sched.is_macos():
            via = Via.LAUNCHD
        elif sched.systemd_usable():
            via = Via.SYSTEMD
        elif shutil.which(sched.CRONTAB):
            via = Via.CRON
        else:
            raise OptoutError(
                "found neither a running systemd user manager nor crontab; "
                "print the entries with `optout schedule` and add one to your scheduler"
            )
    if via is Via.CRON:
        return sched.install_crontab(made.cron_line, home)
    if via is Via.LAUNCHD:
        return sched.install_launchd(made.agent)
    return sched.install_systemd(made.service, made.timer)
