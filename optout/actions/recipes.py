"""`recipes update` and `recipes status` as work: installing a signed catalogue, and saying which
catalogue the commands read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from optout.errors import OptoutError, UsageError


def update(home: Path, timeout: float) -> str:
    """Fetch, verify and install the newest catalogue (optout.recipes.update_client.check); the line to
    print. Updates turned off are a usage error; a refusal or an unreachable repository keeps its
    exit code and says that the catalogue in use stays."""
    from optout.recipes import updates
    from optout.recipes.update_client import check

    off = updates.disabled(home)
    if off is not None:
        raise UsageError(f"recipe updates are off ({off})")
    try:
        return check(home, timeout=timeout).message
    except OptoutError as exc:
        raise OptoutError(f"{exc}; the catalogue in use stays", exit_code=exc.exit_code) from None


def status(home: Path) -> dict[str, Any]:
    """Which catalogue the commands read (bundled or updated), its version, when it was published
    and last checked, where updates come from and whether they are on (`recipes status --json`)."""
    from optout.recipes import updates
    from optout.recipes.files import bundled_path

    installed = updates.Installed.read(home)
    used = updates.active(home) is not None and installed is not None
    return {
        "source": "updated" if used else "bundled",
        "version": installed.version if used and installed else None,
        "published": installed.published if used and installed else None,
        "checked": installed.checked if installed else None,
        "url": (installed.url if used and installed else None) or updates.update_url(),
        "updates": "off" if updates.disabled(home) else "on",
        "path": str(installed.path if used and installed else bundled_path()),
    }
