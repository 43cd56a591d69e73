"""Replica of Adobe's account privacy page (account.adobe.com/privacy): the "Content analysis"
switch under "Privacy and personal data" saves as soon as it is flipped (facts: catalogue-facts
§19, C2 for URL and label; that it is a switch input, as Adobe's Spectrum toggles are, is inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Adobe(KitSite):
    name = "adobe"
    brand = "Adobe Account"
    login_path = "/en_US/index.html"
    next_param = "callback"
    pages = (
        SettingsPage(
            path="/privacy",
            title="Privacy and personal data",
            heading="Privacy and personal data",
            controls=(
                Control(
                    setting="content-analysis",
                    kind="switch-input",
                    section="Content analysis",
                    label="Content analysis",
                    labels={"de": "Inhaltsanalyse"},
                    changed_label="Allow Adobe to analyze my content",
                    help="Adobe may analyze your content using techniques such as machine learning to improve "
                    "our products and services. You can opt out of content analysis at any time.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Adobe
