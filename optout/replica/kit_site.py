"""A platform replica described by data: its sign-in wall, its settings pages and their controls.

Most platforms' settings pages are a handful of controls behind a login, saved by fetch. A kit
describes its pages with the dataclasses below and keeps its look in its own CSS (and, where the
platform's markup needs it, its own page template); `controls.js` renders every control kind the
engine knows, the way the facts say the real sites do:
- `switch`: a `<button role="switch" aria-checked>` (React apps), `switch-input`: an
  `<input type=checkbox role=switch>`, `checkbox`: a checkbox inside its label;
- `select` (native), `dropdown` (a button that opens a list of `menuitemradio`), `radio` (a group);
- `chip`: a button showing On/Off that opens a menu, whose item may ask for a confirmation;
(the `choice_widget` variation draws every choice as one of its family instead, an ARIA
combobox with a listbox among them; `toggle_widget` and `names` act on every page, widgets.js)
and page features: a dialog opened by a button or a hash route, a settings panel that is a dialog
over the app shown by a hash route, a Save button without which
nothing is kept, one page per resource (blog, site), text shown when the setting is not offered.
A site whose resources live on hosts of their own (`resource_in_host`: myblog.substack.com) serves
every settings page on each resource's host, and its sign-in hops over those hosts to set a
session of its own on each, as the real sites do after sign-in.

The server keeps each account's values (per resource: `setting@resource`), answers the page's
fetches with a CSRF check, and honours the shared `ReplicaOptions` variants (slow or discarded
saves, a missing, renamed or duplicated control, another UI language, a checkpoint, another
setting's element over the control, a save that switches another setting too).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal
from urllib.parse import quote

from optout.replica.assets import JS_PRELUDE, auto_login_script, kit_file, page
from optout.replica.options import TEST_PASSWORD, TEST_USER, UNRELATED_KEY, UNRELATED_LABEL
from optout.replica.server import Cookie, Request, Response, Site, route, safe_redirect
from optout.replica.state import Session

# only_other_switch: the key suffix and the label of the one control shown for another setting.
OTHER = "#other"
OTHER_LABEL = "Show my profile photo to members outside my network"

ControlKind = Literal["switch", "switch-input", "checkbox", "select", "dropdown", "radio", "chip"]
ON_OFF_KINDS = frozenset({"switch", "switch-input", "checkbox", "chip"})


@dataclass(frozen=True)
class Dialog:
    """The control sits in a dialog opened by a button (and by `hash` in the URL, if given)."""

    opener: str  # the opener button's visible text
    title: str
    opener_attrs: Mapping[str, str] = field(default_factory=dict)
    hash: str | None = None  # "#settings/DataControls": the page opens the dialog by itself


@dataclass(frozen=True)
class Chip:
    """A chip's menu: the item that switches it off, the one that switches it on, and the
    confirmation the off item asks for (None: it asks nothing)."""

    turn_off: str = "Turn off"
    turn_on: str = "Turn on"
    extra_items: tuple[str, ...] = ()  # other items of the menu, never to be clicked
    confirm: str | None = None
    confirm_text: str = ""


@dataclass(frozen=True)
class Control:
    """One control of a settings page.

    `on`/`off` values: for on/off kinds the stored value is a bool (checked or not); for choices
    it is the selected option's text. `opted_out` is the stored value that means opted out, and
    every account starts with `default` (the platforms' opted-in default)."""

    setting: str
    kind: ControlKind
    label: str  # the accessible name in English; `{resource}` is replaced per resource
    opted_out: bool | str
    default: bool | str
    help: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)  # other UI languages: "de" -> label
    changed_label: str = ""  # label_variant="changed": how a redesign might word it
    # label_variant="old": the platform's earlier wording as the facts give it, which some
    # accounts or app versions may still be served
    old_label: str = ""
    options: tuple[str, ...] = ()  # choices, in page order
    attrs: Mapping[str, str] = field(default_factory=dict)  # data-testid, name...
    chip: Chip | None = None
    section: str = ""  # heading above the control


@dataclass(frozen=True)
class SettingsPage:
    """A settings page: its path (with `{resource}` for per-resource pages) and its controls."""

    path: str
    title: str
    heading: str
    controls: tuple[Control, ...]
    intro: str = ""
    dialog: Dialog | None = None
    save_button: str | None = None  # "Save settings": changes are kept only when it is pressed
    absent_text: str = ""  # what the page says instead when the setting is not offered (absent variant)
    # "#settings/data-privacy-controls": the controls are a settings dialog over the app, drawn
    # (as a role=dialog panel with `panel_attrs`) only while the URL has this hash.
    hash: str | None = None
    panel_attrs: Mapping[str, str] = field(default_factory=dict)

    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.path).replace(re.escape("{resource}"), "(?P<resource>[A-Za-z0-9._-]+)"))


class KitSite(Site):
    """A platform replica from a kit's description. Subclasses set the class attributes."""

    brand = "Platform"
    session_cookie = "session"
    csrf_cookie = "csrf_token"
    login_path = "/login"
    next_param = "next"
    checkpoint_path = "/checkpoint"
    pages: tuple[SettingsPage, ...] = ()
    resources: tuple[str, ...] = ()  # the test user's blogs/sites, for per-resource pages
    css_file = "style.css"

    def __init__(self, options: Any) -> None:
        super().__init__(options)
        login = re.compile(re.escape(self.login_path))
        self._routes += [
            ("GET", login, self.login_page),
            ("POST", login, self.login_submit),
            ("GET", re.compile(re.escape(self.checkpoint_path)), self.checkpoint),
        ]
        # Settings pages first: a platform whose settings live at "/" (an app with an overlay) wins over home().
        self._routes[:0] = [("GET", p.pattern(), self._page_handler(p)) for p in self.pages]
        if self.resource_in_host:
            self._routes.append(("GET", re.compile(re.escape(self.login_path) + "/hop"), self.login_hop))
        # sign-in hops in progress: ticket -> (session token, resource signed in on or "", next path)
        self._tickets: dict[str, tuple[str, str, str]] = {}
        # The duplicate, other-setting and unrelated-setting variants' controls keep their own
        # values, out of Replica.state().
        self.private_keys = frozenset(
            k for k in self.defaults() if k.endswith(("#duplicate", OTHER)) or k == UNRELATED_KEY
        )

    # the store -------------------------------------------------------------------------------
    def keys(self) -> dict[str, Control]:
        """Every stored key (per resource: `setting@resource`) and its control."""
        keys: dict[str, Control] = {}
        for p in self.pages:
            for c in p.controls:
                for resource in self.resources if self.per_resource(p) else (None,):
                    keys[c.setting if resource is None else f"{c.setting}@{resource}"] = c
        return keys

    def defaults(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: c.default for key, c in self.keys().items()}
        values.update({f"{key}#duplicate": c.default for key, c in self.keys().items()})
        values[UNRELATED_KEY] = False  # the unrelated setting of the click_thief and collateral_save variants
        values.update({f"{key}{OTHER}": c.default for key, c in self.keys().items()})
        return values

    def opted_out(self, key: str, value: Any) -> bool:
        return value == self.keys()[key].opted_out

    def opted_out_value(self, key: str) -> Any:
        return self.keys()[key].opted_out

    # sessions ----------------------------------------------------------------------------------
    def cookies(self, session: Session) -> list[Cookie]:
        return [Cookie(self.session_cookie, session.token), Cookie(self.csrf_cookie, session.csrf, http_only=False)]

    def session_of(self, request: Request) -> Session | None:
        return self.store.session(request.cookies.get(self.session_cookie))

    def cookie_hosts(self, host: str) -> list[str]:
        return [host, *(f"{r}.{host}" for r in self.resources)] if self.resource_in_host else [host]

    # resources on hosts of their own -------------------------------------------------------------
    def per_resource(self, settings_page: SettingsPage) -> bool:
        return self.resource_in_host or "{resource}" in settings_page.path

    @staticmethod
    def host_resource(request: Request) -> str | None:
        """The resource a request's host names (`myblog` of myblog.localhost:PORT), None on the
        site's own host (`localhost`: one label)."""
        label, dot, _ = request.headers.get("host", "").partition(":")[0].lower().partition(".")
        return label if dot else None

    def _own_host(self, request: Request) -> str:
        """The site's own host and port (`localhost:PORT`), from any of its hosts."""
        host = request.headers.get("host", "")
        return host.partition(".")[2] if self.host_resource(request) else host

    def unknown_host(self, request: Request) -> bool:
        """A page of a site with resources on their own hosts asked for on a host that is none of them."""
        return self.resource_in_host and self.host_resource(request) not in self.resources

    def _after_sign_in(self, request: Request, session: Session, target: str) -> str:
        """Where the sign-in sends the browser: the target, or first over every resource's host,
        each setting its own cookie (Chromium refuses a cookie for all of `localhost`)."""
        if not self.resource_in_host or not self.resources:
            return target
        ticket = secrets.token_urlsafe(16)
        self._tickets[ticket] = (session.token, self.host_resource(request) or "", target)
        return self._hop_url(request, self.resources[0], ticket)

    def _hop_url(self, request: Request, resource: str, ticket: str) -> str:
        return f"http://{resource}.{self._own_host(request)}{self.login_path}/hop?ticket={ticket}"

    def login_hop(self, request: Request) -> Response:
        """One hop of the sign-in over the resources' hosts: this host's cookies, then the next host,
        and after the last one the page the sign-in was for, on the host it started from."""
        ticket = request.query.get("ticket", "")
        token, home, target = self._tickets.get(ticket, ("", "", ""))
        session = self.store.session(token)
        resource = self.host_resource(request)
        if session is None or resource not in self.resources:
            return Response.redirect(self.login_path)
        later = self.resources[self.resources.index(resource) + 1 :]
        if later:
            location = self._hop_url(request, later[0], ticket)
        else:
            self._tickets.pop(ticket, None)
            location = f"http://{home + '.' if home else ''}{self._own_host(request)}{target}"
        # Each host its own session: the real site's one cookie on its parent domain (.substack.com)
        # is rotated for every host at once, which per-host cookies (Chromium refuses one for all of
        # `localhost`) can only match if a rotation on one host leaves the others' sessions alive.
        return Response.redirect(location).set_cookies(self.cookies(self.store.new_session(session.email)))

    def login_redirect(self, request: Request) -> Response:
        return Response.redirect(f"{self.login_path}?{self.next_param}={quote(request.target, safe='')}")

    def checkpoint_redirect(self, request: Request) -> Response:
        return Response.redirect(self.checkpoint_path)

    def css(self) -> str:
        """The shared look of kit pages, then the kit's own (brand colours, its platform's quirks)."""
        return kit_file("optout.replica", "kit.css") + kit_file(type(self).__module__.rpartition(".")[0], self.css_file)

    @route("GET", r"/")
    def home(self, request: Request) -> Response:
        if not self.session_of(request):
            return self.login_redirect(request)
        links = "".join(f'<li><a href="{escape(p.path)}">{escape(p.title)}</a></li>' for p in self.pages)
        body = f'<main class="kit-main"><h1>{escape(self.brand)}</h1><ul>{links}</ul></main>'
        return Response.html(page(self.brand, body, self.css()))

    def login_page(self, request: Request, error: str = "") -> Response:
        target = request.query.get(self.next_param, "")
        if self.session_of(request) and not error:
            return Response.redirect(safe_redirect(target, "/"))
        alert = f'<p class="kit-alert" role="alert">{escape(error)}</p>' if error else ""
        body = (
            f'<main class="kit-login"><h1>Log in to {escape(self.brand)}</h1>{alert}'
            f'<form class="kit-login__form" method="post" action="{escape(self.login_path)}">'
            f'<input type="hidden" name="next" value="{escape(target)}">'
            '<label>Email address<input id="kit-email" name="email" type="email" autocomplete="username"></label>'
            '<label>Password<input id="kit-password" name="password" type="password" '
            'autocomplete="current-password"></label>'
            '<button type="submit">Continue</button></form></main>'
        )
        script = auto_login_script(
            self.options.auto_login, TEST_USER, TEST_PASSWORD, "#kit-email", "#kit-password", ".kit-login__form button"
        )
        return Response.html(page(f"Log in | {self.brand}", body, self.css(), script), 401 if error else 200)

    def login_submit(self, request: Request) -> Response:
        form = request.form()
        email = self.store.check_password(form.get("email", ""), form.get("password", ""))
        if email is None:
            request.query = {self.next_param: form.get("next", "")}
            return self.login_page(request, "Incorrect email address or password.")
        session = self.store.new_session(email)
        response = Response.redirect(self._after_sign_in(request, session, safe_redirect(form.get("next"), "/")), 303)
        return response.set_cookies(self.cookies(session))

    def checkpoint(self, request: Request) -> Response:
        body = '<main class="kit-login"><h1>Verify it\'s you</h1><p>Complete a security check to continue.</p></main>'
        return Response.html(page(f"Security check | {self.brand}", body, self.css()))

    # the settings pages --------------------------------------------------------------------------
    def _page_handler(self, settings_page: SettingsPage) -> Any:
        def handler(request: Request) -> Response:
            return self.settings_page(request, settings_page)

        return handler

    def _label(self, control: Control, resource: str | None) -> str:
        o = self.options
        label = control.labels.get(o.language, control.label) if o.language != "en" else control.label
        if o.label_variant == "changed" and control.changed_label:
            label = control.changed_label
        if o.label_variant == "old" and control.old_label:
            label = control.old_label
        return label.replace("{resource}", resource or "")

    def settings_page(self, request: Request, settings_page: SettingsPage) -> Response:
        session = self.gate(request)
        if isinstance(session, Response):
            return session
        if self.resource_in_host:
            resource = self.host_resource(request)
        elif request.match and "{resource}" in settings_page.path:
            resource = request.match.group("resource")
        else:
            resource = None
        if self.per_resource(settings_page) and resource not in self.resources:
            return Response.not_found()
        controls = []
        for c in settings_page.controls:
            key = c.setting if resource is None else f"{c.setting}@{resource}"
            item: dict[str, Any] = {
                "key": key,
                "kind": c.kind,
                "label": self._label(c, resource),
                "help": c.help,
                "options": list(c.options),
                "attrs": {} if self.options.no_stable_attributes else dict(c.attrs),
                "section": c.section,
                "chip": None,
            }
            if c.chip:
                item["chip"] = {
                    "turnOff": c.chip.turn_off,
                    "turnOn": c.chip.turn_on,
                    "extra": list(c.chip.extra_items),
                    "confirm": c.chip.confirm,
                    "confirmText": c.chip.confirm_text,
                }
            controls.append(item)
        if self.options.only_other_switch:  # the first control's kind, for another setting
            controls = [{**controls[0], "key": controls[0]["key"] + OTHER, "label": OTHER_LABEL, "attrs": {}}]
            controls[0].update(help="", section="Profile")
        dialog = settings_page.dialog
        config = {
            "api": "/api/settings",
            "csrfCookie": self.csrf_cookie,
            "login": f"{self.login_path}?{self.next_param}={quote(request.path, safe='')}",
            "renderDelayMs": round(self.options.render_delay * 1000),
            "controls": controls,
            "missing": self.options.missing_control,
            "duplicate": self.options.duplicate_control,
            "absent": self.options.absent_control,
            "extraAiSwitch": self.options.extra_ai_switch,
            "thief": self.options.click_thief,
            "subSwitches": self.options.sub_switches,
            "other": {"key": UNRELATED_KEY, "label": UNRELATED_LABEL}
            if self.options.click_thief or self.options.collateral_save
            else None,
            "cache": self.options.cache_state and self.options.cache_in,
            "undoSave": self.options.undo_save,
            "widget": self.options.choice_widget,
            "absentText": settings_page.absent_text,
            "saveButton": settings_page.save_button,
            "intro": settings_page.intro,
            "panel": None
            if settings_page.hash is None
            else {"hash": settings_page.hash, "title": settings_page.heading, "attrs": dict(settings_page.panel_attrs)},
            "dialog": None
            if dialog is None
            else {
                "opener": dialog.opener,
                "title": dialog.title,
                "attrs": dict(dialog.opener_attrs),
                "hash": dialog.hash,
            },
        }
        frame, own = self._frame(request)
        body = (
            f'<header class="kit-header"><a href="/" class="kit-brand">{escape(self.brand)}</a></header>'
            f'<main class="kit-main"><h1>{escape(settings_page.heading)}</h1>'
            + ('<div id="settings-root" aria-busy="true"><p class="loading">Loading</p></div>' if own else "")
            + frame
            + '</main><div id="kit-toast" role="status" aria-live="polite"></div>'
        )
        script = JS_PRELUDE + kit_file("optout.replica", "controls.js") if own else ""
        html = page(f"{settings_page.title} | {self.brand}", body, self.css(), script, config, self.options.language)
        return self.rotated(session, Response.html(html))

    def _frame(self, request: Request) -> tuple[str, bool]:
        """The iframe a settings page shows (the framed and foreign_frame variants), and whether
        the page draws its controls itself too. The framed page's own document is the page again,
        asked for with `embedded=1`, drawing its controls as usual."""
        o = self.options
        if request.query.get("embedded") == "1" or not (o.framed or o.foreign_frame):
            return "", True
        src = o.foreign_frame or f"{request.path}?embedded=1"
        return f'<iframe class="kit-frame" title="Settings" src="{escape(src)}"></iframe>', o.framed == "both"

    @route("GET", r"/api/settings")
    def api_get(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return Response.json({"error": "unauthorized"}, 401)
        return Response.json({"settings": self.served_settings(session.email)})

    @route("POST", r"/api/settings")
    def api_save(self, request: Request) -> Response:
        self.store.count_write()
        session = self.session_of(request)
        if session is None:
            return Response.json({"error": "unauthorized"}, 401)
        if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), session.csrf):
            return Response.json({"error": "csrf"}, 403)
        changes = request.json().get("changes")
        known = self.store.settings(session.email)
        if not isinstance(changes, dict) or not changes or any(k not in known for k in changes):
            return Response.json({"error": "bad request"}, 400)
        self.save_delay()
        if self.options.keep_changes:
            for key, value in changes.items():
                self.store.set(session.email, key, value)
            if self.options.collateral_save and any(k not in self.private_keys for k in changes):
                self.store.set(session.email, UNRELATED_KEY, True)  # written beside what the page asked
        return Response.json({"settings": changes})
