"""`optout doctor`: what optout found on this machine and how to fix what is broken."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from optout import __version__
from optout.cli import context
from optout.cli.options import JsonOption
from optout.cli.output import emit_json, hint, table
from optout.engine.browser import (
    SHELL_COST,
    InstallAttempt,
    find_browser,
    install_attempts,
    probe_version,
    shell_attempt,
    shell_fix,
    why_failed,
)
from optout.errors import OptoutError, debugging
from optout.exit_codes import ExitCode


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    note: bool = False  # ok, but worth fixing: shown with its fix, and exit 0


def _home_check(home: Path) -> Check:
    if not home.exists():
        return Check("home", True, f"{home} (created on first use, mode 700)")
    if not home.is_dir():
        return Check("home", False, f"{home} is not a directory", "remove it or choose another with --home")
    mode = stat.S_IMODE(home.stat().st_mode)
    if not os.access(home, os.W_OK):
        return Check("home", False, f"{home} is not writable", f"fix ownership of {home}")
    if mode & 0o077:
        return Check("home", False, f"{home} is mode {mode:o}: others can read your sessions", f"chmod 700 {home}")
    return Check("home", True, f"{home} (mode {mode:o})")


def _browser_checks(explicit: Path | None) -> list[Check]:
    """The browser, launched; and, when it is a Chromium without its headless shell, a check that
    says so and what it costs (a note: optout works without it, only slower)."""
    import asyncio

    try:
        choice = find_browser(explicit)
        version = asyncio.run(probe_version(choice))  # the headless shell too, when there is one
    except OptoutError as exc:
        message, _, fix = str(exc).partition("; ")
        return [Check("browser", False, message, fix)]
    checks = [Check("browser", True, f"{choice.describe()}, version {version}")]
    if choice.lacks_shell:
        checks.append(Check("headless shell", True, f"not installed: {SHELL_COST}", shell_fix(choice), note=True))
    return checks


def _install_browser() -> None:
    """Get a Chromium when none is found: Playwright's download first, else the system package;
    then the headless shell beside it when it lacks one (status runs about 3x slower without).

    One line per attempt; each command's own output (Node stack traces when the download host is
    unreachable) is shown only with OPTOUT_DEBUG=1."""
    try:
        choice = find_browser()
        lists_fresh = False
    except OptoutError:
        installed = _first_that_works(install_attempts(), "no Chromium, Chrome or Edge found")
        if installed is None:
            return
        lists_fresh = any("update" in command for command in installed.commands)  # apt-get update ran
        try:
            choice = find_browser()
        except OptoutError:
            return  # the browser check says what is wrong
    shell = shell_attempt(choice, lists_fresh=lists_fresh)
    if shell is not None:
        _first_that_works([shell], f"no headless shell beside {choice.title} ({SHELL_COST})")


def _first_that_works(attempts: list[InstallAttempt], why: str) -> InstallAttempt | None:
    """Run the attempts in order until one works, one line each; the one that worked, or None."""
    hint(f"{why}; trying {attempts[0].label}…")
    for i, attempt in enumerate(attempts):
        outcome = _run_attempt(attempt.commands)
        if outcome is None:
            hint(f"{attempt.label}: installed")
            return attempt
        then = f"; trying {attempts[i + 1].label}…" if i + 1 < len(attempts) else ""
        hint(f"{attempt.label}: {outcome}{then}")
    return None


def _run_attempt(commands: list[list[str]]) -> str | None:
    """Run the commands in order; None when all succeed, else why the first failing one failed."""
    for command in commands:
        try:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        except OSError as exc:
            return f"failed ({command[0]}: {exc.strerror or exc})"
        if debugging():
            hint(f"$ {' '.join(command)}\n{done.stdout.rstrip()}")
        if done.returncode != 0:
            return why_failed(done.stdout, done.returncode)
    return None


def doctor(
    ctx: typer.Context,
    as_json: JsonOption = False,
    install_browser: Annotated[
        bool, typer.Option("--install-browser", help="When no Chromium is found, install one first.")
    ] = False,
) -> None:
    """Check Python, Playwright, the browser (by launching it), the home directory and the recipes."""
    from importlib import metadata

    s = context.global_options(ctx)
    if install_browser and s.browser is None:
        _install_browser()
    checks = [
        Check("optout", True, __version__),
        Check("python", sys.version_info >= (3, 11), sys.version.split()[0], "use Python 3.11 or newer"),
    ]
    try:
        checks.append(Check("playwright", True, metadata.version("playwright")))
    except metadata.PackageNotFoundError:
        checks.append(Check("playwright", False, "not installed", "pip install playwright"))
    checks += _browser_checks(s.browser)
    checks.append(_home_check(s.home))
    try:
        cat = context.catalogue(ctx)
        checks.append(Check("recipes", True, f"{len(cat.platforms)} platforms valid"))
    except OptoutError as exc:
        checks.append(
            Check("recipes", False, str(exc).splitlines()[0], "run `optout recipes validate` for every error")
        )
    broken = [c for c in checks if not c.ok]
    if as_json:
        emit_json([c.__dict__ for c in checks])
    else:
        table(
            ["check", "status", "detail"],
            [[c.name, "FAIL" if not c.ok else "note" if c.note else "ok", c.detail] for c in checks],
        )
        for c in checks:
            if not c.ok or c.note:
                typer.echo(f"optout: {c.name}: {c.detail}; fix: {c.fix}", err=True)
    if broken:
        raise typer.Exit(ExitCode.NOT_AS_WANTED)
