"""Where the bundled recipe catalogue is and how big a recipe file may be: what the loader
(optout.catalogue) and the listing cache (optout.listing_cache) both need, without the loader's
YAML parser and models."""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 1024 * 1024  # the bundled catalogue of every platform is a few kilobytes


def bundled_path() -> Path:
    """The catalogue shipped with optout: inside the wheel, or at the root of a source checkout."""
    package = Path(__file__).resolve().parent
    packaged = package / "platforms.yaml"
    if packaged.is_file():
        return packaged
    return package.parent / "platforms.yaml"
