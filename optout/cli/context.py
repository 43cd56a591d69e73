"""What every command needs from the global options: settings, the catalogue, platform lookup.

The catalogue (YAML, the pydantic models) loads on the first call that needs it, not with this
module: every command module imports this one, and `optout --help` needs no recipe."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from optout.errors import UsageError

if TYPE_CHECKING:
    from optout.schema import Catalogue, Platform, Setting
    from optout.settings import Settings


def settings(ctx: typer.Context) -> Settings:
    """The Settings the root callback stored for this run."""
    from optout.settings import Settings

    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def catalogue(ctx: typer.Context) -> Catalogue:
    """The catalogue for this run, loaded once: bundled, user file merged, origins applied."""
    from optout.catalogue import load_catalogue

    root = ctx.find_root()
    cached = root.meta.get("optout.catalogue")
    if cached is None:
        s = settings(ctx)
        cached = root.meta["optout.catalogue"] = load_catalogue(s.recipes, s.origins)
    return cached


def platform(cat: Catalogue, name: str) -> Platform:
    """The platform called `name`, or a usage error that suggests the closest one."""
    found = cat.platforms.get(name.lower())
    if found is None:
        from optout.catalogue import did_you_mean

        known = ", ".join(cat.platforms)
        raise UsageError(f"unknown platform {name!r}{did_you_mean(name.lower(), cat.platforms)}; known: {known}")
    return found


def setting(p: Platform, name: str) -> Setting:
    """The setting called `name` on platform p, or a usage error that suggests one."""
    found = p.setting(name)
    if found is None:
        from optout.catalogue import did_you_mean

        ids = [s.id for s in p.settings]
        raise UsageError(f"{p.id} has no setting {name!r}{did_you_mean(name, ids)}; its settings: {', '.join(ids)}")
    return found
