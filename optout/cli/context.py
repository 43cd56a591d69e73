"""What every command needs from the global options: settings, the catalogue, platform lookup.

The catalogue (YAML, the pydantic models) loads on the first call that needs it, not with this
module: every command module imports this one, and `optout --help` needs no recipe."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from optout.cli.output import error
from optout.errors import RecipeError, UsageError

if TYPE_CHECKING:
    from optout.global_options import GlobalOptions
    from optout.recipes.schema import Catalogue, Platform, Setting


def global_options(ctx: typer.Context) -> GlobalOptions:
    """The GlobalOptions the root callback stored for this run."""
    from optout.global_options import GlobalOptions

    obj = ctx.find_root().obj
    return obj if isinstance(obj, GlobalOptions) else GlobalOptions()


def base_catalogue(ctx: typer.Context) -> Path | None:
    """The installed update this run reads instead of the bundled catalogue (None: the bundled one)."""
    from optout.recipes.updates import active

    return active(global_options(ctx).home)


def catalogue(ctx: typer.Context) -> Catalogue:
    """The catalogue for this run, loaded once: the bundled one or the installed update, the user
    file merged, origins applied. An installed update that no longer validates (edited on disk, or
    read by an optout with other rules) is set aside with one warning: the bundled one is used."""
    from optout.recipes.catalogue import load_catalogue, parse_catalogue

    root = ctx.find_root()
    cached = root.meta.get("optout.recipes.catalogue")
    if cached is None:
        s = global_options(ctx)
        base: Catalogue | None = None
        installed = base_catalogue(ctx)
        if installed is not None:
            try:
                base = parse_catalogue(installed)
            except RecipeError as exc:
                error(f"warning: the installed recipe update is invalid, using the bundled catalogue: {exc.lines[0]}")
        cached = root.meta["optout.recipes.catalogue"] = load_catalogue(s.recipes, s.origins, base)
    return cached


def platform(cat: Catalogue, name: str) -> Platform:
    """The platform called `name`, or a usage error that suggests the closest one."""
    found = cat.platforms.get(name.lower())
    if found is None:
        from optout.recipes.catalogue import did_you_mean

        known = ", ".join(cat.platforms)
        raise UsageError(f"unknown platform {name!r}{did_you_mean(name.lower(), cat.platforms)}; known: {known}")
    return found


def setting(p: Platform, name: str) -> Setting:
    """The setting called `name` on platform p, or a usage error that suggests one."""
    found = p.setting(name)
    if found is None:
        from optout.recipes.catalogue import did_you_mean

        ids = [s.id for s in p.settings]
        raise UsageError(f"{p.id} has no setting {name!r}{did_you_mean(name, ids)}; its settings: {', '.join(ids)}")
    return found
