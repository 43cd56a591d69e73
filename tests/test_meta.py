"""Meta: no switch, only an objection form in some regions. Region decides `manual` or
`not_offered`; filing goes through a visible window the user sends; the receipt makes it `opted_out`.
Beside the form, the use of AI chats for ads has no opt-out at all (`not_offered`, category ai-use)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optout.engine import objection
from optout.engine.browser import BrowserChoice
from optout.recipes.catalogue import load_catalogue
from optout.replica import TEST_USER
from tests.helpers import launched, sign_in


def meta_result(run) -> dict:
    """The objection form's result: the one setting of Meta's that can be acted on."""
    (form,) = [r for r in json.loads(run.stdout) if r["setting"] == "ai-objection"]
    return form


def test_region_without_an_objection_is_not_offered(cli) -> None:
    run = cli("status", "meta", "--region", "US", "--json")
    assert run.exit_code == 0
    got = meta_result(run)
    assert got["state"] == "not_offered" and "United States" in got["detail"]
    (ads,) = [r for r in json.loads(run.stdout) if r["setting"] == "ai-chat-ads"]
    assert (ads["state"], ads["category"]) == ("not_offered", "ai-use") and "no setting" in ads["detail"]


def test_region_with_the_form_is_manual_with_its_url(cli) -> None:
    assert cli("config", "set", "region", "de").exit_code == 0  # the configured region is used
    run = cli("status", "meta", "--json")
    assert run.exit_code == 3
    got = meta_result(run)
    assert got["state"] == "manual" and "https://www.facebook.com/help/contact/" in got["detail"]


def test_unknown_region_says_how_to_set_it(cli) -> None:
    got = meta_result(cli("status", "meta", "--json"))
    assert got["state"] == "manual" and "optout config set region" in got["detail"]


def test_bad_region_is_usage_error(cli) -> None:
    run = cli("status", "meta", "--region", "Narnia")
    assert run.exit_code == 2 and "two-letter country code" in run.stderr


def test_disable_meta_without_a_display_says_so(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    run = cli("disable", "meta", "--region", "GB", "--json")
    assert run.exit_code == 3
    got = meta_result(run)
    assert got["state"] == "manual" and "no display" in got["detail"]


def test_disable_all_reports_the_form_without_opening_it(cli) -> None:
    run = cli("disable", "--all", "--region", "GB", "--json")
    assert run.exit_code == 3
    assert [r["state"] for r in json.loads(run.stdout) if r["platform"] == "meta"] == ["manual"]
    # the AI-chat ads use is not training: only --include ai-use lists it, as having no opt-out
    wider = cli("disable", "--all", "--region", "GB", "--include", "ai-use", "--json")
    got = {r["setting"]: r["state"] for r in json.loads(wider.stdout) if r["platform"] == "meta"}
    assert got == {"ai-objection": "manual", "ai-chat-ads": "not_offered"}


def test_prefill_and_confirmation_with_the_test_as_the_user(replica, chromium: BrowserChoice) -> None:
    """The engine's form steps on the replica form: it fills e-mail and country, the user (this
    test) presses Send, the engine sees the confirmation."""
    setting = load_catalogue(origins=replica.origins).platforms["meta"].settings[0]
    assert setting.form is not None

    async def scenario() -> tuple[list[str], bool]:
        async with launched(chromium) as browser:
            context = await browser.new_context(storage_state=replica.storage_state("meta"))
            page = await context.new_page()
            await page.goto(setting.url)
            left = await objection.prefill(page, setting.form, {"email": "me@example.org", "country": "IE"})
            waiting = asyncio.create_task(objection.wait_confirmed(page, setting.form, 20))
            await page.get_by_role("button", name="Send").click()
            return left, await waiting

    left, confirmed = asyncio.run(scenario())
    assert left == [] and confirmed
    (filed,) = replica.state("meta")["objections"]
    assert (filed["email"], filed["country"]) == ("me@example.org", "IE")


def test_disable_meta_end_to_end_in_a_visible_window(replica, home: Path, xvfb: str) -> None:
    """`optout disable meta` opens the form in a real window (Xvfb), fills e-mail and country from
    the config; the replica plays the user who presses Send; the receipt makes status opted_out."""
    replica.options.auto_submit = 1.5
    sign_in(home, replica, "meta")
    env = {**os.environ, "DISPLAY": xvfb, "OPTOUT_HOME": str(home)}
    optout = [sys.executable, "-m", "optout"]
    subprocess.run([*optout, "config", "set", "email", "member@example.org"], env=env, check=True)
    subprocess.run([*optout, "config", "set", "region", "FR"], env=env, check=True)

    run = subprocess.run([*optout, "disable", "meta", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)[0]
    assert (got["state"], got["action"]) == ("opted_out", "filed")
    assert got["evidence"] and Path(got["evidence"]).is_file()
    (filed,) = replica.state("meta", TEST_USER)["objections"]
    assert (filed["email"], filed["country"]) == ("member@example.org", "FR")

    status = subprocess.run([*optout, "status", "meta", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and json.loads(status.stdout)[0]["state"] == "opted_out"


def test_a_damaged_receipt_spoils_only_its_own_platform(cli, home: Path) -> None:
    receipt = home / "receipts" / "meta" / "default" / "ai-objection.json"
    receipt.parent.mkdir(parents=True)
    receipt.write_text("{not json")
    run = cli("status", "meta", "--region", "GB", "--json")
    assert run.exit_code == 3 and "Traceback" not in run.stderr
    got = meta_result(run)
    assert got["state"] == "error" and "ai-objection.json" in got["detail"]


def test_a_confirmation_already_on_the_page_is_not_taken_as_filed(replica, home: Path, xvfb: str, tmp_path) -> None:
    """A recipe whose confirmation text is on the form page from the start cannot prove anything:
    optout refuses to record a receipt instead of reporting opted_out."""
    from optout.recipes.catalogue import bundled_path

    loose = (
        bundled_path()
        .read_text()
        .replace("confirmation: {text: received your objection}", "confirmation: {text: Right to object}")
    )
    mine = tmp_path / "loose.yaml"
    mine.write_text(
        loose.replace(
            "url: https://www.facebook.com/help/contact/6359191084165019",
            "url: https://www.facebook.com/privacy/genai",
            1,
        )
    )
    sign_in(home, replica, "meta")
    env = {**os.environ, "DISPLAY": xvfb, "OPTOUT_HOME": str(home), "OPTOUT_RECIPES": str(mine)}
    run = subprocess.run(
        [sys.executable, "-m", "optout", "disable", "meta", "--region", "FR", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    got = json.loads(run.stdout)[0]
    assert run.returncode == 3 and got["state"] == "error" and "already shows the confirmation" in got["detail"]
    assert not (home / "receipts" / "meta").exists() or not list((home / "receipts" / "meta").rglob("*.json"))
    assert replica.state("meta")["objections"] == []


def test_disable_meta_with_an_unopenable_display_is_manual_not_a_browser_problem(replica, home: Path) -> None:
    env = {**os.environ, "DISPLAY": ":4242", "OPTOUT_HOME": str(home)}  # set, but no X server there
    run = subprocess.run(
        [sys.executable, "-m", "optout", "disable", "meta", "--region", "FR", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 3, run.stderr
    got = json.loads(run.stdout)[0]
    assert got["state"] == "manual" and "cannot open display ':4242'" in got["detail"]
