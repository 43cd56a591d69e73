"""A session's stored tokens never reach evidence or a bug report: several platforms keep their
login in local storage (a bearer token, a JWT inside a JSON value) rather than in a cookie, and a
page that shows one (a debug panel, a token in a link or a data attribute) must not put it into
the evidence HTML, nor into `report`'s page.html and aria-snapshot.yaml:

- every local-storage value of the session, and every JWT or token-looking word inside one, is
  removed as cookie values are, as is, URL-encoded and base64-encoded;
- so are the session-storage values of the page (a token the page itself keeps there).

Evidence is taken by the engine for every platform alike (optout.engine.evidence.capture), so one
replica (LinkedIn's `echo_storage` variant) stands for every kit; the pure rule that finds the
tokens inside a value has its own unit tests.
"""

from __future__ import annotations

import base64
import json
import re
import tarfile
from pathlib import Path
from urllib.parse import quote

from optout.engine.evidence import Secrets, token_pieces

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJ1cm46bGk6bWVtYmVyOjEyMzQ1IiwiZXhwIjoxNzkwMDAwMDAwfQ."
    "c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0xMjM0NQ"
)
STORED = json.dumps({"accessToken": JWT, "expiresAt": 1790000000, "theme": "dark"})
BEARER = re.compile(r"Bearer(?:\s|%20|\+)[0-9a-f]{32}Ak7")


def forms(secret: str) -> list[str]:
    """The spellings of a secret a page may carry: as is, URL-encoded, base64 inside a blob."""
    return [secret, quote(secret, safe=""), base64.b64encode(json.dumps({"v": secret}).encode()).decode()]


def leaks(text: str, secret: str) -> bool:
    """Whether text still carries the secret: as is, URL-encoded, or its middle in base64 at any
    alignment (what is left of an encoded blob that still spells it)."""
    middle = secret[4:-4].encode()
    encoded = [base64.b64encode(b"\0" * n + middle).decode()[4:-4] for n in range(3)]
    return any(form in text for form in [secret, quote(secret, safe=""), *encoded])


def test_the_tokens_inside_a_stored_value_are_found() -> None:
    assert JWT in set(token_pieces(STORED))
    assert "AbCdEf0123456789xyz" in set(token_pieces("Bearer AbCdEf0123456789xyz"))
    assert JWT in set(token_pieces(quote("token=" + JWT)))
    # words that are not tokens stay: the page must still read as the page it was
    assert not set(token_pieces('{"theme": "dark", "url": "https://www.linkedin.com/feed/2024"}'))


def test_stored_values_and_their_tokens_are_scrubbed_in_every_form() -> None:
    secrets = Secrets.of([], [], [STORED])
    page = " ".join(form for secret in (STORED, JWT) for form in forms(secret))
    assert leaks(page, STORED) and leaks(page, JWT)
    cleaned = secrets.clean(f"<p>{page}</p><p>dark theme</p>")
    for secret in (STORED, JWT):
        assert not leaks(cleaned, secret), secret
    assert "[stored secret removed]" in cleaned and "dark theme" in cleaned


def test_a_page_showing_stored_tokens_leaves_none_in_evidence_or_report(cli, home: Path, replica, tmp_path) -> None:
    state = replica.storage_state("linkedin")
    origin = replica.origins["linkedin"]
    state["origins"] = [{"origin": origin, "localStorage": [{"name": "li-auth", "value": STORED}]}]
    exported = tmp_path / "state.json"
    exported.write_text(json.dumps(state))
    assert cli("login", "linkedin", "--storage-state", str(exported)).exit_code == 0
    replica.options.echo_storage = True
    replica.options.missing_control = True  # not_found: the page is kept as evidence

    status = cli("status", "linkedin", "--json")
    assert status.exit_code == 3
    [html] = (home / "evidence" / "linkedin").glob("*.html")
    saved = html.read_text()
    assert 'id="storage-echo"' in saved  # the page did show them
    run = cli("report", "linkedin", "ai-training")
    assert run.exit_code == 0, run
    with tarfile.open(run.stdout.splitlines()[0]) as tar:
        files = {
            m.name: tar.extractfile(m).read().decode()
            for m in tar.getmembers()
            if m.name.endswith((".html", ".yaml", ".json", ".txt"))
        }  # type: ignore[union-attr]
    assert {"page.html", "aria-snapshot.yaml"} <= set(files)
    assert "Stored state" in files["aria-snapshot.yaml"]
    for name, text in {"evidence": saved, "status": status.stdout, **files}.items():
        for secret in (STORED, JWT):
            assert not leaks(text, secret), (name, secret)
        assert not BEARER.search(text), name  # the page's own session-storage token
    assert "[stored secret removed]" in saved and "[stored secret removed]" in files["aria-snapshot.yaml"]
