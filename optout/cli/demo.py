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
from optout.config import Config
from optout.sessions import SessionStore

STEPS = (["status"], ["disable", "--all"], ["status"])


def demo(
    ctx: typer.Context,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the throwaway home and print its path.")] = False,
) -> None:
    """Run status, disable --all, status against built-in replicas of LinkedIn, X and Meta."""
    from optout.replica import Replica, ReplicaOptions

    home = Path(tempfile.mkdtemp(prefix="optout-demo-"))
    with Replica(ReplicaOptions()) as replica:
        env = {**os.environ, "OPTOUT_HOME": str(home), "OPTOUT_ORIGIN": replica.origin_env()}
        env.pop("OPTOUT_RECIPES", None)
        settings = context.settings(ctx)
        if settings.browser:
            env["OPTOUT_BROWSER"] = str(settings.browser)
        cat = context.catalogue(ctx).platforms
        store = SessionStore(home)
        for pid in ("linkedin", "x"):
            domains = [*cat[pid].domains, "127.0.0.1"]
            store.save(pid, domains, replica.storage_state(pid))
        Config(home).set("region", "GB")
        typer.echo(
            f"optout demo: replicas of LinkedIn, X and Meta on {', '.join(replica.origins.values())};\n"
            f"the test member is logged in; region GB; throwaway home {home}\n"
        )
        for step in STEPS:
            typer.secho(f"$ optout {' '.join(step)}", bold=True)
            sys.stdout.flush()
            code = subprocess.run([sys.executable, "-m", "optout", *step], env=env).returncode
            typer.echo(f"(exit code {code})\n")
        # Success is judged by what the replica servers kept, not by what optout printed.
        still_on = [f"{pid} {key}" for pid in ("linkedin", "x") for key, on in replica.state(pid).items() if on]
    if still_on:
        typer.echo(f"optout demo: FAILED, still switched on at the replica: {', '.join(still_on)}", err=True)
    if keep:
        typer.echo(f"home kept at {home}")
    else:
        shutil.rmtree(home, ignore_errors=True)
    raise typer.Exit(1 if still_on else 0)
