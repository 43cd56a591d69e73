"""Every platform kit's replica together, and the handles tests use to look behind the pages.

Tests and `optout demo` start a `Replica`, point the recipes at it through OPTOUT_ORIGIN, and
then check the server-side truth (`state`, `writes`) rather than trusting what a page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

from optout.kits import kit_ids, site_class
from optout.replica.options import TEST_PASSWORD, TEST_USER, UNRELATED_KEY, ReplicaOptions
from optout.replica.server import Site, SiteServer

PLATFORMS = kit_ids()
# Every host a replica serves on (and its subdomains): the domains to keep a replica session's
# cookies for when saving it as `optout login` would.
REPLICA_DOMAINS = ("127.0.0.1", "localhost")


class Replica:
    """The replica of every kit (or of the platforms named), each on its own free port of 127.0.0.1
    (named `localhost` for a kit whose resources live on hosts of their own)."""

    def __init__(
        self, options: ReplicaOptions | None = None, host: str = "127.0.0.1", platforms: Iterable[str] | None = None
    ) -> None:
        self.options = options if options is not None else ReplicaOptions()
        self.host = host
        sites: list[Site] = [site_class(pid)(self.options) for pid in (PLATFORMS if platforms is None else platforms)]
        self._servers = {site.name: SiteServer(site, "localhost" if site.resource_in_host else host) for site in sites}
        self.add_user(TEST_USER, TEST_PASSWORD)

    # lifecycle ---------------------------------------------------------------------------------
    def start(self) -> Replica:
        try:
            for server in self._servers.values():
                server.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()

    def __enter__(self) -> Replica:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # where ---------------------------------------------------------------------------------------
    @property
    def origins(self) -> dict[str, str]:
        """platform id -> "http://127.0.0.1:PORT" or "http://localhost:PORT" (only while running)."""
        return {name: server.origin for name, server in self._servers.items()}

    def origin_env(self) -> str:
        """The value for OPTOUT_ORIGIN: "linkedin=http://127.0.0.1:P1,x=...,meta=..."."""
        return ",".join(f"{name}={origin}" for name, origin in self.origins.items())

    def _site(self, platform: str) -> Site:
        try:
            return self._servers[platform].site
        except KeyError:
            raise KeyError(f"no replica platform {platform!r}; known: {', '.join(PLATFORMS)}") from None

    # accounts and sessions ---------------------------------------------------------------------
    def add_user(self, email: str, password: str) -> None:
        """An account on all three platforms, every setting at the platform default (opted in)."""
        for server in self._servers.values():
            server.site.store.add_user(email, password)

    def storage_state(self, platform: str, email: str = TEST_USER) -> dict[str, Any]:
        """A fresh, valid logged-in session as a Playwright storage state (what `optout login` saves)."""
        site = self._site(platform)
        hosts = site.cookie_hosts(self._servers[platform].host)
        # A session of its own on each host, as the sign-in's hop gives (KitSite.login_hop).
        sessions = {host: site.store.new_session(email) for host in hosts}
        return {"cookies": [c.storage(host) for host in hosts for c in site.cookies(sessions[host])], "origins": []}

    def revoke(self, platform: str, email: str = TEST_USER) -> None:
        """Invalidate every session of the user there, as when a session expires or is logged out."""
        self._site(platform).store.revoke(email)

    def end_session(self, platform: str, value: str) -> None:
        """Invalidate the one session whose session cookie holds `value`, leaving the user's others."""
        if not self._site(platform).store.end(value):
            raise KeyError(f"no live {platform} session with that value")

    def session_values(self, platform: str, email: str = TEST_USER) -> list[str]:
        """The session cookie values (li_at, auth_token, xs) that are valid right now."""
        return self._site(platform).session_values(email)

    # server-side truth -------------------------------------------------------------------------
    def state(self, platform: str, email: str = TEST_USER) -> dict[str, Any]:
        """The user's settings as the server keeps them (setting id -> value; Meta: objections)."""
        site = self._site(platform)
        return {k: v for k, v in site.store.settings(email).items() if k not in site.private_keys}

    def is_opted_out(self, platform: str, key: str, email: str = TEST_USER) -> bool:
        """Whether the server keeps the user opted out of one setting (`setting@resource` per resource)."""
        site = self._site(platform)
        return site.opted_out(key, site.store.get(email, key))

    def unrelated_setting(self, platform: str, email: str = TEST_USER) -> Any:
        """The stored value of the unrelated setting of the click_thief and collateral_save variants."""
        return self._site(platform).store.get(email, UNRELATED_KEY)

    def set_state(self, platform: str, email: str, key: str, value: Any) -> None:
        """Change a setting behind the browser's back (e.g. the platform switching it on again)."""
        self._site(platform).store.set(email, key, value)

    def opt_out_all(self, platform: str, email: str = TEST_USER) -> None:
        """Store every setting of the user's as opted out, as if they had switched each off on the site."""
        site = self._site(platform)
        for key in self.state(platform, email):
            site.store.set(email, key, site.opted_out_value(key))

    def visits(self, platform: str) -> list[dict[str, str]]:
        """The headers (lower-case names) of every settings-page request so far, in order."""
        return [dict(headers) for headers in self._site(platform).visits]

    def accept_languages(self, platform: str) -> list[str]:
        """The Accept-Language header of every settings-page request so far ("" when it had none)."""
        return [headers.get("accept-language", "") for headers in self.visits(platform)]

    def consents(self, platform: str) -> list[str]:
        """How the interruptions variant's consent banner was answered, in order ("accepted", "rejected")."""
        return list(self._site(platform).consents)

    def writes(self, platform: str) -> int:
        """How many save/write requests the platform's API received, kept or not."""
        return self._site(platform).store.writes
