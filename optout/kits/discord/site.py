"""Replica of Discord's web app settings: from the app (/channels/@me) the "User Settings" button
leads to the settings, whose "Data & Privacy" section has the switch "Use my data to improve
Discord", saved as it is flipped (facts: catalogue-facts §31, C1 for the path and label; the
addresses, the button, the tab and the switch markup are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

PRIVACY_PATH = "/settings/data-and-privacy"


class Discord(KitSite):
    name = "discord"
    brand = "Discord"
    next_param = "redirect_to"
    pages = (
        SettingsPage(
            path=PRIVACY_PATH,
            title="Data & Privacy",
            heading="Data & Privacy",
            controls=(
                Control(
                    setting="use-data-to-improve",
                    kind="switch-input",
                    section="How we use your data",
                    label="Use my data to improve Discord",
                    labels={"de": "Meine Daten zur Verbesserung von Discord verwenden"},
                    changed_label="Help make Discord better with my data",
                    help="Allows us to use and process your information to understand and improve our services.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/channels/@me")
    def app(self, request: Request) -> Response:
        return nav_page(self, request, "Friends", (NavLink("User Settings", "/settings", "button"),))

    @route("GET", r"/settings")
    def user_settings(self, request: Request) -> Response:
        tabs = (NavLink("My Account", "/settings/account", "tab"), NavLink("Data & Privacy", PRIVACY_PATH, "tab"))
        return nav_page(self, request, "User Settings", tabs)


SITE = Discord
