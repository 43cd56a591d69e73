"""`--html FILE`: where you stand as one page a person can open, keep, show or attach.

The page is built from the same results the table and `--json` show, plus the history (since when
a setting has been opted out, every time it was found switched back on), and rendered by Jinja2
with autoescaping from the package's template: every text on it may come from a platform's page
(a label, a detail), so none is ever markup. It is self-contained and private: the CSS is inline,
receipts are embedded as data: URIs, there is no script and nothing is fetched from anywhere.

Receipts are embedded as the PNG files optout saved, not scaled down: the standard library cannot
resize a PNG and Pillow is not worth a dependency for it. Each image is embedded once and shown
small by CSS; opening its <details> shows the same image full size, so the page grows by the size
of the receipts it shows (the whole demo's page: 33 settings, 32 receipts, about 1.2 MB).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.home.history import UNOBSERVED
from optout.home.storage import write_private_file
from optout.results import Action, Result, SettingRef, State, login_command, now

if TYPE_CHECKING:
    from optout.recipes.schema import Catalogue

TEMPLATE = "page.html.j2"
# What the page says for each state: words first, an icon beside them (never colour alone).
WORDS = {
    State.OPTED_OUT: "opted out",
    State.OPTED_IN: "opted in",
    State.NEEDS_LOGIN: "needs login",
    State.NOT_FOUND: "control not found",
    State.NOT_OFFERED: "not offered",
    State.MANUAL: "manual step",
    State.ERROR: "check failed",
}
ICONS = {
    State.OPTED_OUT: "✓",
    State.OPTED_IN: "✗",
    State.NEEDS_LOGIN: "⚿",
    State.NOT_FOUND: "?",
    State.NOT_OFFERED: "–",
    State.MANUAL: "✎",
    State.ERROR: "!",
}
# Image types a browser shows from a data: URI, by their first bytes; other proof (a PDF, a saved
# e-mail given to `optout mark`) is named by its path instead.
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One observation of a setting: a row of the history, or a result of this run."""

    time: datetime
    command: str
    state: State
    action: Action
    detail: str = ""

    @property
    def words(self) -> str:
        return WORDS[self.state]


@dataclass(frozen=True)
class Receipt:
    """A screenshot to show: what it is, and the image itself (or its path, when not an image)."""

    caption: str
    path: str
    data_uri: str | None


@dataclass
class Card:
    """What the page shows about one setting of one account."""

    result: Result
    command: str | None
    verified_at: datetime | None
    opted_out_since: datetime | None
    switched_back: list[datetime]
    receipt: Receipt | None
    changed_from: State | None = None
    timeline: list[Entry] = field(default_factory=list)

    @property
    def words(self) -> str:
        return WORDS[self.result.state]

    @property
    def icon(self) -> str:
        return ICONS[self.result.state]


def fix_command(r: Result) -> str | None:
    """The command that moves this result on, when one does: the one to copy from the page."""
    account = "" if r.account == "default" else f" --account {r.account}"
    wanted = r.wanted or State.OPTED_OUT
    if r.state is State.NEEDS_LOGIN:
        return login_command(r.platform, r.account)
    if r.state in (State.OPTED_IN, State.OPTED_OUT) and (r.state is not wanted or r.action is Action.FAILED):
        verb = "enable" if wanted is State.OPTED_IN else "disable"
        return f"optout {verb} {r.platform} {r.setting}{account}"
    if r.state is State.NOT_FOUND:
        return f"optout report {r.platform} {r.setting}{account}"
    if r.state is State.ERROR:
        return f"optout status {r.platform}{account}"
    return None


def summary(results: Iterable[Result]) -> str:
    """The header's one line: "23 opted out · 2 need you · 1 not offered" (parts that are zero left
    out). Needs you: anything not as the run wanted it, including manual steps and failed changes."""
    counts = {"opted out": 0, "opted in": 0, "need you": 0, "not offered": 0}
    for r in results:
        wanted = r.wanted or State.OPTED_OUT
        if r.state is State.NOT_OFFERED:
            counts["not offered"] += 1
        elif r.state is wanted and r.action is not Action.FAILED:
            counts[WORDS[r.state]] += 1
        else:
            counts["need you"] += 1
    return " · ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing checked"


def standing(entries: Sequence[Entry]) -> tuple[datetime | None, list[datetime]]:
    """Since when the setting has been opted out without a break (None when it is not now), and
    every time it was found switched back on after being opted out, not by `optout enable`: seen
    opted in, or switched off again by a `disable` that found it on. Checks that saw nothing
    (needs login, an error) neither break nor start a stretch."""
    since: datetime | None = None
    back: list[datetime] = []
    previous: State | None = None
    for e in entries:
        if e.state in UNOBSERVED:
            continue
        if previous is State.OPTED_OUT and e.command != "enable":
            if e.state is State.OPTED_IN or (e.state is State.OPTED_OUT and e.action is Action.CHANGED):
                back.append(e.time)
        if e.state is State.OPTED_OUT:
            since = e.time if since is None or e.action is Action.CHANGED else since
        else:
            since = None
        previous = e.state
    return since, back


def entry_of_row(row: Mapping[str, Any]) -> Entry:
    return Entry(row["time"], row["command"], State(row["state"]), Action(row["action"]), row["detail"])


def result_of_row(row: Mapping[str, Any], catalogue: Catalogue | None) -> Result:
    """The newest history row of a setting as the result it recorded (`history --html`): the
    title, confidence and category come from the catalogue, which the history does not keep."""
    ref = SettingRef.of_row(row)
    setting, resource = ref.setting, ref.resource
    platform = catalogue.platforms.get(row["platform"]) if catalogue else None
    recipe = platform.setting(setting) if platform else None
    return Result(
        platform=row["platform"],
        setting=setting,
        title=recipe.title if recipe else setting,
        state=State(row["state"]),
        detail=row["detail"],
        url=row["url"],
        checked_at=row["time"],
        evidence=row["evidence"],
        account=row["account"],
        action=Action(row["action"]),
        resource=resource,
        confidence=platform.confidence_of(recipe) if platform and recipe else None,
        category=recipe.category if recipe else None,
    )


def _read_from_page(r: Result, catalogue: Catalogue | None) -> bool:
    """Whether the state was read from the reloaded settings page (a toggle, a choice, a menu),
    not taken from a receipt of an objection or the user's word."""
    from optout.recipes.schema import PAGE_KINDS

    if r.state not in (State.OPTED_OUT, State.OPTED_IN) or r.recorded_by != "optout":
        return False
    platform = catalogue.platforms.get(r.platform) if catalogue else None
    recipe = platform.setting(r.setting) if platform else None
    return recipe is not None and recipe.kind in PAGE_KINDS


def embed(path: str | None) -> str | None:
    """The image at path as a data: URI, or None when it is not a readable PNG or JPEG."""
    if not path:
        return None
    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > MAX_IMAGE_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    kind = next((t for magic, t in IMAGE_TYPES.items() if data.startswith(magic)), None)
    return f"data:{kind};base64,{base64.b64encode(data).decode()}" if kind else None


def _receipt(r: Result, rows: Sequence[Mapping[str, Any]]) -> Receipt | None:
    """This run's screenshot of the setting, else the newest receipt of it the history names."""
    if r.evidence:
        what = "receipt" if r.state is State.OPTED_OUT else "screenshot"
        return Receipt(f"{what} of {r.checked_at.astimezone():%Y-%m-%d %H:%M}", r.evidence, embed(r.evidence))
    for row in reversed(rows):
        if row["evidence"] and row["state"] == State.OPTED_OUT.value and (uri := embed(row["evidence"])):
            return Receipt(f"receipt of {row['time'].astimezone():%Y-%m-%d %H:%M}", row["evidence"], uri)
    return None


def cards(
    results: Sequence[Result],
    rows: Iterable[Mapping[str, Any]],
    *,
    command: str | None,
    changed: Mapping[SettingRef, State] | None = None,
    catalogue: Catalogue | None = None,
) -> list[Card]:
    """One card per result, its timeline from the history `rows`: the earlier rows of a run,
    to which the run's results are added as the newest entries under `command`, or (None) rows
    that already hold the results (`history`)."""
    by_key: dict[SettingRef, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_key.setdefault(SettingRef.of_row(row), []).append(row)
    out = []
    for r in results:
        earlier = [row for row in by_key.get(r.ref, []) if row["time"] <= r.checked_at]
        timeline = [entry_of_row(row) for row in earlier]
        if command is not None:
            timeline.append(Entry(r.checked_at, command, r.state, r.action, r.detail))
        since, back = standing(timeline)
        verified = next((e.time for e in reversed(timeline) if e.state in (State.OPTED_OUT, State.OPTED_IN)), None)
        out.append(
            Card(
                result=r,
                command=fix_command(r),
                verified_at=verified if _read_from_page(r, catalogue) else None,
                opted_out_since=since,
                switched_back=back,
                receipt=_receipt(r, earlier),
                changed_from=(changed or {}).get(r.ref),
                timeline=timeline,
            )
        )
    return out


def history_cards(rows: Sequence[Mapping[str, Any]], catalogue: Catalogue | None) -> list[Card]:
    """`history --html`: one card per setting the rows are about, showing its newest row."""
    newest: dict[SettingRef, Mapping[str, Any]] = {}
    for row in rows:
        newest[SettingRef.of_row(row)] = row
    return cards([result_of_row(row, catalogue) for row in newest.values()], rows, command=None, catalogue=catalogue)


def local(moment: datetime | None) -> str:
    """A time as people read it: their own time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def render(title: str, the_cards: Sequence[Card], *, timelines: bool, note: str) -> str:
    """The page as text. Autoescaping is on for the whole template: nothing in it is marked safe."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("optout", "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True
    )
    env.filters["local"] = local
    return env.get_template(TEMPLATE).render(
        title=title,
        generated=local(now()),
        summary=summary(c.result for c in the_cards),
        cards=the_cards,
        timelines=timelines,
        note=note,
        words=WORDS,
    )


def target(path: Path) -> Path:
    """Where `--html FILE` goes, checked before a run starts: a usage error names a folder that is
    not there, or a directory given as the file."""
    from optout.errors import UsageError

    path = path.expanduser().absolute()
    if path.is_dir():
        raise UsageError(f"--html {path}: a directory; give the name of a file to write")
    if not path.parent.is_dir():
        raise UsageError(f"--html {path}: the folder {path.parent} does not exist")
    return path


def write(path: Path, text: str) -> Path:
    """The page, mode 600: its screenshots may show personal data (see EVIDENCE_NOTE)."""
    path = target(path)
    write_private_file(path, text.encode())
    return path
