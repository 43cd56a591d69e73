"""Replica of Claude's Privacy settings (claude.ai/settings/data-privacy-controls): the training
switch "Help improve our AI models" (renamed from "Help improve Claude" in 2026) with its sub-copy,
saved by itself (facts: catalogue-facts §2, C2 for URL, labels and cookie `sessionKey`; the switch
markup and the autosave are inferred).
"""

from __future__ import annotations

from optout.replica.kit_site import Control, KitSite, SettingsPage


class Claude(KitSite):
    name = "claude"
    brand = "Claude"
    session_cookie = "sessionKey"
    pages = (
        SettingsPage(
            path="/settings/data-privacy-controls",
            title="Settings",
            heading="Privacy",
            controls=(
                Control(
                    setting="help-improve",
                    kind="switch",
                    section="Privacy settings",
                    label="Help improve our AI models",
                    labels={"de": "Hilf mit, unsere KI-Modelle zu verbessern"},
                    changed_label="Model improvement",
                    help="Allow the use of your chats and coding sessions to train and improve Anthropic AI models.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Claude
