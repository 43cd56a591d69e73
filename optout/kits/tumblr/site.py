"""Replica of Tumblr's per-blog settings (tumblr.com/settings/blog/BLOG): the Visibility section's
switch "Prevent third-party sharing for BLOG", on = opted out, saved by itself (facts:
catalogue-facts §13, route and label C2; the switch markup, the autosave, the login path and the
cookie name are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Tumblr(KitSite):
    name = "tumblr"
    brand = "Tumblr"
    login_path = "/login"
    resources = ("myblog", "art-of-cats")
    pages = (
        SettingsPage(
            path="/settings/blog/{resource}",
            title="Blog settings",
            heading="Blog settings",
            controls=(
                Control(
                    setting="third-party-sharing",
                    kind="switch",
                    section="Visibility",
                    label="Prevent third-party sharing for {resource}",
                    labels={"de": "Weitergabe an Dritte für {resource} verhindern"},
                    changed_label="Keep {resource} out of partner data sets",
                    opted_out=True,
                    default=False,
                ),
            ),
        ),
    )


SITE = Tumblr
