"""Replica of a Figma team's settings: the team settings page has an "AI" tab whose "Manage AI
settings" button opens a dialog with the "Content training" switch, saved as it is flipped; one
per team, for its admins (facts: catalogue-facts §20, C2 for the path and label; the URLs, the tab
and dialog markup are inferred).
"""

from __future__ import annotations

from optout.replica.kit_pages import NavLink, nav_page
from optout.replica.kit_site import Control, Dialog, KitSite, SettingsPage
from optout.replica.server import Request, Response, route

MANAGE = "Manage AI settings"


class Figma(KitSite):
    name = "figma"
    brand = "Figma"
    next_param = "cont"
    resources = ("1234567890123456789", "9876543210987654321")
    pages = (
        SettingsPage(
            path="/files/team/{resource}/settings/ai",
            title="AI",
            heading="AI",
            intro="Choose how AI works for your team.",
            dialog=Dialog(opener=MANAGE, title=MANAGE),
            controls=(
                Control(
                    setting="content-training",
                    kind="switch",
                    label="Content training",
                    labels={"de": "Inhaltstraining"},
                    changed_label="Use team files to improve AI",
                    help="Allow Figma to use content from this team's files to train AI models.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )

    @route("GET", r"/files/team/(?P<team>[0-9]+)/settings")
    def team_settings(self, request: Request) -> Response:
        team = request.match.group("team") if request.match else ""
        if team not in self.resources:
            return Response.not_found()
        tabs = ("General", "Members", "AI", "Billing")
        return nav_page(
            self,
            request,
            "Team settings",
            tuple(NavLink(t, f"/files/team/{team}/settings/{t.lower()}", "tab") for t in tabs),
        )


SITE = Figma
