"""Replica of Medium's account settings section "Third-party AI and your stories": a radio group
whose option "Minimize third-party training" opts out (facts: catalogue-facts summary, C1; the
radio markup, the other option's wording and the page route are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Medium(KitSite):
    name = "medium"
    brand = "Medium"
    session_cookie = "sid"
    login_path = "/m/signin"
    next_param = "redirect"
    pages = (
        SettingsPage(
            path="/me/settings/account",
            title="Settings",
            heading="Account",
            controls=(
                Control(
                    setting="third-party-ai",
                    kind="radio",
                    label="Third-party AI and your stories",
                    labels={"de": "KI von Drittanbietern und deine Geschichten"},
                    changed_label="Your stories and AI companies",
                    options=("Allow third-party training", "Minimize third-party training"),
                    opted_out="Minimize third-party training",
                    default="Allow third-party training",
                ),
            ),
        ),
    )


SITE = Medium
