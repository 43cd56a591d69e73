"""The `optout` command: global options, error handling, and the list of subcommands.

Subcommands live in their own modules; this file only names them. A command's module is imported,
and typer reads its options, only when that command runs: building all of them took about as long
as the rest of `optout --help`. Inside a command, the catalogue and its models, YAML, rich and
Playwright load only where they are used.
"""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from typer.core import CompletionItem, TyperCommand, TyperGroup
from typer.models import CommandInfo

from optout import __version__
from optout.cli.output import error
from optout.errors import OptoutError, UsageError, debugging, first_line
from optout.exit_codes import ExitCode
from optout.home.storage import check_own

# Exceptions that are typer's own way of ending a command (exits, aborts, usage errors): they keep
# their behaviour. ClickException is found through typer.BadParameter because recent typer vendors
# click (typer._click) while older typer uses click itself.
CLI_SIGNALS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "ClickException"),
)


# Every subcommand in the order `optout --help` lists them (the daily commands first, the groups
# last): the module in
# optout.cli and the name of its function (or sub-app), and the first paragraph of its help, which
# `optout --help` and shell completion show without importing the module (a test checks that it
# is the command's own).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "status": ("run_cmds", "status", "Show where you stand: whether each platform uses your data for AI training."),
    "disable": (
        "run_cmds",
        "disable",
        "Opt out: switch AI training off, verify after a reload, and keep a screenshot as receipt.",
    ),
    "enable": (
        "run_cmds",
        "enable",
        "Undo an opt-out: switch the setting back on (verified after a reload like `disable`).",
    ),
    "mark": (
        "mark_cmds",
        "mark",
        "Record that you filed an objection yourself (or --undo it): then `status` counts it as opted out.",
    ),
    "login": (
        "session_cmds",
        "login",
        "Sign in once: in a browser window (default), by importing cookies for a server without a screen, "
        "or from your browser's own cookie store (--from-browser, --all).",
    ),
    "logout": ("session_cmds", "logout", "Delete the stored session of a platform and account."),
    "sessions": (
        "session_cmds",
        "sessions",
        "List stored sessions: platform, account, when saved and last used, whether the last run found it "
        "logged in, and when its session cookie expires. Never shows a cookie.",
    ),
    "platforms": (
        "catalogue_cmds",
        "platforms",
        "List every platform and setting optout knows, by platform: kind, how sure the facts are, regions.",
    ),
    "explore": (
        "explore_cmds",
        "explore",
        "List every control of a settings page (role, name, state, stable attributes); click nothing.",
    ),
    "discover": (
        "explore_cmds",
        "discover",
        "List AI settings the platforms' pages show that no recipe describes; click nothing.",
    ),
    "report": (
        "explore_cmds",
        "report",
        "Write one archive for a bug report: last result, screenshot, page HTML, ARIA snapshot, "
        "recipe, versions; cookie values, tokens, e-mail addresses and your name removed.",
    ),
    "history": (
        "watch_cmds",
        "history",
        "Show every result optout recorded, oldest first: what each check found and did.",
    ),
    "schedule": (
        "watch_cmds",
        "schedule",
        "Print (or --install) a crontab line, a systemd user timer or a launchd agent that runs optout "
        "unattended: quiet unless something needs you, notifying the URLs in the config file.",
    ),
    "notify-test": (
        "watch_cmds",
        "notify_test",
        "Send a test message to every notification URL, to check they work before cron needs them.",
    ),
    "doctor": (
        "doctor",
        "doctor",
        "Check Python, Playwright, the browser (by launching it), the home directory and the recipes.",
    ),
    "demo": (
        "demo",
        "demo",
        "Run status, disable --all --include ai-use,sharing, status against the built-in replica of every "
        "platform with a kit "
        "(or of the platforms named), the last one writing the results as an HTML page.",
    ),
    "recipes": ("catalogue_cmds", "recipes_app", "Check and describe recipe files."),
    "config": (
        "config_cmds",
        "config_app",
        "Read and change your settings (region, e-mail, name, notification URLs).",
    ),
}


def load_command(name: str) -> Any:
    """The click command for `name`, built from its module as typer would have built it inside
    `app`: a function becomes a command, a typer sub-app (`recipes`, `config`, each made with
    plain help and without completion options of its own, like `app`) a group."""
    module, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"optout.cli.{module}"), attribute)
    if isinstance(target, typer.Typer):
        group = typer.main.get_command(target)
        group.name = name
        return group
    info = CommandInfo(name=name, callback=target)
    return typer.main.get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands: every name is listed (for `optout statsu`'s "did you mean"), and a
    command is built the first time it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = load_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        raise TypeError("subcommands are listed in COMMANDS")

    def __delitem__(self, name: str) -> None:
        raise TypeError("subcommands are listed in COMMANDS")

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class OptoutGroup(TyperGroup):
    """Turns every OptoutError raised by any subcommand into one line per problem on stderr and
    its exit code, so a user mistake never shows a traceback.

    Anything else is a bug: it becomes one line and exit code 3 too, unless OPTOUT_DEBUG=1 asks
    for the traceback. click's own exits, usage errors and aborts keep their behaviour.

    Subcommands come from COMMANDS: listing them (help, completion) imports none of them."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()
        # What help and completion list: commands that carry only their one-line help.
        self.listed = {name: TyperCommand(name=name, help=text) for name, (_, _, text) in COMMANDS.items()}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As click lists them, from the one-line helps."""
        limit = formatter.width - 6 - max(map(len, self.listed))
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in self.listed.items()])

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names with their one-line help, then the group's own options (as click does)."""
        names = [
            CompletionItem(name, help=cmd.get_short_help_str())
            for name, cmd in self.listed.items()
            if name.startswith(incomplete)
        ]
        return names + super(TyperGroup, self).shell_complete(ctx, incomplete)

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
            raise typer.Exit(ExitCode.SIGINT) from None
        except Exception as exc:
            if debugging():
                raise
            error(
                f"internal error: {type(exc).__name__}: {first_line(exc)} "
                "(set OPTOUT_DEBUG=1 for the traceback; please report it)"
            )
            raise typer.Exit(ExitCode.UNDETERMINED) from None  # "could not tell": never 1, "opted in"


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
    from optout.global_options import GlobalOptions, parse_origins  # URL parsing: not for --help
    from optout.home.paths import default_home

    origins = parse_origins(os.environ.get("OPTOUT_ORIGIN"), origin)
    if home is not None and not home.strip():
        # Path("") is the current directory: an unset variable in a crontab line would scatter
        # sessions into wherever cron happens to run.
        raise UsageError("--home (or OPTOUT_HOME) is empty: give a directory, or leave it out for the default")
    home_dir = (Path(home) if home is not None else default_home()).expanduser().absolute()
    check_own(home_dir, directory=True)  # a link, a file or another user's folder is no home (made when missing)
    ctx.obj = GlobalOptions(
        home=home_dir,
        recipes=recipes.expanduser() if recipes else None,
        browser=browser,
        origins=origins,
    )


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
    """Console-script entry point.

    Everything is frozen out of the garbage collector's reach before the interpreter exits: its
    last collection walks every object the command made (the catalogue's models, Playwright's) to
    free memory the process hands back anyway. Measured here: 20-40 ms of each `optout --help`
    and about 0.15 s after a browser run. Files and the history database are closed by then;
    only cycles go unwalked, and atexit handlers and weakref finalizers still run."""
    try:
        app(prog_name="optout")
    finally:
        gc.freeze()
