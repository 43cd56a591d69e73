"""Evidence (screenshots and page HTML kept when a check fails) must not become a leak:

- the saved HTML loses cookie values in every form a page echoes them, base64 included (at any
  position inside a longer encoded blob), and e-mail addresses (the user's own is on every
  account page, and optout types it into objection forms);
- evidence files are mode 600 in mode 700 folders, whatever the umask;
- a screenshot cannot be scrubbed: wherever evidence paths are printed, the user is told once
  that screenshots show what the page showed and may hold personal data.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import stat
from pathlib import Path

import pytest

from optout.cli.render import EVIDENCE_NOTE
from optout.engine.browser import BrowserChoice
from optout.engine.evidence import capture, scrub, scrub_emails
from tests.helpers import launched, sign_in

SECRET = "AQEDAR8secretSessionToken42"
EMAIL = "member@example.com"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("prefix", ["", "x", "xy", '{"token": "'])
def test_base64_forms_of_a_cookie_value_are_scrubbed(prefix: str) -> None:
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        blob = encode((prefix + SECRET + '"}').encode()).decode()
        cleaned = scrub(f"<div data-state='{blob}'></div>", SECRET)
        assert "[cookie value removed]" in cleaned
        assert base64.b64encode(SECRET[3:-3].encode()).decode()[4:-4] not in cleaned


def test_email_addresses_are_scrubbed_in_every_spelling() -> None:
    page = f'<a href="mailto:member%40example.com">{EMAIL}</a> member&#64;example.co.uk'
    cleaned = scrub_emails(page)
    assert "member" not in cleaned and cleaned.count("[e-mail removed]") == 3


def test_captured_evidence_is_scrubbed_and_private(tmp_path: Path, chromium: BrowserChoice) -> None:
    old = os.umask(0o022)
    folder = tmp_path / "home" / "evidence" / "demo"
    encoded = base64.b64encode(json.dumps({"sid": SECRET, "user": 7}).encode()).decode()
    html = f"<main><p>Signed in as {EMAIL}</p><script>window.s = atob('{encoded}')</script></main>"

    async def run() -> Path:
        async with launched(chromium) as browser:
            context = await browser.new_context()
            await context.add_cookies([{"name": "sid", "value": SECRET, "url": "http://127.0.0.1/"}])
            page = await context.new_page()
            await page.set_content(html)
            return await capture(page, folder, "default-ai", html=True)

    try:
        png = asyncio.run(run())
    finally:
        os.umask(old)
    saved = png.with_suffix(".html").read_text()
    assert "Signed in as [e-mail removed]" in saved
    assert EMAIL not in saved and SECRET not in saved
    assert encoded[8:-8] not in saved
    assert mode(png) == mode(png.with_suffix(".html")) == 0o600
    assert mode(folder) == mode(folder.parent) == 0o700


def test_printed_evidence_comes_with_one_note(cli, home: Path, replica) -> None:
    for platform in ("linkedin", "x"):
        sign_in(home, replica, platform)
    replica.options.missing_control = True
    run = cli("status", "linkedin", "x")
    assert run.stdout.count("screenshot and page saved at") >= 2
    assert run.stdout.count(EVIDENCE_NOTE) == 1
    for saved in (home / "evidence").rglob("*.*"):
        assert mode(saved) == 0o600, saved
    assert mode(home / "evidence") == 0o700
