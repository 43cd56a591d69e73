"""When the page's only control of a role may be taken for the setting's (`control.sole`).

`sole` identifies a control without its name, so it is believed only where the page proves it is
the setting's own, in a language the recipe has no names for. Each rule below once let an
unrelated switch be clicked and reported as the AI setting (issue 19):

- the page declares a language the recipe's names are written in (`control.languages`): there the
  name must match, and a switch under another name is another setting. A page that declares no
  language may be in one of them just as well, so it proves nothing either; that costs a page in
  another language without `<html lang>` a `not_found` (nothing clicked), never a wrong switch;
- the page is no longer at the setting's address (a redirect to another settings page, a script
  that moved on, a step that navigated): the only switch there belongs to that page;
- the control has the name of another setting of the platform, or carries one of the recipe's
  stable attributes with another value (LinkedIn's switches are told apart by `aria-labelledby`):
  it says itself which setting it is.

Pure rules on what the page showed, so they are tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from optout.recipes.patterns import is_regex, name_pattern
from optout.recipes.schema import Platform, Setting
from optout.urls import parse_web_url


@dataclass(frozen=True)
class Shown:
    """What the page showed of its only control of the role, and of itself."""

    label: str  # the control's accessible name (approximated by locate.NAME_JS)
    url: str  # where the page is now
    language: str  # <html lang> (or the page's declared content language); "" when none
    attributes: dict[str, str | None] = field(default_factory=dict)  # the recipe's attribute names -> values


def setting_address(setting: Setting) -> str:
    """Where the setting's page is: its last `goto` step, else its URL."""
    gotos = [st.goto for st in setting.steps if st.goto]
    return gotos[-1] if gotos else setting.url or ""


def same_page(url: str, address: str) -> bool:
    """Whether the page at `url` is the one at `address`: the same origin and path (a trailing
    slash aside), and every query parameter and the fragment `address` gives, if any. Parameters
    the site adds on its own (tracking, `?trk=`) are allowed."""
    try:
        now, want = parse_web_url(url), parse_web_url(address)
    except ValueError:
        return False
    if (now.origin, now.path.rstrip("/")) != (want.origin, want.path.rstrip("/")):
        return False
    if want.fragment and now.fragment != want.fragment:
        return False
    return set(parse_qsl(want.query.lstrip("?"))) <= set(parse_qsl(now.query.lstrip("?")))


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].strip().casefold()


def _other_setting(platform: Platform, setting: Setting, label: str) -> str | None:
    """The title of another setting of the platform whose recipe names match `label`."""
    for other in platform.settings:
        if other.id == setting.id or other.control is None:
            continue
        for name in other.control.names:
            if "{" in name and not is_regex(name):  # a per-resource name: the placeholder is literal here
                continue
            if name_pattern(name).search(label):
                return other.title
    return None


def refusal(platform: Platform, setting: Setting, shown: Shown) -> str:
    """Why the page's only control may not be taken for the setting, as a sentence quoting its
    label; "" when it may."""
    assert setting.control is not None
    why = _reason(platform, setting, shown)
    if not why:
        return ""
    label = shown.label[:120]
    return f"the page's only {setting.control.role} is labelled \"{label}\", which is not this setting's name{why}"


def _reason(platform: Platform, setting: Setting, shown: Shown) -> str:
    """The end of the refusal's sentence ("" for none); the rules that name another setting come
    first: they say the most."""
    control = setting.control
    assert control is not None
    theirs = _other_setting(platform, setting, shown.label)
    if theirs:
        return f'; it is named like another setting, "{theirs}"'
    for name, value in control.attributes.items():
        seen = shown.attributes.get(name)
        if seen is not None and seen != value:
            return f'; its {name} is "{seen}", not this setting\'s "{value}"'
    address = setting_address(setting)
    if not same_page(shown.url, address):
        return f"; the page is no longer the setting's own ({_where(shown.url)}, not {_where(address)})"
    known = ", ".join(control.languages)
    if not shown.language.strip():
        return f", and the page declares no language, so it may be in one the recipe has names for ({known})"
    if _primary(shown.language) in {_primary(tag) for tag in control.languages}:
        return f', and the page is in "{shown.language.strip()}", a language the recipe has names for'
    return ""


def _where(url: str) -> str:
    """A URL as a result quotes it: the path (the query may carry a session's tokens)."""
    try:
        return parse_web_url(url).path
    except ValueError:
        return "another address"


# At most this many controls are named in an ambiguity's detail; the rest are counted.
NAMED_AT_MOST = 5


def plural(n: int, role: str) -> str:
    """ "one switch", "2 switches", "3 checkboxes": how a detail counts controls of a role."""
    return f"one {role}" if n == 1 else f"{n} {role}{'es' if role.endswith(('ch', 'x')) else 's'}"


def ambiguous(role: str, labels: list[str], *, sole: bool) -> str:
    """The detail of a search that found several controls, naming each as the page labels it, as
    the `not_found` hint does: the user (or a recipe's author) sees which controls the page has
    rather than a bare count. `sole`: they were found as the page's controls of the role, none of
    them by the recipe's names."""
    shown = [f"'{' '.join(label.split())[:80]}'" if label.strip() else "(no name)" for label in labels]
    named = ", ".join(shown[:NAMED_AT_MOST])
    if len(shown) > NAMED_AT_MOST:
        named += f" and {len(shown) - NAMED_AT_MOST} more"
    if sole:
        return f"ambiguous: no {role} has the recipe's name, and the page has {plural(len(labels), role)}: {named}"
    return f"ambiguous: {plural(len(labels), role)} match the recipe: {named}"
