"""Extra pages of a kit besides its settings pages: the known page a recipe starts from and the
menus it clicks through when a setting has no deep link (admin.mistral.ai → Manage → Le Chat), or
what an app shows at a URL without its overlay. Each sits behind the same login wall (with its
delay and checkpoint variants) as the settings pages, so a recipe's steps meet them as they would
the real site's, and a navigation step that finds nothing (or two) is tested as there.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from optout.replica.assets import page
from optout.replica.kit_site import KitSite
from optout.replica.server import Request, Response


def gated_page(site: KitSite, request: Request, title: str, body: str, script: str = "") -> Response:
    """`body` (trusted markup) in the kit's look, or the login wall's answer for a visitor without a
    session (or "not found" on a host that is none of the site's resources, where they have their own)."""
    if site.unknown_host(request):
        return Response.not_found()
    session = site.gate(request)
    if isinstance(session, Response):
        return session
    return site.rotated(session, Response.html(page(title, body, site.css(), script)))


@dataclass(frozen=True)
class NavLink:
    text: str
    href: str
    role: str = ""  # "" keeps the link's own role; "tab", "button" as the real element has it


def nav_page(site: KitSite, request: Request, heading: str, links: tuple[NavLink, ...]) -> Response:
    """A page that is a list of links, behind the kit's login wall."""
    items = "".join(f'<li><a href="{escape(link.href)}"{_role(link)}>{escape(link.text)}</a></li>' for link in links)
    body = (
        f'<header class="kit-header"><a href="/" class="kit-brand">{escape(site.brand)}</a></header>'
        f'<main class="kit-main"><h1>{escape(heading)}</h1><nav><ul class="kit-nav">{items}</ul></nav></main>'
    )
    return gated_page(site, request, f"{heading} | {site.brand}", body)


def _role(link: NavLink) -> str:
    return f' role="{escape(link.role)}"' if link.role else ""
