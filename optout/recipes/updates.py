"""Which catalogue a command reads: the bundled one, or a signed update installed in the home.

Read on every command that loads recipes, so it costs a few stat calls and two small JSON files:
nothing here imports TUF, YAML or the models (optout.recipes.update_client downloads and verifies; this
module only says what it installed). An update is used when updates are on (neither
OPTOUT_NO_UPDATES=1 nor `config set updates off`), its file is the one the check recorded (same
SHA-256), this optout can read it (`min_optout`), and this optout is the one that last confirmed
it was the newest published: after an upgrade the bundled catalogue is used until the next check,
since the new release's bundled catalogue may be newer than an update installed before it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from optout import __version__
from optout.errors import UsageError
from optout.home.paths import config_file, recipes_dir
from optout.home.storage import read_json
from optout.recipes.files import MAX_BYTES, too_old

# Where the maintainers publish the catalogue's TUF repository. No repository is published yet:
# until there is, updates come only from a repository named with OPTOUT_UPDATE_URL.
UPDATE_URL: str | None = None
# The files of HOME/recipes/ (optout.home.paths.recipes_dir): the installed catalogue, its state, the
# trusted TUF metadata.
CATALOGUE_NAME = "platforms.yaml"  # the target's name in the repository, and the installed file
STATE_NAME = "state.json"
ATTEMPT_NAME = "attempted.json"  # when a scheduled run last asked the repository, whatever came of it
CHANGED_NAME = "changed.json"  # "platform/setting" -> when an installed update last changed its recipe
DAILY = 24 * 3600  # seconds between the checks of scheduled runs


def bundled_root() -> Path:
    """The root of trust shipped with optout (see README: a development root for now)."""
    return Path(__file__).resolve().parent / "recipes_root.json"


def update_url() -> str | None:
    """The repository's base URL: OPTOUT_UPDATE_URL, else the maintainers' constant."""
    url = os.environ.get("OPTOUT_UPDATE_URL", "").strip() or UPDATE_URL
    return url.rstrip("/") if url else None


def folder(home: Path) -> Path:
    return recipes_dir(home)


def disabled(home: Path) -> str | None:
    """Why updates are off (a phrase for messages), or None when they are on."""
    if os.environ.get("OPTOUT_NO_UPDATES", "").strip() not in ("", "0"):
        return "OPTOUT_NO_UPDATES is set"
    try:
        # As plain JSON: optout.home.user_config's checks and its lock cost milliseconds on every command.
        config = read_json(config_file(home))
    except (UsageError, OSError):
        return "the config file is damaged"  # the commands that read it say how; until then, the bundled one
    if isinstance(config, dict) and config.get("updates") == "off":
        return "`optout config set updates off`"
    return None


@dataclass(frozen=True)
class Installed:
    """What the last successful check recorded (HOME/recipes/state.json)."""

    path: Path
    version: int | None
    published: str | None
    checked: str | None
    url: str | None
    sha256: str | None
    min_optout: str | None
    confirmed_by: str | None  # the optout release that last found it the newest published

    @classmethod
    def read(cls, home: Path) -> Installed | None:
        try:
            data = read_json(folder(home) / STATE_NAME)
        except (UsageError, OSError):
            return None
        if not isinstance(data, dict):
            return None

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        version = data.get("version")
        return cls(
            path=folder(home) / CATALOGUE_NAME,
            version=version if isinstance(version, int) else None,
            published=text("published"),
            checked=text("checked"),
            url=text("url"),
            sha256=text("sha256"),
            min_optout=text("min_optout"),
            confirmed_by=text("optout"),
        )

    def as_state(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "published": self.published,
            "checked": self.checked,
            "url": self.url,
            "sha256": self.sha256,
            "min_optout": self.min_optout,
            "optout": self.confirmed_by,
        }

    def usable(self) -> bool:
        """Whether this optout reads the installed catalogue instead of the bundled one."""
        if self.sha256 is None or self.confirmed_by != __version__:
            return False
        try:
            if self.min_optout is not None and too_old(__version__, self.min_optout):
                return False
        except ValueError:  # state.json edited by hand: the bundled catalogue until the next check
            return False
        try:
            data = _read_limited(self.path)
        except OSError:
            return False
        return hashlib.sha256(data).hexdigest() == self.sha256


def due(home: Path, now: float) -> bool:
    """Whether a scheduled run should ask the repository now: updates on, a repository set, and no
    attempt in the last day (a failed one counts: a server that is down is not asked every run)."""
    if update_url() is None or disabled(home) is not None:
        return False
    try:
        last = read_json(folder(home) / ATTEMPT_NAME)
    except (UsageError, OSError):
        return True
    at = last.get("at") if isinstance(last, dict) else None
    return not isinstance(at, (int, float)) or not 0 <= now - at < DAILY


def recipe_changed(home: Path) -> dict[str, datetime]:
    """When an installed update last changed each setting's recipe ("platform/setting" keys), for
    the note a setting that was not found gets once a fixed recipe arrives; {} when none did."""
    try:
        data = read_json(folder(home) / CHANGED_NAME)
    except (UsageError, OSError):
        return {}
    if not isinstance(data, dict):
        return {}
    changed = {}
    for name, at in data.items():
        try:
            changed[name] = datetime.fromisoformat(at)
        except (TypeError, ValueError):  # edited by hand: that entry says nothing
            continue
    return changed


def _read_limited(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def active(home: Path) -> Path | None:
    """The installed update every command reads instead of the bundled catalogue, or None."""
    installed = Installed.read(home)
    if installed is None or installed.sha256 is None:
        return None  # never updated: not even the config file is read
    if disabled(home) is not None or not installed.usable():
        return None
    return installed.path
