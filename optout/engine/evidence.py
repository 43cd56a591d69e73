"""Screenshots and page HTML kept under the home directory: proof of a change (receipt), or what
the page looked like when a recipe failed (evidence a user can attach to a bug report).

Saved HTML is scrubbed: every secret the browser holds for the session (cookie values, which some
sites echo into the page as is or base64-encoded; local- and session-storage values, where several
platforms keep their bearer tokens and JWTs; the tokens inside any of them), CSRF tokens and e-mail
addresses (the user's own, shown by the site or typed into a form by optout) are replaced.
Screenshots cannot be scrubbed: they show what the page showed, and wherever their path is printed
the user is told so.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from playwright.async_api import Error, Page

from optout.home.storage import private_dir, write_private
from optout.results import now


async def capture(page: Page, folder: Path, stem: str, *, html: bool) -> Path:
    """Save a screenshot (and the HTML when asked) as folder/TIME-stem.png; return the PNG path."""
    private_dir(folder)
    base = folder / f"{now().strftime('%Y%m%dT%H%M%SZ')}-{stem}"
    png = base.with_suffix(".png")
    write_private(png, await page.screenshot(full_page=True))
    if html:
        # The secrets are gathered before anything is written: if they cannot be, nor is the HTML.
        cookies, stored = await held_secrets(page)
        content = Secrets.of(cookies, (), stored).clean(await page.content())
        write_private(base.with_suffix(".html"), content.encode())
    return png


# Evidence kept (HOME/evidence/PLATFORM/TIME-ACCOUNT-SETTING.png and .html): the newest KEEP_EACH
# captures of each setting, and no more than KEEP_BYTES in all, oldest removed first; the newest
# capture of each setting is always kept, for `optout report`. Receipts are never removed.
KEEP_EACH = 5
KEEP_BYTES = 100 * 1024 * 1024
_CAPTURE = re.compile(r"(?P<time>\d{8}T\d{6}Z)-(?P<stem>.+)\.(?:png|html)")


@dataclass(frozen=True)
class _Capture:
    """One capture: the screenshot and HTML saved together, and the setting it is of."""

    time: str
    setting: tuple[str, str]  # (platform folder, ACCOUNT-SETTING)
    files: tuple[Path, ...]
    size: int


def _captures(root: Path) -> list[_Capture]:
    """Every capture under `root`, oldest first; files named otherwise are not optout's to remove."""
    found: dict[tuple[str, str, str], list[Path]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()) if root.is_dir() else ():
        for path in folder.iterdir():
            match = _CAPTURE.fullmatch(path.name)
            if match and path.is_file() and not path.is_symlink():
                found.setdefault((match["time"], folder.name, match["stem"]), []).append(path)
    return [
        _Capture(when, (platform, stem), tuple(files), sum(f.stat().st_size for f in files))
        for (when, platform, stem), files in sorted(found.items())
    ]


def prune(root: Path, keep_each: int = KEEP_EACH, keep_bytes: int = KEEP_BYTES) -> list[Path]:
    """Remove the evidence under `root` (HOME/evidence) that the rule above does not keep; returns
    what was removed. A file already gone (another prune) is no error."""
    captures = _captures(root)
    newest: dict[tuple[str, str], list[_Capture]] = {}
    for c in reversed(captures):
        newest.setdefault(c.setting, []).append(c)
    kept = {id(c) for group in newest.values() for c in group[:keep_each]}
    last = {id(group[0]) for group in newest.values()}
    total = sum(c.size for c in captures if id(c) in kept)
    for c in captures:  # oldest first
        if total <= keep_bytes:
            break
        if id(c) in kept and id(c) not in last:
            kept.discard(id(c))
            total -= c.size
    removed = [f for c in captures if id(c) not in kept for f in c.files]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# Every value of the page's local and session storage, in one frame.
STORAGE_JS = "() => [...Object.values(localStorage), ...Object.values(sessionStorage)]"


async def held_secrets(page: Page) -> tuple[list[str], list[str]]:
    """What the page's browser context holds for the session: its cookie values, and the values of
    its local storage (every origin the session has, as Playwright's storage state reads them) and
    of the session storage of the page's frames (which no storage state keeps)."""
    state = await page.context.storage_state()
    return cookie_values(state), local_values(state) + await storage_values(page)


async def storage_values(page: Page) -> list[str]:
    """The local- and session-storage values of every frame of the page that lets a script read
    them (a sandboxed or opaque frame refuses: it has none the page could show either)."""
    values: list[str] = []
    for frame in page.frames:
        try:
            values += [str(v) for v in await frame.evaluate(STORAGE_JS)]
        except Error:
            continue
    return values


def cookie_values(state: Mapping[str, Any]) -> list[str]:
    """The cookie values of a Playwright storage state (a stored session)."""
    return [str(c.get("value") or "") for c in state.get("cookies", [])]


def local_values(state: Mapping[str, Any]) -> list[str]:
    """The local-storage values of a Playwright storage state, of every origin it holds."""
    origins = state.get("origins", [])
    return [str(item.get("value") or "") for origin in origins for item in origin.get("localStorage", [])]


def state_values(state: Mapping[str, Any]) -> list[str]:
    """The secret values of a Playwright storage state: its cookie and local-storage values."""
    return cookie_values(state) + local_values(state)


# A JSON Web Token, or its header and payload (a page may show a token without its signature).
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?")
# A word that looks like a token: long, of token characters only, with letters and digits.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,}")


def token_pieces(value: str) -> Iterator[str]:
    """The tokens inside a stored value, which a page may show on their own: the JWTs in it, and
    the token-looking words of its text, of its URL-decoded form and of every string of its JSON
    (`{"accessToken": "eyJ…", "expiresAt": 1790000000}`, `Bearer abc…`). URLs are not tokens."""
    texts = {value, unquote(value)}
    for text in list(texts):
        texts.update(_json_strings(text))
    for text in texts:
        yield from (m.group(0) for m in _JWT.finditer(text))
        for word in text.split():
            if (
                _TOKEN.fullmatch(word)
                and not word.startswith(("http", "/"))
                and any(c.isdigit() for c in word)
                and any(c.isalpha() for c in word)
            ):
                yield word


def _json_strings(text: str) -> Iterator[str]:
    """Every string inside text when it is JSON (none when it is not)."""
    try:
        data = json.loads(text)
    except ValueError:
        return
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            todo += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            todo += item


def scrub(content: str, value: str, mark: str = "[cookie value removed]") -> str:
    """Remove a cookie value from page text in every form a page might echo it: as is, without
    its quotes, HTML-escaped, URL-encoded, JSON-escaped or base64-encoded (standard or URL-safe,
    at any position in a longer encoded text). Short values are left alone: they are not secrets
    (flags like "1") and replacing them would mangle the page."""
    bare = value.strip('"')
    if len(bare) < 6:
        return content
    forms = {value, bare, html.escape(bare), quote(bare, safe=""), json.dumps(bare)[1:-1], *_base64_forms(bare)}
    for form in sorted(forms, key=len, reverse=True):
        content = content.replace(form, mark)
    return content


def _base64_forms(value: str) -> set[str]:
    """The runs of base64 text that stand for value wherever it sits in a longer encoded text:
    one per alignment (0, 1 or 2 bytes before it), without the edge characters that also carry
    neighbouring bytes. Runs under 8 characters are skipped: they could match by chance."""
    raw = value.encode()
    forms = set()
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * offset + raw).decode()
            start = 4 if offset else 0
            end = len(encoded) - (4 if (offset + len(raw)) % 3 else 0)
            if end - start >= 8:
                forms.add(encoded[start:end])
    return forms


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40|&#64;|&#x40;)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def scrub_emails(content: str) -> str:
    """Remove e-mail addresses (also URL- or HTML-encoded): the user's own appears on account
    pages and in forms optout filled in, and a bug report needs the page's shape, not the address."""
    return _EMAIL.sub("[e-mail removed]", content)


# A CSRF token as pages carry it: a meta tag, a hidden field, a JSON or JS assignment.
CSRF = re.compile(
    r"""((?:csrf|xsrf)[\w-]*["']?\s*(?:[:=]|content=|value=)\s*["']?)([^"'\s<>;&,}]{6,})""", re.IGNORECASE
)


@dataclass(frozen=True)
class Secrets:
    """What must never leave the machine in a report or on screen: the session's cookie values,
    its stored values (local and session storage) with the tokens inside any of them, CSRF tokens,
    e-mail addresses, and the user's own e-mail and name from the config."""

    cookies: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    stored: tuple[str, ...] = ()

    @classmethod
    def of(cls, cookies: Iterable[str], personal: Iterable[str | None], stored: Iterable[str] = ()) -> Secrets:
        cookies = tuple(dict.fromkeys(cookies))
        stored = tuple(stored)
        pieces = [piece for value in (*cookies, *stored) for piece in token_pieces(value)]
        return cls(
            cookies,
            tuple(p.strip() for p in personal if p and len(p.strip()) >= 3),
            tuple(dict.fromkeys(v for v in (*stored, *pieces) if v not in cookies)),
        )

    def clean(self, text: str) -> str:
        # Longest first: a whole value goes before a token inside it, so no half is left behind.
        marked = [(v, "[cookie value removed]") for v in self.cookies] + [
            (v, "[stored secret removed]") for v in self.stored
        ]
        for value, mark in sorted(marked, key=lambda pair: len(pair[0]), reverse=True):
            text = scrub(text, value, mark)
        for value in sorted(self.personal, key=len, reverse=True):
            text = re.sub(re.escape(value), "[personal data removed]", text, flags=re.IGNORECASE)
        text = scrub_emails(text)
        return CSRF.sub(r"\1[token removed]", text)
