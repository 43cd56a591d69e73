"""Replica of Quora's privacy settings (quora.com/settings/privacy): the switch "Allow large
language models to be trained on your content", saved by itself (facts: catalogue-facts §10, route
and label C2, that the row is on this page C1; the switch, its default on, the login path and the
cookie `m-b` are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Quora(KitSite):
    name = "quora"
    brand = "Quora"
    session_cookie = "m-b"
    pages = (
        SettingsPage(
            path="/settings/privacy",
            title="Privacy Settings",
            heading="Privacy",
            controls=(
                Control(
                    setting="llm-training",
                    kind="switch",
                    section="Large language models",
                    label="Allow large language models to be trained on your content",
                    labels={"de": "Erlauben, dass große Sprachmodelle mit deinen Inhalten trainiert werden"},
                    changed_label="Let AI models learn from your answers",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Quora
