"""Replica of Pinterest's "Privacy and data" settings (pinterest.com/settings/privacy): the GenAI
section's switch "Use your data to train Pinterest Canvas", saved by itself (facts:
catalogue-facts §11, label C2, route C2 that it existed; the switch, the autosave, the login path and
the cookie `_pinterest_sess` are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Pinterest(KitSite):
    name = "pinterest"
    brand = "Pinterest"
    session_cookie = "_pinterest_sess"
    login_path = "/login/"
    pages = (
        SettingsPage(
            path="/settings/privacy",
            title="Privacy and data",
            heading="Privacy and data",
            controls=(
                Control(
                    setting="canvas-training",
                    kind="switch",
                    section="GenAI",
                    label="Use your data to train Pinterest Canvas",
                    labels={"de": "Deine Daten zum Trainieren von Pinterest Canvas verwenden"},
                    changed_label="Help train Pinterest's AI",
                    help="Allow your data to be used to help train Pinterest Canvas. Learn more",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Pinterest
