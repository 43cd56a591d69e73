"""Name patterns and CSS selectors from recipes, checked as the browser will read them.

Playwright hands a recipe's `/regex/` to Chromium as a JavaScript RegExp and its CSS to
Chromium's selector engine, so a pattern that only Python understands, or one that backtracks
for ever (`/^(a+)+$/` on a long name), would pass validation and fail or hang mid-run while the
home is locked. Both are refused when the recipe is read:

- a regex must compile in Python and keep to the syntax both engines read alike: groups are
  `(...)`, `(?:...)`, `(?=...)`, `(?!...)`, `(?<=...)`, `(?<!...)` only (no Python named groups,
  inline flags, comments, atomic groups or conditionals), no `\\A`, `\\Z`, `\\N`, `\\U`, no `{,n}`;
- no quantified group may contain another quantifier or alternatives (star height 1): the shape
  of every catastrophic-backtracking pattern. Names are short texts; they never need more;
- a CSS selector must parse as CSS (cssselect: also accepts Playwright's pseudo-classes such as
  `:has-text()` and `:visible`, which it reads as any other pseudo-class).
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T")


def is_regex(text: str) -> bool:
    """Whether a recipe's name or state is written as a `/regex/` rather than as plain text."""
    return len(text) > 2 and text.startswith("/") and text.endswith("/")


def name_pattern(pattern: str) -> re.Pattern[str]:
    """A recipe name pattern as a regex: `/regex/` as written, plain text as a literal piece;
    always case-insensitive (sites change capitalisation freely)."""
    if is_regex(pattern):
        return re.compile(pattern[1:-1], re.IGNORECASE)
    return re.compile(re.escape(pattern), re.IGNORECASE)


def whole_name(pattern: str) -> re.Pattern[str]:
    """The pattern an item's whole name must match to be the item a recipe names (a menu item, a
    choice's option, a confirmation): `/regex/` searched as written, plain text equal to the
    whole name, case and spacing aside. So plain "Turn off" is never "Turn off and delete
    activity": a longer name that merely starts the same is a different item."""
    if is_regex(pattern):
        return name_pattern(pattern)
    return re.compile(r"^\s*" + r"\s+".join(map(re.escape, pattern.split())) + r"\s*$", re.IGNORECASE)


def preferred(pattern: str, named: list[T], own_texts: list[tuple[T, str]]) -> list[T]:
    """The items a recipe's name picks, by the matching rule: the items whose accessible name is
    matched whole (`named`, found by the browser with `whole_name`), if there are any; else those
    whose own label text is (`own_texts`: each item with the text of its label element or first
    text node, without the badge, description or hint a site adds inside the label: "Turn off"
    of a menu item named "Turn off 1 step"). Several items picked is ambiguous, for the caller."""
    if named:
        return named
    whole = whole_name(pattern)
    return [item for item, own in own_texts if whole.search(" ".join(own.split()))]


_QUANTIFIER = re.compile(r"[*+?]|\{(\d+)(,(\d*))?\}")
_GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_PYTHON_ONLY_ESCAPES = "AZNU"


def regex_problem(source: str) -> str | None:
    """Why the regex source (without its slashes) is unsafe or not portable; None when it is fine."""
    try:
        re.compile(source)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    # One frame per open group: [holds a quantifier or an alternative]. The outermost is the pattern.
    groups: list[bool] = [False]
    i = 0
    in_class = False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            if source[i + 1 : i + 2] in tuple(_PYTHON_ONLY_ESCAPES) and not in_class:
                return f"\\{source[i + 1]} means something else in JavaScript"
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            i += 1
            continue
        if ch == "[":
            in_class = True
            i += 2 if source[i + 1 : i + 2] == "^" else 1
            if source[i : i + 1] == "]":
                return "[] and [^] are empty classes in JavaScript; write \\] for a bracket"
            continue
        if ch == "(":
            if source.startswith("(?", i):
                opener = next((o for o in _GROUP_OPENERS if source.startswith(o, i)), None)
                if opener is None:
                    return "only (...), (?:...), (?=...), (?!...), (?<=...) and (?<!...) groups work in JavaScript"
                i += len(opener) - 1
            groups.append(False)
        elif ch == ")":
            inner = groups.pop()
            quantifier = _QUANTIFIER.match(source, i + 1)
            if quantifier and inner and _repeats(quantifier):
                return "a repeated group holding a quantifier or alternatives (like (a+)+) can take for ever to match"
            groups[-1] = groups[-1] or inner or bool(quantifier)
            if quantifier:
                i = _past(source, quantifier) - 1
        elif ch == "|":
            groups[-1] = True
        elif ch == "{" and source.startswith("{,", i):
            return "{,n} means something else in JavaScript; write {0,n}"
        elif quantifier := _QUANTIFIER.match(source, i):
            groups[-1] = True
            i = _past(source, quantifier) - 1
        if i < 0:
            return "a quantifier right after a quantifier (a++, a*+) is not JavaScript"
        i += 1
    return None


def _past(source: str, quantifier: re.Match[str]) -> int:
    """Where the pattern goes on after a quantifier and its lazy `?`; -1 when another quantifier
    follows (Python's possessive `a++`, which JavaScript refuses)."""
    end = quantifier.end() + (source[quantifier.end() : quantifier.end() + 1] == "?")
    return -1 if _QUANTIFIER.match(source, end) else end


def _repeats(quantifier: re.Match[str]) -> bool:
    """The quantifier allows more than one repetition (so what it repeats can be split many ways)."""
    if quantifier.group(0) in ("*", "+"):
        return True
    if quantifier.group(0) == "?":
        return False
    low, comma, high = quantifier.group(1), quantifier.group(2), quantifier.group(3)
    return bool(comma) and (not high or int(high) > 1) or not comma and int(low) > 1


def css_problem(selector: str) -> str | None:
    """Why selector is not a CSS selector; None when it parses."""
    import cssselect

    try:
        cssselect.parse(selector)
    except cssselect.SelectorError as exc:
        return f"not a valid CSS selector: {exc}"
    return None
