"""Commands about the recipe catalogue: `platforms`, `recipes validate`, `recipes schema`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from optout.catalogue import bundled_path, parse_catalogue
from optout.cli import context
from optout.cli.options import JsonOption
from optout.cli.output import emit_json, table
from optout.errors import RecipeError
from optout.schema import Catalogue, Platform, Setting


def _last_checked(setting: Setting) -> str:
    return max(s.checked for s in setting.sources).isoformat()


def _regions(setting: Setting) -> str:
    if setting.regions is None:
        return "everywhere"
    parts = []
    if setting.regions.offered:
        parts.append("only " + ",".join(setting.regions.offered))
    if setting.regions.not_offered:
        parts.append("not " + ",".join(setting.regions.not_offered))
    return "; ".join(parts) or "everywhere"


def _platform_json(p: Platform) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "origin": p.origin,
        "settings": [
            {
                "id": s.id,
                "title": s.title,
                "kind": s.kind,
                "url": s.url,
                "opted_out": s.opted_out,
                "disable_by_default": s.disable_by_default,
                "regions": s.regions.model_dump() if s.regions else None,
                "last_checked": _last_checked(s),
                "sources": [src.model_dump(mode="json") for src in s.sources],
            }
            for s in p.settings
        ],
    }


def platforms(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every platform and setting optout knows: kind, regions, when the facts were checked."""
    cat = context.catalogue(ctx)
    if as_json:
        emit_json([_platform_json(p) for p in cat.platforms.values()])
        return
    rows = [
        [p.id, s.id, s.title, s.kind, _regions(s), "yes" if s.disable_by_default else "no", _last_checked(s)]
        for p in cat.platforms.values()
        for s in p.settings
    ]
    table(["platform", "setting", "title", "kind", "regions", "default", "checked"], rows)


recipes_app = typer.Typer(help="Check and describe recipe files.", no_args_is_help=True)


@recipes_app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Recipe file to check (default: --recipes, else the bundled catalogue).")
    ] = None,
) -> None:
    """Check a recipe file against the schema: exit 0 when valid, else one line per error, exit 2."""
    target = file or context.settings(ctx).recipes or bundled_path()
    try:
        cat = parse_catalogue(target)
    except RecipeError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    settings = sum(len(p.settings) for p in cat.platforms.values())
    typer.echo(f"{target}: valid ({len(cat.platforms)} platforms, {settings} settings)")


@recipes_app.command("schema")
def schema() -> None:
    """Print the recipe JSON Schema, for editors and CI checks."""
    typer.echo(json.dumps(Catalogue.model_json_schema(), indent=2))
