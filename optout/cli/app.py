"""The `optout` command: global options, error handling, and the list of subcommands.

Subcommands live in their own modules; this file only wires them together. typer reads every
command's options when it starts, so the command modules import only what their options need;
everything else (the catalogue and its models, YAML, rich, Playwright) loads inside the commands
that use it, so `optout --help` and `optout platforms` start fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from optout import __version__
from optout.cli import (
    catalogue_cmds,
    config_cmds,
    demo,
    doctor,
    explore_cmds,
    mark_cmds,
    run_cmds,
    session_cmds,
    watch_cmds,
)
from optout.cli.output import error
from optout.errors import OptoutError, UsageError, debugging, first_line
from optout.storage import check_own

INTERNAL_ERROR_EXIT = 3  # like "could not tell": never 1, which scripts read as "opted in"
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells report it
# Exceptions that are typer's own way of ending a command (exits, aborts, usage errors): they keep
# their behaviour. ClickException is found through typer.BadParameter because recent typer vendors
# click (typer._click) while older typer uses click itself.
CLI_SIGNALS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "ClickException"),
)


class OptoutGroup(TyperGroup):
    """Turns every OptoutError raised by any subcommand into one line per problem on stderr and
    its exit code, so a user mistake never shows a traceback.

    Anything else is a bug: it becomes one line and exit code 3 too, unless OPTOUT_DEBUG=1 asks
    for the traceback. click's own exits, usage errors and aborts keep their behaviour."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse with global options moved in front (see globals_first): for a run, and for the
        shell's completion requests alike, which parse the line typed so far through here."""
        if parent is None:
            args = globals_first(args)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OptoutError as exc:
            error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except CLI_SIGNALS:
            raise
        except KeyboardInterrupt:  # Ctrl-C outside a browser run (which handles its own): say so, in one line
            error("interrupted")
            raise typer.Exit(INTERRUPTED_EXIT) from None
        except Exception as exc:
            if debugging():
                raise
            error(
                f"internal error: {type(exc).__name__}: {first_line(exc)} "
                "(set OPTOUT_DEBUG=1 for the traceback; please report it)"
            )
            raise typer.Exit(INTERNAL_ERROR_EXIT) from None


app = typer.Typer(
    cls=OptoutGroup,
    name="optout",
    help="Find and switch off the 'use my data to train AI' settings on the platforms you use.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"optout {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option("--home", envvar="OPTOUT_HOME", help="Directory for all of optout's state.", show_default=False),
    ] = None,
    recipes: Annotated[
        Path | None,
        typer.Option("--recipes", envvar="OPTOUT_RECIPES", help="Your recipe file, merged over the bundled catalogue."),
    ] = None,
    browser: Annotated[
        Path | None,
        typer.Option("--browser", envvar="OPTOUT_BROWSER", help="Chromium or Chrome executable to use."),
    ] = None,
    origin: Annotated[
        list[str],
        typer.Option(
            "--origin",
            metavar="PLATFORM=URL",
            help="Point a platform's recipe at another origin (replica, staging). Repeatable; "
            "env OPTOUT_ORIGIN=linkedin=http://127.0.0.1:8001,x=...",
        ),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    from optout.settings import Settings, default_home, parse_origins  # URL parsing: not for --help

    origins = parse_origins(os.environ.get("OPTOUT_ORIGIN"), origin)
    if home is not None and not home.strip():
        # Path("") is the current directory: an unset variable in a crontab line would scatter
        # sessions into wherever cron happens to run.
        raise UsageError("--home (or OPTOUT_HOME) is empty: give a directory, or leave it out for the default")
    home_dir = (Path(home) if home is not None else default_home()).expanduser().absolute()
    check_own(home_dir, directory=True)  # a link, a file or another user's folder is no home (made when missing)
    ctx.obj = Settings(
        home=home_dir,
        recipes=recipes.expanduser() if recipes else None,
        browser=browser,
        origins=origins,
    )


# Listed in `optout --help` in this order: the daily commands first.
app.command("status")(run_cmds.status)
app.command("disable")(run_cmds.disable)
app.command("enable")(run_cmds.enable)
app.command("mark")(mark_cmds.mark)
app.command("login")(session_cmds.login)
app.command("logout")(session_cmds.logout)
app.command("sessions")(session_cmds.sessions)
app.command("platforms")(catalogue_cmds.platforms)
app.add_typer(catalogue_cmds.recipes_app, name="recipes")
app.add_typer(config_cmds.config_app, name="config")
app.command("explore")(explore_cmds.explore)
app.command("discover")(explore_cmds.discover)
app.command("report")(explore_cmds.report)
app.command("history")(watch_cmds.history)
app.command("schedule")(watch_cmds.schedule)
app.command("notify-test")(watch_cmds.notify_test)
app.command("doctor")(doctor.doctor)
app.command("demo")(demo.demo)


# Options of the root command that people (and crontab lines) also write after the subcommand.
GLOBAL_OPTIONS = ("--home", "--recipes", "--browser", "--origin")


def globals_first(argv: list[str]) -> list[str]:
    """Move global options written after the subcommand (`optout status --home X`) to the front,
    where the parser expects them; everything after `--` is left as it is."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            takes = 1 if "=" in arg else 2
            front += argv[i : i + takes]
            i += takes
            continue
        rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    """Console-script entry point."""
    app(prog_name="optout")
