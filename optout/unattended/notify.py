"""Tell the user when a scheduled run finds something that needs them, through Apprise.

Apprise speaks e-mail, ntfy, Slack, Matrix, Telegram and dozens more from one URL syntax, so
optout carries no code per service. It is an optional extra (`optout[notify]`) and imported only
when a message is actually sent. Notification URLs embed tokens and passwords; nothing here ever
prints one unmasked.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from optout.errors import OptoutError, UsageError
from optout.exit_codes import ExitCode
from optout.home.user_config import UserConfig
from optout.results import Result, SettingRef
from optout.unattended.attention import needs_attention, short

INSTALL_HINT = "notifications need Apprise: pip install 'optout[notify]'"


def configured_urls(config: UserConfig, extra: Sequence[str] = ()) -> list[str]:
    """The URLs to notify: those given on the command line (--notify), then the config file's
    `notify` list; each once. The caller's UserConfig: a run reads the file once."""
    stored = config.get("notify") or []
    return list(dict.fromkeys([*extra, *stored]))


def title_for(lines: Sequence[str]) -> str:
    n = len(lines)
    return f"optout: {n} thing{'s' if n != 1 else ''} need{'s' if n == 1 else ''} your attention"


def alert(
    urls: Sequence[str], results: Iterable[Result], changed: Collection[SettingRef] = (), page: Path | None = None
) -> list[str]:
    """Send one message listing what needs the user after a run, only if something does and a
    URL is configured; return the lines (empty: nothing needed, nothing sent). `page`: the HTML
    page the run wrote (`--html`), named so the message leads to the receipts. Raises like send()."""
    lines = needs_attention(results, changed)
    if lines and urls:
        body = "\n".join(lines) + (f"\n\nThe page with the receipts: {page}" if page else "")
        body += f"\n\n(optout on {socket.gethostname()})"
        send(urls, title_for(lines), body)
    return lines


def announce(urls: Sequence[str], notices: Sequence[str]) -> None:
    """Send one message about new AI settings a platform added (each is announced only once, the
    first time it is seen, so this never repeats). Raises like send()."""
    if notices and urls:
        n = len(notices)
        title = f"optout: {n} new AI setting{'s' if n != 1 else ''} not in the recipes"
        send(urls, title, "\n".join(notices) + f"\n\n(optout on {socket.gethostname()})")


def mask_url(url: str) -> str:
    """The URL with its secrets hidden, for messages: Apprise's own privacy form when it knows
    the service, else scheme and host only. The privacy form hides what Apprise knows to be a
    token, not a token someone put in the path of a generic webhook (json://host/hook/TOKEN,
    ntfy://host/SECRET-TOPIC), so it is scrubbed like a log line as well."""
    try:
        import apprise

        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    except Exception:  # noqa: BLE001 - no Apprise, or it choked: fall back to the safe form
        plugin = None
    if plugin:
        return _scrub(str(plugin.url(privacy=True)).split("?", 1)[0], url)
    return _mask_generic(url)


def _mask_generic(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "****"
    try:
        port = parts.port
    except ValueError:  # tgram://123:TOKEN/ - the "port" is part of a token
        port = None
    host = parts.hostname or ""
    # Host names and IP addresses are not secret; bare tokens in the host slot (tgram://TOKEN/)
    # are, and they do not look like a host.
    if (
        port is None
        and ":" in parts.netloc.rsplit("@", 1)[-1]
        or not re.fullmatch(r"localhost|[\d.]+|[\w-]+(\.[\w-]+)+", host)
    ):
        host = "****"
    user = "****@" if parts.username or parts.password else ""
    tail = "/…" if parts.path.strip("/") or parts.query else ""
    return f"{parts.scheme or '?'}://{user}{host}{f':{port}' if port else ''}{tail}"


def _apprise() -> Any:
    try:
        import apprise
    except ImportError:
        raise OptoutError(INSTALL_HINT) from None
    return apprise


def check_url(url: str) -> None:
    """Refuse a URL Apprise cannot use, at `config set` time rather than in a cron job months
    later. Without Apprise installed there is nothing to check against: accept it."""
    try:
        import apprise
    except ImportError:
        return
    if not apprise.Apprise.instantiate(url, suppress_exceptions=True):
        raise UsageError(
            f"notify {mask_url(url)}: not a notification URL Apprise understands "
            "(see https://github.com/caronc/apprise/wiki)"
        )


def send(urls: Sequence[str], title: str, body: str) -> None:
    """Send one message to every URL; raise OptoutError naming each (masked) URL that failed and
    why, in one line each, after trying them all, so one dead service does not silence the rest."""
    apprise = _apprise()
    problems: list[str] = []
    for url in dict.fromkeys(urls):  # each once, in order
        reason = _send_one(apprise, url, title, body)
        if reason is not None:
            problems.append(f"notification to {mask_url(url)} failed: {reason}")
    if problems:
        raise OptoutError("\n".join(problems), exit_code=ExitCode.USAGE)


def _send_one(apprise: Any, url: str, title: str, body: str) -> str | None:
    """None when the message went out, else the reason in a few words."""
    sender = apprise.Apprise()
    if not sender.add(url):
        return "not a notification URL Apprise understands"
    with apprise.LogCapture(level=logging.WARNING) as log:
        ok = sender.notify(body=body, title=title)
        messages = [line.strip() for line in log.getvalue().splitlines() if line.strip()]
    if ok:
        return None
    # Apprise's log lines read "<time> - WARNING - Failed to send ...": keep the message part.
    reasons = [m.split(" - ", 2)[-1] for m in messages]
    reason = "; ".join(dict.fromkeys(reasons)) or "the service did not accept the message"
    return short(_scrub(reason, url))  # scrub first: a cut must not split a secret


def _scrub(text: str, url: str) -> str:
    """Make sure no secret of `url` leaks through an Apprise log line: its password and every
    token-like piece (8+ characters) other than the host name are masked."""
    try:
        parts = urlsplit(url)
        host, password = parts.hostname or "", parts.password
    except ValueError:
        host, password = "", None
    pieces = re.split(r"[/:@?&=#]", url.split("://", 1)[-1])
    for secret in filter(None, [password, *(p for p in pieces if len(p) >= 8)]):
        is_host = secret.lower() == host and ("." in host or host == "localhost")
        if not is_host and not re.fullmatch(r"[\d.]+", secret):
            text = text.replace(secret, "****")
    return text
