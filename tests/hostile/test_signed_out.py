"""A platform that signs the session out during a run (`Set-Cookie: li_at=; Max-Age=0` on one of
its answers) is said to have done so, never hidden by the write-back:

- the stored session is not replaced by the browser's copy without its session cookie, and it is
  marked signed out: `sessions` says "logged in: NO", why, and the command that signs in again;
- the run still shows what it read before, and warns (exit 3, as for a session that could not
  be saved back) that the session was signed out.
"""

from __future__ import annotations

import json
from pathlib import Path

from optout.home.sessions import SessionStore, signed_out


def jar(*names: str) -> dict[str, list[dict[str, str]]]:
    return {"cookies": [{"name": n, "value": "v", "domain": ".linkedin.com"} for n in names]}


def test_a_session_cookie_that_went_away_is_a_sign_out() -> None:
    assert signed_out(jar("li_at", "JSESSIONID"), jar("JSESSIONID"), ["li_at"]) == ["li_at"]
    assert signed_out(jar("li_at"), jar("li_at"), ["li_at"]) == []  # rotated: the name stays
    assert signed_out(jar("JSESSIONID"), jar("JSESSIONID"), ["li_at"]) == []  # it never had one
    # one of alternatives is enough (ChatGPT's token, or its first chunk)
    assert signed_out(jar("a.0"), jar("a"), ["a|a.0"]) == []
    assert signed_out(jar("a.0", "b"), jar("b"), ["a|a.0"]) == ["a|a.0"]


def test_a_session_the_platform_signed_out_is_said_to_be(log_in, cli, home: Path, replica) -> None:
    log_in("linkedin")
    before = SessionStore(home).load("linkedin")
    replica.opt_out_all("linkedin")
    replica.options.expire_session = True

    run = cli("status", "linkedin", "--json")
    assert [r["state"] for r in json.loads(run.stdout)] == ["opted_out"]  # read before the sign-out
    assert run.exit_code == 3  # all as wanted, but the session is gone: the user must act
    assert "warning: the LinkedIn session was signed out by LinkedIn" in run.stderr
    assert "li_at" in run.stderr and "optout login linkedin" in run.stderr
    assert SessionStore(home).load("linkedin") == before  # not replaced by a copy without li_at

    listed = cli("sessions")
    assert "NO" in listed.stdout and "yes" not in listed.stdout
    assert "signed out by LinkedIn" in listed.stderr and "optout login linkedin" in listed.stderr
    [entry] = json.loads(cli("sessions", "--json").stdout)
    assert entry["last_valid"] is False and "li_at" in entry["invalid_reason"]
