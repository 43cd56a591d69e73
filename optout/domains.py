"""Which hosts belong to a platform: the one rule that keeps each platform's cookies, pages and
recipe URLs inside its own domains.

The rule is only as strong as the list it is given: `domains: [com]` would let every `.com`
cookie in. So every entry must be a registrable domain (or a name under one) by the public
suffix list, the list browsers use to refuse cookies for a whole suffix, or an IP address or
localhost (replicas and staging on this machine).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

# Reserved top-level names (RFC 2606, RFC 6761) that never reach a public registry: treated as
# suffixes of their own, so `demo.example` is a fine test domain and `example` alone is not.
RESERVED_SUFFIXES = ("example", "test", "invalid", "localhost")


_HOSTNAME = re.compile(r"[a-z0-9_.-]+|\[[0-9a-f:.]+\]|[0-9a-f:.]+")


def host_in(host: str, domains: Iterable[str]) -> bool:
    """True when host is one of domains or a subdomain of one (cookie domains may start with '.').

    Anything that is not plainly a host name ("evil.example/.linkedin.com", a backslash, an empty
    text) belongs to no platform: the check fails closed."""
    host = host.lstrip(".").lower()
    if not _HOSTNAME.fullmatch(host):
        return False
    return any(d and (host == d or host.endswith("." + d)) for d in domains)


def is_ip_or_localhost(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@cache
def _suffixes() -> Any:
    """The public suffix list bundled with tldextract; never fetched (optout stays offline), never
    cached on disk. Imported here, not at the top: only recipe loading needs it."""
    import tldextract

    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True, extra_suffixes=RESERVED_SUFFIXES
    )


def check_domain(entry: str) -> str:
    """A recipe's `domains` entry, lower-cased; ValueError unless it is an IP address, localhost,
    or a name at or under a registrable domain (never a public suffix like `com` or `co.uk`)."""
    domain = entry.strip().lower()
    if is_ip_or_localhost(domain):
        return domain
    if domain != entry.lower() or not domain or domain.startswith(".") or domain.endswith("."):
        raise ValueError("not a domain name")
    if any(not ch.isalnum() and ch not in "-." for ch in domain) or not domain.isascii():
        raise ValueError("not a domain name (write non-ASCII names in punycode, xn--...)")
    if not _suffixes()(domain).top_domain_under_public_suffix:
        raise ValueError("a public suffix (like com or co.uk) or not under one: give the platform's own domain")
    return domain
