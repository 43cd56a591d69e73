"""Replica of Microsoft Copilot's privacy controls, which have no deep link: the app's home page
has a profile button whose menu leads to Privacy, where the switches "Training on conversation
activity" and "Training on voice conversations" save by themselves. The absent variant is the app
released on 2026-08-18, whose page has no switch and says conversations "aren't used to train
foundation models" (facts: catalogue-facts §4, labels and the path through the profile C2; the
button and link names, the page's own route, the markup and the absent wording on the page are
inferred).
"""

from __future__ import annotations

from optout.replica.assets import kit_file
from optout.replica.kit_pages import gated_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

PRIVACY_PATH = "/settings/privacy"  # the replica's own: no source gives a route


class Copilot(KitSite):
    name = "copilot"
    brand = "Microsoft Copilot"
    login_path = "/login.srf"
    pages = (
        SettingsPage(
            path=PRIVACY_PATH,
            title="Privacy",
            heading="Privacy",
            absent_text="Your prompts, responses and file contents aren't used to train foundation models.",
            controls=(
                Control(
                    setting="text-training",
                    kind="switch",
                    label="Training on conversation activity",
                    labels={"de": "Training mit Unterhaltungsaktivitäten"},
                    changed_label="Model training on text",
                    opted_out=False,
                    default=True,
                ),
                Control(
                    setting="voice-training",
                    kind="switch",
                    label="Training on voice conversations",
                    labels={"de": "Training mit Sprachunterhaltungen"},
                    changed_label="Model training on voice",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/")
    def home(self, request: Request) -> Response:
        """The chat, with the profile button whose menu is the only way to the privacy controls."""
        body = (
            '<header class="kit-header"><span class="kit-brand">Copilot</span>'
            '<button type="button" id="profile-button" aria-label="Profile" aria-expanded="false">TU</button>'
            "</header>"
            '<nav id="profile-menu" class="copilot-menu" hidden><p>Test User</p>'
            f'<ul><li><a href="{PRIVACY_PATH}">Privacy</a></li><li><a href="#">Personalization and memory</a></li>'
            "</ul></nav>"
            '<main class="kit-main"><h1>Hi, how can I help?</h1></main>'
        )
        return gated_page(self, request, self.brand, body, kit_file(__package__, "profile.js"))


SITE = Copilot
