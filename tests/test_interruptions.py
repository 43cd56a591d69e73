"""The interruptions variation class (issue 22): what a real site puts in the way, met by kits.

Each row plays one interruption of the replica's (ReplicaOptions.interruption, the same on every
kit) on one kit: LinkedIn, X, ChatGPT, GitHub and the first two other kits of the catalogue,
taken in turn, so every kit meets two interruptions (a browser run each keeps the file short).
The wanted outcome is written beside each row and checked on every result, and against what the
server kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from optout.kits import page_settings, replica_platforms
from optout.recipes.catalogue import load_catalogue

CATALOGUE = load_catalogue()
CORE = ("linkedin", "x", "chatgpt", "github")
# Two other kits with settings on pages, the first in catalogue order (a per-resource one needs its
# blogs listed, which log_in does).
KITS = CORE + tuple(p for p in replica_platforms(CATALOGUE) if page_settings(CATALOGUE, p) and p not in CORE)[:2]
WHY = "Turn off? Turning this off means your data will no longer be used to improve our models."


def changed(r: dict) -> bool:
    return (r["state"], r["action"]) == ("opted_out", "changed")


def says(*words: str) -> Callable[[dict], bool]:
    return lambda r: changed(r) and all(w in r["detail"] for w in words)


def refused(*words: str, state: str = "error") -> Callable[[dict], bool]:
    return lambda r: r["state"] == state and r["action"] != "changed" and all(w in r["detail"] for w in words)


@dataclass(frozen=True)
class Row:
    interruption: str
    wanted: str  # the outcome, as the table in the README's closing note says it
    rule: Callable[[dict], bool]  # every result of the row meets it
    first: Callable[[dict], bool] | None = None  # the first result of each kit, when the rest differ
    command: str = "disable"
    kept: bool = True  # the server keeps every setting opted out afterwards (else: none)


# A page shows one dialog at a time: the next setting on a page whose first one asked to confirm
# is covered by that dialog, and is not clicked either.
def unconfirmed(r: dict) -> bool:
    return r["action"] == "failed" and r["state"] != "opted_out"


ROWS = (
    Row("consent", "banner refused, switched and verified", changed),
    Row("consent-necessary", "banner refused, switched and verified", changed),
    Row(
        "consent-accept-only",
        "error naming the banner, nothing clicked",
        refused("cookie-consent banner", "nothing was clicked"),
        kept=False,
    ),
    Row(
        "confirm",
        "the site asks to confirm: …, not confirmed",
        unconfirmed,
        first=lambda r: "the site asks to confirm: “Turn off?" in r["detail"],
        kept=False,
    ),
    Row(
        "reauth",
        "needs_login: the site asks you to sign in again",
        refused("the site asks you to sign in again", state="needs_login"),
        kept=False,
    ),
    Row(
        "bot-403", "error: the platform showed a bot check", refused("showed a bot check"), command="status", kept=False
    ),
    Row(
        "bot-503", "error: the platform showed a bot check", refused("showed a bot check"), command="status", kept=False
    ),
    Row(
        "bot-challenge",
        "error: the platform showed a bot check",
        refused("showed a bot check"),
        command="status",
        kept=False,
    ),
    Row("alert", "switched and verified, the alert quoted", says("the site said “Your choice will be saved")),
    Row(
        "js-confirm",
        "confirm() dismissed: the site asks to confirm: …",
        unconfirmed,
        first=lambda r: f"the site asks to confirm: “{WHY}”" in r["detail"],
        kept=False,
    ),
    Row("beforeunload", "switched and verified", changed),
    Row("popup", "switched and verified, the popup named and closed", says("popup window", "which optout closed")),
)


def stored_key(result: dict) -> str:
    return result["setting"] + (f"@{result['resource']}" if result["resource"] else "")


@pytest.mark.parametrize(
    ("platform", "row"), [(KITS[i % len(KITS)], row) for i, row in enumerate(ROWS)], ids=[r.interruption for r in ROWS]
)
def test_interruption(log_in, cli, replica, platform: str, row: Row) -> None:
    log_in(platform)
    replica.options.interruption = row.interruption
    results = json.loads(cli(row.command, platform, "--json").stdout)
    wrong = [(r["setting"], r["state"], r["action"], r["detail"]) for r in results if not row.rule(r)]
    assert results and wrong == [], row.wanted
    if row.first is not None:
        assert row.first(results[0]), (row.wanted, results[0]["detail"])
    kept = {stored_key(r): replica.is_opted_out(platform, stored_key(r)) for r in results}
    assert set(kept.values()) == {row.kept}, (row.wanted, kept)
    assert "accepted" not in replica.consents(platform)  # never accepted on the user's behalf
    if not row.kept:
        assert replica.writes(platform) == 0, row.wanted


def with_confirm(tmp_path: Path, platform: str, confirm: dict[str, str]) -> str:
    """The catalogue's recipe of `platform` as a user's recipe file, its toggles declaring `confirm`."""
    recipe = CATALOGUE.platforms[platform]
    data = recipe.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for s in data["settings"]:
        if s["kind"] == "toggle":
            s["confirm"] = confirm
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "platforms": {platform: data}}, allow_unicode=True))
    return str(path)


@pytest.mark.parametrize(
    ("interruption", "platform", "confirm"),
    [
        ("confirm", "linkedin", {"role": "button", "name": "Turn off"}),
        ("js-confirm", "claude", {"text": WHY}),
    ],
)
def test_a_declared_confirmation_is_given(log_in, cli, replica, tmp_path, interruption, platform, confirm) -> None:
    """A recipe's `confirm` is pressed (the dialog's button of exactly that name, never "Keep"),
    or accepted (a browser confirm() of exactly that text): switched and verified."""
    log_in(platform)
    replica.options.interruption = interruption
    run = cli("disable", platform, "--json", "--recipes", with_confirm(tmp_path, platform, confirm))
    assert [(r["state"], r["action"]) for r in json.loads(run.stdout)] == [("opted_out", "changed")], run.stdout
    assert all(replica.is_opted_out(platform, key) for key in replica.state(platform))


# The rules themselves, without a browser.
BANNER = [{"text": "Accept all", "id": ""}, {"text": "Manage options", "id": ""}]


@pytest.mark.parametrize(
    ("buttons", "recipe", "chosen"),
    [
        (BANNER + [{"text": "Reject  All", "id": ""}], None, 2),  # a common wording, case and spacing aside
        (BANNER + [{"text": "Refuse", "id": "onetrust-reject-all-handler"}], None, 2),  # a platform's own id
        (BANNER + [{"text": "No thanks", "id": ""}], "No thanks", 2),  # the recipe's own button
        (BANNER, None, None),  # nothing refuses: nothing is chosen
        (BANNER, "Accept all", None),  # a recipe naming an accepting button is not followed
        (BANNER + [{"text": "Accept all", "id": "onetrust-reject-all-handler"}], None, None),  # nor a misused id
        (BANNER + [{"text": "Reject", "id": ""}, {"text": "Reject", "id": ""}], None, None),  # two alike
    ],
)
def test_a_banner_is_only_ever_refused(buttons, recipe, chosen) -> None:
    from optout.engine.consent import _choose

    platform = CATALOGUE.platforms["linkedin"].model_copy(update={"consent_reject": recipe})
    assert _choose(platform, buttons) == chosen


def test_a_confirmation_is_for_toggles_and_choices_only() -> None:
    from pydantic import ValidationError

    from optout.recipes.schema import Setting

    gemini = next(s for s in CATALOGUE.platforms["gemini"].settings if s.kind == "menu")
    with pytest.raises(ValidationError, match="confirm is only for kind"):
        Setting.model_validate({**gemini.model_dump(exclude_none=True), "confirm": {"role": "button", "name": "OK"}})
