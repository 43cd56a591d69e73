"""Replica of Claude's Privacy settings: the training switch "Help improve our AI models" (renamed
from "Help improve Claude" in 2026) with its sub-copy, saved by itself (facts: catalogue-facts §2,
C2 for URL, labels and cookie `sessionKey`; the switch markup and the autosave are inferred).

The same controls are served at both routes the facts give (facts-2026-12 §1.4, C1 each): the
documented page `/settings/data-privacy-controls`, and the settings dialog over the app at
`/new#settings/data-privacy-controls`, a `[role=dialog]` panel `[data-perf-screen=...]` that the
hash opens (one automation project found the bare path served nothing, 2026-09).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage

HELP_IMPROVE = Control(
    setting="help-improve",
    kind="switch",
    section="Privacy settings",
    label="Help improve our AI models",
    labels={"de": "Hilf mit, unsere KI-Modelle zu verbessern"},
    changed_label="Model improvement",
    old_label="Help improve Claude",  # 2025-08 to 2026 (C2), still in Claude Code's /privacy-settings
    help="Allow the use of your chats and coding sessions to train and improve Anthropic AI models.",
    opted_out=False,
    default=True,
)


class Claude(KitSite):
    name = "claude"
    brand = "Claude"
    session_cookie = "sessionKey"
    pages = (
        SettingsPage(
            path="/settings/data-privacy-controls", title="Settings", heading="Privacy", controls=(HELP_IMPROVE,)
        ),
        SettingsPage(
            path="/new",
            title="Claude",
            heading="Privacy",
            controls=(HELP_IMPROVE,),
            hash="#settings/data-privacy-controls",
            panel_attrs={"data-perf-screen": "data-privacy-controls"},
        ),
    )


SITE = Claude
