"""Platform kits: everything about one platform apart from its recipe, one folder each.

A kit is `optout/kits/<platform id>/`: `site.py` (its replica, a `Site` subclass exported as
`SITE`), the markup files its pages use (HTML, CSS, JS), and anything platform-specific its tests
need. The recipe stays in `platforms.yaml`, where people read and edit the catalogue.

The registry is derived from the kit folders and the catalogue, so the demo, the benchmark and the
generic test matrix cover every platform that has both: adding a platform is its recipe plus its
kit, and no other file changes.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from optout.recipes.schema import PAGE_KINDS

if TYPE_CHECKING:
    from optout.recipes.schema import Catalogue, Setting
    from optout.replica.server import Site


@cache
def kit_ids() -> tuple[str, ...]:
    """Every platform with a kit folder, sorted."""
    base = resources.files(__name__)
    return tuple(sorted(p.name for p in base.iterdir() if p.is_dir() and p.joinpath("site.py").is_file()))


def site_class(platform: str) -> type[Site]:
    """The replica `Site` class of a platform's kit."""
    if platform not in kit_ids():
        raise KeyError(f"no kit for platform {platform!r}; kits: {', '.join(kit_ids())}")
    return importlib.import_module(f"{__name__}.{platform}.site").SITE


def replica_platforms(catalogue: Catalogue) -> list[str]:
    """Platforms that have both a recipe and a kit."""
    return [pid for pid in catalogue.platforms if pid in kit_ids()]


def page_settings(catalogue: Catalogue, platform: str) -> list[Setting]:
    """The settings of a platform that live on a page the engine reads."""
    return [s for s in catalogue.platforms[platform].settings if s.kind in PAGE_KINDS]


def resource_config(catalogue: Catalogue, platform: str) -> dict[str, str]:
    """Config values that point a platform's per-resource settings at its replica's resources
    (`wordpress.site` -> "myblog.wordpress.com,recipes.example.org"), as a user would set them."""
    resources = ",".join(getattr(site_class(platform), "resources", ()))
    return {
        f"{platform}.{s.resource.name}": resources
        for s in catalogue.platforms[platform].settings
        if s.resource is not None and resources
    }
