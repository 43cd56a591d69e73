"""The home directory's layout is spelled in optout.home.paths alone: a second spelling is how the
report once looked for evidence where the runner no longer wrote it."""

from __future__ import annotations

import re
from pathlib import Path

import optout
from optout.home import paths

PACKAGE = Path(optout.__file__).parent
NAMES = [paths.SESSIONS, paths.HISTORY, paths.CONFIG, paths.CONFIG_LOCK, paths.RUN_LOCK, paths.EVIDENCE]
NAMES += [paths.RECEIPTS, paths.REPORTS, paths.RECIPES, paths.LISTING]


def test_no_other_module_joins_a_home_file_name() -> None:
    # `home / "history.db"`, `home / "sessions"`: a name of the layout joined to a path.
    joined = re.compile(r"/\s*[\"'](" + "|".join(re.escape(n) for n in NAMES) + r")[\"']")
    spelled = [
        f"{py.relative_to(PACKAGE)}:{n}"
        for py in PACKAGE.rglob("*.py")
        if py.name != "paths.py" and "replica" not in py.parts and "kits" not in py.parts
        for n, line in enumerate(py.read_text().splitlines(), 1)
        if joined.search(line)
    ]
    assert spelled == []


def test_the_layout_is_under_the_home_given() -> None:
    home = Path("/h")
    for where in (paths.sessions_dir, paths.history_db, paths.config_file, paths.evidence_dir):
        assert where(home).parent == home
    assert paths.recipes_dir(home) == home / "recipes" and paths.receipts_dir(home) == home / "receipts"
