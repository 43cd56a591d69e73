"""Replica of ChatGPT's Data controls: the settings overlay opened by the hash route
`#settings/DataControls`, whose "Improve the model for everyone" row is a button
(`data-testid=improve-model-open-modal-button`, named label + On/Off) that opens a dialog holding
the real switch (`button[role=switch][data-testid=improve-model-toggle]`, `aria-checked`); the
switch saves by itself and Escape closes the dialog (facts: catalogue-facts §1, C2).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, Dialog, KitSite, SettingsPage

LABEL = "Improve the model for everyone"


class ChatGPT(KitSite):
    name = "chatgpt"
    brand = "ChatGPT"
    session_cookie = "__Secure-next-auth.session-token"
    login_path = "/auth/login"
    pages = (
        SettingsPage(
            path="/",
            title="ChatGPT",
            heading="Data controls",
            dialog=Dialog(
                opener=LABEL,
                title=LABEL,
                opener_attrs={"data-testid": "improve-model-open-modal-button"},
                hash="#settings/DataControls",
            ),
            controls=(
                Control(
                    setting="improve-model",
                    kind="switch",
                    label=LABEL,
                    labels={"de": "Das Modell für alle verbessern"},
                    changed_label="Share my chats to make our products better",
                    help="Allow your content to be used to train our models, which makes ChatGPT better for you "
                    "and everyone who uses it. We take steps to protect your privacy.",
                    attrs={"data-testid": "improve-model-toggle"},
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = ChatGPT
