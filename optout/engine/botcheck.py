"""Bot checks: a challenge page shown in place of the settings page, named for what it is.

A platform behind an anti-bot service may answer a visit with an interstitial instead of the
page: HTTP 403 or 503 (Cloudflare's), or 200 with a challenge in it. Read as a settings page it
would be a missing control, as an HTTP error a "try again later" with no reason. It is neither:
the result is an error that says the platform showed a bot check, after at most one more try
(navigate.goto), and nothing on it is ever clicked.
"""

from __future__ import annotations

from playwright.async_api import Error, Page, Response

# What the common anti-bot services' challenge pages carry. INF: their public challenge pages as
# commonly seen, not sources of /work/shared/reference.
_TITLES = (
    "just a moment...",  # Cloudflare's managed challenge and "I'm Under Attack" interstitial
    "attention required! | cloudflare",  # Cloudflare's block page
    "access to this page has been denied",  # HUMAN (PerimeterX)
    "verify you are human",
    "are you a robot?",
)
_MARKS = (
    "#challenge-form, #challenge-running, #cf-challenge-running, #cf-please-wait, "  # Cloudflare
    "iframe[src*='challenges.cloudflare.com'], "  # Cloudflare Turnstile
    "#px-captcha, "  # HUMAN (PerimeterX) press-and-hold
    "iframe[src*='captcha-delivery.com'], "  # DataDome
    "iframe[src*='hcaptcha.com/captcha'], iframe[src*='/recaptcha/api2/bframe']"  # a captcha shown as the page
)
_FIND_JS = """([titles, marks]) => {
  const title = (document.title || '').trim().toLowerCase();
  if (titles.includes(title)) return document.title.trim();
  const mark = document.querySelector(marks);
  return mark ? (document.title.trim() || 'a challenge page') : null;
}"""


async def bot_check(page: Page, response: Response | None) -> str | None:
    """What the loaded page shows if it is a bot check ("HTTP 503, 'Just a moment...'"), else None."""
    try:
        found = await page.evaluate(_FIND_JS, [list(_TITLES), _MARKS])
    except Error:  # navigating on (a challenge that passed redirects): the next page is read as usual
        return None
    if not found:
        return None
    status = response.status if response is not None else None
    return f"HTTP {status}, {found!r}" if status is not None else repr(found)
