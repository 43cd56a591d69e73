"""Replica of Google's Gemini Apps Activity page (myactivity.google.com/product/gemini): the card
"Keep Activity" has a chip button (`aria-haspopup=menu`, `aria-label` "Turn off your Keep Activity
setting", facts-2026-12 §1.5) showing On or Off; it opens a menu with "Turn off" and "Turn off and delete activity",
and "Turn off" asks for a confirmation before it saves (facts: catalogue-facts §3, markup C1 from
a clone measured on the live page; the confirmation is inferred). Below it, the opt-in checkbox
"Improve Google services with your audio and Gemini Live videos & screenshares" (facts-2026-12
§1.5: C2 for its existence and default; the checkbox role C1, from the same clone).
"""

from __future__ import annotations

from optout.replica.kit_site import Chip, Control, KitSite, SettingsPage


class Gemini(KitSite):
    name = "gemini"
    brand = "Google My Activity"
    session_cookie = "__Secure-1PSID"
    login_path = "/ServiceLogin"
    next_param = "continue"
    checkpoint_path = "/signin/challenge"
    pages = (
        SettingsPage(
            path="/product/gemini",
            title="Gemini Apps Activity",
            heading="Gemini Apps Activity",
            controls=(
                Control(
                    setting="keep-activity",
                    kind="chip",
                    label="Keep Activity",
                    labels={"de": "Aktivitäten speichern"},
                    changed_label="Save your chats",
                    old_label="Gemini Apps Activity",  # its name until the 2025-08 rename (C2)
                    help="Keeping your activity lets you pick up chats where you left off and helps improve "
                    "Google services, including AI models.",
                    chip=Chip(
                        extra_items=("Turn off and delete activity",),
                        confirm="Turn off",
                        confirm_text="Gemini will stop saving your activity. Chats are still kept for 72 hours.",
                    ),
                    opted_out=False,
                    default=True,
                ),
                # Opt-in, off by default (facts-2026-12 §1.5, C2); the test member has ticked it,
                # so the demo and the matrix have something to switch off.
                Control(
                    setting="audio-live",
                    kind="checkbox",
                    label="Improve Google services with your audio and Gemini Live videos & screenshares",
                    changed_label="Use my recordings to improve Google services",
                    help="Recordings of your audio, Gemini Live videos and screenshares help improve Google services.",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = Gemini
