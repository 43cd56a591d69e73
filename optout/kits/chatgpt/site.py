"""Replica of ChatGPT's Data controls and Codex's general settings.

Data controls is a settings overlay reached by the path route `/settings/data-controls` (a 2026
audit saw it live) and by the older hash route `#settings/DataControls` (scripts used it in June
2026): both draw the same panel, as the real app is inferred to. Its "Improve the model for
everyone" row is a button (`data-testid=improve-model-open-modal-button`, named label + On/Off)
that opens a dialog holding the real switch (`button[role=switch][data-testid=improve-model-toggle]`,
`aria-checked`); the switch saves by itself and Escape closes the dialog (facts-2026-12 §1.3, C2).

Codex's `/codex/cloud/settings/general` holds "Include environments", a setting of its own
(facts-2026-12 §1.3, C1); its markup is not in the sources: drawn as the app's other switches.
"""

from __future__ import annotations

from optout.replica.kit_site import Control, Dialog, KitSite, SettingsPage

LABEL = "Improve the model for everyone"
IMPROVE = Control(
    setting="improve-model",
    kind="switch",
    label=LABEL,
    labels={"de": "Das Modell für alle verbessern"},
    changed_label="Share my chats to make our products better",
    help="Allow your content to be used to train our models, which makes ChatGPT better for you "
    "and everyone who uses it. We take steps to protect your privacy.",
    attrs={"data-testid": "improve-model-toggle"},
    opted_out=False,
    default=True,
)


def data_controls(path: str, hash_route: str | None) -> SettingsPage:
    """The Data controls panel at one of its two routes."""
    dialog = Dialog(
        opener=LABEL,
        title=LABEL,
        opener_attrs={"data-testid": "improve-model-open-modal-button"},
        hash=hash_route,
    )
    return SettingsPage(path=path, title="ChatGPT", heading="Data controls", dialog=dialog, controls=(IMPROVE,))


class ChatGPT(KitSite):
    name = "chatgpt"
    brand = "ChatGPT"
    session_cookie = "__Secure-next-auth.session-token"
    login_path = "/auth/login"
    pages = (
        data_controls("/settings/data-controls", None),
        data_controls("/", "#settings/DataControls"),
        SettingsPage(
            path="/codex/cloud/settings/general",
            title="Codex",
            heading="General",
            controls=(
                Control(
                    setting="codex-environments",
                    kind="switch",
                    label="Include environments",
                    changed_label="Share environment data with OpenAI",
                    opted_out=False,
                    default=True,
                ),
            ),
        ),
    )


SITE = ChatGPT
