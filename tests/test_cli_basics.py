"""The CLI skeleton: platforms, recipes, doctor, global options, and bad input handled cleanly
(exit 2, one line, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optout.engine.browser import find_browser
from optout.errors import NoBrowserError


def test_platforms_lists_every_setting(cli) -> None:
    run = cli("platforms")
    assert run.exit_code == 0
    for word in ("linkedin", "ai-training", "grok-memory", "ai-objection", "2026-11-22"):
        assert word in run.stdout


def test_platforms_json(cli) -> None:
    data = json.loads(cli("platforms", "--json").stdout)
    x = next(p for p in data if p["id"] == "x")
    assert [s["id"] for s in x["settings"]] == ["grok-training", "grok-personalization", "grok-memory"]
    meta = next(p for p in data if p["id"] == "meta")
    assert meta["settings"][0]["kind"] == "form" and "GB" in meta["settings"][0]["regions"]["offered"]
    assert meta["settings"][0]["last_checked"] == "2026-11-22"


def test_recipes_validate_good_and_bad(cli, tmp_path: Path) -> None:
    assert cli("recipes", "validate").exit_code == 0
    bad = tmp_path / "mine.yaml"
    bad.write_text("version: 1\nplatforms:\n  demo:\n    nme: Demo\n")
    run = cli("recipes", "validate", str(bad))
    assert run.exit_code == 2
    assert 'mine.yaml:4 platforms.demo: extra field "nme"' in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_recipes_schema_is_json(cli) -> None:
    schema = json.loads(cli("recipes", "schema").stdout)
    assert "Platform" in schema["$defs"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "linkdin"], "unknown platform 'linkdin' (did you mean \"linkedin\"?)"),
        (["disable", "x", "grok-memroy"], "x has no setting 'grok-memroy' (did you mean \"grok-memory\"?)"),
        (["--origin", "linkedin=not a url", "platforms"], "is not a URL"),
        (["--origin", "linkedin", "platforms"], "expected PLATFORM=URL"),
        (["--origin", "linkdin=http://127.0.0.1:8009", "platforms"], "unknown platform"),
        (["--recipes", "/nonexistent/r.yaml", "platforms"], "recipe file not found"),
        (["disable"], "name a platform"),
        (["--account", "../evil", "status"], "account"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(cli, args: list[str], message: str) -> None:
    run = cli(*args)
    assert run.exit_code == 2, run
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_unknown_option_exit_2(cli) -> None:
    run = cli("platforms", "--bogus")
    assert run.exit_code == 2 and "No such option" in run.stderr


def test_bad_user_recipe_file_is_reported_by_every_command(cli, tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text("version: 1\nplatforms:\n  x: [\n")
    run = cli("--recipes", str(bad), "platforms")
    assert run.exit_code == 2 and run.stderr.startswith("optout: r.yaml:")


def test_no_browser_explains_both_ways_to_get_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setattr("optout.engine.browser.CHANNELS", ())  # as on a machine without Chrome or Edge
    with pytest.raises(NoBrowserError) as info:
        find_browser()
    assert "playwright install chromium" in str(info.value) and "apt-get install chromium" in str(info.value)


def test_doctor_launches_the_browser(cli, chromium) -> None:
    run = cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(run.stdout)}
    assert run.exit_code == 0, run
    assert checks["browser"]["ok"] and checks["browser"]["detail"].startswith("Chromium ")
    assert checks["recipes"]["ok"]


def test_doctor_reports_a_bad_browser_and_a_readable_home(cli, home: Path) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    run = cli("--browser", "/nonexistent/chrome", "doctor")
    assert run.exit_code == 1
    assert "browser: --browser /nonexistent/chrome: no executable there; fix:" in run.stderr
    assert f"fix: chmod 700 {home}" in run.stderr


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    env["OPTOUT_HOME"] = str(home)
    return env


def test_real_executable_and_python_m(home: Path) -> None:
    exe = Path(sys.executable).with_name("optout")
    run = subprocess.run([str(exe), "platforms", "--json"], capture_output=True, text=True, env=_env(home), timeout=60)
    assert run.returncode == 0 and json.loads(run.stdout)
    run = subprocess.run(
        [sys.executable, "-m", "optout", "status", "linkdin"],
        capture_output=True,
        text=True,
        env=_env(home),
        timeout=60,
    )
    assert run.returncode == 2 and run.stderr.startswith("optout: unknown platform")


def test_help_and_platforms_do_not_import_playwright(home: Path) -> None:
    code = (
        "import sys\nfrom optout.cli.app import app\n"
        "for args in (['--help'], ['platforms']):\n"
        "    try: app(args)\n"
        "    except SystemExit: pass\n"
        "print('playwright' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(home), timeout=60)
    assert run.stdout.strip().endswith("False"), run.stdout + run.stderr


def test_a_run_without_a_usable_browser_is_one_line_exit_2(cli, home: Path) -> None:
    from optout.home.sessions import SessionStore

    SessionStore(home).save("linkedin", ["linkedin.com"], {"cookies": [], "origins": []})
    run = cli("--browser", "/nonexistent/chromium", "status", "linkedin")
    assert run.exit_code == 2
    assert run.stderr.startswith("optout: --browser /nonexistent/chromium: no executable there;")
    assert "playwright install chromium" in run.stderr and "Traceback" not in run.stderr


def test_a_bug_is_one_line_and_exit_3_unless_debugging(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from optout.cli import context

    def broken(ctx: object) -> None:
        raise RuntimeError("\n  surprise  \nsecond line of a long message")

    monkeypatch.setattr(context, "catalogue", broken)
    monkeypatch.delenv("OPTOUT_DEBUG", raising=False)
    run = cli("platforms")
    assert run.exit_code == 3  # never 1, which scripts read as "opted in"
    assert run.stderr == (
        "optout: internal error: RuntimeError: surprise (set OPTOUT_DEBUG=1 for the traceback; please report it)\n"
    )
    monkeypatch.setenv("OPTOUT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="surprise"):
        cli("platforms")


def test_typer_exits_and_usage_errors_keep_their_codes(cli, home: Path) -> None:
    assert cli("config", "get", "region").exit_code == 1  # typer.Exit(1): not set
    assert cli("platforms", "--bogus").exit_code == 2  # a usage error raised inside the group's invoke
    assert cli("--version").exit_code == 0


def test_global_options_may_follow_the_command(home: Path) -> None:
    from optout.cli.app import globals_first

    assert globals_first(["status", "--home", "/h", "--json", "--origin=x=http://127.0.0.1:1"]) == [
        "--home",
        "/h",
        "--origin=x=http://127.0.0.1:1",
        "status",
        "--json",
    ]
    assert globals_first(["config", "set", "name", "--", "--home"]) == ["config", "set", "name", "--", "--home"]
    run = subprocess.run(
        [sys.executable, "-m", "optout", "status", "meta", "--home", str(home), "--region", "US"],
        capture_output=True,
        text=True,
        env=_env(home.parent / "elsewhere"),
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert (home / "history.db").exists()  # the --home given after the command was the one used


def test_the_help_listed_for_each_command_is_its_own() -> None:
    """`optout --help` lists the one-line helps of COMMANDS without importing the commands: each must
    be the first paragraph of the help the command itself shows."""
    from optout.cli.app import COMMANDS, load_command

    for name, (_, _, listed) in COMMANDS.items():
        own = load_command(name).help.split("\n\n")[0]
        assert listed.split() == own.split(), name


def _run_in_fresh_python(home: Path, argv: list[str], probe: str, env: dict[str, str] | None = None) -> str:
    """Run `optout ARGV` in a new interpreter, then print `probe` (an expression on what it loaded)."""
    code = f"import sys\nfrom optout.cli.app import app\ntry: app({argv!r})\nexcept SystemExit: pass\nprint({probe})"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env or _env(home), timeout=60
    )
    return run.stdout + run.stderr


def test_help_imports_no_command_module(home: Path) -> None:
    probe = "sorted(m for m in sys.modules if m.startswith('optout.cli.') and m.endswith(('_cmds', 'doctor', 'demo')))"
    out = _run_in_fresh_python(home, ["--help"], probe)
    assert out.strip().endswith("[]"), out


def test_a_table_to_a_pipe_needs_no_rich_unless_a_variable_asks_for_a_terminal(home: Path) -> None:
    out = _run_in_fresh_python(home, ["platforms"], "'rich' in sys.modules")
    assert out.startswith("platform ") and out.strip().endswith("False"), out
    out = _run_in_fresh_python(home, ["platforms"], "'rich' in sys.modules", {**_env(home), "FORCE_COLOR": "1"})
    assert "┃" in out and out.strip().endswith("True"), out  # rich then draws its table, as before
