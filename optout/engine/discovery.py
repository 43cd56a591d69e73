"""New AI settings a platform added quietly: controls that speak of AI training and that no recipe
describes. Plain rules over a page's inventory, kept apart from the browser, so `status`,
`disable` and `discover` judge alike and the rules are tested without a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from optout.engine.inventory import Item
from optout.recipes.patterns import is_regex, name_pattern
from optout.recipes.schema import PLACEHOLDER, Platform
from optout.results import Discovery

# Roles that hold a setting a person switches or picks: the controls discovery looks at.
SETTING_ROLES = frozenset({"switch", "checkbox", "radio", "radiogroup", "combobox", "listbox"})
# Words of AI training, in the languages the recipes cover (English and German): AI/KI, training,
# models, Grok, Gemini, machine learning, improving a model, sharing with third parties.
AI_WORDS = re.compile(
    r"\b(ai|ki|a\.i\.|xai|artificial intelligence|künstliche[nr]? intelligenz|generative?|generativen?"
    r"|train\w*|trainier\w*|grok|gemini|copilot|llms?|machine learning|maschinelles? lernen"
    r"|models?|modell\w*|third[- ]part(y|ies)|dritt\w*)\b"
    r"|improv\w*.*\bmodel|verbesser\w*.*modell",
    re.IGNORECASE,
)


def speaks_of_ai(name: str) -> bool:
    return AI_WORDS.search(name) is not None


def _names(name: str, shown: str) -> bool:
    """Whether a recipe's control name matches a shown name. A per-resource `{blog}` in it stands
    for any value: the page of each blog shows its own name there."""
    if PLACEHOLDER.search(name) and is_regex(name):
        name = PLACEHOLDER.sub(".+", name)
    elif PLACEHOLDER.search(name):  # plain text around the placeholder: a /regex/ that keeps it literal
        name = "/" + ".+".join(re.escape(part) for part in PLACEHOLDER.split(name)[::2]) + "/"
    return name_pattern(name).search(shown) is not None


def described(platform: Platform, item: Item, items: list[Item]) -> bool:
    """Whether a setting of the recipe is this control: by its names, its stable attributes, or
    as the sole control of its role on a page a setting claims for itself (`sole`)."""
    for s in platform.settings:
        c = s.control
        if c is None or c.role != item.role:
            continue
        if any(_names(n, item.name) for n in c.names):
            return True
        if c.attributes and all(item.attributes.get(k) == v for k, v in c.attributes.items()):
            return True
        if c.sole and sum(1 for i in items if i.role == item.role) == 1:
            return True
    return False


def discoveries(platform: Platform, url: str, items: list[Item]) -> list[Discovery]:
    """The page's switches, checkboxes and choices that speak of AI and no recipe describes; a
    choice's options count as the choice (Medium's "Minimize third-party training" is a value of
    the setting the recipe knows, not a new one)."""
    return [
        Discovery(platform.id, url, i.role, i.name, i.state)
        for i in items
        if i.role in SETTING_ROLES and not i.group and speaks_of_ai(i.name) and not described(platform, i, items)
    ]


def found_on(pages: Iterable[tuple[Platform, str, list[Item]]]) -> list[Discovery]:
    """The discoveries on the pages a run saw; the history keeps them and says which are new, the
    only ones to print and notify (History.remember)."""
    return [d for platform, url, items in pages for d in discoveries(platform, url, items)]
