"""`optout demo`: the whole job against replica platforms on loopback, in a throwaway home.

It runs the real `optout` commands in subprocesses, so what it prints is exactly what a real run
prints; only the origins point at the local replicas instead of linkedin.com and x.com.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from optout.cli import context
from optout.cli.completion import platform_ids
from optout.exit_codes import ExitCode

# The commands a user types, at the default --jobs; the last one also writes the page (--html).
# The change includes every category, so the demo shows each kit's settings switched off.
STEPS = (["status"], ["disable", "--all", "--include", "ai-use,sharing"], ["status"])
PAGE = "optout.html"


def demo(
    ctx: typer.Context,
    platforms: Annotated[
        list[str] | None,
        typer.Argument(help="Only these platforms (default: every one with a replica).", autocompletion=platform_ids),
    ] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the throwaway home and print its path.")] = False,
) -> None:
    """Run status, disable --all --include ai-use,sharing, status against the built-in replica of every
    platform with a kit (or of the platforms named), the last one writing the results as an HTML page."""
    from optout.errors import UsageError
    from optout.home.sessions import SessionStore
    from optout.home.user_config import UserConfig
    from optout.kits import page_settings, replica_platforms, resource_config
    from optout.kits.replica import REPLICA_DOMAINS, Replica
    from optout.replica import ReplicaOptions

    cat = context.catalogue(ctx)
    available = replica_platforms(cat)
    chosen = [context.platform(cat, name).id for name in platforms or []]
    if missing := [pid for pid in chosen if pid not in available]:
        raise UsageError(f"no replica of {', '.join(missing)}; the demo has: {', '.join(available)}")
    platforms = [pid for pid in available if not chosen or pid in chosen]
    home = Path(tempfile.mkdtemp(prefix="optout-demo-"))
    with Replica(ReplicaOptions(), platforms=platforms) as replica:
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        env.pop("OPTOUT_RECIPES", None)
        settings = context.global_options(ctx)
        if settings.browser:
            env["OPTOUT_BROWSER"] = str(settings.browser)
        store, config = SessionStore(home), UserConfig(home)
        with_pages = [pid for pid in platforms if page_settings(cat, pid)]
        for pid in with_pages:
            store.save(pid, [*cat.platforms[pid].domains, *REPLICA_DOMAINS], replica.storage_state(pid))
            for key, value in resource_config(cat, pid).items():
                config.set(key, value)
        config.set("region", "GB")
        names = ", ".join(cat.platforms[pid].name for pid in platforms)
        typer.echo(
            f"optout demo: replicas of {names} on loopback;\n"
            f"the test member is logged in; region GB; throwaway home {home}\n"
        )
        page = home / PAGE
        for i, step in enumerate(STEPS):
            if i == len(STEPS) - 1:
                step = [*step, "--html", str(page)]
            typer.secho(f"$ optout {' '.join(step)}", bold=True)
            sys.stdout.flush()
            code = subprocess.run([sys.executable, "-m", "optout", *step], env=env).returncode
            typer.echo(f"(exit code {code})\n")
        # Success is judged by what the replica servers kept, not by what optout printed.
        still_on = [
            f"{pid} {key}" for pid in with_pages for key in replica.state(pid) if not replica.is_opted_out(pid, key)
        ]
    if still_on:
        typer.echo(f"optout demo: FAILED, still switched on at the replica: {', '.join(still_on)}", err=True)
    if page.is_file():
        typer.echo(f"the page, with the receipts: {page} ({page.stat().st_size // 1024} KB; open it in a browser)")
    if keep:
        typer.echo(f"home kept at {home}")
    else:  # all but the page, which shows only the replicas' test member
        for item in home.iterdir():
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            elif item != page:
                item.unlink(missing_ok=True)
    raise typer.Exit(ExitCode.NOT_AS_WANTED if still_on else ExitCode.OK)
