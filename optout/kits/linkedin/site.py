"""Replica of LinkedIn's sign-in, authwall and "Data for Generative AI Improvement" pages.

What it reproduces because the engine must cope with it on the real site:
- logged-out visitors are bounced to /authwall (with `sessionRedirect`), sign-in is a classic
  form POST to /checkpoint/lg/login-submit that sets `li_at` (httpOnly) and `JSESSIONID`;
- the settings page is a single-page-app shell: the switch appears only after an API call and
  a render delay, with a generated `adToggle_emberNNN` id that changes on every load;
- the artdeco toggle's `<input role="switch">` is covered by its `<label>` (the visual track), so
  a click on the input is intercepted and only a click on the label toggles it;
- `checked` flips at once but `aria-checked` and the On/Off text follow only the save response;
- each switch is `<input type="checkbox" role="switch" aria-labelledby="KEY">`, the AI one's KEY
  `allowDataForGenerativeAI` (C1, facts-2026-12 §1.1); the labelling element is the toggle's
  hidden label text (INF: the facts give the attribute, not what it points at);
- pages declare their UI language in `<html lang>` (INF: as sites do).
The other settings page (`redirect_to_other_setting`, `only_other_switch`) is PSST's
`policy-and-academic-research`, switch `allowAnonymizedDataResearch` (C1); its wording is the
replica's own.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Any
from urllib.parse import quote

from optout.replica.assets import JS_PRELUDE, auto_login_script, kit_file, page
from optout.replica.options import TEST_NAME, TEST_PASSWORD, TEST_USER
from optout.replica.server import Cookie, Request, Response, Site, route, safe_redirect
from optout.replica.state import Session

SETTINGS_PATH = "/mypreferences/d/settings/data-for-ai-improvement"
API_PATH = "/mypreferences/api/data-for-ai-improvement"
LOGIN_SUBMIT = "/checkpoint/lg/login-submit"

QUESTION = (
    "Can LinkedIn use your personal data and content you create on LinkedIn to train generative AI "
    "models that create content?"
)
LABELS = {
    "current": "Use my data for training content creation AI models",
    "old": "Use my data for training content creation AI models",
    "changed": "Allow LinkedIn to improve AI with my content",
}
# language="de": the page as a member whose UI is German sees it (the replica's own translation: no
# source gives LinkedIn's German wording, which is why the recipe identifies the switch without it).
GERMAN = {
    "question": "Darf LinkedIn Ihre personenbezogenen Daten und Inhalte, die Sie auf LinkedIn erstellen, zum "
    "Trainieren generativer KI-Modelle verwenden, die Inhalte erstellen?",
    "label": "Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten verwenden",
    "duplicate": "Meine Daten für das Training von KI-Modellen in Sales Navigator verwenden",
}
AI_LABEL_ID = "allowDataForGenerativeAI"  # the switch's aria-labelledby (C1)
DUPLICATE_KEY = "sales-navigator-training"  # not a recipe setting: hidden from Replica.state()
DUPLICATE_QUESTION = (
    "Can LinkedIn use the data you create in Sales Navigator to train generative AI models that create content?"
)
DUPLICATE_LABEL = "Use my data for training content creation AI models in Sales Navigator"
EXTRA_KEY = "ads-ai-models"  # extra_ai_switch: a setting LinkedIn added that no recipe knows yet
EXTRA_LABEL = "Use my data to improve AI models for ads"
EXTRA_QUESTION = "Can LinkedIn use your data to improve the AI models that choose the ads you see?"
# Another settings page and its one switch (see the module docstring), never a recipe setting.
OTHER_PATH = "/mypreferences/d/settings/policy-and-academic-research"
OTHER_KEY = "policy-and-academic-research"
OTHER = {
    "key": OTHER_KEY,
    "labelId": "allowAnonymizedDataResearch",
    "title": "Social, economic and workplace research",
    "question": "Can LinkedIn use your data for social, economic and workplace research?",
    "label": "Use my data for social, economic and workplace research",
    "label_de": "Meine Daten für Forschung zu Gesellschaft, Wirtschaft und Arbeitswelt verwenden",
    "help": "Researchers see data that cannot identify you.",
}

CSS = kit_file(__package__, "style.css")

# The echo_storage variant: a debug panel showing what the page keeps in storage, JWTs picked out
# of JSON values, and an API token the page makes and keeps in session storage (a bearer token).
ECHO_STORAGE = """<aside id="storage-echo" aria-label="Stored state"></aside><script>(() => {
if (!sessionStorage.getItem('voyager-api')) {
  sessionStorage.setItem('voyager-api', 'Bearer ' + crypto.randomUUID().replaceAll('-', '') + 'Ak7');
}
const shown = [];
for (const store of [localStorage, sessionStorage]) {
  for (let i = 0; i < store.length; i++) {
    const value = store.getItem(store.key(i));
    shown.push(value, ...(value.match(/eyJ[\\w-]+\\.eyJ[\\w-]+\\.[\\w-]*/g) || []));
  }
}
const panel = document.getElementById('storage-echo');
for (const value of shown) {
  const link = document.createElement('a');
  link.textContent = value;
  link.href = '/debug?t=' + encodeURIComponent(value);
  link.dataset.state = btoa(JSON.stringify({v: value}));
  panel.append(link);
}
})();</script>"""

NAV = (
    '<header class="global-nav"><a class="global-nav__logo" href="/feed/" aria-label="LinkedIn">in</a>'
    '<span class="global-nav__title">{title}</span></header>'
)

SETTINGS_JS = JS_PRELUDE + kit_file(__package__, "settings.js")


class LinkedIn(Site):
    name = "linkedin"
    private_keys = frozenset({DUPLICATE_KEY, EXTRA_KEY, OTHER_KEY})

    def defaults(self) -> dict[str, Any]:
        return {"ai-training": True, DUPLICATE_KEY: True, EXTRA_KEY: True, OTHER_KEY: True}

    def new_csrf(self) -> str:
        return "ajax:" + "".join(secrets.choice("0123456789") for _ in range(19))

    def cookies(self, session: Session) -> list[Cookie]:
        return [Cookie("li_at", session.token), Cookie("JSESSIONID", session.csrf, http_only=False)]

    def session_of(self, request: Request) -> Session | None:
        return self.store.session(request.cookies.get("li_at"))

    # sign-in ----------------------------------------------------------------------------------
    @route("GET", r"/")
    def home(self, request: Request) -> Response:
        return Response.redirect("/feed/" if self.session_of(request) else "/login")

    @route("GET", r"/login")
    def login_page(self, request: Request, error: str = "", status: int = 200) -> Response:
        redirect = request.query.get("session_redirect", "")
        if self.session_of(request) and not error:
            return Response.redirect(safe_redirect(redirect, "/feed/"))
        alert = f'<div class="alert" role="alert" id="error-for-password">{escape(error)}</div>' if error else ""
        body = (
            '<main class="login"><div class="brand">Linked<span>in</span></div><div class="card">'
            '<h1>Sign in</h1><p class="sub">Stay updated on your professional world</p>'
            + alert
            + f'<form class="login__form" method="post" action="{LOGIN_SUBMIT}" novalidate>'
            f'<input type="hidden" name="session_redirect" value="{escape(redirect)}">'
            '<div class="field"><label for="username">Email or phone</label>'
            '<input id="username" name="session_key" type="text" autocomplete="username" autofocus></div>'
            '<div class="field"><label for="password">Password</label>'
            '<input id="password" name="session_password" type="password" autocomplete="current-password"></div>'
            '<button class="btn-primary" type="submit" data-litms-control-urn="login-submit">Sign in</button>'
            "</form></div></main>"
        )
        script = auto_login_script(
            self.options.auto_login,
            TEST_USER,
            TEST_PASSWORD,
            "#username",
            "#password",
            "form.login__form button[type=submit]",
        )
        return Response.html(page("LinkedIn Login, Sign in | LinkedIn", body, CSS, script), status)

    @route("POST", LOGIN_SUBMIT)
    def login_submit(self, request: Request) -> Response:
        form = request.form()
        email = self.store.check_password(form.get("session_key", ""), form.get("session_password", ""))
        if email is None:
            request.query = {"session_redirect": form.get("session_redirect", "")}
            return self.login_page(request, "Wrong email or password. Try again or create an account.")
        response = Response.redirect(safe_redirect(form.get("session_redirect"), "/feed/"), 303)
        return response.set_cookies(self.cookies(self.store.new_session(email)))

    def login_redirect(self, request: Request) -> Response:
        trk = secrets.token_hex(8)
        return Response.redirect(f"/authwall?trk=bf&trkInfo={trk}&sessionRedirect={quote(request.target, safe='')}")

    @route("GET", r"/authwall")
    def authwall(self, request: Request) -> Response:
        target = safe_redirect(request.query.get("sessionRedirect"), "/feed/")
        body = (
            NAV.format(title="") + '<main class="login"><div class="card" style="margin-top:48px">'
            '<h1>Join LinkedIn</h1><p class="sub">Make the most of your professional life</p>'
            '<a class="btn-primary" href="#">Join now</a>'
            f'<a class="btn-secondary" href="/login?session_redirect={quote(target, safe="")}&amp;fromSignIn=true'
            '&amp;trk=authwall">Sign in</a></div></main>'
        )
        return Response.html(page("Sign Up | LinkedIn", body, CSS))

    @route("GET", r"/feed/")
    def feed(self, request: Request) -> Response:
        if not self.session_of(request):
            return self.login_redirect(request)
        body = (
            NAV.format(title="Home") + '<main class="feed"><div class="card"><h1>Home</h1>'
            f'<p>Welcome back. <a href="{SETTINGS_PATH}">Data for Generative AI Improvement</a></p></div></main>'
        )
        return Response.html(page("Feed | LinkedIn", body, CSS))

    def checkpoint_redirect(self, request: Request) -> Response:
        return Response.redirect(f"/checkpoint/challenge/{secrets.token_urlsafe(18)}?ut={secrets.token_hex(6)}")

    @route("GET", r"/checkpoint/challenge/[A-Za-z0-9_-]+")
    def challenge(self, request: Request) -> Response:
        body = (
            NAV.format(title="") + '<main class="login"><div class="card" style="margin-top:48px">'
            "<h1>Let's do a quick security check</h1>"
            '<p class="sub">We want to make sure it\'s really you. Please complete this check to continue.</p>'
            '<button class="btn-primary" type="button">Start puzzle</button></div></main>'
        )
        return Response.html(page("Security Verification | LinkedIn", body, CSS))

    # the setting -------------------------------------------------------------------------------
    @route("GET", SETTINGS_PATH)
    def settings_page(self, request: Request) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        if self.options.redirect_to_other_setting:
            return Response.redirect(OTHER_PATH)
        german = self.options.language == "de"
        settings = [
            {
                "key": "ai-training",
                "labelId": AI_LABEL_ID,
                "question": GERMAN["question"] if german else QUESTION,
                "label": GERMAN["label"] if german else LABELS[self.options.label_variant],
                "help": "Generative AI models can create content such as text and images. Turning this off "
                "stops future use; it does not affect training that has already taken place.",
            }
        ]
        if self.options.duplicate_control:
            settings.append(
                {
                    "key": DUPLICATE_KEY,
                    "labelId": "allowSalesNavigatorDataForGenerativeAI",  # the replica's own
                    "heading": "Sales Navigator",
                    "question": DUPLICATE_QUESTION,
                    "label": GERMAN["duplicate"] if german else DUPLICATE_LABEL,
                    "help": "Applies to content you create with Sales Navigator tools.",
                }
            )
        if self.options.extra_ai_switch:
            settings.append(
                {
                    "key": EXTRA_KEY,
                    "labelId": "allowDataForAdsAIModels",  # the replica's own
                    "heading": "Ads",
                    "question": EXTRA_QUESTION,
                    "label": EXTRA_LABEL,
                    "help": "",
                }
            )
        if self.options.only_other_switch:
            settings = [self._other(session)]
        title = "Data for Generative AI Improvement"
        return self._settings(session, SETTINGS_PATH, title, [] if self.options.missing_control else settings)

    @route("GET", OTHER_PATH)
    def other_page(self, request: Request) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        return self._settings(session, OTHER_PATH, OTHER["title"], [self._other(session)])

    def _other(self, session: Session) -> dict[str, str]:
        """The other page's switch; with echo_secrets its label quotes the member, as labels that
        name the account do ("… for Ada Lovelace (member@example.com)")."""
        label = OTHER["label_de" if self.options.language == "de" else "label"]
        if self.options.echo_secrets:
            label += f" ({TEST_NAME}, {session.email})"
        return {**{k: OTHER[k] for k in ("key", "labelId", "question", "help")}, "label": label}

    def _settings(self, session: Session, path: str, title: str, settings: list[dict[str, str]]) -> Response:
        """A settings page of the Data privacy section showing `settings`' switches."""
        if self.options.no_stable_attributes:
            settings = [{k: v for k, v in s.items() if k != "labelId"} for s in settings]
        config = {
            "api": API_PATH,
            "renderDelayMs": round(self.options.render_delay * 1000),
            "authwall": "/authwall?sessionRedirect=" + quote(path, safe=""),
            "settings": settings,
        }
        links = [(SETTINGS_PATH, "Data for Generative AI Improvement"), (OTHER_PATH, OTHER["title"])]
        current = ' aria-current="page"'
        nav = "".join(f'<a href="{href}"{current if href == path else ""}>{escape(text)}</a>' for href, text in links)
        body = (
            NAV.format(title="Settings")
            + (self._echo(session) if self.options.echo_secrets else "")
            + (ECHO_STORAGE if self.options.echo_storage else "")
            + '<div class="layout"><nav class="side" aria-label="Settings">'
            f'<h2>Data privacy</h2><a href="#">How LinkedIn uses your data</a>{nav}</nav>'
            f'<section class="main card"><h1>{escape(title)}</h1>'
            '<div id="settings-root" aria-busy="true"><p class="loading">Loading</p></div></section></div>'
        )
        html = page(f"{title} | Settings | LinkedIn", body, CSS, SETTINGS_JS, config, lang=self.options.language)
        return self.rotated(session, Response.html(html))

    def _echo(self, session: Session) -> str:
        """What the echo_secrets variant adds: the secrets real pages carry in their HTML."""
        token = escape(session.token)
        return (
            f'<meta name="csrf-token" content="{escape(session.csrf)}">'
            f'<script>window.__session = {{"li_at": "{token}", "member": "{escape(session.email)}"}};</script>'
            f'<button type="button" class="global-nav__me">Me: {escape(TEST_NAME)} ({escape(session.email)})</button>'
        )

    @route("GET", API_PATH)
    def api_get(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return Response.json({"status": 401, "message": "Unauthorized"}, 401)
        response = Response.json({"settings": self.served_settings(session.email)})
        if self.options.expire_session:
            self.store.revoke(session.email)
            response.headers.append(("Set-Cookie", "li_at=; Path=/; Max-Age=0"))
        return response

    @route("POST", API_PATH)
    def api_save(self, request: Request) -> Response:
        self.store.count_write()
        session = self.session_of(request)
        if session is None:
            return Response.json({"status": 401, "message": "Unauthorized"}, 401)
        if not secrets.compare_digest(request.headers.get("csrf-token", ""), session.csrf):
            return Response.json({"status": 403, "message": "CSRF check failed."}, 403)
        data = request.json()
        key, value = data.get("key"), data.get("value")
        if key not in self.defaults() or not isinstance(value, bool):
            return Response.json({"status": 400, "message": "Bad request"}, 400)
        self.save_delay()
        if self.options.keep_changes:
            self.store.set(session.email, key, value)
        return Response.json({"key": key, "value": value})


SITE = LinkedIn
