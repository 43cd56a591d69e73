"""Cookie-consent banners: refused before optout clicks anything they may lie over, never accepted.

A consent-management platform's banner is often a modal over the whole page: the click meant for
a switch lands on its backdrop. Whether a site may track the user is the user's choice, so optout
never accepts on their behalf. It only ever refuses: with the button the recipe names
(`consent_reject`), else one worded as the common consent platforms word their refusal (below).
A banner that offers no refusal is left alone; when it covers what optout must click, that is an
error naming the banner, and nothing is clicked. The refusing click is itself a click that must
reach its button (click.py), and it is made before the change's writes are watched.
"""

from __future__ import annotations

import re

from playwright.async_api import ElementHandle, Error, Page

from optout.engine.click import Covered, click
from optout.engine.guard import PageRefused, check_host
from optout.errors import plain
from optout.recipes.patterns import name_pattern
from optout.recipes.schema import Platform
from optout.results import State

GONE_WAIT_MS = 3000  # how long a refused banner may take to go away
CLICK_TIMEOUT_MS = 5000

# Banners as the common consent platforms mount them (their documented container ids and classes:
# OneTrust, Cookiebot, Didomi, Quantcast Choice, TrustArc, Google's Funding Choices, consentmanager,
# Osano's Cookie Consent), and any dialog whose name or text speaks of cookies or consent.
_BANNERS = (
    "#onetrust-banner-sdk, #CybotCookiebotDialog, #didomi-popup, #didomi-notice, #qc-cmp2-ui, "
    "#truste-consent-track, .fc-consent-root, #cmpbox, .cc-window"
)
# (Not any region: a settings page's own section about cookies is no banner; OneTrust's region is
# known by its id.)
_DIALOGS = "[role=dialog], [role=alertdialog], [aria-modal=true], dialog[open]"

# The refusing buttons' own ids: OneTrust's "Reject All" (#onetrust-reject-all-handler),
# Cookiebot's "Use necessary cookies only" (#CybotCookiebotDialogBodyButtonDecline), Didomi's
# "Disagree" (#didomi-notice-disagree-button). INF: the platforms' default templates as their
# public demos show them, not sources of /work/shared/reference.
_REFUSING_IDS = (
    "onetrust-reject-all-handler",
    "CybotCookiebotDialogBodyButtonDecline",
    "didomi-notice-disagree-button",
)

# Refusals as a whole button text (case and spacing aside), each with where it is worded so. INF
# like the ids above: the consent platforms' default wording and the big sites' banners as seen
# in public screenshots, not sources of /work/shared/reference.
REFUSALS = (
    "reject all",  # OneTrust "Reject All"; Google's consent page "Reject all"; CookieYes "Reject All"
    "reject",  # LinkedIn's and GitHub's own banners; iubenda
    "reject all cookies",
    "reject non-essential cookies",
    "refuse non-essential cookies",  # X's banner
    "decline optional cookies",  # Meta's (Facebook, Instagram) banner
    "use necessary cookies only",  # Cookiebot's default
    "necessary cookies only",
    "only necessary cookies",
    "necessary only",
    "only essential cookies",
    "essential cookies only",
    "decline",  # Termly, Osano's Cookie Consent
    "decline all",  # TrustArc
    "deny",  # Usercentrics, Complianz, Osano
    "deny all",
    "disagree",  # Didomi, Quantcast Choice
    "continue without accepting",  # Didomi's "Continue without agreeing" family
    "continue without agreeing",
    "i do not accept",
)
# A button that accepts, whatever a rule or a recipe calls it: never clicked. A word that limits
# or refuses ("only", "reject", "not") makes it no acceptance ("Accept only essential cookies").
_ACCEPTS = re.compile(r"\b(accept|agree|allow|consent|ok|okay|got it|continue)\b", re.IGNORECASE)
_REFUSES = re.compile(r"\b(only|necessary|essential|reject|decline|deny|refuse|not|without)\b", re.IGNORECASE)

# The banner on the page, if one shows: the first visible container of a consent platform's, or a
# dialog whose name or first text speaks of cookies or consent, that does not hold the
# control optout came for (a settings dialog about cookies is not a banner).
_FIND_JS = """([banners, dialogs, control]) => {
  const visible = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const words = /\\b(cookies?|consent)\\b/i;
  const own = [...document.querySelectorAll(dialogs)]
    .filter((el) => words.test((el.getAttribute('aria-label') || '') + ' ' + el.innerText.slice(0, 1000)));
  return [...document.querySelectorAll(banners), ...own]
    .find((el) => visible(el) && !(control && el.contains(control))) || null;
}"""

# The banner's name (its label, its heading) and its visible buttons: their texts and ids.
_DESCRIBE_JS = """(banner) => {
  const text = (el) => (el.getAttribute('aria-label') || el.innerText || el.value || '').replace(/\\s+/g, ' ').trim();
  const byId = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean)
    .map((n) => n.innerText).join(' ');
  const heading = banner.querySelector('h1, h2, h3, [role=heading]');
  const name = banner.getAttribute('aria-label') || byId(banner.getAttribute('aria-labelledby') || '')
    || (heading && heading.innerText) || banner.id || 'cookie consent';
  const buttons = [...banner.querySelectorAll('button, [role=button], a[href], input[type=button], input[type=submit]')]
    .filter((b) => b.getClientRects().length);
  return {name: name.replace(/\\s+/g, ' ').trim().slice(0, 80),
    buttons: buttons.map((b) => ({text: text(b), id: b.id}))};
}"""
_BUTTONS_JS = (
    "(banner) => [...banner.querySelectorAll('button, [role=button], a[href], input[type=button], "
    "input[type=submit]')].filter((b) => b.getClientRects().length)"
)

# Whether the banner (or an overlay of the page's) takes the click meant for `target`: what the
# page shows at the target's centre is neither the target, nor inside it, nor its own label.
_COVERS_JS = """(target, banner) => {
  const r = target.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || target.contains(hit) || hit.contains(target)) return false;
  const label = target.closest('label') || (target.labels && target.labels[0]);
  return !(label && label.contains(hit)) && (banner.contains(hit) || getComputedStyle(hit).position === 'fixed');
}"""


def accepts(text: str) -> bool:
    """Whether a button's text accepts tracking: such a button is never clicked."""
    return bool(_ACCEPTS.search(text)) and not _REFUSES.search(text)


async def clear(page: Page, platform: Platform, target: ElementHandle | None) -> None:
    """Refuse the consent banner the page shows, if any, before `target` (the element optout is
    about to click; None: not known yet) is clicked. PageRefused (an error, nothing clicked)
    when the banner offers no refusal and covers `target`, or when refusing it did not work."""
    if target is not None and await target.owner_frame() != page.main_frame:
        target = None  # in a frame: the banner of the page is judged without it
    try:
        banner = (await page.evaluate_handle(_FIND_JS, [_BANNERS, _DIALOGS, target])).as_element()
    except Error:  # the page is navigating: what it shows next is looked at before the next click
        return
    if banner is None:
        return
    shown = await banner.evaluate(_DESCRIBE_JS)
    choice = _choose(platform, shown["buttons"])
    what = f"a cookie-consent banner ({shown['name']!r})"
    if choice is None:
        if target is not None and await target.evaluate(_COVERS_JS, banner):
            raise PageRefused(
                State.ERROR,
                f"{what} covers the page and offers no way to refuse tracking; optout never accepts it on "
                "your behalf, so nothing was clicked: answer it once on the site, then run optout again",
            )
        return
    button = (await banner.evaluate_handle(f"(b) => ({_BUTTONS_JS})(b)[{choice}]")).as_element()
    assert button is not None
    check_host(page, platform)
    try:
        await click(button, CLICK_TIMEOUT_MS, f"the {shown['buttons'][choice]['text']!r} button of {what}")
        await banner.wait_for_element_state("hidden", timeout=GONE_WAIT_MS)
    except Covered as exc:
        raise PageRefused(State.ERROR, f"{exc}; the setting was not clicked either") from None
    except Error as exc:
        why = f"{what} did not go away after its refusal was clicked ({plain(exc)}); the setting was not clicked"
        raise PageRefused(State.ERROR, why) from None


def _choose(platform: Platform, buttons: list[dict[str, str]]) -> int | None:
    """The index of the one button that refuses: the recipe's (`consent_reject`), else the first
    rule's that exactly one button matches. None when no button refuses; a button that accepts is
    never the answer, whatever the rule or the recipe says."""

    def only(matches: list[int]) -> int | None:
        return matches[0] if len(matches) == 1 and not accepts(buttons[matches[0]]["text"]) else None

    named = platform.consent_reject
    if named is not None:
        pattern = name_pattern(named)
        found = only([i for i, b in enumerate(buttons) if pattern.fullmatch(" ".join(b["text"].split()))])
        if found is not None:
            return found
    for refusing_id in _REFUSING_IDS:
        if (found := only([i for i, b in enumerate(buttons) if b["id"] == refusing_id])) is not None:
            return found
    texts = [" ".join(b["text"].split()).lower() for b in buttons]
    for wording in REFUSALS:
        if (found := only([i for i, text in enumerate(texts) if text == wording])) is not None:
            return found
    return None
