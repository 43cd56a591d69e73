"""Replica of GitHub's Copilot features settings: the "Allow GitHub to use my data for AI model
training" setting is a Primer dropdown whose button shows Enabled or Disabled and opens a menu of
`menuitemradio` options; picking one saves it (facts: catalogue-facts §5, C2 for label and options,
markup inferred). The older "product improvements" setting is a second dropdown of the same
section (facts-2026-12 §1.6, C2 for the label; the same markup inferred). Signed-out visitors go to /login?return_to=...
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Cookie
from optout.replica.state import Session


class GitHub(KitSite):
    name = "github"
    brand = "GitHub"
    session_cookie = "user_session"
    next_param = "return_to"
    checkpoint_path = "/sessions/verified-device"

    def cookies(self, session: Session) -> list[Cookie]:
        """GitHub's session cookies, and `dotcom_user`, which names the signed-in login in the clear
        (catalogue-facts §5, C2): the replica's login is the e-mail address's local part."""
        login = Cookie("dotcom_user", session.email.split("@", 1)[0], http_only=False)
        return [*super().cookies(session), login]

    pages = (
        SettingsPage(
            path="/settings/copilot/features",
            title="Copilot features",
            heading="Copilot",
            intro="Manage your Copilot features and the use of your data.",
            absent_text="Copilot is managed by your organization. Contact your administrator to change these settings.",
            controls=(
                Control(
                    setting="copilot-training",
                    kind="dropdown",
                    section="Privacy",
                    label="Allow GitHub to use my data for AI model training",
                    labels={"de": "GitHub erlauben, meine Daten für das Training von KI-Modellen zu verwenden"},
                    changed_label="Share my Copilot interactions with GitHub",
                    help="Your inputs, outputs and code snippets may be used to train AI models.",
                    options=("Enabled", "Disabled"),
                    opted_out="Disabled",
                    default="Enabled",
                ),
                Control(  # the older setting, kept beside the training one (facts-2026-12 §1.6, C2)
                    setting="product-improvements",
                    kind="dropdown",
                    section="Privacy",
                    label="Allow GitHub to use my data for product improvements",
                    labels={"de": "GitHub erlauben, meine Daten für Produktverbesserungen zu verwenden"},
                    changed_label="Help GitHub improve its products with my data",
                    help="Your prompts, suggestions and code snippets may be used to improve GitHub's products.",
                    options=("Enabled", "Disabled"),
                    opted_out="Disabled",
                    default="Enabled",
                ),
            ),
        ),
    )


SITE = GitHub
