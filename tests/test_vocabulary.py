"""The control vocabulary beyond a plain switch: other UI languages, settings absent for an
account, per-resource settings, and the pure rules that read choices and menus.

Browser tests run real Chromium against the kits' replicas and check what the server kept.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from optout.engine.locate import interpret_text, state_matches
from optout.errors import RecipeError
from optout.recipes.catalogue import load_catalogue, parse_catalogue
from optout.recipes.scaffold import new_platform
from optout.recipes.schema import Setting, States
from tests.helpers import sign_in


def results(run) -> list[dict]:
    return json.loads(run.stdout)


# ---- other UI languages ---------------------------------------------------------------------------


def test_german_linkedin_is_found_by_its_aria_labelledby(log_in, cli, replica) -> None:
    """The stable attribute the facts give beats the page's only switch, and tells it from a
    second switch."""
    log_in("linkedin")
    replica.options.language = "de"
    replica.options.duplicate_control = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 0, run
    (got,) = results(run)
    assert got["state"] == "opted_out" and got["action"] == "changed"
    assert "allowDataForGenerativeAI" in got["detail"]
    assert replica.is_opted_out("linkedin", "ai-training") and replica.writes("linkedin") == 1


def test_german_linkedin_without_the_attribute_is_switched_as_the_pages_only_switch(log_in, cli, replica) -> None:
    log_in("linkedin")
    replica.options.language = "de"
    replica.options.no_stable_attributes = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 0, run
    (got,) = results(run)
    assert got["state"] == "opted_out" and got["action"] == "changed"
    assert "only switch on the page" in got["detail"] and "Meine Daten" in got["detail"]
    assert replica.is_opted_out("linkedin", "ai-training")


def test_german_linkedin_with_a_second_switch_and_no_attribute_is_ambiguous(log_in, cli, replica) -> None:
    log_in("linkedin")
    replica.options.language = "de"
    replica.options.duplicate_control = True
    replica.options.no_stable_attributes = True
    run = cli("disable", "linkedin", "--json")
    assert run.exit_code == 3
    (got,) = results(run)
    assert got["state"] == "not_found" and "ambiguous" in got["detail"]
    assert replica.writes("linkedin") == 0


def test_german_x_training_is_found_by_its_name_attribute_and_the_rest_honestly_not(log_in, cli, replica) -> None:
    log_in("x")
    replica.options.language = "de"
    run = cli("disable", "x", "--include", "ai-use", "--json")
    assert run.exit_code == 3
    got = {r["setting"]: r for r in results(run)}
    assert got["grok-training"]["state"] == "opted_out" and "name" in got["grok-training"]["detail"]
    assert got["grok-personalization"]["state"] == got["grok-memory"]["state"] == "not_found"
    assert replica.state("x") == {"grok-training": False, "grok-personalization": True, "grok-memory": True}


# ---- absent for this account, per resource ------------------------------------------------------------


def test_a_setting_the_page_proves_absent_is_not_offered_with_the_reason(log_in, cli, replica) -> None:
    log_in("github")
    replica.options.absent_control = True
    run = cli("disable", "github", "--json")
    assert run.exit_code == 0, run  # not offered is as good as it gets
    got = results(run)
    assert len(got) == 2 and all(r["state"] == "not_offered" and "Business and Enterprise" in r["detail"] for r in got)
    assert replica.writes("github") == 0


def test_per_resource_setting_without_values_is_manual_with_the_config_command(cli, home, replica) -> None:
    sign_in(home, replica, "wordpress", resources=False)
    run = cli("status", "wordpress", "--json")
    assert run.exit_code == 3
    (got,) = results(run)
    assert got["state"] == "manual" and "optout config set wordpress.site" in got["detail"]
    assert got["resource"] is None


def test_each_resource_is_its_own_result(log_in, cli, replica) -> None:
    log_in("wordpress")
    assert cli("config", "set", "wordpress.site", "myblog.wordpress.com").exit_code == 0
    run = cli("disable", "wordpress", "--json")
    assert run.exit_code == 0, run
    assert [(r["resource"], r["state"]) for r in results(run)] == [("myblog.wordpress.com", "opted_out")]
    assert replica.is_opted_out("wordpress", "third-party-sharing@myblog.wordpress.com")
    assert not replica.is_opted_out("wordpress", "third-party-sharing@recipes.example.org")  # not listed: untouched


def test_resource_values_are_checked_and_keys_known(cli) -> None:
    assert cli("config", "set", "wordpress.site", "a/b").exit_code == 2
    bad = cli("config", "set", "wordpress.blog", "x")
    assert bad.exit_code == 2 and "did you mean" in bad.stderr
    assert cli("config", "set", "wordpress.site", "one.example, two.example").exit_code == 0
    assert cli("config", "get", "wordpress.site").stdout.split() == ["one.example", "two.example"]


# ---- pure rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("Enabled", "Enabled", True),
        ("Enabled", "Disabled", False),
        ("On", "Only me", False),
        ("on", "  On ", True),
        ("/^Allow/", " Allow third-party training", True),
        ("/^Allow/", "Disallow", False),
    ],
)
def test_state_text_matching_is_whole_text_or_regex(pattern: str, text: str, matches: bool) -> None:
    assert state_matches(pattern, text) is matches


def test_a_text_that_is_neither_state_is_unreadable() -> None:
    states = States(opted_out="Off", opted_in="On")
    assert interpret_text(states, "On").on is True
    assert interpret_text(states, "Off").on is False
    unreadable = interpret_text(states, "Paused")
    assert unreadable.on is None and "Paused" in unreadable.problem


def test_a_per_resource_setting_is_made_concrete_with_its_value_escaped_in_regexes() -> None:
    wordpress = load_catalogue().platforms["wordpress"]
    setting = wordpress.settings[0]
    concrete = setting.for_resource("my.blog")
    assert concrete.url == "https://wordpress.com/settings/general/my.blog"
    assert concrete.control is not None and "Prevent third-party sharing for my.blog" in concrete.control.names
    assert concrete.resource_value == "my.blog" and setting.resource_value is None
    regex = Setting.model_validate(
        setting.model_dump() | {"control": {"role": "checkbox", "names": ["/for {site}$/"]}}
    ).for_resource("a.b")
    assert regex.control is not None and regex.control.names == [r"/for a\.b$/"]


RECIPE = """\
platforms:
  demo:
    name: Demo
    origin: https://demo.example
    domains: [demo.example]
    settings:
      - id: one
        title: One
        url: https://demo.example/{path}
        sources: [{{url: https://demo.example/help, checked: 2026-11-22}}]
{extra}
"""


@pytest.mark.parametrize(
    ("path", "extra", "message"),
    [
        ("s", "        kind: choice\n        control: {role: combobox, names: [x]}", "a choice needs: states"),
        (
            "s",
            "        kind: menu\n        control: {role: button, names: [x]}\n"
            "        states: {opted_out: 'Off', opted_in: 'On'}",
            "a menu needs: menu",
        ),
        (
            "s/{blog}",
            "        kind: toggle\n        control: {names: [x]}\n        opted_out: 'off'",
            "declares no resource",
        ),
        (
            "s",
            "        kind: menu\n        control: {role: button, names: [x]}\n"
            "        states: {opted_out: 'Off', opted_in: 'On'}\n        menu: {disable: {text: Turn off}}\n"
            "        save: {text: Save}",
            "save is only for kind",
        ),
        (
            "s",
            "        kind: toggle\n        control: {role: switch}\n        opted_out: 'off'",
            "give at least one of: names, attributes, sole, css",
        ),
    ],
)
def test_schema_refuses_incomplete_vocabulary(tmp_path: Path, path: str, extra: str, message: str) -> None:
    file = tmp_path / "r.yaml"
    file.write_text(RECIPE.format(path=path, extra=extra))
    with pytest.raises(RecipeError) as caught:
        parse_catalogue(file)
    assert message in " ".join(caught.value.lines)


def test_every_bundled_recipe_states_its_confidence() -> None:
    for platform in load_catalogue().platforms.values():
        assert "confidence" in platform.model_fields_set, platform.id


def test_platforms_shows_confidence(cli) -> None:
    run = cli("platforms", "--json")
    got = {p["id"]: p for p in json.loads(run.stdout)}
    assert got["medium"]["confidence"] == "single-source"
    assert got["wordpress"]["settings"][0]["per"] == "site"
    assert "confidence" in cli("platforms").stdout.splitlines()[0]


def test_recipes_new_writes_stubs_that_validate(cli, tmp_path: Path) -> None:
    catalogue = tmp_path / "platforms.yaml"
    catalogue.write_text((Path(__file__).parent.parent / "platforms.yaml").read_text())
    run = cli("recipes", "new", "mastodon", "--catalogue", str(catalogue), "--kits", str(tmp_path / "kits"))
    assert run.exit_code == 0, run
    assert cli("recipes", "validate", str(catalogue)).exit_code == 0
    site = (tmp_path / "kits" / "mastodon" / "site.py").read_text()
    compile(site, "site.py", "exec")
    assert "SITE = Mastodon" in site
    again = cli("recipes", "new", "mastodon", "--catalogue", str(catalogue), "--kits", str(tmp_path / "kits"))
    assert again.exit_code == 2 and "already" in again.stderr


def test_recipes_new_refuses_a_bad_id(tmp_path: Path) -> None:
    catalogue = tmp_path / "c.yaml"
    catalogue.write_text("platforms: {}\n")
    with pytest.raises(Exception, match="lower-case"):
        new_platform("Bad Id", catalogue, tmp_path, date(2026, 11, 22))


def test_slack_prints_the_exact_email_for_each_workspace(cli) -> None:
    run = cli("status", "slack", "--json")
    assert run.exit_code == 3
    (got,) = results(run)
    assert got["state"] == "manual" and "optout config set slack.workspace" in got["detail"]

    assert cli("config", "set", "slack.workspace", "acme.slack.com").exit_code == 0
    (got,) = results(cli("status", "slack", "--json"))
    assert got["state"] == "manual" and got["resource"] == "acme.slack.com"
    assert "To: feedback@slack.com | Subject: Slack Global model opt-out request" in got["detail"]
    assert "workspace acme.slack.com." in got["detail"]


def test_a_session_cookie_may_be_one_of_alternatives() -> None:
    from optout.home.sessions import missing_session_cookies

    entries = ["__Secure-next-auth.session-token|__Secure-next-auth.session-token.0", "other"]
    assert missing_session_cookies(entries, ["__Secure-next-auth.session-token.0", "other"]) == []
    assert missing_session_cookies(entries, ["__Secure-next-auth.session-token.1"]) == entries


def test_status_alone_checks_what_is_set_up_and_lists_the_rest_once(cli) -> None:
    assert cli("config", "set", "region", "GB").exit_code == 0
    run = cli("status")
    checked = {line.split()[0] for line in run.stdout.splitlines()[1:] if not line.startswith("not set up")}
    assert checked == {"meta"}  # the form needs only the region; slack needs its workspace listed
    assert "not set up: slack (run: optout config set slack.workspace YOUR-WORKSPACE)" in run.stdout
    assert "not set up: linkedin (run: optout login linkedin)" in run.stdout
    assert sum(line.startswith("not set up: linkedin") for line in run.stdout.splitlines()) == 1
