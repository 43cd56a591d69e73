"""The suite's shared helpers, one copy each: the CLI run in-process, a member signed in to a
replica as `optout login` would leave them, and a Chromium launched the way optout launches it.

The fixtures in conftest.py are built on these; a test that needs one with other arguments (its
own home, no resource config, a recorded identity) calls it directly instead of copying it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typer.testing import CliRunner

if TYPE_CHECKING:
    from playwright.async_api import Browser
    from playwright.sync_api import Browser as SyncBrowser

    from optout.engine.browser import BrowserChoice


@dataclass
class Run:
    """What one in-process `optout ...` did."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Both streams, for a check that a secret appears in neither."""
        return self.stdout + self.stderr


def in_runs(kits: list[str], size: int) -> list[list[str]]:
    """`kits` in runs of at most `size`, in order: one optout run over every kit takes a minute or
    more, which the suite's workers can share once it is split into tests of a run each."""
    return [kits[i : i + size] for i in range(0, len(kits), size)]


def invoke(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run `optout *args` in-process; an exception the CLI lets through fails the test, with its
    own traceback, rather than passing as a non-zero exit."""
    from optout.cli.app import app

    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def sign_in(
    home: Path,
    replica: Any,
    platform: str = "linkedin",
    email: str | None = None,
    account: str = "default",
    *,
    identity: dict[str, Any] | None = None,
    resources: bool = True,
) -> None:
    """Store the replica member's session in `home` as `optout login` would; with `resources`,
    also list the kit's blogs or sites for per-resource settings as `optout config set` would."""
    from optout.home.sessions import SessionStore
    from optout.home.user_config import UserConfig
    from optout.kits import resource_config
    from optout.kits.replica import REPLICA_DOMAINS
    from optout.recipes.catalogue import load_catalogue
    from optout.replica import TEST_USER

    state = replica.storage_state(platform, email or TEST_USER)
    SessionStore(home).save(platform, REPLICA_DOMAINS, state, account, identity=identity)
    if resources:
        for key, value in resource_config(load_catalogue(), platform).items():
            UserConfig(home).set(key, value)


@asynccontextmanager
async def launched(choice: BrowserChoice) -> AsyncIterator[Browser]:
    """A headless Chromium launched with optout's own options (flags, headless shell), closed
    however the test leaves it. `choice` is the `chromium` fixture's, so that a test launching
    one is marked `browser` (conftest.py)."""
    from playwright.async_api import async_playwright

    from optout.engine.browser import launch_options

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options(choice))
        try:
            yield browser
        finally:
            await browser.close()


@contextmanager
def launched_sync(choice: BrowserChoice) -> Iterator[SyncBrowser]:
    """`launched` for Playwright's synchronous API."""
    from playwright.sync_api import sync_playwright

    from optout.engine.browser import launch_options

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options(choice))
        try:
            yield browser
        finally:
            browser.close()
