"""`optout recipes new ID`: the two pieces a new platform needs, as stubs that already validate.

The recipe stub goes at the end of the catalogue; the kit stub is a folder with a replica that
describes no page yet. The generic test matrix then runs for the new platform at once and fails
where the kit or the recipe is still a stub, which is the list of what is left to do.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from optout.errors import UsageError

ID_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")

RECIPE = """
  {pid}:
    # TODO: every fact below is a placeholder; cite where each real one comes from in `sources`.
    name: {title}
    origin: https://www.{pid}.com
    domains: [{pid}.com]
    confidence: inferred
    login:
      url: https://www.{pid}.com/login
      logged_out_urls: [/login]
      session_cookies: []
    settings:
      - id: ai-training
        title: TODO the setting's title as the site shows it
        url: https://www.{pid}.com/settings/privacy
        kind: toggle
        control:
          role: switch
          names: [TODO the switch's label]
        opted_out: "off"
        sources:
          - url: https://www.{pid}.com/help
            checked: {today}
            note: TODO where these facts come from
"""

KIT = '''"""Replica of {title}'s settings page. TODO: describe what it reproduces and from which facts.

Until `pages` describes the real page (its path, controls, labels, defaults), the generic tests in
tests/test_matrix.py fail for this platform: they are the list of what is left to do.
"""

from __future__ import annotations

from optout.replica.kit_site import KitSite


class {cls}(KitSite):
    name = "{pid}"
    brand = "{title}"
    session_cookie = "session"  # TODO: the recipe's session cookie
    pages = ()  # TODO: SettingsPage(path=..., title=..., heading=..., controls=(Control(...),))


SITE = {cls}
'''


def new_platform(pid: str, catalogue: Path, kits: Path, today: date | None = None) -> list[Path]:
    """Append a recipe stub for `pid` to `catalogue` and create its kit stub under `kits`;
    returns what was written. Refuses an invalid or existing id, touching nothing."""
    if not ID_RE.match(pid):
        raise UsageError(f"platform id {pid!r}: use lower-case letters, digits and dashes (e.g. mastodon)")
    text = catalogue.read_text(encoding="utf-8")
    if re.search(rf"(?m)^  {re.escape(pid)}:\s*$", text):
        raise UsageError(f"{catalogue} already has a recipe for {pid!r}")
    folder = kits / pid
    if folder.exists():
        raise UsageError(f"{folder} already exists")
    title = pid.replace("-", " ").title()
    cls = re.sub(r"[^A-Za-z0-9]", "", title) or "Platform"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "site.py").write_text(KIT.format(pid=pid, title=title, cls=cls))
    (folder / "style.css").write_text("/* TODO: the platform's look, over the shared kit.css */\n")
    with catalogue.open("a", encoding="utf-8") as out:
        out.write(RECIPE.format(pid=pid, title=title, today=(today or date.today()).isoformat()))
    return [catalogue, folder / "site.py", folder / "style.css"]


# Roles whose state is the setting itself, and roles whose state is the option picked.
_TOGGLE_ROLES = ("switch", "checkbox", "radio")
_CHOICE_ROLES = ("combobox", "listbox", "radiogroup")


def control_snippet(role: str, name: str, attributes: dict[str, str], state: str, url: str, today: date) -> str:
    """A recipe snippet (YAML) for a control `optout explore` listed: a setting for a switch,
    checkbox or choice, a navigation step for anything else (the button that opens a dialog).
    Its guesses are marked TODO: which state means opted out is a fact to check, not to infer."""
    import yaml

    control: dict[str, object] = {"role": role, "names": [name]}
    if attributes:
        control["attributes"] = dict(attributes)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower())[:40].strip("-") or "new-setting"
    setting: dict[str, object] = {"id": slug, "title": name, "url": url}
    if role in _TOGGLE_ROLES:
        setting |= {"kind": "toggle", "control": control, "opted_out": "off"}
    elif role in _CHOICE_ROLES:
        states = {"opted_out": "TODO the option that means opted out", "opted_in": state or "TODO"}
        setting |= {"kind": "choice", "control": control, "states": states}
    else:
        return yaml.safe_dump([{"click": {"role": role, "name": name}}], sort_keys=False, allow_unicode=True)
    setting["sources"] = [{"url": url, "checked": today.isoformat()}]
    return yaml.safe_dump([setting], sort_keys=False, allow_unicode=True)
