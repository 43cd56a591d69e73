"""Where the bundled recipe catalogue is, how big a recipe file may be and how `min_optout` is
compared: what the loader (optout.recipes.catalogue), the listing cache (optout.recipes.listing_cache), the engine
and the update check (optout.recipes.updates) need, without the loader's YAML parser and models."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 1024 * 1024  # the bundled catalogue of every platform is a few kilobytes


def bundled_path() -> Path:
    """The catalogue shipped with optout: inside the wheel, or at the root of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # optout/, above optout/recipes/
    packaged = package / "platforms.yaml"
    if packaged.is_file():
        return packaged
    return package.parent / "platforms.yaml"


def too_old(running: str, needed: str) -> bool:
    """Whether release `running` comes before `needed` ("0.9" < "0.10"; "1.2" == "1.2.0")."""

    def parts(version: str) -> tuple[int, ...]:
        numbers = [int(p) for p in version.split(".")]
        return tuple(numbers + [0] * (3 - len(numbers)))

    return parts(running) < parts(needed)
