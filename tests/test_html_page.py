"""`--html FILE` (optout/actions/page.py) in a real Chromium: what a person opening the page sees.

One page comes from a real run against the replicas (`disable --all`, then `status --html`, so the
receipts and the history are optout's own); one is built from results directly, to carry a label
no replica would show (`<script>`), which the page must show as text."""

from __future__ import annotations

import asyncio
import json
import stat
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from optout.actions import page
from optout.engine.browser import BrowserChoice
from optout.replica import TEST_USER
from optout.results import Action, Result, State
from tests.helpers import launched

HOSTILE = '<script>window.pwned = 1</script><img src="https://evil.example/x.png">'


@dataclass
class Seen:
    """What the page showed and did in the browser."""

    cards: list[dict[str, str]] = field(default_factory=list)
    images: list[int] = field(default_factory=list)  # naturalWidth of each <img>
    requests: list[str] = field(default_factory=list)  # every request other than the page itself
    console_errors: list[str] = field(default_factory=list)
    scripts: int = 0
    pwned: bool = False
    serious: list[str] = field(default_factory=list)  # axe-core violations, serious or critical, either scheme
    opened_width: int = 0  # the first receipt's width once opened


async def _look(path: Path, chromium: BrowserChoice) -> Seen:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import Route

    seen = Seen()
    url = path.as_uri()

    async def count(route: Route) -> None:
        if route.request.url != url:
            seen.requests.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    async with launched(chromium) as browser:
        context = await browser.new_context()
        await context.route("**/*", count)
        tab = await context.new_page()
        tab.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: seen.console_errors.append(str(e)))
        tab.on(
            "request",
            lambda r: None if r.url in (url,) or r.url.startswith("data:") else seen.requests.append(r.url),
        )
        await tab.goto(url, wait_until="load")
        for card in await tab.locator("article").all():
            seen.cards.append(
                {
                    "title": await card.locator("h2").inner_text(),
                    "state": await card.locator(".words").inner_text(),
                    "text": await card.inner_text(),
                }
            )
        seen.images = await tab.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
        seen.scripts = await tab.evaluate("document.scripts.length")
        seen.pwned = await tab.evaluate("window.pwned === 1")
        if seen.images:
            await tab.locator(".receipt summary").first.click()
            seen.opened_width = await tab.eval_on_selector(".receipt[open] img", "i => i.clientWidth")
        for scheme in ("light", "dark"):  # contrast is checked in both colour schemes
            await tab.emulate_media(color_scheme=scheme)
            results = await Axe().run(tab)
            seen.serious += [
                f"{scheme}: {v['id']}: {v['help']}"
                for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")
            ]
    return seen


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_run_page_shows_each_result_with_its_receipt_and_fetches_nothing(
    log_in, cli, home, replica, tmp_path, chromium
) -> None:
    log_in("linkedin")
    log_in("x")
    assert cli("disable", "--all", "--include", "ai-use").exit_code == 0
    target = tmp_path / "where.html"
    run = cli("status", "--json", "--html", str(target))
    assert run.exit_code == 0, run
    results = json.loads(run.stdout)  # --json's stdout stays one document; the page is said on stderr
    assert str(target) in run.stderr and _private(target)

    seen = asyncio.run(_look(target, chromium))
    assert sorted(c["state"] for c in seen.cards) == sorted(page.WORDS[State(r["state"])] for r in results)
    assert len(seen.cards) == len(results) == 4
    assert all("opted out since" in c["text"] and "last verified" in c["text"] for c in seen.cards)
    # every receipt disable kept is on the page, loaded from the page itself
    assert len(seen.images) == len(results) and all(width > 0 for width in seen.images)
    assert seen.opened_width > 300  # opened, the thumbnail is the page full size
    assert seen.requests == [] and seen.console_errors == []
    assert seen.serious == []


def _png(width: int, height: int) -> bytes:
    """A small grey PNG, made with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_label_carrying_markup_shows_as_text(tmp_path, chromium) -> None:
    shot = tmp_path / "receipt.png"
    shot.write_bytes(_png(40, 30))
    results = [
        Result(platform="x", setting="grok-training", title=HOSTILE, state=State.OPTED_IN, detail=HOSTILE),
        Result(
            platform="linkedin",
            setting="ai-training",
            title="Data for Generative AI Improvement",
            state=State.OPTED_OUT,
            action=Action.CHANGED,
            wanted=State.OPTED_OUT,
            evidence=str(shot),
        ),
        Result(platform="meta", setting="ai-objection", title="Objection", state=State.NEEDS_LOGIN),
    ]
    cards = page.cards(results, [], command="disable")
    target = page.write(tmp_path / "page.html", page.render("optout", cards, timelines=False, note="note"))
    assert _private(target)

    seen = asyncio.run(_look(target, chromium))
    assert [c["state"] for c in seen.cards] == ["opted in", "opted out", "needs login"]
    assert HOSTILE in seen.cards[0]["title"] and HOSTILE in seen.cards[0]["text"]
    assert "optout disable x grok-training" in seen.cards[0]["text"]
    assert "optout login meta" in seen.cards[2]["text"]
    assert seen.scripts == 0 and not seen.pwned
    assert seen.images == [40]
    assert seen.requests == [] and seen.console_errors == []
    assert seen.serious == []


def test_history_page_shows_each_settings_timeline(log_in, cli, home, replica, tmp_path, chromium) -> None:
    log_in("linkedin")
    assert cli("status", "linkedin").exit_code == 1
    assert cli("disable", "linkedin").exit_code == 0
    replica.set_state("linkedin", TEST_USER, "ai-training", True)  # the platform switches it back on
    assert cli("status", "linkedin").exit_code == 1
    target = tmp_path / "history.html"
    assert cli("history", "--html", str(target)).exit_code == 0

    seen = asyncio.run(_look(target, chromium))
    (card,) = seen.cards
    assert card["state"] == "opted in"
    assert card["text"].count(" · status · ") == 2 and " · disable · " in card["text"]
    assert "found on again" in card["text"] and "optout disable linkedin ai-training" in card["text"]
    assert seen.images and all(width > 0 for width in seen.images)  # disable's receipt
    assert seen.requests == [] and seen.console_errors == [] and seen.serious == []


def test_a_quiet_run_keeps_the_page_and_its_notification_names_it(
    log_in, cli, home, replica, endpoint, tmp_path
) -> None:
    """What `schedule --html FILE` runs: `status --quiet --html FILE`, notifying."""
    log_in("linkedin")
    target = tmp_path / "where.html"
    run = cli("status", "linkedin", "--quiet", "--html", str(target), "--notify", endpoint.url())
    assert run.exit_code == 1
    assert "page written" not in run.stdout + run.stderr  # --quiet: cron mails only what needs the user
    (post,) = endpoint.posts
    assert f"The page with the receipts: {target}" in str(post["message"])
    assert target.read_text().count("<article") == 1
