"""Screenshots and page HTML kept under the home directory: proof of a change (receipt), or what
the page looked like when a recipe failed (evidence a user can attach to a bug report).

Saved HTML is scrubbed: cookie values (some sites echo CSRF tokens or session ids into the page,
as is or base64-encoded) and e-mail addresses (the user's own, shown by the site or typed into a
form by optout) are replaced. Screenshots cannot be scrubbed: they show what the page showed, and
wherever their path is printed the user is told so.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from playwright.async_api import Page

from optout.results import now
from optout.storage import private_dir, write_private


async def capture(page: Page, folder: Path, stem: str, *, html: bool) -> Path:
    """Save a screenshot (and the HTML when asked) as folder/TIME-stem.png; return the PNG path."""
    private_dir(folder)
    base = folder / f"{now().strftime('%Y%m%dT%H%M%SZ')}-{stem}"
    png = base.with_suffix(".png")
    write_private(png, await page.screenshot(full_page=True))
    if html:
        content = scrub_emails(await page.content())
        for cookie in await page.context.cookies():
            content = scrub(content, cookie.get("value") or "")
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


def scrub(content: str, value: str) -> str:
    """Remove a cookie value from page text in every form a page might echo it: as is, without
    its quotes, HTML-escaped, URL-encoded, JSON-escaped or base64-encoded (standard or URL-safe,
    at any position in a longer encoded text). Short values are left alone: they are not secrets
    (flags like "1") and replacing them would mangle the page."""
    bare = value.strip('"')
    if len(bare) < 6:
        return content
    forms = {value, bare, html.escape(bare), quote(bare, safe=""), json.dumps(bare)[1:-1], *_base64_forms(bare)}
    for form in sorted(forms, key=len, reverse=True):
        content = content.replace(form, "[cookie value removed]")
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
    CSRF tokens, e-mail addresses, and the user's own e-mail and name from the config."""

    cookies: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()

    @classmethod
    def of(cls, cookies: Iterable[str], personal: Iterable[str | None]) -> Secrets:
        return cls(tuple(cookies), tuple(p.strip() for p in personal if p and len(p.strip()) >= 3))

    def clean(self, text: str) -> str:
        for value in self.cookies:
            text = scrub(text, value)
        for value in sorted(self.personal, key=len, reverse=True):
            text = re.sub(re.escape(value), "[personal data removed]", text, flags=re.IGNORECASE)
        text = scrub_emails(text)
        return CSRF.sub(r"\1[token removed]", text)
