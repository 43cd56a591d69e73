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


def test_the_lock_pins_every_dependency() -> None:
    """A dependency added to pyproject.toml without `bash requirements/refresh.sh` would be
    installed unpinned by the test command: the lock names each one, at one exact version."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [
        *project["dependencies"],
        *(d for extra in ("test", "lint") for d in project["optional-dependencies"][extra]),
    ]
    lock = (ROOT / "requirements" / "test.lock").read_text()

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned = {norm(m[1]) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+", lock, re.M)}
    assert {norm(re.match(r"[A-Za-z0-9._-]+", d)[0]) for d in wanted} <= pinned


def test_readme_first_command_installs_a_browser_and_runs_the_demo() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "optout doctor --install-browser && .venv/bin/optout demo" in readme


def test_readme_platform_table_is_the_catalogues() -> None:
    from optout.recipes.catalogue import load_catalogue
    from optout.recipes.overview import README_END, README_START, markdown

    readme = (ROOT / "README.md").read_text()
    shown = readme.split(README_START, 1)[1].split(README_END, 1)[0].strip()
    assert shown == markdown(load_catalogue()), "regenerate it: optout recipes table"


def test_readme_exit_code_table_is_the_enums() -> None:
    """Scripts read the exit codes from the README: its table lists exactly optout.exit_codes'
    values, each in a row that says what the enum says it means."""
    import re

    from optout.exit_codes import MEANINGS, ExitCode

    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|")[1:3] for line in table.splitlines() if re.match(r"\| \d", line)]
    listed = {int(code): meaning for codes, meaning in rows for code in codes.split(",")}
    assert sorted(listed) == sorted(ExitCode)
    for code, words in MEANINGS.items():
        assert words in listed[code], f"README's row for exit code {code} does not say {words!r}"
