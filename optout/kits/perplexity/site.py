"""Replica of Perplexity's settings, whose Preferences route is not published: the account
settings page (a known route) has a settings menu whose "Preferences" link leads to the page with
the "AI data retention" switch, saved by itself (facts: catalogue-facts §6, label and menu path C2,
cookie `__Secure-next-auth.session-token` C2; the Preferences route, the link and the switch
markup are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import gated_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

PREFERENCES_PATH = "/settings/preferences"  # inferred; the recipe reaches it by the link only
NAV = (
    '<nav class="kit-header" aria-label="Settings"><a href="/settings/account">Account</a> '
    f'<a href="{PREFERENCES_PATH}">Preferences</a> <a href="/settings/api">API</a></nav>'
)


class Perplexity(KitSite):
    name = "perplexity"
    brand = "Perplexity"
    session_cookie = "__Secure-next-auth.session-token"
    login_path = "/api/auth/signin"
    next_param = "callbackUrl"
    pages = (
        SettingsPage(
            path=PREFERENCES_PATH,
            title="Preferences",
            heading="Preferences",
            controls=(
                Control(
                    setting="ai-data-retention",
                    kind="switch",
                    label="AI data retention",
                    labels={"de": "KI-Datenspeicherung"},
                    changed_label="Improve Perplexity with my searches",
                    help="AI Data Retention allows Perplexity to use your searches to improve AI models. Turn this "
                    "setting off if you wish to exclude your data from this process.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/settings/account")
    def account(self, request: Request) -> Response:
        """All settings open on Account; Preferences is one link away."""
        body = NAV + '<main class="kit-main"><h1>Account</h1><p>Test User</p></main>'
        return gated_page(self, request, f"Account | {self.brand}", body)


SITE = Perplexity
