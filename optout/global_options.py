"""The run-wide options every command shares (--home, --recipes, --browser, --origin).

Each is also an environment variable so cron jobs and tests can set them once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from optout.errors import UsageError
from optout.home.paths import default_home


def parse_origin(spec: str) -> tuple[str, str]:
    """Parse one `PLATFORM=URL` override; the URL must be a bare http(s) origin. (The URL parser
    loads here: most runs name no origin.)"""
    from optout.domains import check_domain
    from optout.urls import parse_web_url

    platform, sep, url = spec.partition("=")
    platform, url = platform.strip(), url.strip()
    if not sep or not platform:
        raise UsageError(f"--origin {spec!r}: expected PLATFORM=URL, e.g. linkedin=http://127.0.0.1:8001")
    try:
        parts = parse_web_url(url)
        check_domain(parts.host)  # it joins the platform's domains: the same rule applies
    except ValueError as exc:
        raise UsageError(
            f"--origin {platform}=...: this is not a URL optout can use: {exc} (e.g. http://127.0.0.1:8001)"
        ) from None
    if parts.path != "/" or parts.query or parts.fragment:
        raise UsageError(f"--origin {spec!r}: give only scheme, host and port, without a path")
    return platform, parts.origin


def parse_origins(env_value: str | None, options: list[str]) -> dict[str, str]:
    """OPTOUT_ORIGIN (comma-separated) first, then each --origin, later ones winning."""
    specs = [s for s in (env_value or "").split(",") if s.strip()] + list(options)
    return dict(parse_origin(s) for s in specs)


@dataclass(frozen=True)
class GlobalOptions:
    """What the global options resolved to for this run."""

    home: Path = field(default_factory=default_home)
    recipes: Path | None = None
    browser: Path | None = None
    origins: Mapping[str, str] = field(default_factory=dict)
