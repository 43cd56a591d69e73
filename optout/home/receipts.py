"""Receipts of objections filed (forms and manual steps have no switch to read back later).

For a form-only platform like Meta, the only thing optout can know is that it saw the site confirm
an objection; the receipt is that proof, kept per platform, account and setting. A person who
filed the objection in their own browser records it with `optout mark`: that receipt says it was
recorded by the user, and keeps a copy of whatever proof they give (the confirmation e-mail).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from optout.errors import UsageError
from optout.home.paths import receipts_dir
from optout.home.storage import read_json, write_json, write_private
from optout.results import RecordedBy, now

# Settings whose outcome no page shows: only these take receipts (a switch is read from its page).
RECEIPT_KINDS = frozenset({"form", "manual"})

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # a screenshot, a PDF or a saved e-mail, not a disk image


def recorded_by(receipt: dict[str, Any]) -> RecordedBy:
    """Who recorded the receipt; receipts written before `optout mark` existed are optout's."""
    return "user" if receipt.get("recorded_by") == "user" else "optout"


class Receipts:
    def __init__(self, home: Path) -> None:
        self.root = receipts_dir(home)

    def _path(self, platform: str, account: str, setting: str) -> Path:
        return self.root / platform / account / f"{setting}.json"

    def get(self, platform: str, account: str, setting: str) -> dict[str, Any] | None:
        """The stored receipt, None when there is none; UsageError (naming the file) when damaged."""
        path = self._path(platform, account, setting)
        fix = "restore it from a backup (deleted, optout no longer knows the objection was filed)"
        receipt = read_json(path, fix=fix)
        if receipt is not None and not isinstance(receipt, dict):
            raise UsageError(f"{path} is damaged (not a receipt); delete it or {fix}")
        return receipt

    def record(self, platform: str, account: str, setting: str, data: dict[str, Any]) -> None:
        write_json(self._path(platform, account, setting), data)

    def record_by_user(
        self, platform: str, account: str, setting: str, filed_on: date, evidence: Path | None
    ) -> dict[str, Any]:
        """Keep the user's word that they filed it on `filed_on`, with a private copy of their proof."""
        receipt: dict[str, Any] = {
            "filed_at": filed_on.isoformat(),
            "recorded_by": "user",
            "recorded_at": now().isoformat(),
        }
        if evidence is not None:
            copy = self._path(platform, account, setting).with_name(f"{setting}-evidence{_suffix(evidence)}")
            write_private(copy, _read_evidence(evidence))
            receipt["evidence"] = str(copy)
        self.record(platform, account, setting, receipt)
        return receipt

    def forget(self, platform: str, account: str, setting: str, receipt: dict[str, Any]) -> None:
        """Delete a receipt and the copy of the proof it keeps."""
        if receipt.get("evidence"):
            Path(receipt["evidence"]).unlink(missing_ok=True)
        self._path(platform, account, setting).unlink(missing_ok=True)


def _suffix(path: Path) -> str:
    """The proof's extension (.png, .pdf, .eml), so the copy opens in the right program."""
    suffix = path.suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ""


def _read_evidence(path: Path) -> bytes:
    """The proof's bytes; a usage error for anything that is not a readable, reasonably sized file
    (a FIFO or a device would hang or never end)."""
    try:
        info = path.stat()
        if not path.is_file():
            raise UsageError(f"--evidence {path}: not a regular file")
        if info.st_size > MAX_EVIDENCE_BYTES:
            raise UsageError(f"--evidence {path}: larger than {MAX_EVIDENCE_BYTES // 2**20} MB")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(MAX_EVIDENCE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"--evidence {path}: {exc.strerror or exc}") from None
