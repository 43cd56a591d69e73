"""The page's interactive controls as a list: role, accessible name, state, stable attributes.

One inventory serves everything that must describe a page without touching it: the hint of a
`not_found` ("the page has one switch, '…'"), `optout explore`, the discovery of new AI switches and
the breakage report. It is read by script in one pass and never clicks anything.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from playwright.async_api import ElementHandle, Error, Page

from optout.engine.evidence import Secrets
from optout.engine.fallback import plural
from optout.engine.frames import roots
from optout.engine.locate import NAME_JS
from optout.recipes.schema import Label, Platform, newest_label

# Roles a person can operate, found by explicit role or by the element that implies it. Elements
# that are not rendered (display:none, zero size) are left out: a person could not see them.
# `mine` (or null): the element of the setting being changed; each item says whether it is part of
# it (the element, inside it, or the control it sits in: a radio group and its radios are one setting).
_INVENTORY_JS = (
    """(mine) => {
  const name = """
    + NAME_JS
    + """;
  const ROLES = ['switch', 'checkbox', 'radio', 'radiogroup', 'combobox', 'listbox', 'option', 'menuitem',
    'menuitemradio', 'menuitemcheckbox', 'tab', 'button', 'link', 'textbox'];
  const implicit = (el) => {
    const tag = el.tagName;
    if (tag === 'SELECT') return el.multiple ? 'listbox' : 'combobox';
    if (tag === 'BUTTON') return 'button';
    if (tag === 'A') return el.hasAttribute('href') ? 'link' : '';
    if (tag === 'TEXTAREA') return 'textbox';
    if (tag === 'INPUT') {
      const t = (el.type || 'text').toLowerCase();
      if (t === 'checkbox') return 'checkbox';
      if (t === 'radio') return 'radio';
      if (['button', 'submit', 'reset'].includes(t)) return 'button';
      if (['text', 'email', 'search', 'url', 'tel', ''].includes(t)) return 'textbox';
    }
    return '';
  };
  // Ids a framework makes up on every load (ember123, :r5:, radix-4, long hex) are not stable.
  const generated = (id) => /\\d{3,}|:|^[0-9a-f-]{12,}$/i.test(id);
  const stateOf = (el, role) => {
    if (['switch', 'checkbox', 'radio', 'menuitemradio', 'menuitemcheckbox'].includes(role)) {
      const aria = el.getAttribute('aria-checked');
      if (aria === 'true' || aria === 'false') return aria === 'true' ? 'on' : 'off';
      if ('checked' in el) return el.checked ? 'on' : 'off';
      return '';
    }
    if (el instanceof HTMLSelectElement) return el.selectedOptions[0] ? el.selectedOptions[0].label : '';
    if (role === 'radiogroup') {
      const picked = [...el.querySelectorAll('input[type=radio], [role=radio]')]
        .filter(r => r.checked === true || r.getAttribute('aria-checked') === 'true');
      return picked.length === 1 ? name(picked[0]).trim() : '';
    }
    if (role === 'button' && el.getAttribute('aria-haspopup')) return (el.innerText || '').trim();
    return '';
  };
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    const explicit = (el.getAttribute('role') || '').split(/\\s+/)[0];
    const role = ROLES.includes(explicit) ? explicit : (explicit ? '' : implicit(el));
    if (!role || (el.type || '') === 'hidden') continue;
    if (!el.getClientRects().length) continue;
    const attributes = {};
    for (const a of ['name', 'data-testid']) if (el.getAttribute(a)) attributes[a] = el.getAttribute(a);
    if (el.id && !generated(el.id)) attributes.id = el.id;
    // A radio or option belongs to its group: the group is the setting, the option one of its values.
    const box = ['radio', 'option'].includes(role) && el.parentElement
      && el.parentElement.closest('[role=radiogroup], fieldset, [role=listbox], select');
    out.push({
      role, name: name(el).replace(/\\s+/g, ' ').trim().slice(0, 200), state: stateOf(el, role),
      disabled: el.disabled === true || el.getAttribute('aria-disabled') === 'true', attributes,
      group: box ? name(box).replace(/\\s+/g, ' ').trim().slice(0, 200) : '',
      part: !!mine && (el === mine || mine.contains(el) || el.contains(mine)),
    });
  }
  return out;
}"""
)


@dataclass(frozen=True)
class Item:
    """One interactive control as the page shows it."""

    role: str
    name: str
    state: str = ""
    disabled: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    group: str = ""  # a radio's or option's group (its radiogroup, listbox or select), by name

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def scrubbed(self, secrets: Secrets) -> Item:
        """The same control with personal data and secrets removed from what it shows."""
        attributes = {k: secrets.clean(v) for k, v in self.attributes.items()}
        return replace(self, name=secrets.clean(self.name), state=secrets.clean(self.state), attributes=attributes)

    def describe(self) -> str:
        """`switch 'Use my data…' (on)`: how a hint or a notice quotes it."""
        state = f" ({self.state})" if self.state else ""
        return f"{self.role} {_quote(self.name)}{state}"


async def inventory(page: Page, platform: Platform) -> list[Item]:
    """Every rendered interactive control of the page and of its frames that are the platform's
    (frames.roots), in document order, each frame's after the page's; nothing is touched."""
    return [item for item, _ in await inventory_of(page, platform, None)]


async def inventory_of(page: Page, platform: Platform, mine: ElementHandle | None) -> list[tuple[Item, bool]]:
    """`inventory`, each control with whether it is part of the control `mine` (looked for in
    its own frame: a handle is only understood there)."""
    own = await mine.owner_frame() if mine is not None else None
    listed: list[tuple[Item, bool]] = []
    for frame in roots(page, platform).frames:
        raws = await frame.evaluate(_INVENTORY_JS, mine if frame == own else None)
        listed += [(Item(**{k: v for k, v in raw.items() if k != "part"}), raw["part"]) for raw in raws]
    return listed


def similarity(a: str, b: str) -> float:
    """How alike two labels read (0..1), case and spacing aside; a `/regex/` counts as its text."""
    a = " ".join(a.strip("/").split()).casefold()
    return difflib.SequenceMatcher(None, a, " ".join(b.split()).casefold()).ratio()


def closest(items: list[Item], role: str | None, names: list[str], limit: int = 3) -> list[Item]:
    """The controls of `role` (any role when None) whose names read most like `names`, best first."""
    same = [i for i in items if role is None or i.role == role]
    if not names:
        return same[:limit]
    return sorted(same, key=lambda i: -max(similarity(n, i.name) for n in names))[:limit]


def _quote(name: str) -> str:
    return f"'{name}'" if name else "(no name)"


def what_changed(items: list[Item], role: str | None, names: list[str]) -> str:
    """The hint for a control the recipe names but the page lacks: what the page has instead.

    "no switch named 'A'; the page has one switch, 'B' (on) — if that is it, the recipe needs
    this name". With no control of the role at all, the closest controls of any role."""
    what = role or "control"
    wanted = f"no {what} named {_quote(names[0])}" if names else f"no {what} matching the recipe"
    same = [i for i in items if role is None or i.role == role]
    if len(same) == 1:
        only = same[0]
        state = f" ({only.state})" if only.state else ""
        return (
            f"{wanted}; the page has one {what}, {_quote(only.name)}{state} — if that is it, the recipe needs this name"
        )
    if same:
        near = ", ".join(i.describe().removeprefix(f"{i.role} ") for i in closest(same, None, names))
        return f"{wanted}; the page has {plural(len(same), what)}, the closest: {near}"
    others = closest(items, None, names)
    if not others:
        return f"{wanted}; the page shows no controls at all"
    return f"{wanted}; the page has no {what}; the closest controls: {', '.join(i.describe() for i in others)}"


def known_wording(items: list[Item], labels: list[Label]) -> str:
    """What a `not_found` adds when a control of the page (of any role) shows a wording the recipe
    knows from its label history: which one, and whether it is the newest known or an older one
    (the page may be an older or a newer version of the site than the recipe expects)."""
    newest = newest_label(labels)
    for label in labels:
        wording = " ".join(label.name.split()).casefold()
        shown = next((i for i in items if wording in " ".join(i.name.split()).casefold()), None)
        if shown is not None:
            age = "the newest known" if label == newest else "an older known"
            return f"the page shows {age} wording {_quote(label.name)} ({label.span()}) on a {shown.role}"
    return ""


async def explain_missing(
    page: Page, platform: Platform, role: str | None, names: list[str], labels: list[Label] | None = None
) -> str:
    """`what_changed` for the page as it is now, and which of its frames were not read (another
    site's: the control may be drawn there, and is never looked for there); a page that cannot
    be listed (it closed or navigated meanwhile) gets the plain sentence rather than an error
    hiding the real result. The hint is kept in the history and may be notified: e-mail
    addresses a control shows (an account menu's label) are removed from it."""
    try:
        items = await inventory(page, platform)
    except Error:
        return f"no {role or 'control'} matching the recipe"
    unread = roots(page, platform).note()
    wording = known_wording(items, labels or [])
    hint = what_changed(items, role, names) + (f"; {wording}" if wording else "") + (f"; {unread}" if unread else "")
    return Secrets().clean(hint)
