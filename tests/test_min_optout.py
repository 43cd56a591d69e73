"""`min_optout`: a recipe that needs a newer optout is reported as an error, never run in part."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from optout.engine.jobs import Job, RunOptions
from optout.engine.settled import decide
from optout.recipes.catalogue import load_catalogue
from optout.recipes.files import too_old
from optout.recipes.schema import Platform
from optout.results import State


def _platform(min_optout: str | None) -> Platform:
    linkedin = load_catalogue().platforms["linkedin"]
    return linkedin.model_copy(update={"min_optout": min_optout})


@pytest.mark.parametrize(
    ("running", "needed", "old"),
    [("0.1.0", "0.2", True), ("0.9", "0.10", True), ("1.2", "1.2.0", False), ("1.3.1", "1.2", False)],
)
def test_release_numbers_compare_as_numbers(running: str, needed: str, old: bool) -> None:
    assert too_old(running, needed) is old


def test_every_setting_of_a_too_new_recipe_is_an_error_before_any_page(tmp_path: Path) -> None:
    p = _platform("99.0")
    job = Job(p, p.settings)
    decisions = [decide(job, s, RunOptions(home=tmp_path), None) for s in p.settings]
    assert decisions and all(d is not None and d.state is State.ERROR for d in decisions)
    assert decisions[0].detail == "this recipe needs optout 99.0 or newer; upgrade"


def test_a_recipe_this_optout_can_read_runs_as_usual(tmp_path: Path) -> None:
    p = _platform("0.1")
    assert decide(Job(p, p.settings), p.settings[0], RunOptions(home=tmp_path), None) is None


def test_min_optout_must_be_a_release_number() -> None:
    with pytest.raises(ValidationError, match="min_optout"):
        Platform.model_validate({**_platform(None).model_dump(), "min_optout": "soon"})


def test_the_installed_version_is_the_one_recipes_are_checked_against() -> None:
    from importlib import metadata

    import optout

    assert metadata.version("optout") == optout.__version__
