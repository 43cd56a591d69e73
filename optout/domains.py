"""Which hosts belong to a platform: the one rule that keeps each platform's cookies, pages and
recipe URLs inside its own domains."""

from __future__ import annotations

from collections.abc import Iterable


def host_in(host: str, domains: Iterable[str]) -> bool:
    """True when host is one of domains or a subdomain of one (cookie domains may start with '.')."""
    host = host.lstrip(".").lower()
    return any(host == d or host.endswith("." + d) for d in domains)
