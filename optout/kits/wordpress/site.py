"""Replica of WordPress.com's per-site general settings (wordpress.com/settings/general/SITE):
the privacy section's checkbox `name=wpcom_data_sharing_opt_out` "Prevent third-party sharing for
SITE" is kept only when "Save settings" is pressed (facts: catalogue-facts §14, C2 from Automattic's
open-source code; the Save button is the legacy form's, inferred for the new one).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class WordPress(KitSite):
    name = "wordpress"
    brand = "WordPress.com"
    session_cookie = "wordpress_logged_in"
    login_path = "/log-in"
    next_param = "redirect_to"
    resources = ("myblog.wordpress.com", "recipes.example.org")
    pages = (
        SettingsPage(
            path="/settings/general/{resource}",
            title="General Settings",
            heading="General settings",
            save_button="Save settings",
            controls=(
                Control(
                    setting="third-party-sharing",
                    kind="checkbox",
                    section="Privacy",
                    label="Prevent third-party sharing for {resource}",
                    labels={"de": "Weitergabe an Dritte für {resource} verhindern"},
                    changed_label="Keep {resource} out of partner data sets",
                    help="This option will prevent this site's content from being shared with our licensed "
                    "network of content and research partners, including those that train AI models.",
                    attrs={"name": "wpcom_data_sharing_opt_out"},
                    opted_out=True,
                    default=False,
                ),
            ),
        ),
    )


SITE = WordPress
