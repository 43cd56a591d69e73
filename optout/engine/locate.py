"""Finding the one control a recipe describes, and reading its state without touching it.

Safety rule: exactly one element may match. None means the site changed ("not found"); several
means we cannot know which one is the AI-training switch ("ambiguous"), and clicking a guess could
switch the wrong thing, so both end the check before any click.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from playwright.async_api import ElementHandle, Frame, Locator, Page

from optout.engine.fallback import Shown, ambiguous, refusal
from optout.engine.frames import roots
from optout.engine.guard import check_host
from optout.engine.login_wall import on_login_wall
from optout.engine.quiet import Activity, changes, next_change, settle, still_loading, until_drawn
from optout.recipes.patterns import is_regex, name_pattern, preferred, whole_name
from optout.recipes.schema import Control, Platform, Setting, States, Target

# On a page that never settles, how long the control must show one state, at every change of the
# page, to be read.
HOLD_SECONDS = 1.0

# Text of the nearest section-like ancestor, for `within`: the phrase must label the same block
# of the page as the control, not merely appear somewhere on it.
_WITHIN_JS = """(el, phrase) => {
  const blocks = 'section, fieldset, form, article, li, dialog, [role=region], [role=group], [role=dialog]';
  let block = el.parentElement && el.parentElement.closest(blocks);
  if (!block) block = document.querySelector('main') || document.body;
  const norm = s => (s || '').replace(/\\s+/g, ' ').toLowerCase();
  return norm(block.innerText).includes(norm(phrase));
}"""

# An approximation of the accessible name, to quote a control's label in a result.
NAME_JS = """el => {
  const root = el.getRootNode();
  const byId = (ids) => ids.split(/\\s+/).map(id => (root.getElementById && root.getElementById(id))
    || document.getElementById(id)).filter(Boolean)
    .map(n => n.innerText).join(' ');
  const labelledBy = el.getAttribute('aria-labelledby');
  return el.getAttribute('aria-label') || (labelledBy && byId(labelledBy))
    || (el.labels && [...el.labels].map(l => l.innerText).find(t => t.trim()))
    || (el.closest('label') && el.closest('label').innerText)
    || el.innerText || el.value || '';
}"""

# What a choice or a menu button shows: a select's selected option, a radio group's checked radio
# (its label), else the element's own visible text (a dropdown button reading "Enabled", a chip "On").
_SHOWN_JS = (
    """el => {
  const name = """
    + NAME_JS
    + """;
  const disabled = el.disabled === true || el.getAttribute('aria-disabled') === 'true';
  if (el instanceof HTMLSelectElement) {
    const o = el.selectedOptions[0];
    return {text: o ? o.label : '', disabled};
  }
  if (el.getAttribute('role') === 'radiogroup' || el.tagName === 'FIELDSET') {
    const picked = [...el.querySelectorAll('input[type=radio], [role=radio]')]
      .filter(r => r.checked === true || r.getAttribute('aria-checked') === 'true');
    return {text: picked.length === 1 ? name(picked[0]) : '', disabled};
  }
  return {text: el.innerText || el.value || '', disabled};
}"""
)

_READ_JS = """el => ({
  aria: el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed'),
  native: (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) ? el.checked : null,
  disabled: el.disabled === true || el.getAttribute('aria-disabled') === 'true',
})"""


def target_locator(page: Page | Frame, target: Target) -> Locator:
    """The Playwright locator for a recipe Target (steps and form fields)."""
    if target.role and target.name:
        return page.get_by_role(target.role, name=name_pattern(target.name))
    if target.text:
        return page.get_by_text(target.text)
    return page.locator(target.css or "")


# The widgets a setting of each kind may be drawn as, besides the recipe's own role: a toggle as a
# switch (`<button role=switch>`, `<input type=checkbox role=switch>`), a checkbox or a toggle
# button (`aria-pressed`); a choice as a native `<select>` or an ARIA combobox (role combobox), a
# radio group, or a menu button (`aria-haspopup`, opening `menuitemradio` or `option` items).
# A button counts only with the attribute that makes it one of the family, so a plain button that
# happens to carry the setting's name is never taken for it. Open shadow roots are searched too
# (Playwright's role and CSS engines pierce them).
FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    "toggle": (("switch", ""), ("checkbox", ""), ("button", "[aria-pressed]")),
    "choice": (("combobox", ""), ("radiogroup", ""), ("button", "[aria-haspopup]")),
}


def family(page: Page | Frame, setting: Setting, name: re.Pattern[str] | None = None) -> Locator:
    """Every element of the page of the setting's control's role, or of another widget of its
    kind's family (FAMILIES), named `name` if given."""
    assert setting.control is not None
    role = setting.control.role
    named: dict[str, object] = {} if name is None else {"name": name}
    locator = page.get_by_role(role, **named)  # type: ignore[arg-type]
    for other, css in FAMILIES.get(setting.kind, ()):
        if other != role:
            one = page.get_by_role(other, **named)  # type: ignore[arg-type]
            locator = locator.or_(one.and_(page.locator(css)) if css else one)
    return locator


def _by_names(page: Page | Frame, setting: Setting) -> Locator | None:
    assert setting.control is not None
    locator: Locator | None = None
    for name in setting.control.names:
        one = family(page, setting, name_pattern(name))
        locator = one if locator is None else locator.or_(one)
    return locator


# An item's own label text, for the matching rule (patterns.preferred): the first text of the
# element that labels it (aria-labelledby's first element, its <label>, or the item itself),
# without what a site adds after it in elements of their own (a "New" badge, a description, a
# hint). When that first text runs on in the same sentence (bare text after it, or an emphasis
# element - b, strong, em, i, u, a, code, mark - around or after it: "<b>Turn off</b> and delete
# activity"), the own text is the label's whole text, so a part of a longer name is never taken
# for the name; and an item named otherwise (aria-label "Turn off alerts") has only its name.
OWN_TEXT_JS = (
    """el => {
  const norm = (t) => (t || '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const name = norm(("""
    + NAME_JS
    + """)(el));
  const root = el.getRootNode();
  const first = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)[0];
  const byId = first && ((root.getElementById && root.getElementById(first)) || document.getElementById(first));
  const label = byId || (el.labels && el.labels[0]) || el.closest('label') || el;
  const INLINE = new Set(['B', 'STRONG', 'EM', 'I', 'U', 'A', 'CODE', 'MARK']);
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode();
  while (text && !text.textContent.trim()) text = walker.nextNode();
  if (!text) return '';
  for (let node = text; node && node !== label; node = node.parentNode) {
    if (node !== text && INLINE.has(node.tagName)) return label.textContent;
    for (let s = node.nextSibling; s; s = s.nextSibling) {
      if (s.nodeType === Node.TEXT_NODE ? s.textContent.trim() : INLINE.has(s.tagName)) return label.textContent;
    }
  }
  // a name given otherwise (aria-label) that does not start with that text: the name decides
  return name.startsWith(norm(text.textContent)) ? text.textContent : name;
}"""
)


async def named(where: Page | Frame, roles: tuple[str, ...], pattern: str) -> list[ElementHandle]:
    """The elements of `roles` a recipe's name picks (menu items, options, confirmations), by
    the matching rule of patterns.preferred: the accessible name matched whole, else the item's
    own label text."""
    whole = whole_name(pattern)
    exact = [h for role in roles for h in await where.get_by_role(role, name=whole).element_handles()]  # type: ignore[arg-type]
    if exact:
        return exact
    every = [h for role in roles for h in await where.get_by_role(role).element_handles()]  # type: ignore[arg-type]
    return preferred(pattern, [], [(h, await h.evaluate(OWN_TEXT_JS)) for h in every])


async def named_appears(
    where: Page | Frame, roles: tuple[str, ...], pattern: str, timeout: float
) -> list[ElementHandle]:
    """`named`, once something it picks is drawn (a menu opens a moment after its button is
    clicked), waking on each change of the page; [] when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        mark = await changes(where)  # type: ignore[arg-type]
        found = await named(where, roles, pattern)
        if found or (left := deadline - time.monotonic()) <= 0:
            return found
        await next_change(where, left, mark)  # type: ignore[arg-type]


def _attribute_css(attributes: dict[str, str]) -> str:
    return "".join(f"[{name}={json.dumps(value)}]" for name, value in attributes.items())


# The ways of finding a control, in the order the recipe schema documents, each with the phrase the
# result uses when it was the one that found the control (None: the recipe's own names did).
_SOLE = 'identified as the only {role} on the page, labelled "{label}"'
_WAYS: tuple[tuple[str, str | None], ...] = (
    ("names", None),
    ("attributes", "identified by its {attributes} attribute (the label did not match)"),
    ("sole", _SOLE),
    ("css", "identified by the recipe's CSS selector (the label did not match)"),
)


def _locator(page: Page | Frame, setting: Setting, way: str) -> Locator | None:
    control = setting.control
    assert control is not None
    if way == "names":
        return _by_names(page, setting)
    if way == "attributes" and control.attributes:
        return family(page, setting).and_(page.locator(_attribute_css(control.attributes)))
    if way == "sole" and control.sole:
        return page.get_by_role(control.role)
    if way == "css" and control.css:
        return page.locator(control.css)
    return None


# What `sole` is judged on (optout.engine.fallback): the control's name and the recipe's attributes
# as it carries them, and the language the page declares.
_SHOWN_ALONE_JS = (
    """(el, names) => ({
  label: ("""
    + NAME_JS
    + """)(el),
  attributes: Object.fromEntries(names.map(n => [n, el.getAttribute(n)])),
  language: document.documentElement.lang
    || (document.querySelector('meta[http-equiv="content-language" i]') || {}).content || '',
})"""
)


async def _sole_refusal(page: Page, platform: Platform, setting: Setting, handle: ElementHandle) -> str:
    """Why the page's only control of the role may not be taken for the setting ("" if it may),
    for a `not_found` result; the label it quotes is not scrubbed yet."""
    assert setting.control is not None
    raw = await handle.evaluate(_SHOWN_ALONE_JS, list(setting.control.attributes))
    shown = Shown(" ".join(raw["label"].split()), page.url, raw["language"], raw["attributes"])
    return refusal(platform, setting, shown)


async def _candidates(page: Page, platform: Platform, setting: Setting) -> Found:
    """Elements matching the control in the page or any of its readable frames (frames.roots), by
    the first way that finds any, and how they were found; a `sole` the page does not prove is
    skipped, and said why when nothing else matches."""
    control = setting.control
    assert control is not None
    refused = ""
    frames = roots(page, platform).frames
    for way, how in _WAYS:
        locators = [loc for frame in frames if (loc := _locator(frame, setting, way)) is not None]
        handles = [h for loc in locators for h in await loc.element_handles()]
        if control.within:
            handles = [h for h in handles if await h.evaluate(_WITHIN_JS, control.within)]
        if way == "sole" and len(handles) == 1:
            refused = await _sole_refusal(page, platform, setting, handles[0])
            if refused:
                continue
        if handles:
            return Found(handles, how=way if how is None else how)
    return Found([], refused=refused)


async def matches(page: Page, platform: Platform, setting: Setting) -> Found:
    """The controls matching the setting now, counted again without waiting: right before a
    click, and on a page that settled after a change, a second match drawn late is still seen."""
    return await _candidates(page, platform, setting)


async def matches_until(page: Page, platform: Platform, setting: Setting, until: float) -> Found:
    """The controls matching the setting, counted again at each change of the page until `until`
    (time.monotonic()), or until more than one shows. A page that has settled can still draw a
    second match a moment later (a block rendered again, a late section); the page that verifies a
    change is watched this long so that a late second match makes the change unverified, never a
    false "opted out"."""
    while True:
        since = await changes(page)  # a render after this count wakes the wait below at once
        found = await _candidates(page, platform, setting)
        left = until - time.monotonic()
        if len(found.handles) > 1 or left <= 0:
            return found
        await next_change(page, left, since)


@dataclass
class Found:
    """What the search for a control ended with, and (for a fallback way) how it was found;
    `refused`: why the page's only control was not taken for the setting's (fallback.py);
    `loading`: why nothing was found is that the page never stopped showing a loading state (the
    sentence for the result: not "the site changed", which a cron run would alert on)."""

    handles: list[ElementHandle]
    login_wall: bool = False
    how: str | None = None
    refused: str = ""
    loading: str = ""
    seen: float = 0.0  # when the search first saw a match (time.monotonic()), 0 when it saw none

    async def ambiguity(self, control: Control) -> str:
        """The detail for several matching controls, each named as the page labels it."""
        labels = [await h.evaluate(NAME_JS) for h in self.handles]
        return ambiguous(control.role, labels, sole=self.how == _SOLE)

    async def describe(self, control: Control) -> str:
        """The phrase for a result when the control was found by a fallback, else ""."""
        if len(self.handles) != 1 or self.how in (None, "names"):
            return ""
        label = " ".join((await self.handles[0].evaluate(NAME_JS)).split())
        return self.how.format(attributes=_attribute_css(control.attributes), role=control.role, label=label[:120])


async def find_control(page: Page, platform: Platform, setting: Setting, timeout: float, activity: Activity) -> Found:
    """Wait for the setting's control to render (sites render late), watching for a login wall
    and for the page leaving the platform meanwhile. Once something matches, wait until the page
    has settled and count again, so a second, similar control drawn a moment later is still seen.
    Nothing matching once the page has settled and stayed still is "not found" (quiet.until_drawn),
    with the reason a `sole` was refused on that last look, if it was; --timeout bounds pages that
    never settle. A page that still shows a loading state is waited for until --timeout, and
    said so (`Found.loading`) when it never stops."""
    start = time.monotonic()
    deadline = start + timeout
    refused = ""

    async def look() -> Found | None:
        nonlocal refused
        check_host(page, platform)
        if await on_login_wall(page, platform):
            return Found([], login_wall=True)
        found = await _candidates(page, platform, setting)
        seen = time.monotonic()
        while found.handles:
            await settle(page, activity, deadline - time.monotonic())
            check_host(page, platform)
            again = await _candidates(page, platform, setting)
            if len(again.handles) == len(found.handles) or time.monotonic() >= deadline:
                again.seen = seen
                return again
            found = again  # still drawing: count again once it has settled
        refused = found.refused
        return None

    found = await until_drawn(page, activity, timeout, look)
    if found is not None:
        return found
    if why := await still_loading(page, start):
        return Found([], loading=why)
    return Found([], refused=refused)


@dataclass(frozen=True)
class Reading:
    """A control's state: on (True/False), or None with the reason it could not be read.

    For a switch, "on" is the switch's own state. For a choice or a menu it is "shows the recipe's
    opted-in state", and `text` is what it showed."""

    on: bool | None
    disabled: bool = False
    problem: str = ""
    text: str = ""


def interpret(raw: dict[str, Any]) -> Reading:
    """Decide on/off from aria-checked and the native checked property. When they disagree, or
    neither exists, the state is unreadable: better to report that than to guess."""
    aria, native, disabled = raw.get("aria"), raw.get("native"), bool(raw.get("disabled"))
    values: list[bool] = []
    if aria is not None:
        if aria not in ("true", "false"):
            return Reading(None, disabled, f'aria-checked is "{aria}"')
        values.append(aria == "true")
    if native is not None:
        values.append(bool(native))
    if not values:
        return Reading(None, disabled, "the control has neither aria-checked nor a checked property")
    if len(set(values)) > 1:
        return Reading(None, disabled, f"aria-checked={aria} but checked={str(native).lower()}")
    return Reading(values[0], disabled)


def state_matches(pattern: str, text: str) -> bool:
    """Whether a choice's or menu's shown text is the state a recipe names: `/regex/` searched as
    written, plain text equal to the whole text (case and spacing aside), so "Enabled" never
    matches "Disabled" and "On" never matches "Only me". Spacing is normalised first."""
    text = " ".join(text.split())
    if is_regex(pattern):
        return name_pattern(pattern).search(text) is not None
    return " ".join(pattern.split()).casefold() == text.casefold()


def interpret_text(states: States, text: str, disabled: bool = False) -> Reading:
    """A choice's selected option, or a menu button's text, as opted in (on) or out (off). Text
    that is both or neither is unreadable: nothing is touched on a guess."""
    text = " ".join(text.split())
    out, into = state_matches(states.opted_out, text), state_matches(states.opted_in, text)
    if out == into:
        shown = f'"{text}"' if text else "nothing"
        return Reading(None, disabled, f"it shows {shown}, which is not one of the recipe's states", text)
    return Reading(into, disabled, text=text)


async def read(handle: ElementHandle, setting: Setting) -> Reading:
    """The control's state, read without touching it."""
    if setting.kind == "toggle":
        return interpret(await handle.evaluate(_READ_JS))
    assert setting.states is not None
    raw = await handle.evaluate(_SHOWN_JS)
    return interpret_text(setting.states, raw["text"], bool(raw["disabled"]))


async def read_settled(
    page: Page, activity: Activity, handle: ElementHandle, setting: Setting, timeout: float
) -> Reading:
    """Read until two readings agree, the second taken once the page has settled: a page may draw
    a placeholder switch before its own settings request returns, and a decision must not rest
    on that first frame. On a page that never settles the control must hold its state itself."""
    deadline = time.monotonic() + timeout
    previous = await read(handle, setting)
    while True:
        settled = await settle(page, activity, deadline - time.monotonic())
        current = await read(handle, setting)
        if current == previous:
            return current if settled else await _held(page, handle, setting, current)
        if time.monotonic() >= deadline:
            return Reading(None, current.disabled, "the control kept changing while it was read")
        previous = current


async def _held(page: Page, handle: ElementHandle, setting: Setting, reading: Reading) -> Reading:
    """`reading`, once the control has shown it at every change of the page for HOLD_SECONDS: a
    clock ticking elsewhere on a page must not make its setting unreadable, but a control whose
    own state keeps changing is."""
    end = time.monotonic() + HOLD_SECONDS
    while (left := end - time.monotonic()) > 0:
        await next_change(page, left)
        if await read(handle, setting) != reading:
            return Reading(None, reading.disabled, "the control kept changing while it was read")
    return reading
