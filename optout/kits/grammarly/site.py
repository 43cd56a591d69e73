"""Replica of Grammarly's account privacy page (account.grammarly.com/security/privacy): the
"Product Improvement and Training" switch, saved by itself (facts: catalogue-facts §18, URL C1 from
the official help, label C2; cookies `grauth` and `csrf-token` C1; the switch markup and the sign-in
path are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Grammarly(KitSite):
    name = "grammarly"
    brand = "Grammarly"
    session_cookie = "grauth"
    csrf_cookie = "csrf-token"
    login_path = "/signin"
    pages = (
        SettingsPage(
            path="/security/privacy",
            title="Privacy",
            heading="Privacy",
            controls=(
                Control(
                    setting="product-improvement",
                    kind="switch",
                    label="Product Improvement and Training",
                    labels={"de": "Produktverbesserung und Training"},
                    changed_label="Help improve Grammarly's models",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Grammarly
