"""Loading the recipe catalogue: YAML with line numbers, strict validation, merge, origin overrides.

Errors name the file, the line and the YAML path (`platforms.yaml:14 platforms.linkedin.settings.0.control:
extra field "selectr"`) so a recipe author can go straight to the mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from optout.domains import host_in
from optout.errors import RecipeError, UsageError, first_line
from optout.input_files import read_input
from optout.recipes.files import MAX_BYTES, bundled_path
from optout.recipes.schema import PLACEHOLDER, Catalogue, Platform
from optout.urls import parse_web_url, url_host

Loc = tuple[str | int, ...]
MAX_DEPTH = 64  # a recipe nests about ten levels deep
# libyaml (C) when PyYAML was built with it, as its wheels are: it reads the whole catalogue in a
# few milliseconds, where a pure-Python parser takes most of a second on every command.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class _Parsed:
    data: Any
    lines: dict[Loc, int]


def _walk(node: Node, loc: Loc, lines: dict[Loc, int], problems: list[tuple[Loc, str]]) -> None:
    """Record the line of every key and item; report duplicate keys with their path."""
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                lines[loc + (key,)] = key_node.start_mark.line + 1
                what = "platform id" if loc == ("platforms",) else "key"
                problems.append((loc + (key,), f'duplicate {what} "{key}"'))
                continue
            seen.add(key)
            _walk(value_node, loc + (key,), lines, problems)
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, loc + (index,), lines, problems)


def _fmt(name: str, lines: Mapping[Loc, int], loc: Loc, message: str, at: Loc | None = None) -> str:
    """One error line: file:line path: message. The line is that of `at` (default loc), or of the
    deepest part of it the file has (a missing field points at its parent)."""
    at = loc if at is None else at
    line = next((lines[at[:i]] for i in range(len(at), -1, -1) if at[:i] in lines), 1)
    path = ".".join(str(p) for p in loc) or "(top)"
    return f"{name}:{line} {path}: {message}"


def _guard(text: str, name: str, loader: type) -> None:
    """Refuse, before anything is built, what could make parsing explode: aliases and anchors (a
    450-byte "billion laughs" file expands to gigabytes), tags (`!!python/object/apply`), and
    nesting deeper than MAX_DEPTH (the composer recurses). Works on the parser's event stream,
    which is read lazily, so it stops at the first offence."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise RecipeError([f"{name}:{line} (yaml): anchors and aliases (&, *) are not allowed in recipe files"])
        if getattr(event, "tag", None):
            raise RecipeError([f"{name}:{line} (yaml): tags (!, !!) are not allowed in recipe files"])
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecipeError([f"{name}:{line} (yaml): nested deeper than {MAX_DEPTH} levels"])
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


# YAML 1.2's core schema for plain (unquoted) scalars. Everything else is text: `off`, `no` and
# `on` stay words (YAML 1.1 would make them booleans, and `opted_out: off` would stop meaning
# "off"), and dates stay text for the schema to read (an impossible date is then an error with its
# line, not a crash in the YAML library).
_NULL = re.compile(r"(?:~|null|Null|NULL|)")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.style:  # quoted or block: always text
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return int(text)
    if text.startswith(("0o", "0x")):
        try:
            return int(text, 0)
        except ValueError:
            return text
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _build(node: Node) -> Any:
    """The plain data a node holds (the guard has refused aliases, tags and deep nesting)."""
    if isinstance(node, MappingNode):
        return {_build(k): _build(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [_build(item) for item in node.value]
    assert isinstance(node, ScalarNode)
    return _scalar(node)


def _compose(text: str, name: str) -> Node | None:
    """The guarded node tree of a recipe file. A YAML error of the fast parser is looked at again
    with PyYAML's pure-Python parser, which reads the same events one at a time and has no limits of
    its own: libyaml refuses deep nesting itself (PyYAML 6.0.4's "exceeded maximum nesting depth"),
    often before the guard has seen a single level of it, because it reads ahead. So what optout
    refuses is said in optout's words whatever the library's version says, and what only the fast
    parser refuses is read by the reference one. A real syntax error keeps the fast parser's line."""
    try:
        _guard(text, name, _LOADER)
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as fast:
        if _LOADER is yaml.SafeLoader:
            raise RecipeError([_yaml_line(name, fast)]) from None
        try:
            _guard(text, name, yaml.SafeLoader)
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            raise RecipeError([_yaml_line(name, fast)]) from None


def _yaml_line(name: str, exc: yaml.YAMLError) -> str:
    """The YAML library's error as one line: file:line (yaml): problem."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return f"{name}:{line} (yaml): {exc.problem or exc.context}"
    return f"{name}:1 (yaml): {first_line(exc)}"


def _parse(path: Path) -> _Parsed:
    name = path.name
    try:
        raw = read_input(path, MAX_BYTES, "recipe file", missing="recipe file not found")
    except UsageError as exc:
        raise RecipeError([str(exc)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RecipeError([f"{path}: cannot read recipe file: not UTF-8 text"]) from None
    if not text.strip():
        raise RecipeError([f"{name}:1 (top): the recipe file is empty"])
    root = _compose(text, name)
    if root is None:
        raise RecipeError([f"{name}:1 (top): the recipe file is empty"])
    lines: dict[Loc, int] = {}
    problems: list[tuple[Loc, str]] = []
    _walk(root, (), lines, problems)
    if problems:
        raise RecipeError([_fmt(name, lines, loc, msg) for loc, msg in problems])
    return _Parsed(_build(root), lines)


def _explain(name: str, lines: Mapping[Loc, int], error: Mapping[str, Any]) -> str:
    """One pydantic error as an error line in the recipe author's terms."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return _fmt(name, lines, loc[:-1], f'extra field "{loc[-1]}"', at=loc)
    if kind == "missing":
        return _fmt(name, lines, loc[:-1], f'missing field "{loc[-1]}"')
    # optout's own ValueError is said in its own words (not through pydantic's "Value error, "
    # wrapping, which is pydantic's to word); pydantic's type errors are its message
    own = error.get("ctx", {}).get("error") if kind == "value_error" else None
    message = str(own) if isinstance(own, ValueError) else str(error["msg"]).removeprefix("Value error, ")
    if (
        "input" in error
        and kind not in ("model_type", "dict_type", "list_type")
        and not isinstance(error["input"], (dict, list))
    ):
        message += f" (got {error['input']!r})"
    return _fmt(name, lines, loc, message)


def _semantic_problems(catalogue: Catalogue) -> list[tuple[Loc, str]]:
    """Checks that span fields: unique setting ids, every URL inside the platform's domains."""
    problems: list[tuple[Loc, str]] = []
    for pid, platform in catalogue.platforms.items():
        base: Loc = ("platforms", pid)
        urls: list[tuple[Loc, str]] = [(base + ("origin",), platform.origin)]
        if platform.login:
            urls.append((base + ("login", "url"), platform.login.url))
        urls += [(base + ("discover_urls", i), u) for i, u in enumerate(platform.discover_urls)]
        seen: set[str] = set()
        for i, setting in enumerate(platform.settings):
            sloc = base + ("settings", i)
            if setting.id in seen:
                problems.append((sloc + ("id",), f'duplicate setting id "{setting.id}"'))
            seen.add(setting.id)
            if setting.url:
                urls.append((sloc + ("url",), setting.url))
            urls += [(sloc + ("steps", j, "goto"), s.goto) for j, s in enumerate(setting.steps) if s.goto]
        for loc, url in urls:
            # a per-resource `{name}` (even in the host: {pub}.substack.com) is checked with a
            # sample value; real values are plain names, so they cannot leave the domain either
            if not host_in(url_host(PLACEHOLDER.sub("resource", url)), platform.domains):
                problems.append((loc, f"URL {url} is outside the platform's domains ({', '.join(platform.domains)})"))
    return problems


def parse_catalogue(path: Path) -> Catalogue:
    """Read and validate one recipe file; raise RecipeError with every problem found."""
    parsed = _parse(path)
    data = parsed.data
    name = path.name
    if isinstance(data, dict) and isinstance(data.get("platforms"), dict):
        for pid, platform in data["platforms"].items():
            if isinstance(platform, dict):
                if "id" in platform and platform["id"] != pid:
                    loc = ("platforms", pid, "id")
                    raise RecipeError(
                        [_fmt(name, parsed.lines, loc, f'id "{platform["id"]}" differs from its key "{pid}"')]
                    )
                platform.setdefault("id", pid)
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        raise RecipeError([_explain(name, parsed.lines, e) for e in exc.errors()]) from None
    problems = _semantic_problems(catalogue)
    if problems:
        raise RecipeError([_fmt(name, parsed.lines, loc, msg) for loc, msg in problems])
    return catalogue


# `{pub}.` labels in front of a recipe's host: the resource's own host (myblog.substack.com).
_RESOURCE_LABELS = re.compile(rf"(?:{PLACEHOLDER.pattern}\.)+")


def _rebase(url: str, new_origin: str) -> str:
    """Swap scheme, host and port of url for those of new_origin, keeping path and query as
    written (the browser's normalised form would percent-encode a `{site}` placeholder). Leading
    placeholder labels of the host stay in front of the new host, so a resource that lives on its
    own host keeps it there too: `https://{pub}.substack.com/x` on `http://localhost:8001` is
    `http://{pub}.localhost:8001/x`. The URL was validated, so it has no user name, password or
    backslash to confuse the split."""
    after_scheme = url.split("://", 1)[1]
    cut = min((i for i in (after_scheme.find(c) for c in "/?#") if i >= 0), default=len(after_scheme))
    labels = _RESOURCE_LABELS.match(after_scheme[:cut])
    kept = labels.group() if labels else ""
    return parse_web_url(new_origin).origin.replace("://", "://" + kept, 1) + after_scheme[cut:]


def with_origin(platform: Platform, origin: str) -> Platform:
    """The same recipe pointed at another origin (a replica, a staging host): every URL it visits
    moves there and the new host joins its domains. Sources stay as cited."""
    host = parse_web_url(origin).host
    settings = []
    for s in platform.settings:
        steps = [st.model_copy(update={"goto": _rebase(st.goto, origin)}) if st.goto else st for st in s.steps]
        settings.append(s.model_copy(update={"url": _rebase(s.url, origin) if s.url else None, "steps": steps}))
    login = platform.login.model_copy(update={"url": _rebase(platform.login.url, origin)}) if platform.login else None
    domains = platform.domains if host in platform.domains else [*platform.domains, host]
    discover_urls = [_rebase(u, origin) for u in platform.discover_urls]
    return platform.model_copy(
        update={
            "origin": _rebase(platform.origin, origin),
            "domains": domains,
            "login": login,
            "settings": settings,
            "discover_urls": discover_urls,
        }
    )


def load_catalogue(
    user_file: Path | None = None, origins: Mapping[str, str] | None = None, base: Catalogue | None = None
) -> Catalogue:
    """The base catalogue (the bundled one unless an installed update, already validated, is
    given), with the user's recipe file merged over it by platform id, and origin overrides applied."""
    platforms = dict((base or parse_catalogue(bundled_path())).platforms)
    if user_file is not None:
        platforms.update(parse_catalogue(user_file).platforms)
    for pid, origin in (origins or {}).items():
        if pid not in platforms:
            raise UsageError(f"--origin names an unknown platform {pid!r}{did_you_mean(pid, platforms)}")
        platforms[pid] = with_origin(platforms[pid], origin)
    return Catalogue(platforms=platforms)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f' (did you mean "{close[0]}"?)' if close else ""
