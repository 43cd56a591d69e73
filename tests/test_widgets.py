"""The widget rule of menus (issue 22): which item a recipe's name picks when items carry
secondary text, by the engine itself in a real Chromium. The widget and names variations of every
kit are rows of the kit × variation table (tests/variation_table.py).
"""

from __future__ import annotations

from optout.engine.browser import BrowserChoice
from tests.helpers import launched

# Menus as sites draw them: each item's name with secondary text, or a longer item that merely
# starts the same; what `/^Turn off$/` picks in each (the ids), by the engine itself.
MENUS = [
    (
        "<div role=menuitem id=a>Turn off <span>1 step</span></div>"
        "<div role=menuitem id=b>Turn off and delete activity<span> 1 step</span></div>",
        ["a"],
    ),
    ("<div role=menuitem id=b><b>Turn off</b> and delete activity</div>", []),
    ("<div role=menuitem id=b>Turn off <b>and delete activity</b></div>", []),
    ("<div role=menuitem id=a><span>Turn off</span><span class=hint>Stops saving</span></div>", ["a"]),
    ("<div role=menuitem id=a>Turn off</div><div role=menuitem id=b>Turn off <span>1 step</span></div>", ["a"]),
    (
        "<div role=menuitem id=a>Turn off <span>1 step</span></div>"
        "<div role=menuitem id=b>Turn off <span>2 steps</span></div>",
        ["a", "b"],
    ),
]


def test_a_menu_item_is_picked_by_its_whole_name_then_its_own_text(chromium: BrowserChoice) -> None:
    import asyncio

    from optout.engine.locate import named

    async def picks() -> list[list[str | None]]:
        async with launched(chromium) as browser:
            tab = await browser.new_page()
            got = []
            for html, _ in MENUS:
                await tab.set_content(html)
                got.append([await h.get_attribute("id") for h in await named(tab, ("menuitem",), "/^Turn off$/")])
            return got

    assert asyncio.run(picks()) == [wanted for _, wanted in MENUS]
