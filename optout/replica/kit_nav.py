"""Intermediate pages of a kit: the known page a recipe starts from and the menus it clicks
through before the settings page (admin.mistral.ai → Manage → Le Chat).

Platforms without a known settings URL are reached by `steps` from a page whose URL is known; the
replica needs those pages too, behind the same login wall as the settings page, so that a
navigation step that finds nothing (or finds two) is tested as on the real site. Each page is a
list of links; a link may carry the role the real element has (a settings sidebar's `tab`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from optout.replica.assets import page
from optout.replica.kit_site import KitSite
from optout.replica.server import Request, Response


@dataclass(frozen=True)
class NavLink:
    text: str
    href: str
    role: str = ""  # "" keeps the link's own role; "tab", "button" as the real element has it


def nav_page(site: KitSite, request: Request, heading: str, links: tuple[NavLink, ...]) -> Response:
    """A page of links behind the kit's login wall (and its delay and checkpoint variants)."""
    session = site.gate(request)
    if isinstance(session, Response):
        return session
    items = "".join(f'<li><a href="{escape(link.href)}"{_role(link)}>{escape(link.text)}</a></li>' for link in links)
    body = (
        f'<header class="kit-header"><a href="/" class="kit-brand">{escape(site.brand)}</a></header>'
        f'<main class="kit-main"><h1>{escape(heading)}</h1><nav><ul class="kit-nav">{items}</ul></nav></main>'
    )
    return site.rotated(session, Response.html(page(f"{heading} | {site.brand}", body, site.css())))


def _role(link: NavLink) -> str:
    return f' role="{escape(link.role)}"' if link.role else ""
