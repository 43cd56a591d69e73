"""Looking at pages without acting on them: `optout explore`, `optout discover` and the report's
fresh ARIA snapshot all open a platform's pages in the stored session, wait until they settle, and
list what is there. Nothing is ever clicked, except the navigation steps a recipe gives to reach a
setting (opening its dialog), exactly as a check would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.async_api import Error, Page

from optout.engine.contexts import Browsers, platform_context, stored_session
from optout.engine.evidence import local_values, storage_values
from optout.engine.frames import roots
from optout.engine.guard import PageRefused
from optout.engine.inventory import Item, inventory
from optout.engine.jobs import RunOptions
from optout.engine.login_wall import on_login_wall
from optout.engine.navigate import StepNotFound, goto, run_steps
from optout.engine.quiet import Activity, settle_drawn
from optout.errors import OptoutError, plain
from optout.exit_codes import ExitCode
from optout.home.sessions import SessionStore
from optout.recipes.schema import Platform, Step
from optout.results import login_command


@dataclass(frozen=True)
class Visit:
    """A page to look at: its URL and the steps that reveal what is worth seeing (a dialog)."""

    url: str
    steps: list[Step] = field(default_factory=list)


@dataclass
class Surveyed:
    """What one page showed. `problem` says why it could not be read (then the rest is empty)."""

    url: str
    items: list[Item] = field(default_factory=list)
    aria: str | None = None
    language: str = ""
    problem: str | None = None
    unread: tuple[str, ...] = ()  # where the frames not read are from (frames.Roots.unread)
    stored: list[str] = field(default_factory=list)  # its local- and session-storage values


@dataclass
class Survey:
    """All pages of one look, with what the report needs to describe the browser."""

    pages: list[Surveyed]
    browser_version: str
    cookie_values: list[str]
    # The session's local-storage values and those the pages held: secrets, like cookie values.
    stored_values: list[str] = field(default_factory=list)


async def survey(
    platform: Platform,
    visits: list[Visit],
    options: RunOptions,
    *,
    account: str = "default",
    headed: bool = False,
    aria: bool = False,
) -> Survey:
    """Open each page in the platform's stored session (an error, exit 3, without one) and list
    its controls once it has settled; `aria` adds Playwright's ARIA snapshot of the page."""
    session = stored_session(SessionStore(options.home), platform, account)
    if session is None:
        raise OptoutError(
            f"{platform.id}: no stored session; run: {login_command(platform.id, account)}",
            exit_code=ExitCode.UNDETERMINED,
        )
    async with Browsers(options.browser) as browsers:
        browser = await (browsers.launch(headless=False) if headed else browsers.shared())
        # Presented as a check presents the session: a page that screens out headless visitors
        # must not send explore or report elsewhere.
        context = await platform_context(browser, platform, session)
        pages = [await _look(await context.new_page(), platform, v, options.timeout, aria) for v in visits]
        cookies = [c.get("value") or "" for c in await context.cookies()]
        stored = local_values(session.state) + [v for p in pages for v in p.stored]
        return Survey(pages, browser.version, cookies, stored)


async def _look(page: Page, platform: Platform, visit: Visit, timeout: float, aria: bool) -> Surveyed:
    activity = Activity(page, platform.domains)
    try:
        await goto(page, platform, visit.url, timeout)
        await run_steps(page, platform, visit.steps, timeout, activity)
        await settle_drawn(page, activity, timeout)
        if await on_login_wall(page, platform):
            return Surveyed(page.url, problem=f"the site asks to log in; run: {login_command(platform.id)}")
        snapshot = await page.locator("body").aria_snapshot() if aria else None
        language = str(await page.evaluate("document.documentElement.lang || navigator.language"))
        items, unread = await inventory(page, platform), roots(page, platform).unread
        stored = await storage_values(page)
        return Surveyed(page.url, items, snapshot, language, unread=unread, stored=stored)
    except (PageRefused, StepNotFound) as exc:
        return Surveyed(visit.url, problem=str(exc))
    except Error as exc:
        return Surveyed(visit.url, problem=f"could not open the page: {plain(exc)}")
    finally:
        activity.close()
        await page.close()


def setting_visits(platform: Platform) -> list[Visit]:
    """The pages of the platform's settings that are read from a page, each once."""
    seen: dict[str, Visit] = {}
    for s in platform.settings:
        if s.control is not None and s.url and "{" not in s.url:
            seen.setdefault(s.url + repr(s.steps), Visit(s.url, list(s.steps)))
    return list(seen.values())
