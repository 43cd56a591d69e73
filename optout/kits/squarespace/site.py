"""Replica of a Squarespace site's admin (SITE.squarespace.com/config), which lives on the site's
own host: Settings, then Crawlers, whose checkbox "Block known artificial intelligence crawlers" is
checked = opted out, unchecked by default (facts: catalogue-facts §17, path and label C2 from the
support article; the admin URL, the link names, the pages' routes, the checkbox saving by itself
and the sign-in path are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

SETTINGS_PATH = "/config/settings"  # inferred, like the crawlers page below it: reached by links only


class Squarespace(KitSite):
    name = "squarespace"
    brand = "Squarespace"
    login_path = "/login"
    resource_in_host = True
    resources = ("mysite", "bakery")
    pages = (
        SettingsPage(
            path=f"{SETTINGS_PATH}/crawlers",
            title="Crawlers",
            heading="Crawlers",
            controls=(
                Control(
                    setting="block-ai-crawlers",
                    kind="checkbox",
                    label="Block known artificial intelligence crawlers",
                    labels={"de": "Bekannte Crawler für künstliche Intelligenz blockieren"},
                    changed_label="Artificial Intelligence Crawlers",
                    help="Asks Anthropic AI, Applebot-Extended, CCBot, Claude-Web, cohere-ai, FacebookBot, "
                    "Google-Extended, GPTBot, ChatGPT-User and PerplexityBot not to crawl your site (robots.txt).",
                    opted_out=True,
                    default=False,
                ),
            ),
        ),
    )

    @route("GET", r"/config")
    def config(self, request: Request) -> Response:
        """The site's admin home: the recipe starts here and follows Settings."""
        return nav_page(self, request, "Home", (NavLink("Pages", "/config"), NavLink("Settings", SETTINGS_PATH)))

    @route("GET", SETTINGS_PATH)
    def settings(self, request: Request) -> Response:
        return nav_page(self, request, "Settings", (NavLink("Crawlers", self.pages[0].path),))


SITE = Squarespace
