"""Replica of X's login flow and the "Grok & Third-party Collaborators" settings page.

What it reproduces because the engine must cope with it on the real site:
- logged-out visitors go to /i/flow/login?redirect_after_login=..., a JS-rendered login whose
  JSON API sets `auth_token` (httpOnly) and `ct0` (the CSRF token, echoed as `x-csrf-token`);
- the settings render only after an API call and a render delay;
- each checkbox sits inside its `<label>` with the text, so its accessible name is the label
  text; the native input is transparent and laid over a decorative box (it takes the click);
- saves are optimistic: `checked` flips at once and is reverted if the save fails; the training
  checkbox saves through the GraphQL `XaiDataSharingSettingsMutation`, the others through
  /i/api/1.1/account/settings.json;
- accounts under 18 see the checkboxes disabled.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Any
from urllib.parse import quote

from optout.replica.assets import JS_PRELUDE, auto_login_script, kit_file, page
from optout.replica.options import TEST_PASSWORD, TEST_USER, UNRELATED_KEY, UNRELATED_LABEL
from optout.replica.server import Cookie, Request, Response, Site, route, safe_redirect
from optout.replica.state import Session

SETTINGS_PATH = "/settings/grok_settings"
LOGIN_PATH = "/i/flow/login"
LOGIN_API = "/i/api/1.1/onboarding/task.json"
ACCOUNT_API = "/i/api/1.1/account/settings.json"
MUTATION_ID = "xQ3mWd9yJ1rPzK0vT7c2fA"
MUTATION_API = f"/i/api/graphql/{MUTATION_ID}/XaiDataSharingSettingsMutation"
DELETE_HISTORY_API = "/i/api/1.1/grok/history/delete.json"

TRAINING_LABELS = {
    "current": "Allow your public data as well as your interactions, inputs, and results with Grok and xAI to be "
    "used for training and fine-tuning.",
    "old": "Allow your posts as well as your interactions, inputs, and results with Grok to be used for training "
    "and fine-tuning.",
    "changed": "Share your data with xAI for model improvement",
}
PERSONALIZATION_LABEL = "Allow X to personalize your experience with Grok"
MEMORY_LABEL = "Allow Grok to remember your conversation history"
# language="de": the replica's own German wording (no source gives X's): the recipe finds the
# training checkbox by its name attribute instead, and the other two honestly not at all.
GERMAN_LABELS = {
    "training": "Erlaube, dass deine öffentlichen Daten sowie deine Interaktionen, Eingaben und Ergebnisse mit Grok "
    "und xAI für Training und Feinabstimmung verwendet werden.",
    "personalization": "Erlaube X, dein Erlebnis mit Grok zu personalisieren",
    "memory": "Erlaube Grok, sich an deinen Unterhaltungsverlauf zu erinnern",
}
DUPLICATE_KEY = "third-party-training"  # not a recipe setting: hidden from Replica.state()
DUPLICATE_LABEL = (
    "Allow your data to be shared with our third-party collaborators to be used for training and fine-tuning."
)
# only_other_switch: the page shows X's "Protect your posts" (Audience and tagging) instead; the
# replica's own field name.
OTHER_KEY = "protect-posts"
OTHER_ROW = {"label": "Protect your posts", "name": "protected", "field": "protected", "endpoint": ACCOUNT_API}

# API field name <-> setting id
FIELDS = {
    "allow_xai_data_sharing": "grok-training",
    "allow_xai_personalization": "grok-personalization",
    "allow_grok_memory": "grok-memory",
    "allow_third_party_collaborator_sharing": DUPLICATE_KEY,
    "allow_recruiters_private_profile": UNRELATED_KEY,  # click_thief, collateral_save
    "protected": OTHER_KEY,
}

CSS = kit_file(__package__, "style.css")

NAV = (
    '<nav class="nav" aria-label="Primary"><a class="logo" href="/home" aria-label="X">X</a>'
    '<a href="/home">Home</a><a href="#">Explore</a><a href="#">Notifications</a>'
    '<a href="/settings/privacy_and_safety">Settings</a></nav>'
)

LOGIN_JS = JS_PRELUDE + kit_file(__package__, "login.js")

SETTINGS_JS = JS_PRELUDE + kit_file(__package__, "settings.js")


class X(Site):
    name = "x"
    private_keys = frozenset({DUPLICATE_KEY, OTHER_KEY, UNRELATED_KEY})

    def defaults(self) -> dict[str, Any]:
        return {
            "grok-training": True,
            "grok-personalization": True,
            "grok-memory": True,
            DUPLICATE_KEY: True,
            OTHER_KEY: False,
            UNRELATED_KEY: False,
        }

    def cookies(self, session: Session) -> list[Cookie]:
        return [Cookie("auth_token", session.token), Cookie("ct0", session.csrf, http_only=False)]

    def session_of(self, request: Request) -> Session | None:
        return self.store.session(request.cookies.get("auth_token"))

    def login_redirect(self, request: Request) -> Response:
        return Response.redirect(f"{LOGIN_PATH}?redirect_after_login={quote(request.target, safe='')}")

    def checkpoint_redirect(self, request: Request) -> Response:
        return Response.redirect("/account/access")

    # sign-in -----------------------------------------------------------------------------------
    @route("GET", r"/")
    def root(self, request: Request) -> Response:
        return Response.redirect("/home" if self.session_of(request) else LOGIN_PATH)

    @route("GET", r"/login")
    def old_login(self, request: Request) -> Response:
        return Response.redirect(LOGIN_PATH + ("?" + request.target.split("?", 1)[1] if request.query else ""))

    @route("GET", LOGIN_PATH)
    def login_page(self, request: Request) -> Response:
        redirect = request.query.get("redirect_after_login", "")
        if self.session_of(request):
            return Response.redirect(safe_redirect(redirect, "/home"))
        script = LOGIN_JS + auto_login_script(
            self.options.auto_login,
            TEST_USER,
            TEST_PASSWORD,
            "input[name=text]",
            "input[name=password]",
            "#login-form button[type=submit]",
        )
        body = '<div id="react-root"></div>'
        return Response.html(page("Log in to X / X", body, CSS, script, {"api": LOGIN_API, "redirect": redirect}))

    @route("POST", LOGIN_API)
    def login_api(self, request: Request) -> Response:
        user = password = ""
        for step in request.json().get("subtask_inputs") or []:
            if isinstance(step, dict):
                user = str((step.get("enter_text") or {}).get("text", user))
                password = str((step.get("enter_password") or {}).get("password", password))
        email = self.store.check_password(user, password)
        if email is None:
            return Response.json({"errors": [{"code": 399, "message": "Wrong password!"}]}, 400)
        response = Response.json(
            {
                "flow_token": secrets.token_hex(8),
                "status": "success",
                "subtasks": [{"subtask_id": "LoginSuccessSubtask"}],
            }
        )
        return response.set_cookies(self.cookies(self.store.new_session(email)))

    @route("GET", r"/home")
    def home(self, request: Request) -> Response:
        if not self.session_of(request):
            return self.login_redirect(request)
        body = (
            f'<div class="shell">{NAV}<main class="col"><div class="header"><h2>Home</h2></div>'
            f'<p class="intro"><a href="{SETTINGS_PATH}">Grok &amp; Third-party Collaborators</a></p></main></div>'
        )
        return Response.html(page("Home / X", body, CSS))

    @route("GET", r"/settings/privacy_and_safety")
    def privacy_and_safety(self, request: Request) -> Response:
        """The menu path people follow: Privacy and safety -> Data sharing and personalization."""
        return self._menu(
            request,
            "Privacy and safety",
            "/settings/data_sharing_and_personalization",
            "Data sharing and personalization",
        )

    @route("GET", r"/settings/data_sharing_and_personalization")
    def data_sharing(self, request: Request) -> Response:
        return self._menu(
            request, "Data sharing and personalization", SETTINGS_PATH, "Grok & Third-party Collaborators"
        )

    def _menu(self, request: Request, title: str, href: str, link: str) -> Response:
        if not self.session_of(request):
            return self.login_redirect(request)
        body = (
            f'<div class="shell">{NAV}<main class="col"><div class="header"><h2>{escape(title)}</h2></div>'
            f'<p class="intro"><a href="{href}">{escape(link)}</a></p></main></div>'
        )
        return Response.html(page(f"{title} / X", body, CSS))

    @route("GET", r"/account/access")
    def access(self, request: Request) -> Response:
        body = (
            '<main class="flow"><div class="modal"><div class="logo" aria-hidden="true">X</div>'
            "<h1>Your account has been locked.</h1>"
            "<p>We've detected some unusual activity. To unlock your account, please verify your identity.</p>"
            '<button class="btn" type="button">Start</button></div></main>'
        )
        return Response.html(page("Account access / X", body, CSS))

    # the settings ------------------------------------------------------------------------------
    @route("GET", SETTINGS_PATH)
    def settings_page(self, request: Request) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        german = self.options.language == "de"
        training = {
            "label": GERMAN_LABELS["training"] if german else TRAINING_LABELS[self.options.label_variant],
            "name": "allowXaiDataSharingCustomization",
            "field": "allow_xai_data_sharing",
            "endpoint": MUTATION_API,
            "variable": "allowXaiDataSharing",
        }
        sections: list[dict[str, Any]] = [
            {
                "title": "Data Sharing",
                "rows": [training],
                "desc": "Your public data and your interactions with Grok may be shared with xAI. Learn more",
            },
            {
                "title": "Grok Personalization",
                "desc": "Choose how Grok uses what it knows about you.",
                "rows": [
                    {
                        "label": GERMAN_LABELS["personalization"] if german else PERSONALIZATION_LABEL,
                        "name": "allowXaiPersonalizationCustomization",
                        "field": "allow_xai_personalization",
                        "endpoint": ACCOUNT_API,
                    },
                    {
                        "label": GERMAN_LABELS["memory"] if german else MEMORY_LABEL,
                        "name": "allowGrokMemoryCustomization",
                        "field": "allow_grok_memory",
                        "endpoint": ACCOUNT_API,
                    },
                ],
            },
        ]
        if self.options.duplicate_control:
            sections.append(
                {
                    "title": "Third-party Collaborators",
                    "desc": "",
                    "rows": [
                        {
                            "label": DUPLICATE_LABEL,
                            "name": "allowThirdPartyCollaboratorSharing",
                            "field": "allow_third_party_collaborator_sharing",
                            "endpoint": ACCOUNT_API,
                        }
                    ],
                }
            )
        if self.options.click_thief or self.options.collateral_save:
            other = {"label": UNRELATED_LABEL, "name": "allowRecruiters", "field": "allow_recruiters_private_profile"}
            sections.append({"title": "Job seeking", "desc": "", "rows": [{**other, "endpoint": ACCOUNT_API}]})
        if self.options.only_other_switch:
            sections = [{"title": "Audience and tagging", "desc": "", "rows": [OTHER_ROW]}]
        if self.options.no_stable_attributes:
            sections = [{**s, "rows": [{**r, "name": ""} for r in s["rows"]]} for s in sections]
        config = {
            "api": ACCOUNT_API,
            "thief": self.options.click_thief,
            "deleteApi": DELETE_HISTORY_API,
            "queryId": MUTATION_ID,
            "renderDelayMs": round(self.options.render_delay * 1000),
            "minor": self.options.minor,
            "login": f"{LOGIN_PATH}?redirect_after_login={quote(SETTINGS_PATH, safe='')}",
            "sections": [{**s, "rows": []} for s in sections] if self.options.missing_control else sections,
        }
        body = (
            f'<div class="shell">{NAV}<main class="col"><div class="header">'
            '<a class="back" href="/settings/privacy_and_safety" aria-label="Back">&larr;</a>'
            "<h2>Grok &amp; Third-party Collaborators</h2></div>"
            '<div id="settings-root" aria-busy="true"><p class="loading intro">Loading</p></div></main></div>'
            '<div id="toast" class="toast" role="alert" aria-live="assertive"></div>'
        )
        html = page("Grok & Third-party Collaborators / X", body, CSS, SETTINGS_JS, config, lang=self.options.language)
        return self.rotated(session, Response.html(html))

    @route("GET", ACCOUNT_API)
    def account_get(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return Response.json({"errors": [{"code": 32, "message": "Could not authenticate you."}]}, 401)
        settings = self.served_settings(session.email)
        return Response.json(
            {
                "screen_name": session.email.split("@")[0],
                "user_preferences": {api: settings[key] for api, key in FIELDS.items()},
            }
        )

    def _write(self, request: Request, changes: dict[str, Any]) -> Response:
        """The checks every X write shares: session, CSRF, minor, payload; then delay and keep."""
        session = self.session_of(request)
        if session is None:
            return Response.json({"errors": [{"code": 32, "message": "Could not authenticate you."}]}, 401)
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), session.csrf):
            return Response.json(
                {"errors": [{"code": 353, "message": "This request requires a matching csrf cookie and header."}]}, 403
            )
        if self.options.minor:
            return Response.json({"errors": [{"code": 403, "message": "This setting is not available."}]}, 403)
        if not changes or any(f not in FIELDS or not isinstance(v, bool) for f, v in changes.items()):
            return Response.json({"errors": [{"code": 214, "message": "Bad request."}]}, 400)
        self.save_delay()
        if self.options.keep_changes:
            for api_field, value in changes.items():
                self.store.set(session.email, FIELDS[api_field], value)
            if self.options.collateral_save and any(FIELDS[f] not in self.private_keys for f in changes):
                self.store.set(session.email, UNRELATED_KEY, True)
        return Response.json({api_field: value for api_field, value in changes.items()})

    @route("POST", ACCOUNT_API)
    def account_save(self, request: Request) -> Response:
        self.store.count_write()
        changes = (
            request.json()
            if request.headers.get("content-type", "").startswith("application/json")
            else {k: {"true": True, "false": False}.get(v, v) for k, v in request.form().items()}
        )
        if "allow_xai_data_sharing" in changes:  # only the mutation changes the training setting
            changes = {}
        return self._write(request, changes)

    @route("POST", r"/i/api/graphql/[A-Za-z0-9_-]+/XaiDataSharingSettingsMutation")
    def mutation(self, request: Request) -> Response:
        self.store.count_write()
        variables = request.json().get("variables")
        value = variables.get("allowXaiDataSharing") if isinstance(variables, dict) else None
        response = self._write(request, {"allow_xai_data_sharing": value})
        if response.status == 200:
            return Response.json({"data": {"xai_data_sharing_settings_update": {"allow_xai_data_sharing": value}}})
        return response

    @route("POST", DELETE_HISTORY_API)
    def delete_history(self, request: Request) -> Response:
        """Counted as a write so a test can prove the engine never presses this button."""
        self.store.count_write()
        session = self.session_of(request)
        if session is None:
            return Response.json({"errors": [{"code": 32, "message": "Could not authenticate you."}]}, 401)
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), session.csrf):
            return Response.json({"errors": [{"code": 353, "message": "CSRF mismatch."}]}, 403)
        return Response.json({"deleted": True})


SITE = X
