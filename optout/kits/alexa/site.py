"""Replica of Amazon's Alexa Privacy pages: amazon.com/alexaprivacysettings links to "Manage how
your data improves Alexa", whose switch "Help improve Amazon services and develop new features"
(use of voice recordings) saves as it is flipped (facts: catalogue-facts §28, C2 for the URL, the
path and the toggle; the markup, the second page's address and the default are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

MANAGE_PATH = "/alexaprivacysettings/manage-data"


class Alexa(KitSite):
    name = "alexa"
    brand = "Alexa Privacy"
    login_path = "/ap/signin"
    next_param = "openid.return_to"
    pages = (
        SettingsPage(
            path=MANAGE_PATH,
            title="Manage how your data improves Alexa",
            heading="Manage how your data improves Alexa",
            controls=(
                Control(
                    setting="voice-recordings",
                    kind="switch",
                    section="Use of voice recordings",
                    label="Help improve Amazon services and develop new features",
                    labels={"de": "Verbesserung der Amazon-Services und Entwicklung neuer Funktionen"},
                    changed_label="Share my recordings with the Alexa team",
                    help="Voice recordings may be used to develop new features and manually reviewed to help "
                    "improve our services.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/alexaprivacysettings")
    def privacy_hub(self, request: Request) -> Response:
        links = (
            NavLink("Review Voice History", "/alexaprivacysettings/history"),
            NavLink("Manage how your data improves Alexa", MANAGE_PATH),
        )
        return nav_page(self, request, "Alexa Privacy", links)


SITE = Alexa
