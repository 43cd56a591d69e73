"""What `optout platforms` prints, kept from the last time the same recipe files were validated.

Validating the catalogue (YAML, the pydantic models, the public suffix list) takes most of a second
of CPU, and `platforms` only shows what a valid catalogue holds. So that listing is kept in optout's
cache folder together with everything it was made from: optout's version, the Python, the SHA-256
of the bundled catalogue (or of the installed update read instead) and of the user's recipe file,
the --origin overrides, and the size and time of every module file (optout's own and each
library's) that was loaded when it was made. Any difference, or a cache file that is missing,
unreadable or damaged, and the catalogue is validated from scratch, its errors reported as always,
and the listing written anew (mode 600, atomically).

Only `platforms` reads it. Every command that acts validates the recipes itself, so the cache can
never let an invalid recipe act.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from optout import __version__
from optout.errors import UsageError
from optout.home.paths import listing_file
from optout.home.storage import read_json, write_json
from optout.input_files import read_input
from optout.recipes.files import MAX_BYTES, bundled_path

Listing = dict[str, Any]


def cache_file() -> Path:
    return listing_file()


def listing(
    recipes: Path | None, origins: Mapping[str, str], build: Callable[[], Listing], base: Path | None = None
) -> Listing:
    """The listing `build` makes from the validated catalogue (`base`: an installed update read
    instead of the bundled catalogue), from the cache when it was made from the same files by the
    same code. What is returned is what was (or would be) stored: a listing
    printed on the first run is the one printed from the cache on the next."""
    key = _key(recipes, origins, base)
    cached = _read() if key is not None else None
    if cached is not None and cached.get("key") == key and _same_code(cached.get("code")):
        return cached["listing"]
    made = json.loads(json.dumps(build(), default=str))
    # Stored only when the files did not change while they were being validated.
    if key is not None and _key(recipes, origins, base) == key:
        _write({"key": key, "code": _code(), "listing": made})
    return made


def _key(recipes: Path | None, origins: Mapping[str, str], base: Path | None) -> dict[str, Any] | None:
    """What the listing depends on besides the code; None when a recipe file cannot be read (the
    validation then says why)."""
    try:
        bundled = _sha256(base or bundled_path())
        user = [str(recipes), _sha256(recipes)] if recipes is not None else None
    except UsageError:
        return None
    return {
        "optout": __version__,
        "python": sys.version,
        "bundled": bundled,
        "recipes": user,
        "origins": [[platform, origin] for platform, origin in sorted(origins.items())],  # as JSON reads back
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(read_input(path, MAX_BYTES, "recipe file")).hexdigest()


def _code() -> list[list[Any]]:
    """Every module file of optout and the top module of every library loaded now, when the listing
    was made: what validated the catalogue and built the listing. A changed file (an upgrade, an
    edit in a checkout whose version stays the same) makes the listing stale."""
    files = []
    for name, module in list(sys.modules.items()):
        top = name.partition(".")[0]
        if top != "optout" and (name != top or top in sys.stdlib_module_names):
            continue
        path = getattr(module, "__file__", None)
        if path:
            files.append([path, *_stat(path)])
    return sorted(files)


def _stat(path: str) -> list[int]:
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns]


def _same_code(files: Any) -> bool:
    try:
        return bool(files) and all(_stat(path) == [size, mtime] for path, size, mtime in files)
    except (OSError, TypeError, ValueError):
        return False


def _read() -> dict[str, Any] | None:
    try:
        cached = read_json(cache_file())
    except (UsageError, OSError):
        return None
    return cached if isinstance(cached, dict) and isinstance(cached.get("listing"), dict) else None


def _write(entry: dict[str, Any]) -> None:
    """Best effort: a cache folder optout cannot use only means validating next time too."""
    try:
        write_json(cache_file(), entry)
    except (UsageError, OSError):
        pass
