"""The interruptions variation: what real sites put between a visitor and a setting, on every kit.

A cookie-consent banner over the page, a confirmation or a password prompt after a click, a
bot-check interstitial in place of the page, and the browser's own `alert`, `confirm`,
`beforeunload` and popup windows. None of it is any kit's: the page-level ones are a script added
to every HTML page the replica serves (interruptions.js), the bot checks answer in place of every
settings page (Site.gate), so each kit meets each of them without a line of its own.
"""

from __future__ import annotations

import json

from optout.replica.assets import kit_file

BOT_CHECKS: dict[str, int] = {"bot-403": 403, "bot-503": 503, "bot-challenge": 200}
CONSENT_PATH = "/api/consent"  # where the banner reports the visitor's choice (the test's ground truth)

# The challenge page: Cloudflare's interstitial title and markup for the 403/503 ones (what its
# managed challenge serves), a HUMAN (PerimeterX) press-and-hold box for the 200 one.
_CLOUDFLARE = (
    "<!doctype html><html><head><title>Just a moment...</title></head><body>"
    '<div id="challenge-running"><h1>Checking if the site connection is secure</h1>'
    "<p>This site needs to review the security of your connection before proceeding.</p></div>"
    '<form id="challenge-form" method="post" action="/"></form></body></html>'
)
_HUMAN = (
    "<!doctype html><html><head><title>Access to this page has been denied</title></head><body>"
    "<h1>Before we continue...</h1><p>Press &amp; Hold to confirm you are a human (and not a bot).</p>"
    '<div id="px-captcha"></div></body></html>'
)


def bot_check(interruption: str | None) -> tuple[int, str] | None:
    """The status and challenge page a settings page answers with instead of itself, if the
    variant is a bot check."""
    if interruption not in BOT_CHECKS:
        return None
    status = BOT_CHECKS[interruption]
    return status, _CLOUDFLARE if status != 200 else _HUMAN


def script(interruption: str | None) -> bytes:
    """What the page-level interruption adds at the end of every HTML page (b"": nothing)."""
    if interruption is None or interruption in BOT_CHECKS:
        return b""
    code = kit_file(__package__, "interruptions.js")
    return f"<script>const kitInterruption = {json.dumps(interruption)};\n{code}</script>".encode()
