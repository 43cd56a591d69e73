"""`explore`, `discover` and `report` as work: looking at a platform's pages to write, fix or
report a recipe. Nothing here clicks a setting; the engine's survey opens the pages."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from optout.errors import OptoutError, UsageError
from optout.exit_codes import ExitCode

if TYPE_CHECKING:
    from optout.engine.inventory import Item
    from optout.recipes.schema import Catalogue, Platform
    from optout.results import Discovery


@dataclass(frozen=True)
class Explored:
    """One settings page's controls, with every secret of the session removed."""

    url: str
    items: list[Item]
    snippet: str | None  # the recipe snippet of the control --pick chose
    unread: str | None  # what the page has that could not be listed (frames that would not open)


@dataclass(frozen=True)
class Discovered:
    """The AI settings no recipe describes on the pages looked at, and the pages that could not be read."""

    listed: list[Discovery]
    problems: list[str] = field(default_factory=list)  # one line per page not read

    @property
    def exit_code(self) -> ExitCode:
        """3 when a page could not be read: what it holds is unknown."""
        return ExitCode.UNDETERMINED if self.problems else ExitCode.OK


@dataclass(frozen=True)
class Reported:
    """The bug-report archive written, and what it holds."""

    path: Path
    names: list[str]  # the files in it, sorted
    notes: list[str]  # what is missing from it, and why (also its NOTES.txt)


def explore(
    home: Path,
    browser: Path | None,
    p: Platform,
    url: str | None,
    *,
    pick: int | None,
    account: str,
    timeout: float,
    headed: bool,
) -> Explored:
    """List every control of a settings page (the first setting's, unless `url`); with `pick`, a
    recipe snippet for control N. A page that could not be read is an error (exit 3)."""
    import asyncio

    from optout.engine.evidence import Secrets
    from optout.engine.frames import unread_note
    from optout.engine.jobs import RunOptions
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.home.user_config import UserConfig
    from optout.recipes.scaffold import control_snippet

    if url is not None:
        visit = Visit(url)
    elif visits := setting_visits(p):
        visit = visits[0]
    else:
        raise UsageError(f"{p.id} has no settings page to open; give the URL: optout explore {p.id} URL")
    options = RunOptions(home=home, browser=browser, timeout=timeout)
    seen = asyncio.run(survey(p, [visit], options, account=account, headed=headed))
    looked = seen.pages[0]
    if looked.problem:
        raise OptoutError(f"{p.id}: {looked.problem}", exit_code=ExitCode.UNDETERMINED)
    config = UserConfig(home)
    secrets = Secrets.of(seen.cookie_values, [config.get("email"), config.get("name")], seen.stored_values)
    items = [i.scrubbed(secrets) for i in looked.items]
    if pick is not None and pick > len(items):
        raise UsageError(f"--pick {pick}: the page lists {len(items)} controls")
    chosen = items[pick - 1] if pick else None
    snippet = (
        control_snippet(chosen.role, chosen.name, chosen.attributes, chosen.state, visit.url, date.today())
        if chosen
        else None
    )
    return Explored(secrets.clean(looked.url), items, snippet, secrets.clean(unread_note(looked.unread)))


def discover(
    home: Path, browser: Path | None, platforms: list[Platform], *, account: str, timeout: float
) -> Discovered:
    """Look at the platforms' settings pages (and their `discover_urls`) for AI settings no recipe
    describes; keep them in the history, each with when it was first seen."""
    import asyncio

    from optout.engine.discovery import discoveries
    from optout.engine.jobs import RunOptions
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.home.history import History

    options = RunOptions(home=home, browser=browser, timeout=timeout)
    found: dict[tuple[str, str, str], Discovery] = {}
    problems: list[str] = []
    for p in platforms:
        visits = setting_visits(p) + [Visit(u) for u in p.discover_urls]
        for page in asyncio.run(survey(p, visits, options, account=account)).pages:
            if page.problem:
                problems.append(f"{p.id}: {page.url}: {page.problem}")
            for d in discoveries(p, page.url, page.items):
                found.setdefault((d.platform, d.role, d.name), d)
    with History(home) as history:
        history.remember(found.values())
        listed = [replace(d, first_seen=history.first_seen(d)) for d in found.values()]
    return Discovered(listed, problems)


def set_up(home: Path, catalogue: Catalogue) -> list[str]:
    """The platforms with a stored session that the catalogue knows: what `discover` looks at by default."""
    from optout.home.sessions import SessionStore

    return [p for p in SessionStore(home).platforms() if p in catalogue.platforms]


def report(
    home: Path, browser: Path | None, p: Platform, setting: str | None, *, account: str, timeout: float
) -> Reported:
    """Write one archive for a bug report: last result, screenshot, page HTML, a fresh ARIA
    snapshot, recipe, versions; cookie values, tokens, e-mail addresses and the user's name
    removed. What cannot be had (no session, no browser) is a note in it, not an error."""
    import asyncio
    from importlib.metadata import version

    from optout import __version__
    from optout.actions.report import Contents, as_json_text, evidence_files, recipe_text, write_report
    from optout.engine.evidence import Secrets, cookie_values, local_values
    from optout.engine.jobs import RunOptions
    from optout.engine.plan import resource_key
    from optout.engine.survey import Visit, setting_visits, survey
    from optout.home.history import History
    from optout.home.sessions import SessionStore
    from optout.home.user_config import UserConfig
    from optout.results import SettingRef

    chosen = p.setting(setting) if setting else None
    config = UserConfig(home)
    contents = Contents()
    with History.reading(home) as history:
        last = history.last_result(p.id, setting)
    if last:
        contents.texts["result.json"] = as_json_text(last)
    else:
        contents.notes.append(f"no result in the history yet; run: optout status {p.id}")
    for path in evidence_files(home, p.id, setting, last):
        if path.suffix == ".html":
            contents.texts["page.html"] = path.read_text(encoding="utf-8", errors="replace")
        else:
            contents.binaries["screenshot.png"] = path.read_bytes()
    if not contents.binaries:
        contents.notes.append("no screenshot or page HTML kept for this platform")
    contents.texts["recipe.yaml"] = recipe_text(p, setting)

    cookies: list[str] = []
    stored_values: list[str] = []
    browser_version, language = "not started", "unknown"
    stored = SessionStore(home).load(p.id, account, domains=p.domains)
    if chosen is not None and chosen.resource is not None:
        # A per-resource page is opened for the resource of the last result, else the first one
        # configured; with neither, its URL has a placeholder no page answers.
        resource = SettingRef.of_row(last).resource if last else None
        values = [resource] if resource else config.resources().get(resource_key(p, chosen) or "", [])
        chosen = chosen.for_resource(values[0]) if values else None
    if chosen is not None and chosen.control is not None and chosen.url:
        visits = [Visit(chosen.url, list(chosen.steps))]
    else:
        visits = setting_visits(p)[:1]
    if stored is None or not visits:
        why = "no stored session" if stored is None else "no settings page to open"
        contents.notes.append(f"no fresh ARIA snapshot: {why}")
    else:
        cookies, stored_values = cookie_values(stored), local_values(stored)
        options = RunOptions(home=home, browser=browser, timeout=timeout)
        try:
            seen = asyncio.run(survey(p, visits, options, account=account, aria=True))
        except OptoutError as exc:  # no browser: the report is still worth having
            contents.notes.append(f"no fresh ARIA snapshot: {exc}")
        else:
            cookies += seen.cookie_values
            stored_values += seen.stored_values
            browser_version, page = seen.browser_version, seen.pages[0]
            language = page.language or language
            if page.aria is not None:
                contents.texts["aria-snapshot.yaml"] = page.aria
            else:
                contents.notes.append(f"no fresh ARIA snapshot: {page.problem}")
    contents.texts["environment.json"] = as_json_text(
        {
            "optout": __version__,
            "playwright": version("playwright"),
            "browser": browser_version,
            "region": config.get("region"),
            "ui_language": language,
            "platform": p.id,
            "setting": setting,
        }
    )
    secrets = Secrets.of(cookies, [config.get("email"), config.get("name")], stored_values)
    path = write_report(home, p.id + (f"-{setting}" if setting else ""), contents, secrets)
    return Reported(path, sorted([*contents.texts, *contents.binaries]), list(contents.notes))
