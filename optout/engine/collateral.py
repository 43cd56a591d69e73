"""What else a change switched: every control the page shows, before the change and after it.

A click can reach another control (an overlay), and a page or its API can write more than the
one setting it was asked to: either leaves the user with a setting changed that they never
asked for. So the page's controls are listed before acting, as the server had them, and again on
the fresh page that verifies the change; a control shown both times, other than the setting's
own, whose state differs was switched by the change. A control that appears or disappears (a
sub-switch shown only while its master switch is on) was not switched: it is not compared.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from playwright.async_api import ElementHandle, Page

from optout.engine.evidence import Secrets
from optout.engine.inventory import Item, inventory, inventory_of
from optout.recipes.schema import Platform

# What tells one control from another across two loads of a page (a generated id is left out
# already): the same role, name, group and stable attributes.
Key = tuple[str, str, str, tuple[tuple[str, str], ...]]


def key(item: Item) -> Key:
    return (item.role, item.name, item.group, tuple(sorted(item.attributes.items())))


@dataclass(frozen=True)
class Before:
    """The page's controls before the change, and which of them are the setting's own."""

    items: tuple[Item, ...]
    mine: frozenset[Key]


async def before(page: Page, platform: Platform, handle: ElementHandle) -> Before:
    """The controls of `page` as it shows them before `handle`'s setting is changed."""
    listed = await inventory_of(page, platform, handle)
    return Before(tuple(item for item, _ in listed), frozenset(key(item) for item, part in listed if part))


def switched(earlier: Before, after: list[Item]) -> list[tuple[Item, Item]]:
    """The controls, other than the setting's own, shown both before and after with another
    state, as (before, after) pairs. Controls that look alike are paired in page order, and only
    when the page shows as many of them both times (else which is which is unknown)."""
    was: dict[Key, list[Item]] = defaultdict(list)
    now: dict[Key, list[Item]] = defaultdict(list)
    for item in earlier.items:
        was[key(item)].append(item)
    for item in after:
        now[key(item)].append(item)
    changed = []
    for k, items in was.items():
        if k in earlier.mine or len(now.get(k, ())) != len(items):
            continue
        changed += [(a, b) for a, b in zip(items, now[k], strict=True) if a.state and b.state and a.state != b.state]
    return changed


def sentence(changes: list[tuple[Item, Item]]) -> str:
    """ "the page also switched 'Let recruiters see my private profile' on: check it"."""
    parts = []
    for a, b in changes:
        name = f"'{Secrets().clean(b.name)}'" if b.name else f"a {b.role} with no name"
        on_off = {a.state, b.state} == {"on", "off"}
        parts.append(f"{name} {b.state}" if on_off else f"{name} from '{a.state}' to '{b.state}'")
    return f"the page also switched {', '.join(parts)}: check {'it' if len(parts) == 1 else 'them'}"


async def problem(fresh: Page, platform: Platform, earlier: Before) -> str | None:
    """What else the change switched, as `fresh` (the page that verifies it) shows; None if nothing."""
    changes = switched(earlier, await inventory(fresh, platform))
    return sentence(changes) if changes else None
