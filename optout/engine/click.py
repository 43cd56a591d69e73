"""One click that lands on the control it is meant for, or none at all.

A click is delivered to whatever element is topmost at the click point, not to the element the
engine chose: a transparent element laid over a switch (inside its label, or inside the switch
itself) that belongs to another control takes the click, and another setting changes. So before
clicking, the element at the click point must be the control, something inside it that is no
control of its own, or the control's own label: never another control, another control's label,
nor an element with a click target of its own. The centre is tried first, then other points of
the control's box and of its labels' boxes; the click goes exactly to the first point that
passes. When none does, nothing is clicked and the covering control is named.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import ElementHandle

from optout.engine.evidence import Secrets
from optout.engine.locate import NAME_JS

# An element's labels: those that name it (`for`, or wrapping it), and the label it sits in.
_LABELS = """el => {
  const labels = [...(el.labels || [])];
  const wrapping = el.closest('label');
  if (wrapping && !labels.includes(wrapping)) labels.push(wrapping);
  return labels;
}"""
_LABEL_JS = "(el, i) => (" + _LABELS + ")(el)[i]"

COVER_WAIT_MS = 1500  # how long a control may stay covered (an overlay fading out) before it is given up

# Where in a box to try, centre first: a switch's track, a label's text, rarely all covered.
_FRACTIONS = ((0.5, 0.5), (0.25, 0.5), (0.75, 0.5), (0.5, 0.25), (0.5, 0.75), (0.15, 0.5), (0.85, 0.5))

# For the element `el`: the first point (of its box, then of each of its labels' boxes) where the
# topmost element is acceptable, as {target: -1 (el itself) or the label's index, x, y relative to
# that target's padding box}; or {covered: what covers it} when no point is. A point whose hit
# lies inside el's own label is clicked on the label: a click on el there would land on the label
# anyway, and Playwright only clicks an element where the element itself receives the click.
_PICK_JS = (
    """async (el, [fractions, waitMs]) => {
  const name = """
    + NAME_JS
    + """;
  const ROLES = new Set(['switch', 'checkbox', 'radio', 'radiogroup', 'combobox', 'listbox', 'option', 'menuitem',
    'menuitemradio', 'menuitemcheckbox', 'tab', 'button', 'link', 'textbox', 'slider', 'spinbutton', 'treeitem',
    'searchbox', 'menu', 'menubar', 'tablist', 'tree', 'grid', 'gridcell']);
  const TAGS = new Set(['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'LABEL', 'SUMMARY', 'IFRAME', 'OBJECT', 'EMBED']);
  // An element with a click target of its own: a control, a link, a label, a focusable element,
  // an inline click handler.
  const interactive = (n) => TAGS.has(n.tagName) || (n.tagName === 'A' && n.hasAttribute('href'))
    || ROLES.has((n.getAttribute('role') || '').split(/\\s+/)[0]) || n.hasAttribute('onclick')
    || (n.hasAttribute('tabindex') && n.tabIndex >= 0) || n.isContentEditable;
  const labels = ("""
    + _LABELS
    + """)(el);
  const roots = [el, ...labels];
  // The root (el or one of its labels) `hit` belongs to, when nothing of another control's lies
  // between them; null otherwise.
  const owner = (hit) => {
    for (let n = hit; n; n = n.parentElement) {
      if (roots.includes(n)) return n;
      if (interactive(n)) return null;
    }
    return null;
  };
  // What took a point: the control the element is or belongs to (a label's control), named.
  const thief = (hit) => {
    let n = hit;
    while (n && !interactive(n)) n = n.parentElement;
    const control = n ? (n.tagName === 'LABEL' && n.control ? n.control : n) : hit;
    const tag = control.tagName === 'INPUT' ? control.type : control.tagName.toLowerCase();
    const role = control.getAttribute('role') || tag;
    return {role, name: (name(control) || '').replace(/\\s+/g, ' ').trim().slice(0, 120), control: !!n};
  };
  const doc = el.getRootNode().elementFromPoint ? el.getRootNode() : document;
  const pick = () => {
    let covered = null;
    for (const box of roots) {
      const r = box.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      for (const [fx, fy] of fractions) {
        const x = r.left + r.width * fx, y = r.top + r.height * fy;
        const hit = doc.elementFromPoint(x, y);
        if (!hit) continue;
        const target = owner(hit);
        if (target === null) { covered = covered || thief(hit); continue; }
        const t = target.getBoundingClientRect();
        return {target: target === el ? -1 : labels.indexOf(target),
                x: x - t.left - target.clientLeft, y: y - t.top - target.clientTop};
      }
    }
    return {covered: covered || {role: '', name: '', control: false}};
  };
  // Something that covers everything for a moment (a dialog's backdrop fading out) is waited for.
  const deadline = performance.now() + waitMs;
  for (;;) {
    const picked = pick();
    if (!picked.covered || performance.now() >= deadline) return picked;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}"""
)


class Covered(Exception):
    """No point of the element or of its labels would deliver a click to it: nothing was clicked."""


async def click(handle: ElementHandle, timeout_ms: float, what: str = "the control") -> None:
    """Click `handle` once, at a point where the page delivers the click to it or to its own
    label; Covered (nothing clicked) when something of another control's covers every point.

    Playwright's own waits still apply to the click: visible, stable, enabled, and receiving the
    click at that very point."""
    await handle.scroll_into_view_if_needed(timeout=timeout_ms)
    picked: dict[str, Any] = await handle.evaluate(_PICK_JS, [[list(f) for f in _FRACTIONS], COVER_WAIT_MS])
    if "covered" in picked:
        raise Covered(_covered(what, picked["covered"]))
    target = handle
    if picked["target"] >= 0:
        label = (await handle.evaluate_handle(_LABEL_JS, picked["target"])).as_element()
        assert label is not None
        target = label
    await target.click(position={"x": picked["x"], "y": picked["y"]}, timeout=timeout_ms)


def _covered(what: str, thief: dict[str, Any]) -> str:
    """ "the control is covered by another control, switch 'Let recruiters…', so it was not
    clicked": what the result says (names a control shows may hold an e-mail address)."""
    if not thief["control"]:
        return f"{what} is covered by another element, so it was not clicked"
    named = f" '{Secrets().clean(thief['name'])}'" if thief["name"] else ""
    return f"{what} is covered by another control, {thief['role']}{named}, so it was not clicked"
