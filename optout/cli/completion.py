"""What the shell completes after `optout …<TAB>`: platform ids, setting ids, config keys.

Completion runs on every key press, so it reads only the recipe catalogue (YAML, no browser, no
Playwright) and never fails: a broken recipe file or a half-typed command completes to what the
bundled catalogue knows, or to nothing. The command modules name these functions when they are
imported, so what the functions need loads when they run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from optout.errors import OptoutError

if TYPE_CHECKING:
    from optout.recipes.schema import Catalogue

Candidates = list[tuple[str, str]]  # (value, help shown by zsh and fish)


def _catalogue(ctx: typer.Context) -> Catalogue | None:
    """The catalogue this command line would use: the user's --recipes (or OPTOUT_RECIPES) merged
    over the bundled one, else the bundled one alone."""
    from optout.recipes.catalogue import load_catalogue

    recipes = ctx.find_root().params.get("recipes")
    for user_file in (Path(recipes).expanduser() if recipes else None, None):
        try:
            return load_catalogue(user_file)
        except OptoutError:
            continue
    return None


def _matching(candidates: Candidates, incomplete: str, typed: object) -> Candidates:
    """The candidates starting with what is typed so far, minus those already on the line."""
    given = set(typed) if isinstance(typed, (list, tuple)) else {typed}
    return [(value, text) for value, text in candidates if value.startswith(incomplete) and value not in given]


def platform_ids(ctx: typer.Context, incomplete: str) -> Candidates:
    cat = _catalogue(ctx)
    platforms = cat.platforms.values() if cat else []
    return _matching([(p.id, p.name) for p in platforms], incomplete, ctx.params.get("platforms"))


def setting_ids(ctx: typer.Context, incomplete: str) -> Candidates:
    """The settings of the platform named before them on the line."""
    return _settings(ctx, incomplete, kinds=None)


def markable_setting_ids(ctx: typer.Context, incomplete: str) -> Candidates:
    """Only objection forms and manual steps: what `optout mark` accepts."""
    from optout.home.receipts import RECEIPT_KINDS

    return _settings(ctx, incomplete, kinds=RECEIPT_KINDS)


def _settings(ctx: typer.Context, incomplete: str, kinds: frozenset[str] | None) -> Candidates:
    cat = _catalogue(ctx)
    name = ctx.params.get("platform")
    platform = cat.platforms.get(str(name).lower()) if cat and name else None
    if platform is None:
        return []
    settings = [(s.id, s.title) for s in platform.settings if kinds is None or s.kind in kinds]
    typed = ctx.params.get("settings") or ctx.params.get("setting")
    return _matching(settings, incomplete, typed)


def config_keys(ctx: typer.Context, incomplete: str) -> Candidates:
    """The fixed keys, then the per-resource lists the catalogue has (`wordpress.site`)."""
    from optout.engine.plan import resource_keys
    from optout.home.user_config import KEYS

    cat = _catalogue(ctx)
    keys = {key: text for key, (_, text) in KEYS.items()} | (resource_keys(cat) if cat else {})
    return [(key, text) for key, text in keys.items() if key.startswith(incomplete)]
