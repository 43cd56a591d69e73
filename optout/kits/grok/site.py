"""Replica of grok.com's settings overlay: the app lives at "/" and the query parameter `_s`
chooses the settings panel it shows over the chat (`?_s=data`: Data Controls, whose "Improve the
Model" row holds the switch, saved by itself). Without `_s=data` the page is the bare chat, so a
recipe that lost the query finds nothing (facts: catalogue-facts §7, C2 for the deep link, label and
cookies `sso`/`sso-rw`; the switch markup is inferred).
"""

from __future__ import annotations

from html import escape

from optout.replica.kit_pages import gated_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Cookie, Request, Response
from optout.replica.state import Session

DATA_CONTROLS = SettingsPage(
    path="/",
    title="Settings",
    heading="Data Controls",
    controls=(
        Control(
            setting="improve-model",
            kind="switch",
            label="Improve the Model",
            labels={"de": "Das Modell verbessern"},
            changed_label="Help train Grok",
            help="By allowing your data to be used for training our models, you help enhance your own experience "
            "and improve the quality of the model for all users. We take measures to ensure your privacy is "
            "protected throughout the process.",
            opted_out=False,
            default=True,
        ),
    ),
)


class Grok(KitSite):
    name = "grok"
    brand = "Grok"
    session_cookie = "sso"
    login_path = "/sign-in"
    pages = (DATA_CONTROLS,)

    def cookies(self, session: Session) -> list[Cookie]:
        """grok.com sets `sso-rw` beside `sso`; the recipe waits for both after a sign-in."""
        return [*super().cookies(session), Cookie("sso-rw", session.token)]

    def settings_page(self, request: Request, settings_page: SettingsPage) -> Response:
        """The overlay only where the query asks for it; the chat alone otherwise."""
        if request.query.get("_s") == "data":
            return super().settings_page(request, settings_page)
        body = f'<main class="kit-main"><h1>{escape(self.brand)}</h1><p>What do you want to know?</p></main>'
        return gated_page(self, request, self.brand, body)


SITE = Grok
