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
    """The public suffix list bundled with publicsuffixlist (never fetched: optout stays offline),
    private domains included (github.io), a name under an unknown top-level domain refused, and the
    reserved names added. Loaded on first use: only recipe loading needs it. (tldextract, used
    before, imported an HTTP library to load the same list: about 200 ms on every catalogue load.)"""
    import publicsuffixlist

    with open(publicsuffixlist.PSLFILE, encoding="utf-8") as rules:
        # Internationalised rules stay in Unicode (no punycode copy of each, which took most of
        # the time): _unicode turns the name asked about into Unicode instead.
        return publicsuffixlist.PublicSuffixList(
            [*rules, *RESERVED_SUFFIXES], accept_unknown=False, accept_encoded_idn=False
        )


def _unicode(domain: str) -> str:
    """The name with each punycode label (xn--...) decoded, as the list writes them; a label that
    does not decode is left as written (it matches no rule)."""
    labels = []
    for label in domain.split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


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
    if _suffixes().privatesuffix(_unicode(domain)) is None:
        raise ValueError("a public suffix (like com or co.uk) or not under one: give the platform's own domain")
    return domain
