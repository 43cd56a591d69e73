"""Commands about the recipe catalogue: `platforms`, `recipes validate|schema|update|status`.

The catalogue, its models and the YAML parser load inside the commands: `optout --help` needs none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optout.cli import context
from optout.cli.options import JsonOption
from optout.cli.output import emit_json, table
from optout.errors import RecipeError
from optout.exit_codes import ExitCode
from optout.recipes.files import bundled_path

if TYPE_CHECKING:
    from optout.recipes.schema import Platform


def _platform_json(p: Platform) -> dict[str, Any]:
    from optout.recipes import overview

    return {
        "id": p.id,
        "name": p.name,
        "origin": p.origin,
        "confidence": p.confidence,
        "settings": [
            {
                "id": s.id,
                "title": s.title,
                "kind": s.kind,
                "category": s.category,
                "url": s.url,
                "opted_out": s.opted_out,
                "states": s.states.model_dump() if s.states else None,
                "per": s.resource.title if s.resource else None,
                "confidence": p.confidence_of(s),
                "disable_by_default": s.disable_by_default,
                "regions": s.regions.model_dump() if s.regions else None,
                "regions_text": overview.regions(s),
                "last_checked": overview.last_checked(s),
                "sources": [src.model_dump(mode="json") for src in s.sources],
                "caveat": s.caveat,
                "labels": [label.model_dump() for label in s.control.labels] if s.control else [],
            }
            for s in p.settings
        ],
    }


def platforms(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every platform and setting optout knows, by platform: kind, how sure the facts are, regions."""
    from optout.recipes import overview
    from optout.recipes.listing_cache import listing

    def build() -> dict[str, Any]:
        cat = context.catalogue(ctx)
        return {"rows": overview.rows(cat), "json": [_platform_json(p) for p in cat.platforms.values()]}

    s = context.global_options(ctx)
    # validated anew unless the same files were before
    shown = listing(s.recipes, s.origins, build, context.base_catalogue(ctx))
    if as_json:
        emit_json(shown["json"])
        return
    table(overview.HEADERS, shown["rows"])


# Mounted by optout.cli.app when used: plain help like the root's, whose completion options serve it.
recipes_app = typer.Typer(
    help="Check and describe recipe files.", no_args_is_help=True, rich_markup_mode=None, add_completion=False
)


@recipes_app.command("validate")
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Recipe file to check (default: --recipes, else the bundled catalogue).")
    ] = None,
) -> None:
    """Check a recipe file against the schema: exit 0 when valid, else one line per error, exit 2."""
    from optout.recipes.catalogue import parse_catalogue

    target = file or context.global_options(ctx).recipes or bundled_path()
    try:
        cat = parse_catalogue(target)
    except RecipeError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(ExitCode.USAGE) from None
    settings = sum(len(p.settings) for p in cat.platforms.values())
    typer.echo(f"{target}: valid ({len(cat.platforms)} platforms, {settings} settings)")


@recipes_app.command("new")
def new(
    platform_id: Annotated[str, typer.Argument(metavar="ID", help="The new platform's id, e.g. mastodon.")],
    catalogue: Annotated[
        Path | None, typer.Option("--catalogue", help="Recipe file to add to (default: the bundled catalogue).")
    ] = None,
    kits: Annotated[
        Path | None, typer.Option("--kits", help="Kit folder to create it in (default: optout/kits).")
    ] = None,
) -> None:
    """Start a new platform: a recipe stub and a kit stub that validate, for you to fill in."""
    from optout import kits as kits_package
    from optout.recipes.scaffold import new_platform

    target = catalogue or bundled_path()
    written = new_platform(platform_id, target, kits or Path(kits_package.__file__).parent)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(
        f"next: replace the TODOs with the facts (and their sources), check with `optout recipes validate {target}`,\n"
        f"describe the settings page in the kit, then run `pytest tests/test_matrix.py -k {platform_id}`"
    )


@recipes_app.command("table")
def markdown_table(ctx: typer.Context) -> None:
    """Print every platform and setting as a Markdown table (the README's, kept in step by a test)."""
    from optout.recipes import overview

    typer.echo(overview.markdown(context.catalogue(ctx)))


@recipes_app.command("update")
def update(
    ctx: typer.Context,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each answer of the repository.")
    ] = 10.0,
) -> None:
    """Fetch the newest signed catalogue, verify it (TUF) and validate it, and install it for every command.

    Exit 0 when installed or already up to date (or ignored because it needs a newer optout, said in
    one line), 2 when refused (signatures, expiry, rollback, a catalogue that fails validation) or
    updates are off, 3 when the repository could not be reached. The installed catalogue stays
    in use whenever nothing new is installed."""
    from optout.actions.recipes import update as install

    typer.echo(install(context.global_options(ctx).home, timeout))


@recipes_app.command("status")
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Say which catalogue commands read (bundled or updated), its version, when published and checked."""
    from optout.actions.recipes import status as read

    shown = read(context.global_options(ctx).home)
    if as_json:
        emit_json(shown)
        return
    if shown["source"] == "updated":
        typer.echo(f"catalogue: updated, version {shown['version']}, published {shown['published']}")
    else:
        typer.echo("catalogue: bundled with this optout")
    typer.echo(f"file: {shown['path']}")
    typer.echo(f"last checked: {shown['checked'] or 'never'}")
    typer.echo(f"from: {shown['url'] or 'no update repository set (OPTOUT_UPDATE_URL)'}")
    typer.echo(f"updates: {shown['updates']}")


@recipes_app.command("schema")
def schema() -> None:
    """Print the recipe JSON Schema, for editors and CI checks."""
    from optout.recipes.schema import Catalogue

    typer.echo(json.dumps(Catalogue.model_json_schema(), indent=2))
