"""The README's two set-up commands are what CI really runs, so they cannot silently rot."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    marker = next(i for i, line in enumerate(ci) if line.startswith("# The README's test command"))
    command = ci[marker + 1]
    assert command.startswith("python3 -m venv .venv")
    assert command in (ROOT / "README.md").read_text()


def test_readme_first_command_installs_a_browser_and_runs_the_demo() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "optout doctor --install-browser && .venv/bin/optout demo" in readme


def test_readme_platform_table_is_the_catalogues() -> None:
    from optout.catalogue import load_catalogue
    from optout.overview import README_END, README_START, markdown

    readme = (ROOT / "README.md").read_text()
    shown = readme.split(README_START, 1)[1].split(README_END, 1)[0].strip()
    assert shown == markdown(load_catalogue()), "regenerate it: optout recipes table"
