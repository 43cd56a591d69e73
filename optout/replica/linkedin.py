"""Replica of LinkedIn's sign-in, authwall and "Data for Generative AI Improvement" pages.

What it reproduces because the engine must cope with it on the real site:
- logged-out visitors are bounced to /authwall (with `sessionRedirect`), sign-in is a classic
  form POST to /checkpoint/lg/login-submit that sets `li_at` (httpOnly) and `JSESSIONID`;
- the settings page is a single-page-app shell: the switch appears only after an API call and
  a render delay, with a generated `adToggle_emberNNN` id that changes on every load;
- the artdeco toggle's `<input role="switch">` is covered by its `<label>` (the visual track), so
  a click on the input is intercepted and only a click on the label toggles it;
- `checked` flips at once but `aria-checked` and the On/Off text follow only the save response.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Any
from urllib.parse import quote

from optout.replica.assets import JS_PRELUDE, auto_login_script, page
from optout.replica.options import TEST_PASSWORD, TEST_USER
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
DUPLICATE_KEY = "sales-navigator-training"  # not a recipe setting: hidden from Replica.state()
DUPLICATE_QUESTION = (
    "Can LinkedIn use the data you create in Sales Navigator to train generative AI models that create content?"
)
DUPLICATE_LABEL = "Use my data for training content creation AI models in Sales Navigator"

CSS = """
body{background:#f4f2ee}
.global-nav{background:#fff;border-bottom:1px solid #e0dfdc;height:52px;display:flex;align-items:center;
  padding:0 24px;gap:12px}
.global-nav__logo{display:inline-flex;align-items:center;justify-content:center;width:34px;height:34px;border-radius:4px;
  background:#0a66c2;color:#fff;font-weight:700;font-size:20px;text-decoration:none}
.global-nav__title{font-weight:600;color:#666}
.brand{font-size:28px;font-weight:700;color:#0a66c2;margin:24px 0}
.brand span{background:#0a66c2;color:#fff;border-radius:3px;padding:0 3px;margin-left:2px}
.login{max-width:400px;margin:0 auto;padding:0 16px}
.card{background:#fff;border-radius:8px;box-shadow:0 0 0 1px rgba(0,0,0,.08),0 4px 12px rgba(0,0,0,.08);padding:24px}
.card h1{font-size:28px;font-weight:600;margin:0 0 4px}
.sub{color:#666;margin:0 0 20px}
.field{margin-bottom:16px}
.field label{display:block;font-weight:600;margin-bottom:4px;color:#444}
.field input{width:100%;height:48px;padding:0 12px;border:1px solid #8c8c8c;border-radius:4px}
.field input:focus{outline:2px solid #0a66c2;border-color:#0a66c2}
.btn-primary{display:inline-block;width:100%;height:52px;border:0;border-radius:26px;background:#0a66c2;color:#fff;
  font-weight:600;font-size:16px;text-align:center;line-height:52px;text-decoration:none}
.btn-primary:hover{background:#004182}
.btn-secondary{display:inline-block;width:100%;height:52px;border:1px solid #0a66c2;border-radius:26px;color:#0a66c2;
  font-weight:600;font-size:16px;text-align:center;line-height:50px;text-decoration:none;margin-top:12px}
.alert{background:#fdecea;border-radius:4px;padding:8px 12px;margin-bottom:16px;color:#b24020}
.layout{display:flex;gap:24px;max-width:1000px;margin:24px auto;padding:0 16px;align-items:flex-start}
.side{width:260px;background:#fff;border-radius:8px;padding:16px;box-shadow:0 0 0 1px rgba(0,0,0,.08)}
.side h2{font-size:16px;margin:0 0 8px}
.side a{display:block;padding:6px 0;color:#444;text-decoration:none}
.side a[aria-current]{color:#0a66c2;font-weight:600}
.main{flex:1}
.main h1{font-size:20px;margin:0 0 16px}
.setting{border-top:1px solid #e8e8e8;padding:16px 0}
.setting:first-child{border-top:0}
.setting__heading{font-size:16px;margin:0 0 8px}
.setting__question{margin:0 0 8px;font-size:15px}
.setting__help{color:#666;margin:0 0 12px}
.setting__status{min-height:20px;margin:8px 0 0;color:#057642}
.setting__status.error{color:#b24020}
.artdeco-toggle{position:relative;display:inline-flex;align-items:center;gap:8px}
.artdeco-toggle__text{font-weight:600;color:rgba(0,0,0,.6);min-width:24px;text-align:right}
.artdeco-toggle__label{position:relative;z-index:1;display:inline-block;width:48px;height:24px;border-radius:12px;
  background:#8c8c8c;cursor:pointer;transition:background .15s}
.artdeco-toggle__label::after{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;
  background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.3);transition:transform .15s}
.artdeco-toggle:has(.artdeco-toggle__button:checked) .artdeco-toggle__label{background:#057642}
.artdeco-toggle:has(.artdeco-toggle__button:checked) .artdeco-toggle__label::after{transform:translateX(24px)}
.artdeco-toggle__button{position:absolute;right:0;top:50%;width:48px;height:24px;margin:-12px 0 0 0;opacity:0;
  cursor:pointer}
.feed{max-width:600px;margin:24px auto;padding:0 16px}
"""

NAV = (
    '<header class="global-nav"><a class="global-nav__logo" href="/feed/" aria-label="LinkedIn">in</a>'
    '<span class="global-nav__title">{title}</span></header>'
)

SETTINGS_JS = (
    JS_PRELUDE
    + r"""
let ember = 200 + Math.floor(Math.random() * 800);
const root = document.getElementById('settings-root');

function toggleMarkup(id, label, on) {
  const toggled = on ? ' artdeco-toggle--toggled' : '';
  return `<div class="artdeco-toggle artdeco-toggle--24dp artdeco-toggle--default ember-view${toggled}">`
    + '<span aria-hidden="true" class="artdeco-toggle__text" data-artdeco-toggle-text="true">'
    + `${on ? 'On' : 'Off'}</span>`
    + `<label for="${id}" class="artdeco-toggle__label" data-artdeco-toggle-label="true">`
    + `<span class="label a11y-text" data-artdeco-toggle-label-hidden="true">${esc(label)}</span></label>`
    + `<input role="switch" aria-checked="${on}" type="checkbox"${on ? ' checked' : ''} `
    + `class="input artdeco-toggle__button" data-artdeco-toggle-button="true" id="${id}"></div>`;
}

function renderSetting(s, on) {
  ember += 1 + Math.floor(Math.random() * 40);
  const id = 'adToggle_ember' + ember;
  const wrap = document.createElement('div');
  wrap.className = 'setting';
  wrap.dataset.setting = s.key;
  wrap.innerHTML = (s.heading ? `<h2 class="setting__heading">${esc(s.heading)}</h2>` : '')
    + `<p class="setting__question">${esc(s.question)}</p>`
    + `<p class="setting__help">${esc(s.help)} <a href="#" class="learn-more">Learn more</a></p>`
    + `<div class="setting__control">${toggleMarkup(id, s.label, on)}</div>`
    + `<p class="setting__status" role="status" aria-live="polite"></p>`;
  const input = wrap.querySelector('input');
  const text = wrap.querySelector('.artdeco-toggle__text');
  const box = wrap.querySelector('.artdeco-toggle');
  const status = wrap.querySelector('.setting__status');
  let confirmed = on;
  let seq = 0;
  input.addEventListener('change', async () => {
    const wanted = input.checked;
    const mine = ++seq;
    status.textContent = '';
    status.classList.remove('error');
    try {
      const r = await fetch(cfg.api, {
        method: 'POST', credentials: 'same-origin',
        headers: {'content-type': 'application/json', 'csrf-token': cookie('JSESSIONID')},
        body: JSON.stringify({key: s.key, value: wanted}),
      });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      confirmed = !!(await r.json()).value;
      if (mine !== seq) return;
      input.setAttribute('aria-checked', String(confirmed));
      text.textContent = confirmed ? 'On' : 'Off';
      box.classList.toggle('artdeco-toggle--toggled', confirmed);
      status.textContent = 'Your preference has been updated.';
    } catch (e) {
      if (mine !== seq) return;
      input.checked = confirmed;
      status.classList.add('error');
      status.textContent = "Something went wrong and your preference wasn't updated. Please try again.";
    }
  });
  return wrap;
}

(async () => {
  let data;
  try {
    const r = await fetch(cfg.api, {credentials: 'same-origin', headers: {accept: 'application/json'}});
    if (r.status === 401) { location.assign(cfg.authwall); return; }
    if (!r.ok) throw new Error('HTTP ' + r.status);
    data = (await r.json()).settings;
  } catch (e) {
    root.innerHTML = '<p class="error">This page could not be loaded. Please refresh.</p>';
    return;
  }
  await sleep(cfg.renderDelayMs);
  root.textContent = '';
  for (const s of cfg.settings) root.appendChild(renderSetting(s, !!data[s.key]));
  root.removeAttribute('aria-busy');
})();
"""
)


class LinkedIn(Site):
    name = "linkedin"
    private_keys = frozenset({DUPLICATE_KEY})

    def defaults(self) -> dict[str, Any]:
        return {"ai-training": True, DUPLICATE_KEY: True}

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

    def authwall_redirect(self, request: Request) -> Response:
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
            return self.authwall_redirect(request)
        body = (
            NAV.format(title="Home") + '<main class="feed"><div class="card"><h1>Home</h1>'
            f'<p>Welcome back. <a href="{SETTINGS_PATH}">Data for Generative AI Improvement</a></p></div></main>'
        )
        return Response.html(page("Feed | LinkedIn", body, CSS))

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
        self.page_delay()
        session = self.session_of(request)
        if session is None:
            return self.authwall_redirect(request)
        if self.options.checkpoint:
            return Response.redirect(f"/checkpoint/challenge/{secrets.token_urlsafe(18)}?ut={secrets.token_hex(6)}")
        settings = [
            {
                "key": "ai-training",
                "question": QUESTION,
                "label": LABELS[self.options.label_variant],
                "help": "Generative AI models can create content such as text and images. Turning this off "
                "stops future use; it does not affect training that has already taken place.",
            }
        ]
        if self.options.duplicate_control:
            settings.append(
                {
                    "key": DUPLICATE_KEY,
                    "heading": "Sales Navigator",
                    "question": DUPLICATE_QUESTION,
                    "label": DUPLICATE_LABEL,
                    "help": "Applies to content you create with Sales Navigator tools.",
                }
            )
        config = {
            "api": API_PATH,
            "renderDelayMs": round(self.options.render_delay * 1000),
            "authwall": "/authwall?sessionRedirect=" + quote(SETTINGS_PATH, safe=""),
            "settings": settings,
        }
        body = (
            NAV.format(title="Settings") + '<div class="layout"><nav class="side" aria-label="Settings">'
            '<h2>Data privacy</h2><a href="#">How LinkedIn uses your data</a><a href="#">Who can reach you</a>'
            f'<a href="{SETTINGS_PATH}" aria-current="page">Data for Generative AI Improvement</a></nav>'
            '<section class="main card"><h1>Data for Generative AI Improvement</h1>'
            '<div id="settings-root" aria-busy="true"><p class="loading">Loading</p></div></section></div>'
        )
        html = page("Data for Generative AI Improvement | Settings | LinkedIn", body, CSS, SETTINGS_JS, config)
        return self.rotated(session, Response.html(html))

    @route("GET", API_PATH)
    def api_get(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return Response.json({"status": 401, "message": "Unauthorized"}, 401)
        return Response.json({"settings": self.store.settings(session.email)})

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
