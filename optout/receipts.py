"""Receipts of objections filed through optout (forms have no switch to read back later).

For a form-only platform like Meta, the only thing optout can know is that it saw the site confirm
an objection; the receipt is that proof, kept per platform, account and setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from optout.errors import UsageError
from optout.storage import read_json, write_json


class Receipts:
    def __init__(self, home: Path) -> None:
        self.root = home / "receipts"

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
