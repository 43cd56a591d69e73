"""The recipe schema: what `platforms.yaml` may say, checked strictly.

Every model forbids unknown keys so a typo ("selectr") is an error with a line number instead of
a silently ignored field that would make the engine look for the wrong control.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from optout.domains import check_domain
from optout.recipes.patterns import css_problem, is_regex, regex_problem
from optout.regions import is_region_code
from optout.urls import parse_web_url

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Role = Literal[
    "switch",
    "checkbox",
    "radio",
    "radiogroup",
    "button",
    "textbox",
    "combobox",
    "listbox",
    "option",
    "menuitem",
    "menuitemradio",
    "tab",
    "link",
]
# What a setting does with the user's data: trains models on it (what `disable` switches by
# default), uses it with AI features without training (ads, likeness, reuse), or shares it with
# other companies' AI. `disable --include ai-use,sharing` adds the last two.
Category = Literal["training", "ai-use", "sharing"]
CATEGORIES: tuple[Category, ...] = ("training", "ai-use", "sharing")
# How sure the facts behind a recipe are: two independent sources, one, or inferred by us.
Confidence = Literal["confirmed", "single-source", "inferred"]
# A release number as optout writes its own: "0.2" or "1.4.1".
VERSION = r"^\d+(\.\d+){0,2}$"
# `{blog}` in a per-resource setting's URL and names.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_url(value: str) -> str:
    """An http(s) URL as Chromium reads it (see optout.urls); the message quotes the URL, which
    in a recipe is public."""
    try:
        parse_web_url(value)
    except ValueError as exc:
        raise ValueError(f"bad URL {value!r}: {exc}") from None
    return value


def _check_pattern(value: str) -> str:
    """A `/regex/` name is read by Chromium as a JavaScript RegExp: see optout.recipes.patterns."""
    if is_regex(value):
        problem = regex_problem(value[1:-1])
        if problem:
            raise ValueError(f"bad regular expression {value!r}: {problem}")
    return value


def _check_optional_pattern(value: str | None) -> str | None:
    """`_check_pattern` for a field that may be left out (None, as a model's dump writes it)."""
    return None if value is None else _check_pattern(value)


def _check_css(value: str | None) -> str | None:
    problem = css_problem(value) if value is not None else None
    if problem:
        raise ValueError(f"bad CSS selector {value!r}: {problem}")
    return value


Url = Annotated[str, Field(min_length=1)]
# A platform's own domain or a login host: never a public suffix (see optout.domains).
Domain = Annotated[str, AfterValidator(check_domain)]
NamePattern = Annotated[str, Field(min_length=1)]
# A UI language as pages declare it in <html lang>: a BCP 47 tag ("en", "de", "pt-BR").
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")]


class Source(Strict):
    """Where a fact came from and when somebody last checked it against the real site."""

    url: Url
    checked: date
    note: str | None = None

    _url = field_validator("url")(_check_url)


class Target(Strict):
    """An element on the page: by role and accessible name, by visible text, or by CSS."""

    role: Role | None = None
    name: NamePattern | None = None
    text: str | None = None
    css: str | None = None

    _css = field_validator("css")(_check_css)

    @model_validator(mode="after")
    def _one_way(self) -> Target:
        ways = [self.role is not None or self.name is not None, self.text is not None, self.css is not None]
        if sum(ways) != 1:
            raise ValueError("give exactly one of: role with name, text, css")
        if (self.role is None) != (self.name is None):
            raise ValueError("role and name go together")
        if self.name is not None:
            _check_pattern(self.name)
        return self


class Step(Strict):
    """One navigation step before the control can be found (or, in `close`, after it was used);
    exactly one verb per step. `press` sends a key to the page (Escape closes most dialogs)."""

    goto: Url | None = None
    click: Target | None = None
    wait_for: Target | None = None
    press: Literal["Escape", "Enter", "Tab"] | None = None

    @model_validator(mode="after")
    def _one_verb(self) -> Step:
        verbs = [v for v in ("goto", "click", "wait_for", "press") if getattr(self, v) is not None]
        if len(verbs) != 1:
            raise ValueError("each step has exactly one verb: goto, click, wait_for or press")
        if self.goto is not None:
            _check_url(self.goto)
        return self


# When a wording was seen: a year ("2026") or a month ("2024-07"), as precise as the sources are.
# YAML reads a bare year as a number: it is taken as the year's text.
Month = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
    StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$"),
]


class Label(Strict):
    """One wording a control has had, with when (either end may be unknown). Every label is also
    matched as one of the control's `names`; a `not_found` page that shows one says which."""

    name: Annotated[str, Field(min_length=1)]
    since: Month | None = None
    until: Month | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _plain_and_in_order(self) -> Label:
        if is_regex(self.name):
            raise ValueError("a label is a wording as the page shows it, not a /regex/")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self

    def span(self) -> str:
        """`2024-07 to 2026`, `since 2026`, `until 2025-08` or `dates unknown`."""
        if self.since and self.until:
            return f"{self.since} to {self.until}"
        if self.since or self.until:
            return f"since {self.since}" if self.since else f"until {self.until}"
        return "dates unknown"


def newest_label(labels: list[Label]) -> Label | None:
    """The wording a control has now, as far as the recipe knows: one with no `until`, the latest
    `since` among those."""
    return max(labels, key=lambda label: (label.until is None, label.since or ""), default=None)


class Control(Strict):
    """How to recognise the one control that holds the setting, tried in this order:

    1. `names`: alternatives (older wordings, other UI languages), each a case-insensitive piece
       of the accessible name, or `/regex/`;
    2. `attributes`: stable attributes that name the control whatever the UI language
       (`{data-testid: improve-model-toggle}`), on an element of the same role;
    3. `sole`: the page is dedicated to this setting, so when nothing above matches and the page
       shows exactly one control of this role, that is the one (the result quotes its label).
       Only where that is proven (optout.engine.fallback): the page declares a UI language that
       is none of `languages`, it is still at the setting's address (no redirect), and the
       control neither has another setting's name nor carries one of `attributes` with another
       value; else nothing is clicked;
    4. `css`: the last resort.
    Whichever way, exactly one element must match. `within` narrows every way to a control inside
    an element whose text contains that phrase. `languages`: the UI languages `names` are
    written in (default English).
    """

    role: Role = "switch"
    names: list[NamePattern] = Field(default_factory=list)
    attributes: dict[Annotated[str, StringConstraints(pattern=r"^[a-zA-Z][a-zA-Z0-9_:-]*$")], str] = Field(
        default_factory=dict
    )
    sole: bool = False
    # The wordings the control has had, oldest first, each matched like a name (see Label).
    labels: list[Label] = Field(default_factory=list)
    languages: list[LanguageTag] = Field(default_factory=lambda: ["en"], min_length=1)
    within: str | None = None
    css: str | None = None

    _css = field_validator("css")(_check_css)

    @field_validator("names")
    @classmethod
    def _patterns(cls, names: list[str]) -> list[str]:
        return [_check_pattern(n) for n in names]

    @model_validator(mode="before")
    @classmethod
    def _labels_are_names(cls, data: object) -> object:
        """Each label's wording joins `names` (once), so a label is matched without being repeated."""
        if isinstance(data, dict) and isinstance(data.get("labels"), list):
            names = list(data.get("names") or [])
            for label in data["labels"]:
                wording = label.get("name") if isinstance(label, dict) else None
                if isinstance(wording, str) and wording and wording not in names:
                    names.append(wording)
            data = {**data, "names": names}
        return data

    @model_validator(mode="after")
    def _some_way(self) -> Control:
        if not self.names and not self.css and not self.attributes and not self.sole:
            raise ValueError("give at least one of: names, attributes, sole, css")
        return self


class Regions(Strict):
    """Where a setting exists. Codes are ISO 3166-1 alpha-2 or a group (EU, EEA)."""

    offered: list[str] = Field(default_factory=list)
    not_offered: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("offered", "not_offered")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not is_region_code(code):
                raise ValueError(f"not a country code or region group: {code!r}")
        return [c.upper() for c in codes]


FormValue = Literal["email", "country", "name"]


class FormField(Strict):
    """A form field optout fills in from the user's config; the user reviews and sends."""

    field: Target
    value: FormValue


class Form(Strict):
    """An objection form: what to prefill, and how to recognise that it was sent."""

    fill: list[FormField] = Field(default_factory=list)
    confirmation: Target


class States(Strict):
    """For a choice or a menu: the selected option (choice) or the text the button shows (menu)
    that means opted out, and the one that means opted in (the option `optout enable` picks).
    Plain text matches the whole text, case-insensitively; `/regex/` as written. Anything else is
    unreadable, and nothing is touched."""

    opted_out: NamePattern
    opted_in: NamePattern

    _patterns = field_validator("opted_out", "opted_in")(_check_pattern)


class Menu(Strict):
    """For a menu: what is clicked after the button. `disable` opts out, `enable` opts back in;
    `confirm` is pressed when a confirmation appears after the item."""

    disable: Target
    enable: Target | None = None
    confirm: Target | None = None


class Resource(Strict):
    """A setting that exists once per blog, site, publication or team. The URL (and names) hold
    `{name}`; the user lists the values once with `optout config set PLATFORM.NAME a,b`."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str  # what one value is, in the user's words: "blog", "site", "publication"


class Absent(Strict):
    """Page text that proves the setting is not offered to this account (a plan, a region, an
    age without it): shown instead of the control, it makes the result `not_offered`."""

    text: NamePattern
    reason: str

    _pattern = field_validator("text")(_check_pattern)


class Email(Strict):
    """A request only an e-mail can make (kind manual): optout prints it, ready to send."""

    to: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    subject: str
    body: str


# Kinds whose state is read from a control on a page, and changed there.
PAGE_KINDS = ("toggle", "choice", "menu")


class Setting(Strict):
    id: Slug
    title: str
    url: Url | None = None
    kind: Literal["toggle", "choice", "menu", "form", "manual", "none"]
    category: Category = "training"
    control: Control | None = None
    opted_out: Literal["on", "off"] | None = None
    states: States | None = None
    menu: Menu | None = None
    save: Target | None = None
    # For a toggle or a choice: the button of the confirmation the site asks for after the click
    # ("Turn off?"), pressed only when it appears. A role's name matches the whole name exactly;
    # `text` also matches a browser confirm() of exactly that text. Never a "Keep"/"Cancel" button.
    confirm: Target | None = None
    disable_by_default: bool = True
    steps: list[Step] = Field(default_factory=list)
    close: list[Step] = Field(default_factory=list)
    resource: Resource | None = None
    absent: list[Absent] = Field(default_factory=list)
    form: Form | None = None
    email: Email | None = None
    regions: Regions | None = None
    confidence: Confidence | None = None
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None
    # What the user must know even once opted out (feedback that still trains, training already
    # done): printed once under a run's results, never part of a result.
    caveat: Annotated[str, Field(min_length=1)] | None = None

    # The value of `resource` this copy was made for (see `for_resource`); never from YAML.
    _resource_value: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _kind_fields(self) -> Setting:
        if self.url is not None:
            _check_url(self.url)
        page = self.kind in PAGE_KINDS
        needs: dict[str, tuple[str, ...]] = {
            "toggle": ("url", "control", "opted_out"),
            "choice": ("url", "control", "states"),
        }
        needs["menu"] = ("url", "control", "states", "menu")
        missing = [f for f in needs.get(self.kind, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} needs: {', '.join(missing)}")
        only = {
            "control": PAGE_KINDS,
            "opted_out": ("toggle",),
            "states": ("choice", "menu"),
            "menu": ("menu",),
            "save": ("toggle", "choice"),
            "confirm": ("toggle", "choice"),
            "form": ("form",),
            "email": ("manual",),
        }
        for name, kinds in only.items():
            if getattr(self, name) is not None and self.kind not in kinds:
                raise ValueError(f"{name} is only for kind {' or '.join(repr(k) for k in kinds)}, not {self.kind!r}")
        if not page and (self.close or self.absent):
            raise ValueError(f"close and absent are only for page kinds ({', '.join(PAGE_KINDS)})")
        if self.kind == "form" and (self.url is None or self.form is None):
            raise ValueError("a form needs: url, form")
        used = set(PLACEHOLDER.findall((self.url or "") + (self.email.body if self.email else "")))
        if self.resource is None and used:
            raise ValueError(f"the URL has {{{sorted(used)[0]}}} but the setting declares no resource")
        if self.resource is not None and used != {self.resource.name}:
            where = "e-mail body" if self.email else "URL"
            raise ValueError(f"a per-{self.resource.title} setting needs {{{self.resource.name}}} in its {where}")
        return self

    @property
    def resource_value(self) -> str | None:
        return self._resource_value

    def for_resource(self, value: str) -> Setting:
        """This per-resource setting made concrete for one value: `{name}` replaced in its URL,
        navigation URLs and control names (as literal text inside a `/regex/`)."""
        assert self.resource is not None
        placeholder = "{" + self.resource.name + "}"

        def fill(text: str, pattern: bool = False) -> str:
            if pattern and is_regex(text):
                return text.replace(placeholder, re.escape(value))
            return text.replace(placeholder, value)

        steps = [st.model_copy(update={"goto": fill(st.goto)}) if st.goto else st for st in self.steps]
        control = self.control
        if control is not None:
            control = control.model_copy(update={"names": [fill(n, pattern=True) for n in control.names]})
        email = self.email.model_copy(update={"body": fill(self.email.body)}) if self.email else None
        update = {"url": fill(self.url) if self.url else None, "steps": steps, "control": control, "email": email}
        concrete = self.model_copy(update=update)
        concrete._resource_value = value
        return concrete


class Login(Strict):
    """How to sign in and how to tell that the visitor is logged out."""

    url: Url
    # Hosts of a sign-in service outside the platform's domains (auth.openai.com): landing there
    # means logged out, never an error, and nothing there is clicked.
    hosts: list[Domain] = Field(default_factory=list)
    logged_out_urls: list[str] = Field(default_factory=list)
    logged_out_selectors: list[str] = Field(default_factory=list)
    session_cookies: list[str] = Field(default_factory=list)
    # A cookie that names the signed-in account and is no secret (GitHub's `dotcom_user=<login>`):
    # recorded beside the session at login, so a session refreshed from the user's browser
    # (`sessions.from`) is provably for the same account, never another one signed in there.
    account_cookie: str | None = None

    _url = field_validator("url")(_check_url)

    @field_validator("logged_out_selectors")
    @classmethod
    def _selectors(cls, selectors: list[str]) -> list[str]:
        for selector in selectors:
            _check_css(selector)
        return selectors


class Platform(Strict):
    id: Slug
    name: str
    origin: Url
    domains: list[Domain] = Field(min_length=1)
    login: Login | None = None
    # How sure the recipe's facts are; a setting may say otherwise for itself. A recipe of unknown
    # provenance (a user's file that does not say) is "inferred": never shown as more certain.
    confidence: Confidence = "inferred"
    # The oldest optout that reads this recipe right (it uses a newer feature): older ones report
    # every setting as an error instead of running part of it.
    min_optout: Annotated[str, StringConstraints(pattern=VERSION)] | None = None
    # Privacy pages besides the settings' own that `optout discover` looks at for new AI switches.
    discover_urls: list[Url] = Field(default_factory=list)
    # The button of the platform's cookie-consent banner that refuses tracking ("Reject all"), its
    # whole text (or a /regex/): tried before the common wordings (optout.engine.consent).
    consent_reject: NamePattern | None = None
    settings: list[Setting] = Field(min_length=1)

    _origin = field_validator("origin")(_check_url)
    _consent_reject = field_validator("consent_reject")(_check_optional_pattern)

    @field_validator("discover_urls")
    @classmethod
    def _discover_urls(cls, urls: list[str]) -> list[str]:
        return [_check_url(u) for u in urls]

    def setting(self, setting_id: str) -> Setting | None:
        return next((s for s in self.settings if s.id == setting_id), None)

    def confidence_of(self, setting: Setting) -> Confidence:
        return setting.confidence or self.confidence


class Catalogue(Strict):
    """The whole recipe file: platforms keyed by their id."""

    version: Literal[1] = 1
    platforms: dict[str, Platform]
