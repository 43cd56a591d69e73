"""The knobs a test turns to make the replica sites misbehave the way real sites do.

One `ReplicaOptions` object is shared by all three platforms and read on every request, so a test
can change a field while the servers run (e.g. set `keep_changes = False` just before a save).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The one account every replica knows from the start. Demo and tests log in with it.
TEST_USER = "member@example.com"
TEST_PASSWORD = "optout-demo"
# The test member's display name, shown by pages that greet the member (echo_secrets).
TEST_NAME = "Ada Lovelace"

# The unrelated setting of the click_thief and collateral_save variants: its stored key (out of
# Replica.state(); Replica.unrelated_setting reads it) and its label, the same on every kit.
UNRELATED_KEY = "unrelated-setting"
UNRELATED_LABEL = "Let recruiters see my private profile"

LabelVariant = Literal["current", "changed", "old"]
ClickThief = Literal["label", "switch"]  # where another control's transparent element lies over the setting
Language = Literal["en", "de"]  # the languages some kits have labels in
# How a kit page says it is loading while its controls are not drawn yet (during render_delay):
# "busy" (aria-busy with "Loading" text, the default), a "progressbar", a "skeleton" of grey
# bars, or the "text" "Loading…" alone.
Placeholder = Literal["busy", "progressbar", "skeleton", "text"]
# The widget variation: each choice drawn as a native select, an ARIA combobox with a listbox, a
# menu button with menuitemradio items or a radio group; each toggle as an <input type=checkbox
# role=switch>, a <button role=switch aria-checked> named by its text, an aria-pressed button, a
# switch inside an open shadow root, or a switch named by aria-labelledby from a separate element.
ChoiceWidget = Literal["select", "combobox", "menu", "radio"]
ToggleWidget = Literal["switch-input", "switch-button", "pressed", "shadow", "labelledby"]
CHOICE_WIDGETS: tuple[ChoiceWidget, ...] = ("select", "combobox", "menu", "radio")
TOGGLE_WIDGETS: tuple[ToggleWidget, ...] = ("switch-input", "switch-button", "pressed", "shadow", "labelledby")
# The names variation: each label in upper case, with a "New" badge or a description inside it,
# or each menu item with a hint inside it ("Turn off" + "1 step").
Names = Literal["case", "badge", "description", "hint"]
# What a real site puts in the way (replica/interruptions.py), one at a time.
Interruption = Literal[
    "consent",  # a banner with "Accept all" and "Reject all" over the page
    "consent-necessary",  # the same, its refusal worded "Use necessary cookies only"
    "consent-accept-only",  # a banner that offers only "Accept all"
    "confirm",  # a "Turn off?" dialog after a control's click, with "Keep" and "Turn off"
    "reauth",  # a password prompt after a control's click
    "bot-403",  # a challenge page in place of every settings page, HTTP 403
    "bot-503",  # the same, HTTP 503
    "bot-challenge",  # a challenge page answered 200 OK
    "alert",  # window.alert after a control's click (the change goes on)
    "js-confirm",  # window.confirm after a control's click (the change goes on only if accepted)
    "beforeunload",  # the page asks before it is left
    "popup",  # a popup window opened by a control's click (the change goes on)
]


@dataclass
class ReplicaOptions:
    """Behaviour switches; the defaults are a well-behaved site with a single-page-app delay."""

    # Seconds the server sleeps before answering a settings or form page GET (benchmarks: 1.0).
    page_delay: float = 0.0
    # Seconds the page's JS waits after fetching state before it renders the controls.
    render_delay: float = 0.3
    # Seconds the server sleeps before answering a save request.
    save_delay: float = 0.0
    # When set, the page sends a second save that many seconds after each save was answered,
    # putting the old values back without showing it (a background sync writing a stale copy over
    # the change).
    undo_save: float | None = None
    # False: saves answer 200 OK but are not persisted (a reload shows the old state).
    keep_changes: bool = True
    # Every other load of the settings is answered with each setting opted out, whatever the
    # server kept (a stale cache, or a load balancer in front of copies that disagree, answering
    # in turn). With keep_changes False the server keeps nothing and flaps between on and off.
    alternate_reads: bool = False
    # "current" wording, "changed" (reworded so the recipe misses it) or "old" (the wording the
    # facts give from before a rename: X's 2024 label, "Help improve Claude", Gemini Apps Activity).
    label_variant: LabelVariant = "current"
    # Show a second, similar control whose label also contains the recipe's text.
    duplicate_control: bool = False
    # Render the page without the setting's control (a redesign removed or moved it).
    missing_control: bool = False
    # The settings page shows, in place of its own controls, one control of the same kind for
    # another setting (a redesign moved the setting away; the URL now leads elsewhere).
    only_other_switch: bool = False
    # LinkedIn only: the setting's URL redirects (HTTP) to another settings page of the site,
    # whose only switch is that page's own setting.
    redirect_to_other_setting: bool = False
    # Controls are drawn without the stable attributes the facts give them (LinkedIn's
    # aria-labelledby, a data-testid, a name): a redesign dropped or renamed them.
    no_stable_attributes: bool = False
    # Render the page's "not available for your plan/region" text instead of the control.
    absent_control: bool = False
    # UI language of the pages: "en", or "de" (kits that have German labels).
    language: Language = "en"
    # Kit pages remember the values they saved in localStorage and draw from there on the next
    # load, whatever the server kept (a cache that can make a discarded save look kept).
    cache_state: bool = False
    # Where cache_state keeps them: the origin's localStorage or IndexedDB, or the tab's sessionStorage.
    cache_in: Literal["localStorage", "sessionStorage", "indexedDB"] = "localStorage"
    # What the page shows while its controls are not drawn yet (render_delay): see Placeholder.
    placeholder: Placeholder = "busy"
    # When set, the controls are drawn disabled and enabled only once a second request of the
    # page (its permissions, say) is answered, which the server delays by that many seconds.
    enable_after: float | None = None
    # When set, a second control worded like each one (as duplicate_control) is drawn that many
    # seconds after the first.
    late_duplicate: float | None = None
    # With rotate_cookies, every response to a signed-in request (the page's fetches and saves
    # too) replaces the session cookie, not only settings-page loads.
    rotate_every_response: bool = False
    # Logged-in visitors whose User-Agent says HeadlessChrome are sent to the security checkpoint,
    # as sites that screen out automation do.
    headless_checkpoint: bool = False
    # HTTP status the settings pages answer with (500: the platform is down; 429: rate-limited).
    settings_status: int = 200
    # How many of the next settings-page requests are answered by resetting the connection (a
    # flaky network, a load balancer dropping a connection); each reset counts one down.
    reset_settings: int = 0
    # Settings pages send logged-in visitors to this URL instead (another site), by an HTTP
    # redirect or, with offsite_by="js", by a script once the page has loaded.
    offsite: str | None = None
    offsite_by: Literal["http", "js"] = "http"
    # Logged-in requests for settings pages are sent to a security checkpoint.
    checkpoint: bool = False
    # Every settings-page GET replaces the session cookie and invalidates the old value.
    rotate_cookies: bool = False
    # When set, the login page fills in TEST_USER/TEST_PASSWORD and submits after that many seconds.
    auto_login: float | None = None
    # Meta only: when set, the objection form presses its own Send button that many seconds after
    # it renders, without touching the fields (the user who reviews what optout filled in and sends).
    auto_submit: float | None = None
    # X only: render the Grok checkboxes disabled, as for accounts under 18.
    minor: bool = False
    # LinkedIn only: the settings page echoes what real pages carry and a report must not leak:
    # the session cookie's value in an inline script, the CSRF token in a meta tag, and the
    # member's e-mail address and name in the navigation bar (and in the label of the other
    # setting's switch of only_other_switch and redirect_to_other_setting).
    echo_secrets: bool = False
    # LinkedIn only: the settings page shows what the browser keeps in storage for the site, as
    # pages with a token in their state do: every local-storage value and the tokens inside them
    # (as is, URL-encoded in a link, base64-encoded in an attribute), and an API token of its own
    # that it keeps in session storage.
    echo_storage: bool = False
    # LinkedIn only: the settings API answers, then signs the browser out (`Set-Cookie: li_at=;
    # Max-Age=0`) and forgets the session, as a platform ending a session mid-visit does.
    expire_session: bool = False
    # Render one more AI switch that no recipe describes (a platform quietly adding a setting).
    extra_ai_switch: bool = False
    # Show another, unrelated setting beside the AI one ("Let recruiters see my private profile",
    # off, never in a recipe) and lay a transparent element of its own over the AI control: inside
    # the AI control's label ("label") or inside the control itself ("switch"). A click there
    # switches the other setting and not the AI one.
    click_thief: ClickThief | None = None
    # Show the other setting too, and have the server switch it on whenever it saves a change of
    # the AI setting (a page or API that writes more than the user asked for).
    collateral_save: bool = False
    # Each switch shows two dependent sub-switches below it ("Include your audio recordings",
    # "… video recordings", off) only while it is on, as ChatGPT's voice rows (facts-2026-12, C1).
    sub_switches: bool = False
    # Every HTML page shows a clock that redraws every 100 ms, for ever (a ticker, a live
    # timestamp): the page's DOM never settles, though the setting's control is drawn and still.
    ticking_clock: bool = False
    # Every switch of a page flips its own state every 150 ms, for ever: a control that cannot be
    # read, whatever the rest of the page does.
    flickering_switch: bool = False
    # Settings pages answer 200 OK with an empty body (a glitching server or proxy).
    empty_settings: bool = False
    # Kit pages draw their controls inside an iframe of the page, loaded from the page's own
    # origin (a settings app embedded in its page): "self"; "both" draws them in the page as well.
    framed: Literal["self", "both"] | None = None
    # Kit pages draw no controls of their own but a frame showing this URL: another site's page
    # (a widget from elsewhere, which may show a lookalike of the setting's switch).
    foreign_frame: str | None = None
    # Each choice, each toggle drawn as another widget of its kind (see ChoiceWidget and
    # ToggleWidget): choices by controls.js on kit pages, toggles on every page of every kit by
    # widgets.js (a stand-in for the page's own toggle, which stays hidden and does the work).
    choice_widget: ChoiceWidget | None = None
    toggle_widget: ToggleWidget | None = None
    # Labels and menu items worded with the extra words real sites add (see Names), on every page.
    names: Names | None = None
    # What a real site puts in the way, on every kit (replica/interruptions.py): a consent banner,
    # a confirmation or password prompt after a click, a bot check, a JS dialog or a popup.
    interruption: Interruption | None = None
