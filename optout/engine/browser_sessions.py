"""What a browser's cookie store holds for one platform: its session to import, or the outcome
known without a visit (none there, only an expired session). Shared by `login --from-browser` and
by the refresh of `sessions.from`, which must judge a browser's session alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optout.home.browser_cookies import BrowserCookies, Store
    from optout.recipes.schema import Platform

IMPORTED, NOT_SIGNED_IN, EXPIRED, REFUSED = "imported", "not_signed_in", "expired", "refused"


@dataclass(frozen=True)
class Outcome:
    """What became of one platform: `result` is one of the four above; `detail` says it in words."""

    platform: str
    result: str
    detail: str
    cookies: int = 0
    account: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "result": self.result,
            "account": self.account,
            "cookies": self.cookies,
            "detail": self.detail,
        }


def session_names(p: Platform) -> list[str]:
    """Every name the recipe's session cookie may go by (`a|b` entries spelled out)."""
    from optout.home.sessions import cookie_alternatives

    assert p.login is not None
    return [name for entry in p.login.session_cookies for name in cookie_alternatives(entry)]


def expired(p: Platform, got: BrowserCookies) -> bool:
    """The browser holds the platform's session cookie only in an expired copy (or holds nothing
    live but expired cookies): signing in there again is what helps."""
    live = {c["name"] for c in got.imported.state["cookies"]}
    wanted = session_names(p)
    if wanted:
        return any(name in got.expired for name in wanted) and not any(name in live for name in wanted)
    return not live and bool(got.expired)


def share(p: Platform, store: Store, *, signed_in_only: bool) -> Outcome | dict[str, Any]:
    """The platform's cookies in the browser, or the outcome already known without a visit (none
    there, or only an expired session). `signed_in_only` (for --all): a platform whose session
    cookie is not among them is not signed in there, whatever else a visit left in the jar."""
    from optout.home.sessions import filter_state

    got = store.read(p.domains)
    if expired(p, got):
        return Outcome(p.id, EXPIRED, f"the {p.name} session in {got.source} has expired: sign in there again")
    mine = filter_state(got.imported.state, p.domains)
    if not mine["cookies"]:
        return Outcome(p.id, NOT_SIGNED_IN, f"{got.source} holds no {p.name} cookies ({', '.join(p.domains)})")
    wanted = session_names(p)
    if signed_in_only and wanted and not {c["name"] for c in mine["cookies"]} & set(wanted):
        return Outcome(p.id, NOT_SIGNED_IN, f"{got.source} holds no {p.name} session cookie ({', '.join(wanted)})")
    return mine
