"""Benchmark: what listing a page's controls costs (the inventory every check now takes for the
discovery of new AI switches, and that `not_found` hints and `explore` use).

Target: well under 50 ms per page, small beside a page load. Run:
    .venv/bin/python bench/inventory_cost.py [--repeat 20]
It prints figures; it asserts nothing (timings are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from playwright.async_api import async_playwright

from optout.engine.browser import find_browser, launch_options
from optout.engine.inventory import inventory
from optout.kits import replica_platforms
from optout.kits.replica import Replica
from optout.recipes.catalogue import load_catalogue
from optout.replica import TEST_USER, ReplicaOptions


async def measure(repeat: int) -> None:
    with Replica(ReplicaOptions(render_delay=0.0)) as replica:
        cat = load_catalogue(origins=replica.origins)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options(find_browser(None)))  # type: ignore[arg-type]
            for pid in replica_platforms(cat):
                platform = cat.platforms[pid]
                url = next((s.url for s in platform.settings if s.control and s.url and "{" not in s.url), None)
                if url is None:
                    continue
                context = await browser.new_context(storage_state=replica.storage_state(pid, TEST_USER))  # type: ignore[arg-type]
                page = await context.new_page()
                await page.goto(url)
                await page.wait_for_load_state("networkidle")
                times, count = [], 0
                for _ in range(repeat):
                    start = time.perf_counter()
                    count = len(await inventory(page, platform))
                    times.append((time.perf_counter() - start) * 1000)
                print(
                    f"{pid:10} {count:3} controls  median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms"
                )
                await context.close()
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    asyncio.run(measure(parser.parse_args().repeat))


if __name__ == "__main__":
    main()
