"""The recipe schema: what `platforms.yaml` may say, checked strictly.

Every model forbids unknown keys so a typo ("selectr") is an error with a line number instead of
a silently ignored field that would make the engine look for the wrong control.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from optout.regions import is_region_code

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Role = Literal["switch", "checkbox", "radio", "button", "textbox", "combobox", "link"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def _check_pattern(value: str) -> str:
    if len(value) > 2 and value.startswith("/") and value.endswith("/"):
        try:
            re.compile(value[1:-1])
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return value


Url = Annotated[str, Field(min_length=1)]
NamePattern = Annotated[str, Field(min_length=1)]


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
    """One navigation step before the control can be found; exactly one verb per step."""

    goto: Url | None = None
    click: Target | None = None
    wait_for: Target | None = None

    @model_validator(mode="after")
    def _one_verb(self) -> Step:
        verbs = [v for v in ("goto", "click", "wait_for") if getattr(self, v) is not None]
        if len(verbs) != 1:
            raise ValueError("each step has exactly one verb: goto, click or wait_for")
        if self.goto is not None:
            _check_url(self.goto)
        return self


class Control(Strict):
    """How to recognise the one control that holds the setting.

    `names` are alternatives (older wordings, other UI languages), each a case-insensitive piece
    of the accessible name, or `/regex/`. `within` narrows the match to a control that sits inside
    an element whose text contains that phrase. `css` is the last resort, used only when no
    role/name match exists at all.
    """

    role: Role = "switch"
    names: list[NamePattern] = Field(default_factory=list)
    within: str | None = None
    css: str | None = None

    @field_validator("names")
    @classmethod
    def _patterns(cls, names: list[str]) -> list[str]:
        return [_check_pattern(n) for n in names]

    @model_validator(mode="after")
    def _some_way(self) -> Control:
        if not self.names and not self.css:
            raise ValueError("give at least one of: names, css")
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


class Setting(Strict):
    id: Slug
    title: str
    url: Url | None = None
    kind: Literal["toggle", "form", "manual", "none"]
    control: Control | None = None
    opted_out: Literal["on", "off"] | None = None
    disable_by_default: bool = True
    steps: list[Step] = Field(default_factory=list)
    form: Form | None = None
    regions: Regions | None = None
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Setting:
        if self.url is not None:
            _check_url(self.url)
        if self.kind == "toggle":
            missing = [f for f in ("url", "control", "opted_out") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a toggle needs: {', '.join(missing)}")
        elif self.control is not None or self.opted_out is not None:
            raise ValueError(f"control and opted_out are only for toggles, not kind {self.kind!r}")
        if self.kind == "form" and (self.url is None or self.form is None):
            raise ValueError("a form needs: url, form")
        if self.kind != "form" and self.form is not None:
            raise ValueError(f"form is only for kind 'form', not {self.kind!r}")
        return self


class Login(Strict):
    """How to sign in and how to tell that the visitor is logged out."""

    url: Url
    logged_out_urls: list[str] = Field(default_factory=list)
    logged_out_selectors: list[str] = Field(default_factory=list)
    session_cookies: list[str] = Field(default_factory=list)

    _url = field_validator("url")(_check_url)


class Platform(Strict):
    id: Slug
    name: str
    origin: Url
    domains: list[str] = Field(min_length=1)
    login: Login | None = None
    settings: list[Setting] = Field(min_length=1)

    _origin = field_validator("origin")(_check_url)

    def setting(self, setting_id: str) -> Setting | None:
        return next((s for s in self.settings if s.id == setting_id), None)


class Catalogue(Strict):
    """The whole recipe file: platforms keyed by their id."""

    version: Literal[1] = 1
    platforms: dict[str, Platform]
