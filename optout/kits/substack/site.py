"""Replica of a Substack publication's settings (PUB.substack.com/publish/settings), which live on
the publication's own host: the "Publication details" section's switch "Block AI training", on =
opted out, off by default (facts: catalogue-facts §15, route and label C2; the switch markup, its
saving by itself, the sign-in path and the cookie name are inferred). The sign-in hops over every
publication's host to set the session there too, as Substack does for custom domains.
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Substack(KitSite):
    name = "substack"
    brand = "Substack"
    login_path = "/sign-in"
    resource_in_host = True
    resources = ("myblog", "fieldnotes")
    pages = (
        SettingsPage(
            path="/publish/settings",
            title="Settings",
            heading="Settings",
            controls=(
                Control(
                    setting="block-ai-training",
                    kind="switch",
                    section="Publication details",
                    label="Block AI training",
                    labels={"de": "KI-Training blockieren"},
                    changed_label="Ask AI tools not to learn from my posts",
                    help="Indicates to AI tools like ChatGPT and Google Bard that their models should not be "
                    "trained on your published content. This will only apply to AI tools which respect this setting.",
                    opted_out=True,
                    default=False,
                ),
            ),
        ),
    )


SITE = Substack
