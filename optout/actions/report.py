"""`optout report`: one archive a user can attach to a bug report when a recipe breaks.

It holds what a maintainer needs to fix the recipe (the last result, the screenshot and page
HTML, a fresh ARIA snapshot, the recipe as used, versions, region and UI language) and nothing
that would let anyone into the account: every text file passes through the same scrubbing
(cookie values, CSRF tokens, e-mail addresses, the user's name) before it is written.
"""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from optout.engine.evidence import Secrets
from optout.errors import UsageError
from optout.home.paths import evidence_dir, reports_dir
from optout.home.storage import private_dir, write_private
from optout.recipes.schema import Platform
from optout.results import now


@dataclass
class Contents:
    """What goes into the archive: text files (scrubbed on writing), binary files, and notes on
    what is missing and why."""

    texts: dict[str, str] = field(default_factory=dict)
    binaries: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def recipe_text(platform: Platform, setting: str | None) -> str:
    """The recipe as this run used it (origin overrides applied), as YAML."""
    data = platform.model_dump(mode="json", exclude_none=True)
    if setting is not None:
        data["settings"] = [s for s in data["settings"] if s["id"] == setting]
    return yaml.safe_dump({platform.id: data}, sort_keys=False, allow_unicode=True)


def evidence_files(home: Path, platform: str, setting: str | None, last: dict[str, Any] | None) -> list[Path]:
    """The screenshot and HTML of the last result, else the newest evidence of the platform (of the
    setting when given): a PNG and, for failures, the HTML saved beside it."""
    png: Path | None = None
    if last and last.get("evidence") and Path(last["evidence"]).is_file():
        png = Path(last["evidence"])
    else:
        folder = evidence_dir(home) / platform
        shots = sorted(folder.glob(f"*-{setting}.png" if setting else "*.png")) if folder.is_dir() else []
        png = shots[-1] if shots else None
    if png is None:
        return []
    return [p for p in (png, png.with_suffix(".html")) if p.is_file()]


def write_report(home: Path, name: str, contents: Contents, secrets: Secrets) -> Path:
    """HOME/reports/NAME-TIME.tar.gz, mode 600 in a 700 folder, every text scrubbed first. A home
    that cannot be written (a read-only mount, a full disk) must not cost the report: it then goes
    into a private folder of its own under the system's temporary directory."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        files = {k: secrets.clean(v).encode() for k, v in contents.texts.items()} | contents.binaries
        if contents.notes:
            files["NOTES.txt"] = secrets.clean("\n".join(contents.notes) + "\n").encode()
        for member, data in files.items():
            info = tarfile.TarInfo(member)
            info.size, info.mode, info.mtime = len(data), 0o600, int(now().timestamp())
            tar.addfile(info, io.BytesIO(data))
    file_name = f"{name}-{now().strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
    try:
        path = private_dir(reports_dir(home)) / file_name
        write_private(path, buffer.getvalue())
    except (UsageError, OSError):
        path = Path(tempfile.mkdtemp(prefix="optout-report-")) / file_name  # mode 700
        write_private(path, buffer.getvalue())
    return path


def as_json_text(data: Any) -> str:
    return json.dumps(data, indent=2, default=str) + "\n"
