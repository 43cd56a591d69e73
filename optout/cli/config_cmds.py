"""`optout config set|get|unset|show`: the user's settings file, from the command line.

Notification URLs carry tokens and passwords, so `show` masks them; `get notify` prints them in
full because that is what asking for one value means.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from optout.cli import context
from optout.cli.completion import config_keys
from optout.cli.options import JsonOption
from optout.cli.output import emit_json, hint, table
from optout.errors import UsageError
from optout.exit_codes import ExitCode
from optout.home.user_config import KEYS, LIST_KEYS, UserConfig

# Mounted by optout.cli.app when used: plain help like the root's, whose completion options serve it.
config_app = typer.Typer(
    help="Read and change your settings (region, e-mail, name, notification URLs).",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

KeyArg = Annotated[
    str,
    typer.Argument(metavar="KEY", help=f"One of: {', '.join(KEYS)}.", show_default=False, autocompletion=config_keys),
]


def _key(ctx: typer.Context, name: str) -> str:
    """A known key: one of KEYS, or a per-resource list the catalogue has (`tumblr.blog`)."""
    if name in KEYS:
        return name
    from optout.engine.plan import resource_keys
    from optout.recipes.catalogue import did_you_mean

    known = [*KEYS, *resource_keys(context.catalogue(ctx))]
    if name not in known:
        raise UsageError(f"unknown config key {name!r}{did_you_mean(name, known)}; known: {', '.join(known)}")
    return name


def _config(ctx: typer.Context) -> UserConfig:
    return UserConfig(context.global_options(ctx).home)


@config_app.command("set")
def set_value(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", show_default=False)],
) -> None:
    """Set KEY to VALUE (for notify: add a URL; repeat to add more)."""
    from optout.unattended.notify import check_url, mask_url

    _key(ctx, key)
    if key == "notify":
        check_url(value)  # a typo fails now, not in a cron job months later
    config = _config(ctx)
    config.set(key, value)
    shown = mask_url(value) if key == "notify" else config.get(key)
    if isinstance(shown, list):
        shown = ",".join(shown)
    hint(f"{key}: added {shown}" if key in LIST_KEYS else f"{key} = {shown}")


@config_app.command("get")
def get_value(ctx: typer.Context, key: KeyArg) -> None:
    """Print KEY's value (one line per URL for notify); exit 1 when it is not set."""
    value = _config(ctx).get(_key(ctx, key))
    if value in (None, [], ""):
        hint(f"{key} is not set")
        raise typer.Exit(ExitCode.NOT_AS_WANTED)
    for item in value if isinstance(value, list) else [value]:
        typer.echo(item)


@config_app.command("unset")
def unset_value(ctx: typer.Context, key: KeyArg) -> None:
    """Remove KEY (for notify: every URL)."""
    _config(ctx).unset(_key(ctx, key))


def _shown(key: str, value: Any) -> Any:
    from optout.unattended.notify import mask_url

    if key == "notify" and value:
        return [mask_url(url) for url in value]
    return value


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show every setting, set or not, with what it is for (notification URLs masked)."""
    from optout.engine.plan import resource_keys

    config = _config(ctx)
    meanings = {key: meaning for key, (_, meaning) in KEYS.items()} | resource_keys(context.catalogue(ctx))
    values = {key: _shown(key, config.get(key)) for key in meanings}
    if as_json:
        emit_json(values)
        return
    rows = []
    for key, value in values.items():
        if isinstance(value, list):
            text = ", ".join(value) or "(not set)"
        else:
            text = "(not set)" if value is None else str(value)
        rows.append([key, text, meanings[key]])
    table(["key", "value", "meaning"], rows)
    hint(f"file: {config.path}")
