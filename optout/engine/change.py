"""Changing one setting: act once, wait for the site to save, and believe only a fresh page.

Never leave a user worse off: the change is made only after a clean reading showed the unwanted
state; no second attempt is made if the first one's outcome is unclear; every element clicked on
the way (a menu item, an option, a confirmation, a Save button) must match exactly one element;
and success is claimed only when two freshly loaded pages, read from the server at once, both
show the wanted state (verify.py).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from playwright.async_api import ElementHandle, Error, Frame, Locator, Page

from optout.engine import collateral, consent
from optout.engine.click import Covered, click
from optout.engine.guard import PageRefused, check_host
from optout.engine.locate import (
    NAME_JS,
    Reading,
    matches,
    matches_until,
    named_appears,
    read,
    state_matches,
    target_locator,
)
from optout.engine.navigate import StepNotFound, describe
from optout.engine.prompts import Prompts
from optout.engine.quiet import NOT_FOUND_AFTER, Activity, settle
from optout.engine.verify import FreshPages
from optout.engine.writes import WriteWatcher
from optout.errors import plain
from optout.recipes.schema import Platform, Setting, Target
from optout.results import State

CLICK_TIMEOUT_MS = 3000  # how long an element the change needs (option, menu item, Save) may take to appear
# How long the click of an element already found may take: Playwright first waits until it is
# visible, stable (unmoved over two frames) and enabled. On a loaded machine (every platform at
# once on two cores) a dialog's switch took over 3 s to become stable.
ACTION_TIMEOUT_MS = 10_000
NO_WRITE_GRACE = 1.5  # seconds to wait for a save request that has not shown up yet
CONFIRM_WAIT_MS = 2000  # how long a confirmation may take to appear after a menu item
# A change after which the page shows two controls matching the recipe: the one clicked may not be
# the setting's, and what the server kept of which is not known.
UNSURE = "it is not certain the setting's own control was the one switched; check it by hand"


@dataclass(frozen=True)
class Outcome:
    """How a change ended: verified (the fresh page shows `want`), and why not if it did not."""

    verified: bool
    detail: str
    reading: Reading | None = None
    receipt: str | None = None  # where the verified change's receipt was kept
    state: State | None = None  # what the result is, when the reading does not say (the site asks to sign in)


class NotActed(Exception):
    """Something the change needed (a menu item, an option, the Save button) was missing or
    ambiguous. The caller tells whether the page had already sent anything by then."""


_OPTIONS_JS = "el => [...el.options].map(o => o.label)"


async def _click(handle: ElementHandle, what: str = "the control") -> None:
    """Click the element once, at a point where the click reaches it or its own label (click.py);
    covered by another control, it is not clicked at all."""
    try:
        await click(handle, ACTION_TIMEOUT_MS, what)
    except Covered as exc:
        raise NotActed(str(exc)) from None


async def _click_one(locator: Locator, what: str, timeout_ms: float) -> None:
    """Click the single element `locator` finds once it appears; none or several is NotActed."""
    try:
        await locator.first.wait_for(timeout=timeout_ms)
    except Error:
        raise NotActed(f"no {what} appeared") from None
    if (count := await locator.count()) != 1:
        raise NotActed(f"{count} elements match the {what}")
    await _click(await locator.element_handle(timeout=CLICK_TIMEOUT_MS), f"the {what}")


async def _pick(where: Page | Frame, roles: tuple[str, ...], name: str, what: str, timeout: float) -> None:
    """Click the one item of `roles` that `name` picks once one is drawn (locate.named: the whole
    accessible name, else the item's own label text, so "Turn off" is never "Turn off and delete
    activity"); none or several is NotActed."""
    found = await named_appears(where, roles, name, timeout)
    if len(found) != 1:
        raise NotActed(f"no {what} appeared" if not found else f"{len(found)} elements match the {what}")
    await _click(found[0], f"the {what}")


async def _click_item(where: Page | Frame, item: Target, what: str, timeout: float) -> None:
    """Click the menu item or confirmation a recipe names: by role and name under the matching
    rule (`_pick`), by text or CSS as Playwright finds them."""
    if item.role and item.name:
        await _pick(where, (item.role,), item.name, what, timeout)
    else:
        await _click_one(target_locator(where, item), what, timeout * 1000)


async def _choose(page: Page | Frame, handle: ElementHandle, wanted: str) -> None:
    """Pick the option named `wanted` in a select, a radio group, or a dropdown that opens a list."""
    if await handle.evaluate("el => el instanceof HTMLSelectElement"):
        labels = [label for label in await handle.evaluate(_OPTIONS_JS) if state_matches(wanted, label)]
        if len(labels) != 1:
            raise NotActed(f"{len(labels)} options of the list are named {wanted!r}")
        await handle.select_option(label=labels[0], timeout=CLICK_TIMEOUT_MS)
        return
    radios = await handle.query_selector_all("input[type=radio], [role=radio]")
    if radios:
        named = [r for r in radios if state_matches(wanted, await r.evaluate(NAME_JS))]
        if len(named) != 1:
            raise NotActed(f"{len(named)} options of the group are named {wanted!r}")
        await _click(named[0])
        return
    await _click(handle)  # a dropdown: open it, then pick the option from the list it shows
    await _pick(page, ("option", "menuitemradio"), wanted, f'option "{wanted}"', CLICK_TIMEOUT_MS * 2 / 1000)


async def _act(page: Page, platform: Platform, setting: Setting, handle: ElementHandle, want_on: bool) -> None:
    """Make the change on the page, the one way the setting's kind says. Before each click the
    page must still be the platform's. What the change needs besides the control (an option, a
    menu item, a Save button) is looked for where the control is: the page, or its frame."""
    check_host(page, platform)
    where = await handle.owner_frame() or page
    if setting.kind == "toggle":
        await _click(handle)
    elif setting.kind == "choice":
        assert setting.states is not None
        await _choose(where, handle, setting.states.opted_in if want_on else setting.states.opted_out)
    else:
        assert setting.menu is not None
        item: Target | None = setting.menu.enable if want_on else setting.menu.disable
        if item is None:
            raise NotActed("the recipe names no menu item that switches it back on")
        await _click(handle)
        check_host(page, platform)
        await _click_item(where, item, f"menu item {describe(item)}", CLICK_TIMEOUT_MS * 2 / 1000)
    confirm = setting.menu.confirm if setting.menu is not None else setting.confirm
    if confirm is not None:
        await _confirm(page, where, platform, confirm)
    if setting.save is not None:
        check_host(page, platform)
        await _click_one(target_locator(where, setting.save), f"save button {describe(setting.save)}", CLICK_TIMEOUT_MS)


# A button that keeps things as they are: never pressed as a confirmation, whatever a recipe says.
_KEEPS = re.compile(r"^\s*(keep|cancel|go back|not now|no\b|never mind)", re.IGNORECASE)


async def _confirm(page: Page, where: Page | Frame, platform: Platform, target: Target) -> None:
    """Press the recipe's confirmation if it appears after the click (by role and name under the
    matching rule of `_pick`, or by text or CSS); none within CONFIRM_WAIT_MS means the click alone
    made the change. Never a button that keeps the setting, whatever the recipe calls it. A browser
    confirm() of the recipe's text was accepted already (prompts.py)."""
    what = f"confirmation {describe(target)}"
    if target.role and target.name:
        found = await named_appears(where, (target.role,), target.name, CONFIRM_WAIT_MS / 1000)
        if not found:
            return  # no confirmation this time
        if len(found) != 1:
            raise NotActed(f"{len(found)} elements match the {what}")
        check_host(page, platform)
        if _KEEPS.match(await found[0].evaluate(NAME_JS)):
            raise NotActed(f"the {what} is a button that keeps the setting as it is")
        await _click(found[0], f"the {what}")
        return
    confirm = target_locator(where, target)
    try:
        await confirm.first.wait_for(timeout=CONFIRM_WAIT_MS)
    except Error:
        return  # no confirmation this time
    check_host(page, platform)
    if await confirm.count() == 1 and _KEEPS.match(await confirm.evaluate(NAME_JS)):
        raise NotActed(f"the {what} is a button that keeps the setting as it is")
    await _click_one(confirm, what, CLICK_TIMEOUT_MS)


async def _settled_as_wanted(
    page: Page,
    activity: Activity,
    handle: ElementHandle,
    setting: Setting,
    watcher: WriteWatcher,
    want_on: bool,
    timeout: float,
) -> tuple[bool, int]:
    """Wait until the page has settled after the change. Whether it then shows the wanted state
    itself (for the message when the server did not keep the change), and how many writes it had
    sent by then: a write while it settled belongs to the change (a sync that follows the save),
    one after it does not (tracking, the next thing the user does)."""
    settled = await settle(page, activity, timeout)
    writes = watcher.started
    if not settled or watcher.in_flight:
        return False, writes
    try:
        return (await read(handle, setting)).on == want_on, writes
    except Error:  # the page re-drew the control (menus often do): the answered write decides
        return watcher.started > 0, writes


async def change(
    page: Page,
    activity: Activity,
    platform: Platform,
    setting: Setting,
    handle: ElementHandle,
    want_on: bool,
    timeout: float,
    receipt: Callable[[Page], Awaitable[str | None]],
    seen: float,
) -> Outcome:
    """Switch the setting to want_on on `page`, then verify on two fresh pages (verify.py: its URL
    and steps, a dialog opens again; both must read the wanted state). `handle` must have been
    read as the opposite state just before. Anything that goes wrong after the first click is an
    unverified change, never "nothing done". A verified change's receipt is taken (`receipt`) of
    a fresh page that verified it, so it shows what the server kept.

    The fresh pages read the server as soon as the page's writes are answered, while the page
    settles; if the page sent another write before it settled, the server is read again once
    that write is answered. Either way the reading that decides began after the change's last
    write was answered, as if the fresh pages had waited for the page to settle.

    A second match drawn a moment after the first (a section rendered again a second later) is
    counted too: the change is decided no sooner than NOT_FOUND_AFTER after its control first
    showed on `page` (`seen`, time.monotonic()), the time a missing control is waited for, and
    until then `page` and the fresh pages are counted again at each change they draw. The click,
    the save and the fresh pages' loads mostly take that long already."""
    decided = seen + NOT_FOUND_AFTER
    # A cookie banner over the page is refused (never accepted) before anything else is clicked,
    # and before the change's writes are watched: its answer is no part of the change.
    await consent.clear(page, platform, handle)
    # The fresh pages for the verification are made while the site saves: a new context and its
    # renderer take a few tenths of a second that would otherwise come after the save.
    spare = FreshPages(page)
    try:
        earlier = await collateral.before(page, platform, handle)  # to tell what else the change switched
        assert setting.control is not None
        if len((now := await matches(page, platform, setting)).handles) > 1:  # a second one drawn late
            return Outcome(False, f"{await now.ambiguity(setting.control)} just before the click; nothing was clicked")
        with WriteWatcher(page, platform.domains) as watcher, Prompts(page, setting, handle) as prompts:
            await prompts.before()  # what the page shows before the click, to tell what the click brought
            try:
                await _act(page, platform, setting, handle, want_on)
            except NotActed as exc:
                # A confirmation or password prompt the first click brought, over the next step
                # (a Save button it covers), is named as such, not as the step that could not be made.
                if not watcher.started and (stopped := await prompts.stopped(str(exc))) is not None:
                    return Outcome(False, stopped[0], state=stopped[1])
                why = f"could not complete the change: {exc}{prompts.in_the_way()}"
                if watcher.started:
                    return Outcome(False, f"{why}, after the page had already sent something; check it by hand")
                return Outcome(False, f"{why}; nothing was saved")
            settling: asyncio.Future[tuple[bool, int]] | None = None
            again: FreshPages | None = None  # fresh pages again, when the page wrote again
            try:
                if not watcher.started:  # an optimistic page may send its save a moment after the click
                    await watcher.first(NO_WRITE_GRACE)
                await prompts.look()  # a confirmation or password prompt in the way of the save
                await watcher.idle(timeout)
                since = watcher.started
                settling = asyncio.ensure_future(
                    _settled_as_wanted(page, activity, handle, setting, watcher, want_on, timeout)
                )
                kept, fresh = await spare.read_back(platform, setting, timeout, decided)
                saved, writes = await settling
                if len((late := await matches_until(page, platform, setting, decided)).handles) > 1:
                    return Outcome(False, f"{await late.ambiguity(setting.control)} once the page settled: {UNSURE}")
                if writes != since:  # the page wrote again while it settled: read what that left
                    await watcher.idle(timeout)
                    again = FreshPages(page)
                    kept, fresh = await again.read_back(platform, setting, timeout, decided)
                outcome = prompts.explain(_outcome(kept, want_on, saved, watcher.started))
                # Another setting switched too: never verified, whatever the setting itself reads.
                if also := await collateral.problem(fresh, platform, earlier):
                    return Outcome(False, f"{also}; {_as_well(outcome)}")
                return replace(outcome, receipt=await receipt(fresh)) if outcome.verified else outcome
            except (Error, StepNotFound, PageRefused) as exc:
                return Outcome(False, f"changed once, but the change could not be verified: {plain(exc)}")
            finally:
                if settling is not None:
                    settling.cancel()
                if again is not None:
                    await again.close()
    finally:
        await spare.close()


def _outcome(kept: Reading | str, want_on: bool, saved: bool, writes: int) -> Outcome:
    """Verified only when the fresh pages agreed on the wanted state."""
    if isinstance(kept, str):
        return Outcome(False, kept)
    if kept.on is None:
        return Outcome(False, f"after reloading, the state could not be read ({kept.problem})", kept)
    if kept.on == want_on:
        return Outcome(True, "changed and verified after reload", kept)
    if not saved:
        why = "no save request was seen" if writes == 0 else "the save did not complete"
        return Outcome(False, f"the site did not keep the change ({why}; after reload it is unchanged)", kept)
    return Outcome(False, "the site did not keep the change (after reload it is back as before)", kept)


def _as_well(outcome: Outcome) -> str:
    """What became of the setting itself, beside another setting the change switched."""
    if outcome.verified:
        return "the setting itself reads as changed after reload, but the change is not counted as verified"
    return outcome.detail
