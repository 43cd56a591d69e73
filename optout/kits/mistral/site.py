"""Replica of Mistral's Admin Console: its home links to "Manage", which lists "Le Chat", whose
page has a "Privacy" section with the switch "Allow your interactions to be used to train our
models", saved as it is flipped (facts: catalogue-facts §8, C2 for the path and label; every
address but the console's home, the links and the switch markup are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

LE_CHAT_PATH = "/manage/le-chat"


class Mistral(KitSite):
    name = "mistral"
    brand = "Mistral AI Admin Console"
    login_path = "/ui/login"
    next_param = "return_to"
    pages = (
        SettingsPage(
            path=LE_CHAT_PATH,
            title="Le Chat",
            heading="Le Chat",
            controls=(
                Control(
                    setting="train-on-interactions",
                    kind="switch",
                    section="Privacy",
                    label="Allow your interactions to be used to train our models",
                    labels={"fr": "Autoriser l'utilisation de vos interactions pour entraîner nos modèles"},
                    changed_label="Share my conversations to improve Mistral models",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/")
    def home(self, request: Request) -> Response:
        return nav_page(self, request, "Admin Console", (NavLink("Usage", "/usage"), NavLink("Manage", "/manage")))

    @route("GET", r"/manage")
    def manage(self, request: Request) -> Response:
        return nav_page(
            self, request, "Manage", (NavLink("Le Chat", LE_CHAT_PATH), NavLink("La Plateforme", "/plateforme"))
        )


SITE = Mistral
