"""Extra pages of a kit besides its settings pages: the way to a setting that has no deep link
(a profile menu, a settings index), or what an app shows at a URL without its overlay. Each sits
behind the same login wall as the settings pages, so a recipe's steps meet it as they would the
real site's."""

from __future__ import annotations

from optout.replica.assets import page
from optout.replica.kit_site import KitSite
from optout.replica.server import Request, Response


def gated_page(site: KitSite, request: Request, title: str, body: str, script: str = "") -> Response:
    """`body` (trusted markup) in the kit's look, or the login wall's answer for a visitor without a session."""
    session = site.gate(request)
    if isinstance(session, Response):
        return session
    return Response.html(page(title, body, site.css(), script))
