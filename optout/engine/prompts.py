"""What a site puts in the way of a change after the click, told by name instead of as "not kept".

- The browser's own dialogs: an `alert` is dismissed and its text kept for the result; a
  `confirm` or `beforeunload` is dismissed (never accepted) unless the `confirm` is the recipe's
  declared confirmation (`confirm: {text: …}`, the whole text); a popup window is closed and named.
- What the page draws: a dialog that was not there before the click ("Turn off?") is quoted when
  the change was not kept ("the site asks to confirm: …"); a password field is the site asking
  the user to sign in again (`needs_login`). Nothing in either is ever clicked here: a declared
  confirmation is pressed by change.py, and only that one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from playwright.async_api import Dialog, ElementHandle, Error, Page

from optout.recipes.schema import Setting
from optout.results import State

if TYPE_CHECKING:
    from optout.engine.change import Outcome

POPUP_LOAD_MS = 2000  # how long a popup may take to show what it is before it is closed anyway
QUOTE = 160  # how much of a dialog's text a result quotes

# The page's open dialogs but the one that holds the control (their heading and text, without their
# buttons) and whether it shows a password field, visible either way.
_SHOWN_JS = """(control) => {
  const visible = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const words = (el) => {
    const parts = [...el.querySelectorAll('h1, h2, h3, [role=heading], p')].map((n) => n.innerText);
    const text = parts.length ? parts.join(' ') : (el.getAttribute('aria-label') || el.innerText);
    return text.replace(/\\s+/g, ' ').trim();
  };
  const dialogs = [...document.querySelectorAll('[role=dialog], [role=alertdialog], dialog[open], [aria-modal=true]')]
    .filter((el) => visible(el) && !(control && el.contains(control))).map(words).filter(Boolean);
  const password = [...document.querySelectorAll('input[type=password]')].some(visible);
  return {dialogs, password};
}"""


SIGN_IN_AGAIN = "the site asks you to sign in again"


def _unconfirmed(asked: str) -> str:
    """A confirmation the site asked for (quoted) that optout did not give."""
    return f"the site asks to confirm: {asked}; the recipe names no confirmation for it, so optout did not confirm"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= QUOTE else text[: QUOTE - 1] + "…") + "”"


@dataclass
class Prompts:
    """Watches `page` while one change is made (use as `with`): the browser's dialogs and popups
    as they come, and what the page shows before the click (`before`) and after it (`look`)."""

    page: Page
    setting: Setting
    control: ElementHandle
    notes: list[str] = field(default_factory=list)  # said in the result whatever the outcome
    declined: str | None = None  # a browser confirm() that was dismissed
    _before: dict[str, Any] = field(default_factory=dict)
    _after: dict[str, Any] = field(default_factory=dict)
    _closing: list[asyncio.Future[None]] = field(default_factory=list)

    def __enter__(self) -> Prompts:
        self.page.on("dialog", self._on_dialog)
        self.page.on("popup", self._on_popup)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("dialog", self._on_dialog)
        self.page.remove_listener("popup", self._on_popup)

    async def before(self) -> None:
        """Take what the page shows before the click."""
        self._before = await self._shown()

    async def _shown(self) -> dict[str, Any]:
        try:
            return dict(await self.page.evaluate(_SHOWN_JS, self.control))
        except Error:  # navigating: nothing shown that can be told
            return {"dialogs": [], "password": False}

    async def look(self) -> None:
        """Take what the page shows now, after the click (call once the page had its chance to
        save), and let the popups it opened be closed."""
        self._after = await self._shown()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    def _declared(self, message: str) -> bool:
        confirm = self.setting.confirm
        return confirm is not None and confirm.text is not None and " ".join(confirm.text.split()) == message

    async def _on_dialog(self, dialog: Dialog) -> None:
        message = " ".join(dialog.message.split())
        try:
            if dialog.type == "confirm" and self._declared(message):
                await dialog.accept()
                return
            await dialog.dismiss()
        except Error:  # the page went away with its dialog
            return
        if dialog.type == "alert":
            self.notes.append(f"the site said {_quote(message)}")
        elif dialog.type == "confirm":
            self.declined = message
        elif dialog.type == "beforeunload":
            self.notes.append("the page asked before being left, and optout stayed")
        else:
            self.notes.append(f"the site asked for input ({_quote(message)}), which optout did not give")

    def _on_popup(self, popup: Page) -> None:
        self._closing.append(asyncio.ensure_future(self._close_popup(popup)))

    async def _close_popup(self, popup: Page) -> None:
        try:
            await popup.wait_for_load_state("domcontentloaded", timeout=POPUP_LOAD_MS)
        except Error:
            pass
        try:
            title = await popup.title()
        except Error:
            title = ""
        self.notes.append(f"the site opened a popup window ({_quote(title or popup.url)}), which optout closed")
        try:
            await popup.close()
        except Error:
            pass

    def in_the_way(self) -> str:
        """What a click that could not be made may have met: a dialog the page showed already
        (a confirmation left unanswered by an earlier change of the page), quoted; "" if none."""
        dialogs = self._before.get("dialogs", [])
        return f" (the page shows a dialog: {_quote(dialogs[0])})" if dialogs else ""

    def _brought(self) -> tuple[bool, list[str]]:
        """What the page shows since the click that it did not before: a password prompt, and
        the texts of its new dialogs."""
        password = bool(self._after.get("password")) and not self._before.get("password")
        return password, [d for d in self._after.get("dialogs", []) if d not in self._before.get("dialogs", [])]

    async def stopped(self, why: str) -> tuple[str, State | None] | None:
        """What stopped a change before anything was saved (`why`: the step that could not be
        made), when the change's first click brought it, as the result's detail and state: a
        password prompt is the site asking to sign in again, a dialog a confirmation the recipe does
        not name (quoted). None when the page shows neither since the click."""
        await self.look()
        password, new = self._brought()
        if password:
            detail = f"{SIGN_IN_AGAIN} (it asked for the password after the click, and {why})"
            return f"{detail}; nothing was saved", State.NEEDS_LOGIN
        if new:
            return f"{_unconfirmed(_quote(new[0]))} ({why}); nothing was saved", None
        return None

    def explain(self, outcome: Outcome) -> Outcome:
        """The outcome with what stood in its way said: a password prompt is the site asking to sign
        in again; a confirmation that appeared (and was not given) is quoted; notes are added."""
        password, new = self._brought()
        asked = _quote(self.declined) if self.declined else _quote(new[0]) if new else None
        unchanged = not outcome.verified and outcome.reading is not None and outcome.reading.on is not None
        if unchanged and password:
            outcome = replace(
                outcome,
                detail=f"{SIGN_IN_AGAIN} (it asked for the password after the click); "
                "nothing was confirmed, and after reload the setting is unchanged",
                state=State.NEEDS_LOGIN,
            )
        elif unchanged and asked:
            outcome = replace(
                outcome,
                detail=f"{_unconfirmed(asked)}, and after reload the setting is unchanged",
            )
        if self.notes:
            outcome = replace(outcome, detail="; ".join([outcome.detail, *self.notes]))
        return outcome
