"""Caveats: what a user must know even once opted out (ChatGPT's and Claude's feedback buttons
still send a conversation for training) is said once under the results, never inside them."""

from __future__ import annotations

import json

from optout.cli.render import caveats
from optout.engine.jobs import Job
from optout.recipes.catalogue import load_catalogue
from optout.results import Result, State


def test_each_caveat_is_said_once_and_only_for_settings_with_a_result() -> None:
    cat = load_catalogue()
    chatgpt, claude = cat.platforms["chatgpt"], cat.platforms["claude"]
    jobs = [Job(chatgpt, chatgpt.settings), Job(claude, claude.settings)]
    one = Result(platform="chatgpt", setting="improve-model", title="t", state=State.OPTED_OUT)
    lines = caveats(jobs, [one, one.model_copy(update={"account": "work"})])
    assert lines == [f"chatgpt: {chatgpt.settings[0].caveat}"]
    assert "thumbs" in lines[0] and "does not undo training already done" in lines[0]
    assert caveats(jobs, []) == []


def test_the_caveat_follows_the_table_once(log_in, cli) -> None:
    log_in("chatgpt")
    run = cli("status", "chatgpt")
    assert run.stdout.count("note: chatgpt: Rating a reply with thumbs up or down") == 1
    last_result = run.stdout.index("improve-model")
    assert run.stdout.index("note: chatgpt:") > last_result


def test_json_stays_a_list_of_results_and_the_caveat_goes_to_stderr(log_in, cli) -> None:
    log_in("chatgpt")
    run = cli("status", "chatgpt", "--json")
    got = json.loads(run.stdout)  # Improve the model, and Codex's own switch
    assert [r["setting"] for r in got] == ["improve-model", "codex-environments"]
    assert not any("caveat" in r for r in got)
    assert run.stderr.count("note: chatgpt: Rating a reply") == 1
    quiet = cli("status", "chatgpt", "--json", "--quiet")
    assert "note:" not in quiet.stderr
