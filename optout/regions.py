"""Region codes and the groups recipes may name, so `regions: {offered: [EEA]}` stays readable."""

from __future__ import annotations

EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
GROUPS: dict[str, frozenset[str]] = {
    "EU": EU,
    "EEA": EU | {"IS", "LI", "NO"},
}


def expand(codes: list[str]) -> frozenset[str]:
    """Turn a list of country codes and group names into a set of country codes."""
    out: set[str] = set()
    for code in codes:
        out |= GROUPS.get(code.upper(), {code.upper()})
    return frozenset(out)


def is_region_code(code: str) -> bool:
    """True for a two-letter country code (ISO 3166-1 alpha-2 shape: A to Z, not "ÉÉ") or a known group name."""
    return code.upper() in GROUPS or (len(code) == 2 and code.isascii() and code.isalpha())
