"""Replica of Meta's login, the "AI at Meta" privacy page and the right-to-object form.

What it reproduces because the engine must cope with it on the real site:
- two cookies make a session (`c_user` = user id, `xs` = secret, httpOnly); either missing or
  not matching means logged out, and logged-out visitors go to /login/?next=...;
- the objection form is rendered by JS after a delay: a country `<select>` (ISO codes as
  values), a prefilled email, an optional reason, and a "Send" button;
- sending records an objection for the logged-in account and replaces the form with a
  confirmation ("We have received your objection request.").
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import quote

from optout.replica.assets import JS_PRELUDE, auto_login_script, kit_file, page
from optout.replica.options import TEST_PASSWORD, TEST_USER
from optout.replica.server import Cookie, Request, Response, Site, route, safe_redirect
from optout.replica.state import Session

FORM_ID = "6359191084165019"
FORM_PATH = f"/help/contact/{FORM_ID}"
GENAI_PATH = "/privacy/genai"
SUBMIT_API = "/ajax/help/contact/submit/page"
CONFIRMATION = "We have received your objection request."

# (label_variant "changed" rewords the fields so the recipe's names no longer match them)
FIELD_LABELS = {
    "country": {"current": "Country of residence", "old": "Country of residence", "changed": "Where you live"},
    "email": {"current": "Email address", "old": "Email address", "changed": "Contact address"},
}
REASON_LABEL = "Please tell us how this processing impacts you (optional)"

COUNTRIES = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
    "IS": "Iceland",
    "LI": "Liechtenstein",
    "NO": "Norway",
    "GB": "United Kingdom",
    "CH": "Switzerland",
    "BR": "Brazil",
    "JP": "Japan",
    "KR": "South Korea",
    "US": "United States",
    "CA": "Canada",
    "AU": "Australia",
    "IN": "India",
    "MX": "Mexico",
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

CSS = kit_file(__package__, "style.css")

TOPBAR = '<header class="topbar"><a href="/" aria-label="Facebook">facebook</a></header>'

FORM_JS = JS_PRELUDE + kit_file(__package__, "form.js")


class Meta(Site):
    name = "meta"

    def defaults(self) -> dict[str, Any]:
        return {"objections": []}

    def cookies(self, session: Session) -> list[Cookie]:
        return [Cookie("c_user", self.store.uid(session.email), http_only=False), Cookie("xs", session.token)]

    def session_of(self, request: Request) -> Session | None:
        session = self.store.session(request.cookies.get("xs"))
        if session is None or request.cookies.get("c_user") != self.store.uid(session.email):
            return None
        return session

    def login_redirect(self, request: Request) -> Response:
        return Response.redirect(f"/login/?next={quote(request.target, safe='')}")

    # sign-in -----------------------------------------------------------------------------------
    @route("GET", r"/")
    def home(self, request: Request) -> Response:
        if not self.session_of(request):
            return Response.redirect("/login/")
        body = (
            TOPBAR + '<main class="wrap"><div class="card"><h1>News Feed</h1>'
            f'<p><a href="{GENAI_PATH}">AI at Meta</a></p></div></main>'
        )
        return Response.html(page("Facebook", body, CSS))

    @route("GET", r"/login/?")
    def login_page(self, request: Request, error: str = "", status: int = 200) -> Response:
        target = request.query.get("next", "")
        if self.session_of(request) and not error:
            return Response.redirect(safe_redirect(target, "/"))
        alert = f'<div class="alert" role="alert">{escape(error)}</div>' if error else ""
        body = (
            '<main class="login"><div class="pitch"><h1>facebook</h1>'
            '<p>Connect with friends and the world around you on Facebook.</p></div><div class="card">'
            + alert
            + '<form id="login_form" method="post" action="/login/" novalidate>'
            f'<input type="hidden" name="next" value="{escape(target)}">'
            '<input type="text" class="inputtext" name="email" id="email" autocomplete="username" autofocus '
            'placeholder="Email address or phone number" aria-label="Email address or phone number">'
            '<input type="password" class="inputtext" name="pass" id="pass" autocomplete="current-password" '
            'placeholder="Password" aria-label="Password">'
            '<button class="btn wide" name="login" type="submit">Log in</button></form></div></main>'
        )
        script = auto_login_script(
            self.options.auto_login, TEST_USER, TEST_PASSWORD, "#email", "#pass", "#login_form button[name=login]"
        )
        return Response.html(page("Log in to Facebook", body, CSS, script), status)

    @route("POST", r"/login/?")
    def login_submit(self, request: Request) -> Response:
        form = request.form()
        email = self.store.check_password(form.get("email", ""), form.get("pass", ""))
        if email is None:
            request.query = {"next": form.get("next", "")}
            return self.login_page(request, "The password that you've entered is incorrect.")
        response = Response.redirect(safe_redirect(form.get("next"), "/"), 303)
        return response.set_cookies(self.cookies(self.store.new_session(email)))

    @route("GET", r"/checkpoint/[A-Za-z0-9_-]+/?")
    def checkpoint_page(self, request: Request) -> Response:
        body = (
            TOPBAR + '<main class="wrap"><div class="card"><h1>Help us confirm it\'s you</h1>'
            "<p>We've noticed unusual activity on your account. To keep it safe, confirm your identity.</p>"
            '<button class="btn" type="button">Continue</button></div></main>'
        )
        return Response.html(page("Security check | Facebook", body, CSS))

    def checkpoint_redirect(self, request: Request) -> Response:
        challenge = secrets.randbelow(10**15)
        return Response.redirect(f"/checkpoint/{challenge}/?next={quote(request.target, safe='')}")

    # the pages ---------------------------------------------------------------------------------
    @route("GET", GENAI_PATH)
    def genai(self, request: Request) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        body = (
            TOPBAR + '<main class="wrap"><div class="card"><h1>AI at Meta</h1>'
            "<p>We use information from our products and services to develop and improve AI at Meta.</p>"
            "<h2>Right to object</h2><p>Depending on where you live, you may have the right to object to "
            "Meta using your information for AI at Meta.</p>"
            f'<a class="btn" href="{FORM_PATH}">Right to object</a></div></main>'
        )
        return self.rotated(session, Response.html(page("AI at Meta | Privacy Center", body, CSS)))

    @route("GET", FORM_PATH)
    def form_page(self, request: Request) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        variant = self.options.label_variant
        objections = self.store.get(session.email, "objections")
        config = {
            "api": SUBMIT_API,
            "formId": FORM_ID,
            "dtsg": session.csrf,
            "email": session.email,
            "renderDelayMs": round(self.options.render_delay * 1000),
            "confirmation": CONFIRMATION,
            "autoSubmitMs": None if self.options.auto_submit is None else round(self.options.auto_submit * 1000),
            "countries": sorted(COUNTRIES.items(), key=lambda item: item[1]),
            "labels": {
                "country": FIELD_LABELS["country"][variant],
                "email": FIELD_LABELS["email"][variant],
                "reason": REASON_LABEL,
            },
            "previous": objections[-1]["at"][:10] if objections else "",
        }
        body = (
            TOPBAR + '<main class="wrap"><div class="card">'
            "<h1>Object to Your Information Being Used for AI at Meta</h1>"
            "<p>You have the right to object to Meta using the information you've shared on our Products and "
            "services to develop and improve AI at Meta. You can submit this form to exercise that right.</p>"
            '<div id="form-root" aria-busy="true"><p class="loading">Loading</p></div></div></main>'
        )
        html = page(
            "Object to Your Information Being Used for AI at Meta | Facebook Help Centre", body, CSS, FORM_JS, config
        )
        return self.rotated(session, Response.html(html))

    @route("POST", SUBMIT_API)
    def submit(self, request: Request) -> Response:
        self.store.count_write()
        session = self.session_of(request)
        if session is None:
            return Response.json({"error": "not logged in"}, 401)
        data = request.json()
        if not secrets.compare_digest(str(data.get("fb_dtsg", "")), session.csrf):
            return Response.json({"error": "invalid token"}, 403)
        country, email = str(data.get("country", "")).upper(), str(data.get("email", "")).strip()
        if country not in COUNTRIES or not EMAIL_RE.match(email):
            return Response.json({"error": "country and a valid email are required"}, 400)
        self.save_delay()
        if self.options.keep_changes:
            self.store.append(
                session.email,
                "objections",
                {
                    "email": email,
                    "country": country,
                    "reason": str(data.get("reason", "")),
                    "at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                },
            )
        return Response.json({"ok": True})


SITE = Meta
