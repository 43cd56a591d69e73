"""The kit × variation table (issue 22): every way a real page differs from our replica, as data.

A variation is a replica option that applies to every kit (optout/replica/options.py, drawn by
kit_site.py, controls.js, widgets.js, variations.js and interruptions.js), never one kit's quirk.
Each row below says, beside the options, the outcome wanted of every result and what the server
must keep afterwards. `play` asks one variation of several kits in one optout run, as cron runs
it, and returns per kit what went otherwise ("" when all is as wanted).

The suite (tests/test_variation_table.py) asks every variation of LinkedIn, X, ChatGPT and
GitHub, and each other kit one variation of every class, in a fixed rotation;
`python bench/variations.py --all` asks the whole cross and prints the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from optout.home.sessions import SessionStore
from optout.kits import page_settings, replica_platforms, site_class
from optout.recipes.catalogue import load_catalogue
from optout.replica.kit_site import KitSite
from tests.helpers import Run, sign_in

CATALOGUE = load_catalogue()
PLATFORMS = [p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p)]
CORE = [p for p in ("linkedin", "x", "chatgpt", "github") if p in PLATFORMS]

Rule = Callable[[dict[str, Any]], bool]
# What the server keeps afterwards, for every result of a kit: each setting opted out, none, or
# opted out exactly where optout said opted_out.
Kept = Literal["all", "none", "as said", "where said"]
Cli = Callable[..., Run]


def changed(r: dict[str, Any]) -> bool:
    return (r["state"], r["action"]) == ("opted_out", "changed")


def says(*words: str, state: str | None = None, action: str | None = None) -> Rule:
    """A result in `state` (any but opted_out when None) whose detail holds each of `words`."""

    def rule(r: dict[str, Any]) -> bool:
        in_state = r["state"] == state if state else r["state"] != "opted_out"
        return in_state and (action is None or r["action"] == action) and all(w in r["detail"] for w in words)

    return rule


def changed_saying(*words: str) -> Rule:
    return lambda r: changed(r) and all(w in r["detail"] for w in words)


def either(*rules: Rule) -> Rule:
    return lambda r: any(rule(r) for rule in rules)


def read_in(r: dict[str, Any]) -> bool:
    return (r["state"], r["action"]) == ("opted_in", "none")


# A page shows one dialog at a time: the next setting on a page whose first one asked to confirm
# is covered by that dialog, and is not clicked either.
unconfirmed = says(action="failed")
WHY = "Turn off? Turning this off means your data will no longer be used to improve our models."


@dataclass(frozen=True)
class Stage:
    """Where a variation is played: the CLI in a home, and the running replica."""

    cli: Cli
    replica: Any
    home: Path


def key(result: dict[str, Any]) -> str:
    """The replica's stored key of a result (per resource: setting@resource)."""
    return result["setting"] + (f"@{result['resource']}" if result["resource"] else "")


def by_kit(run: Run, kits: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {k: [] for k in kits}
    for r in json.loads(run.stdout or "[]"):
        grouped.setdefault(r["platform"], []).append(r)
    return grouped


def shown(r: dict[str, Any]) -> str:
    return f"{r['setting']}: {r['state']}/{r['action']}: {r['detail']}"


Then = Callable[[Stage, list[str]], dict[str, str]]


def _status_after(
    stage: Stage, kits: list[str], rule: Rule, stored: Callable[[str], str] | None = None
) -> dict[str, str]:
    """The second step's `status` of `kits`: per kit, its results that break `rule` and what
    `stored` (given the kit) finds wrong with the session kept, "" when nothing."""
    got = by_kit(stage.cli("status", *kits, "--json", "--jobs", "3", "--timeout", "20"), kits)
    out = {}
    for kit, results in got.items():
        problem = stored(kit) if stored else ""
        wrong = [shown(r) for r in results if not rule(r)] + ([problem] if problem else [])
        out[kit] = "then status: " + ("; ".join(wrong) or "no result") if wrong or not results else ""
    return out


def status_reads_the_server(stage: Stage, kits: list[str]) -> dict[str, str]:
    """After a save the server dropped while the page cached what it showed: the next status reads
    what the server kept, and the session keeps none of the page's storage."""

    def cached(kit: str) -> str:
        kept = SessionStore(stage.home).load(kit, domains=CATALOGUE.platforms[kit].domains) or {}
        return (
            "the session kept the page's cached settings"
            if "kit-settings" in json.dumps(kept.get("origins", []))
            else ""
        )

    return _status_after(stage, kits, read_in, cached)


def still_signed_in(stage: Stage, kits: list[str]) -> dict[str, str]:
    """The session cookie rotated on every response: the next status is still signed in, and reads
    what the server holds (opted out where the change was made, opted in where `disable --all`
    left a setting of another category alone)."""

    def as_kept(r: dict[str, Any]) -> bool:
        return r["state"] == ("opted_out" if stage.replica.is_opted_out(r["platform"], key(r)) else "opted_in")

    return _status_after(stage, kits, as_kept)


def always(platform: str) -> bool:
    return True


def drawn_by_kit_site(platform: str) -> bool:
    """Only kits drawn by controls.js keep a client-side cache and say "Settings saved"."""
    return issubclass(site_class(platform), KitSite)


def has(kind: str) -> Callable[[str], bool]:
    return lambda platform: any(s.kind == kind for s in page_settings(CATALOGUE, platform))


def renamed(platform: str) -> bool:
    """The recipe knows an older wording the kit draws under label_variant="old"."""
    return any(lb.until for s in page_settings(CATALOGUE, platform) if s.control for lb in s.control.labels)


@dataclass(frozen=True)
class Variation:
    group: str  # its class: widget, names, timing, truth, interruptions, sessions, languages
    name: str
    options: dict[str, Any]
    wanted: str  # the outcome, in words, as the table prints it
    rule: Rule  # every result of the kit meets it
    kept: Kept = "all"
    command: str = "disable"
    more: tuple[str, ...] = ()  # more arguments of the command
    first: Rule | None = None  # the first result of each kit, where the rest differ
    then: Then | None = None  # a second step, for the kits the first left as wanted
    applies: Callable[[str], bool] = field(default=always)
    # The change reaches the server, which drops it (else, when nothing is kept, nothing was written).
    dropped: bool = False

    @property
    def id(self) -> str:
        return f"{self.group}:{self.name}"


SWITCHED = "switched and verified"
LOADING = ("the page was still loading after", "nothing was clicked")
AMBIGUOUS = ("ambiguous", "match the recipe")

VARIATIONS: tuple[Variation, ...] = (
    # ---- widget: the setting drawn as each widget of its kind
    *(
        Variation("widget", f"choice as {w}", {"choice_widget": w}, SWITCHED, changed, applies=has("choice"))
        for w in ("select", "combobox", "menu", "radio")
    ),
    *(
        Variation("widget", f"toggle as {w}", {"toggle_widget": w}, SWITCHED, changed, applies=has("toggle"))
        for w in ("switch-input", "switch-button", "pressed", "shadow", "labelledby")
    ),
    Variation(
        "widget",
        "another widget, doubled",
        {"choice_widget": "combobox", "toggle_widget": "pressed", "duplicate_control": True},
        "not_found: ambiguous, nothing clicked",
        says("ambiguous", state="not_found", action="none"),
        kept="none",
    ),
    # ---- names: other letter case, extra words, older wording
    Variation("names", "upper case", {"names": "case"}, SWITCHED, changed),
    Variation("names", "a 'New' badge", {"names": "badge"}, SWITCHED, changed),
    Variation("names", "a description in the label", {"names": "description"}, SWITCHED, changed),
    Variation("names", "a hint in each item", {"names": "hint"}, SWITCHED, changed),
    Variation(
        "names",
        "the older wording",
        {"label_variant": "old"},
        "read: opted_in",
        read_in,
        kept="none",
        command="status",
        applies=renamed,
    ),
    # ---- timing: loading states, late panels and controls, a late second match
    *(
        Variation(
            "timing", f"{label} 5 s", {"render_delay": 5, "placeholder": p}, "read: opted_in", read_in, "none", "status"
        )
        for label, p in (
            ("aria-busy", "busy"),
            ("progressbar", "progressbar"),
            ("skeleton", "skeleton"),
            ("'Loading…'", "text"),
        )
    ),
    Variation(
        "timing",
        "never stops loading",
        {"render_delay": 60},
        "error: still loading, nothing clicked",
        says(*LOADING, state="error"),
        kept="none",
        command="status",
        more=("--timeout", "4"),
    ),
    Variation("timing", "panel drawn after 3 s", {"render_delay": 3}, SWITCHED, changed),
    Variation("timing", "disabled until answered", {"enable_after": 2}, SWITCHED, changed),
    *(
        Variation(
            "timing",
            f"second match after {delay} s",
            {"late_duplicate": delay},
            "never opted_out: ambiguous",
            # the second match of the control, or of the item a change picks in its menu
            either(says(*AMBIGUOUS), says("elements match the", "nothing was saved")),
            kept="where said",
        )
        for delay in (1.0, 1.5)  # before the click is made; once the fresh pages have read the change
    ),
    # ---- truth: what the page shows against what the server kept
    Variation(
        "truth",
        "save answered, nothing kept",
        {"keep_changes": False},
        "error: not kept",
        says("did not keep the change", action="failed"),
        kept="none",
        dropped=True,
    ),
    *(
        Variation(
            "truth",
            f"cached in {where}",
            {"keep_changes": False, "cache_state": True, "cache_in": where},
            "not kept; next status reads the server",
            says(action="failed"),
            kept="none",
            then=status_reads_the_server,
            applies=drawn_by_kit_site,
            dropped=True,
        )
        for where in ("localStorage", "sessionStorage", "indexedDB")
    ),
    # ---- interruptions: what a real site puts in the way
    Variation("interruptions", "consent banner", {"interruption": "consent"}, "banner refused; " + SWITCHED, changed),
    Variation(
        "interruptions",
        "consent, necessary only",
        {"interruption": "consent-necessary"},
        "banner refused; " + SWITCHED,
        changed,
    ),
    Variation(
        "interruptions",
        "consent, accept only",
        {"interruption": "consent-accept-only"},
        "error naming the banner, nothing clicked",
        says("cookie-consent banner", "nothing was clicked", state="error"),
        kept="none",
    ),
    Variation(
        "interruptions",
        "confirmation dialog",
        {"interruption": "confirm"},
        "the site asks to confirm: …",
        unconfirmed,
        kept="none",
        first=says("the site asks to confirm: “"),  # quoted: the replica's own, or a kit's own
    ),
    Variation(
        "interruptions",
        "password prompt",
        {"interruption": "reauth"},
        "needs_login: asks you to sign in again",
        says("the site asks you to sign in again", state="needs_login"),
        kept="none",
    ),
    *(
        Variation(
            "interruptions",
            f"bot check ({how})",
            {"interruption": f"bot-{how}"},
            "error: a bot check",
            says("showed a bot check", state="error"),
            kept="none",
            command="status",
        )
        for how in ("403", "503", "challenge")
    ),
    Variation(
        "interruptions",
        "alert()",
        {"interruption": "alert"},
        SWITCHED + ", alert quoted",
        changed_saying("the site said “"),
    ),
    Variation(
        "interruptions",
        "confirm()",
        {"interruption": "js-confirm"},
        "dismissed: the site asks to confirm: …",
        unconfirmed,
        kept="none",
        first=says(f"the site asks to confirm: “{WHY}”"),
    ),
    Variation("interruptions", "beforeunload", {"interruption": "beforeunload"}, SWITCHED, changed),
    Variation(
        "interruptions", "popup", {"interruption": "popup"}, SWITCHED + ", popup closed", changed_saying("popup window")
    ),
    # ---- sessions
    Variation(
        "sessions",
        "cookie rotated per response",
        {"rotate_cookies": True, "rotate_every_response": True},
        SWITCHED + "; next status signed in",
        changed,
        then=still_signed_in,
    ),
    # ---- languages: the page in German (the replica's own wording: the sources give none)
    Variation(
        "languages",
        "German page",
        {"language": "de"},
        "switched by a stable attribute or as the page's only control, else not_found",
        either(changed, says("nothing was clicked", state="not_found", action="none")),
        kept="as said",
    ),
)
GROUPS = tuple(dict.fromkeys(v.group for v in VARIATIONS))


def play(variation: Variation, stage: Stage, kits: Sequence[str]) -> dict[str, str]:
    """Sign in to `kits`, set the variation's options and run its command over all of them at once:
    per kit, what went otherwise than wanted ("" when nothing)."""
    kits = list(kits)
    for kit in kits:
        sign_in(stage.home, stage.replica, kit)
    for option, value in variation.options.items():
        setattr(stage.replica.options, option, value)
    # `disable --all` runs every platform signed in; `status` takes the platforms by name.
    which = ["--all"] if variation.command == "disable" else kits
    run = stage.cli(variation.command, *which, "--json", "--jobs", "3", "--timeout", "20", *variation.more)
    out: dict[str, str] = {}
    for kit, results in by_kit(run, kits).items():
        out[kit] = (
            _judge(variation, stage.replica, kit, results) if results else f"no result ({run.stderr.strip()[-200:]})"
        )
    if variation.then is not None:
        good = [k for k, v in out.items() if not v]
        if good:
            out.update(variation.then(stage, good))
    return out


def _judge(variation: Variation, replica: Any, kit: str, results: list[dict[str, Any]]) -> str:
    wrong = [shown(r) for r in results if not variation.rule(r)]
    if variation.first is not None and not variation.first(results[0]):
        wrong.insert(0, "first: " + shown(results[0]))
    if wrong:
        return "; ".join(wrong)
    kept = {key(r): replica.is_opted_out(kit, key(r)) for r in results}
    wanted = {
        "all": {k: True for k in kept},
        "none": {k: False for k in kept},
        "as said": {key(r): r["state"] == "opted_out" for r in results},
        # Opted out wherever optout said so; elsewhere either way (a click made before the page
        # showed why it was not certain may have been kept, and optout said it could not verify it).
        "where said": {key(r): True if r["state"] == "opted_out" else kept[key(r)] for r in results},
    }[variation.kept]
    if kept != wanted:
        return f"the server kept {kept}"
    if variation.kept == "none" and not variation.dropped and replica.writes(kit):
        return f"{replica.writes(kit)} write(s) reached the server"
    if "accepted" in replica.consents(kit):
        return "a consent banner was accepted"
    return ""


def applicable(variation: Variation, kits: Sequence[str] = PLATFORMS) -> list[str]:
    return [k for k in kits if variation.applies(k)]


def rotation() -> dict[str, list[str]]:
    """Variation id -> the kits the suite asks it of: each kit one variation of every class, of
    those that apply to it the one asked of fewest kits so far (the first such), so that every
    variation that applies to some kit is asked of one (a kit meets two of a class where its
    class has more variations that apply to few kits than it has kits). The core kits come first, so they meet
    the first variation of each class. The whole cross, the core kits' included, is asked by
    OPTOUT_MATRIX_ALL=1 and by `bench/variations.py --all`: the suite has not the minutes for it."""
    chosen: dict[str, list[str]] = {v.id: [] for v in VARIATIONS}
    for kit in CORE + [p for p in PLATFORMS if p not in CORE]:
        for group in GROUPS:
            fits = [v for v in VARIATIONS if v.group == group and v.applies(kit)]
            if fits:
                chosen[min(fits, key=lambda v: len(chosen[v.id])).id].append(kit)
    # A variation that more kinds of widget than kits share (four choice widgets, two choice kits)
    # is asked of one of its kits as well, the one asked least.
    for v in VARIATIONS:
        if not chosen[v.id] and (kits := applicable(v)):
            chosen[v.id].append(min(kits, key=lambda k: sum(k in asked for asked in chosen.values())))
    return chosen


# Cells found not as wanted by the whole cross, not yet mended: each is a bug, listed so that the
# suite stays honest about it (the test is an expected failure, not a pass) and the table shows it.
KNOWN_GAPS: dict[str, str] = {}
