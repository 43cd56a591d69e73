"""What every command needs from the global options: settings, the catalogue, platform lookup."""

from __future__ import annotations

import typer

from optout.catalogue import did_you_mean, load_catalogue
from optout.errors import UsageError
from optout.schema import Catalogue, Platform, Setting
from optout.settings import Settings


def settings(ctx: typer.Context) -> Settings:
    """The Settings the root callback stored for this run."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def catalogue(ctx: typer.Context) -> Catalogue:
    """The catalogue for this run, loaded once: bundled, user file merged, origins applied."""
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
        known = ", ".join(cat.platforms)
        raise UsageError(f"unknown platform {name!r}{did_you_mean(name.lower(), cat.platforms)}; known: {known}")
    return found


def setting(p: Platform, name: str) -> Setting:
    """The setting called `name` on platform p, or a usage error that suggests one."""
    found = p.setting(name)
    if found is None:
        ids = [s.id for s in p.settings]
        raise UsageError(f"{p.id} has no setting {name!r}{did_you_mean(name, ids)}; its settings: {', '.join(ids)}")
    return found
