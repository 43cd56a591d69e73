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
from optout.browser import find_browser, install_attempts, probe_version, why_failed
from optout.cli import context
from optout.cli.options import JsonOption
from optout.cli.output import emit_json, hint, table
from optout.errors import OptoutError, debugging


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


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


def _browser_check(explicit: Path | None) -> Check:
    import asyncio

    try:
        choice = find_browser(explicit)
        version = asyncio.run(probe_version(choice))  # the headless shell too, when there is one
    except OptoutError as exc:
        message, _, fix = str(exc).partition("; ")
        return Check("browser", False, message, fix)
    return Check("browser", True, f"{choice.describe()}, version {version}")


def _install_browser() -> None:
    """Get a Chromium when none is found: Playwright's download first, else the system package.

    One line per attempt; each command's own output (Node stack traces when the download host is
    unreachable) is shown only with OPTOUT_DEBUG=1."""
    try:
        find_browser()
        return
    except OptoutError:
        pass
    attempts = install_attempts()
    hint(f"no Chromium, Chrome or Edge found; trying {attempts[0].label}…")
    for i, attempt in enumerate(attempts):
        outcome = _run_attempt(attempt.commands)
        if outcome is None:
            hint(f"{attempt.label}: installed")
            return
        then = f"; trying {attempts[i + 1].label}…" if i + 1 < len(attempts) else ""
        hint(f"{attempt.label}: {outcome}{then}")


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

    s = context.settings(ctx)
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
    checks.append(_browser_check(s.browser))
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
        table(["check", "status", "detail"], [[c.name, "ok" if c.ok else "FAIL", c.detail] for c in checks])
        for c in broken:
            typer.echo(f"optout: {c.name}: {c.detail}; fix: {c.fix}", err=True)
    if broken:
        raise typer.Exit(1)
