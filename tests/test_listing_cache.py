"""`optout platforms` from the cache: the same answer as validating, and never a stale or unchecked one.

The listing is reused only when the bundled catalogue, the user's recipe file, the origins and the
code that made it are unchanged; anything else (or a damaged cache) validates from scratch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from optout.recipes.listing_cache import cache_file, listing

MAIL = (
    "version: 1\nplatforms:\n  mail:\n    name: Mail\n    origin: https://mail.example.com\n"
    "    domains: [example.com]\n    settings:\n      - id: ask\n        title: {title}\n"
    "        url: https://mail.example.com/privacy\n        kind: manual\n"
    "        sources: [{{url: https://mail.example.com/privacy, checked: 2026-11-22}}]\n"
)


def test_the_cached_listing_is_the_validated_one(cli) -> None:
    first_table, first_json = cli("platforms").stdout, cli("platforms", "--json").stdout
    assert cache_file().stat().st_mode & 0o777 == 0o600
    assert cache_file().parent.stat().st_mode & 0o777 == 0o700
    assert cli("platforms").stdout == first_table and cli("platforms", "--json").stdout == first_json
    cache_file().unlink()
    assert cli("platforms").stdout == first_table  # validated again, same answer


def test_the_listing_is_made_once_for_the_same_files_and_origins() -> None:
    made = []

    def build() -> dict:
        made.append(1)
        return {"rows": [["x"]], "json": [{"n": len(made)}]}

    origins = {"linkedin": "http://127.0.0.1:8001"}
    assert listing(None, origins, build) == listing(None, dict(origins), build) == {"rows": [["x"]], "json": [{"n": 1}]}
    assert listing(None, {}, build)["json"] == [{"n": 2}] and len(made) == 2


def test_a_changed_recipe_file_is_validated_again(cli, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(MAIL.format(title="Ask them"))
    assert "Ask them" in cli("--recipes", str(mine), "platforms").stdout
    mine.write_text(MAIL.format(title="Ask again"))
    assert "Ask again" in cli("--recipes", str(mine), "platforms").stdout
    mine.write_text(MAIL.format(title="Ask them").replace("kind: manual", "kind: manul"))
    run = cli("--recipes", str(mine), "platforms")  # a cache of the valid file must not hide the error
    assert run.exit_code == 2 and "mine.yaml:" in run.stderr


def test_origins_are_part_of_what_was_validated(cli) -> None:
    plain = json.loads(cli("platforms", "--json").stdout)
    moved = json.loads(cli("--origin", "linkedin=http://127.0.0.1:8001", "platforms", "--json").stdout)
    origin = {p["id"]: p["origin"] for p in moved}["linkedin"]
    assert origin.startswith("http://127.0.0.1:8001") and moved != plain
    assert json.loads(cli("platforms", "--json").stdout) == plain


def test_a_damaged_or_stale_cache_is_made_again(cli) -> None:
    shown = cli("platforms", "--json").stdout
    cache_file().write_text("{not json")
    assert cli("platforms", "--json").stdout == shown
    entry = json.loads(cache_file().read_text())
    entry["listing"]["json"] = []
    entry["code"][0][2] += 1  # a module file changed since: an edit or an upgrade
    cache_file().write_text(json.dumps(entry))
    assert cli("platforms", "--json").stdout == shown
    assert json.loads(cache_file().read_text())["listing"]["json"]


def test_a_cached_listing_loads_no_recipe_parser_or_model(home: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    env.update(OPTOUT_HOME=str(home), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    code = (
        "import sys\nfrom optout.cli.app import app\n"
        "try: app(['platforms'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('optout.recipes.catalogue', 'optout.recipes.schema', 'yaml') if m in sys.modules))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60) for _ in "12"
    ]
    assert runs[0].stdout.strip().endswith("['optout.recipes.catalogue', 'optout.recipes.schema', 'yaml']"), runs[
        0
    ].stderr
    assert runs[1].stdout.strip().endswith("[]"), runs[1].stderr
    assert runs[0].stdout == runs[1].stdout.replace(
        "[]", "['optout.recipes.catalogue', 'optout.recipes.schema', 'yaml']"
    )
