"""Shell completion through the installed `optout` script, as bash, zsh and fish ask for it:
commands, options, platform and setting ids from the catalogue, config keys; no Playwright."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OPTOUT = Path(sys.executable).with_name("optout")


def complete(shell_env: dict[str, str], home: Path) -> tuple[str, str]:
    """What the script prints for the shell, and the modules it imported (python -X importtime)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
    env.update(OPTOUT_HOME=str(home), **shell_env)
    run = subprocess.run(
        [sys.executable, "-X", "importtime", str(OPTOUT)], capture_output=True, text=True, env=env, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr


def bash(line: str, home: Path) -> list[str]:
    words = line.split(" ")
    candidates, imported = complete(
        {"_OPTOUT_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}, home
    )
    assert "playwright" not in imported
    return candidates.split()


def test_platform_and_setting_ids(home: Path) -> None:
    assert bash("optout disable li", home) == ["linkedin"]
    assert bash("optout disable x ", home) == ["grok-training", "grok-personalization", "grok-memory"]
    assert bash("optout disable x grok-training ", home) == ["grok-personalization", "grok-memory"]
    assert bash("optout status linkedin me", home) == ["meta", "medium", "meta-ai-glasses"]
    assert bash("optout status linkedin meta me", home) == ["medium", "meta-ai-glasses"]  # each platform once
    assert bash("optout mark meta ", home) == ["ai-objection"]
    assert bash("optout mark x ", home) == []  # toggles cannot be marked


def test_global_options_before_or_after_the_command(home: Path, tmp_path: Path) -> None:
    recipes = tmp_path / "mine.yaml"
    recipes.write_text(
        "version: 1\nplatforms:\n  mail:\n    name: Mail\n    origin: https://mail.example.com\n"
        "    domains: [example.com]\n    settings:\n      - id: ask\n        title: Ask\n"
        "        url: https://mail.example.com/privacy\n        kind: manual\n"
        "        sources: [{url: https://mail.example.com/privacy, checked: 2026-11-22}]\n"
    )
    assert bash(f"optout --recipes {recipes} status ma", home) == ["mail"]
    assert bash(f"optout status --recipes {recipes} ma", home) == ["mail"]
    assert bash("optout status ma", home) == []
    assert bash(f"optout disable --home {tmp_path} li", home) == ["linkedin"]
    assert bash("optout --recipes /nonexistent.yaml disable li", home) == ["linkedin"]  # never an error


def test_commands_options_and_config_keys(home: Path) -> None:
    assert bash("optout st", home) == ["status"]
    assert bash("optout m", home) == ["mark"]
    assert set(bash("optout mark meta ai-objection --", home)) >= {"--filed", "--undo", "--on", "--evidence"}
    from optout.engine.plan import resource_keys
    from optout.recipes.catalogue import load_catalogue

    per_resource = list(resource_keys(load_catalogue()))  # e.g. wordpress.site
    assert per_resource and bash("optout config set ", home) == [
        "region",
        "email",
        "name",
        "notify",
        "updates",
        "sessions.from",
        *per_resource,
    ]
    assert bash("optout config get re", home) == ["region"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_the_same_candidates_with_their_titles(shell: str, home: Path) -> None:
    env = {"_OPTOUT_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": "optout disable x grok-m"}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    out, imported = complete(env, home)
    assert "playwright" not in imported
    assert "grok-memory" in out and "Grok conversation memory" in out and "grok-training" not in out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_and_install_completion(shell: str, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    shown = subprocess.run([str(OPTOUT), "--show-completion", shell], capture_output=True, text=True, env=env)
    assert shown.returncode == 0 and "_OPTOUT_COMPLETE" in shown.stdout
    installed = subprocess.run([str(OPTOUT), "--install-completion", shell], capture_output=True, text=True, env=env)
    assert installed.returncode == 0 and f"{shell} completion installed" in installed.stdout
    assert any("_OPTOUT_COMPLETE" in p.read_text() for p in tmp_path.rglob("*") if p.is_file())
