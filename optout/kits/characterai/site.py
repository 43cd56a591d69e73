"""Replica of Character.AI's web settings: Settings → Account tab → "Manage Account & Data",
whose "Model Improvement" section has the checkbox "Improve the Model for Everyone", saved as it
is ticked (facts: catalogue-facts §33, C2 for the path and label, EEA/UK only; the URLs, the tab
and the checkbox markup are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

DATA_PATH = "/settings/account/data"


class CharacterAI(KitSite):
    name = "characterai"
    brand = "Character.AI"
    pages = (
        SettingsPage(
            path=DATA_PATH,
            title="Manage Account & Data",
            heading="Manage Account & Data",
            controls=(
                Control(
                    setting="model-improvement",
                    kind="checkbox",
                    section="Model Improvement",
                    label="Improve the Model for Everyone",
                    labels={"de": "Das Modell für alle verbessern"},
                    changed_label="Use my chats to train Character.AI",
                    help="Allow your chats to be used to train and improve our models.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/settings")
    def settings_tabs(self, request: Request) -> Response:
        tabs = (NavLink("Profile", "/settings/profile", "tab"), NavLink("Account", "/settings/account", "tab"))
        return nav_page(self, request, "Settings", tabs)

    @route("GET", r"/settings/account")
    def account(self, request: Request) -> Response:
        return nav_page(self, request, "Account", (NavLink("Manage Account & Data", DATA_PATH),))


SITE = CharacterAI
