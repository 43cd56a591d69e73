"""Replica of DeepSeek's chat page (chat.deepseek.com): its "Settings" button opens a dialog with
the switch "Improve the model for everyone", saved as it is flipped, and Escape closes it (facts:
catalogue-facts §9, C2 for the path and label; the dialog, the button and the switch markup are
inferred, and the ⋯ menu and Data tab in front of it are left out for want of any markup).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, Dialog, KitSite, SettingsPage


class DeepSeek(KitSite):
    name = "deepseek"
    brand = "DeepSeek"
    login_path = "/sign_in"
    pages = (
        SettingsPage(
            path="/",
            title="DeepSeek",
            heading="DeepSeek",
            dialog=Dialog(opener="Settings", title="Settings"),
            controls=(
                Control(
                    setting="improve-model",
                    kind="switch",
                    section="Data",
                    label="Improve the model for everyone",
                    labels={"de": "Das Modell für alle verbessern"},
                    changed_label="Use my chats for training",
                    help="Allow your content to be used to train our models.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = DeepSeek
