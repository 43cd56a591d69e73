"""Finding a Chromium that Playwright can drive, and launching it the same way everywhere.

Playwright's own download is preferred; where `playwright install` cannot run (no network to its
CDN, a distro policy) a system Chromium or Chrome works just as well.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from optout.errors import NoBrowserError, NoDisplayError, OptoutError, first_line

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Without these, Chromium keeps phoning home (updates, sync, field trials): noise at best, and on a
# closed network a stream of refused connections. optout only ever visits the platforms' pages.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
)

HOW_TO_GET_ONE = (
    "install one with `playwright install chromium`, or the system package "
    "(Debian/Ubuntu: `sudo apt-get install chromium`), or name one with --browser PATH / OPTOUT_BROWSER"
)


@dataclass(frozen=True)
class BrowserChoice:
    """The executable to launch and how it was found."""

    path: Path
    origin: str

    def describe(self) -> str:
        return f"{self.path} ({self.origin})"


def _playwright_chromium() -> Path | None:
    """Playwright's downloaded Chromium, found without starting Playwright's driver."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    base = Path(root) if root and root != "0" else Path.home() / ".cache" / "ms-playwright"
    for pattern in (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-win*/chrome.exe",
    ):
        found = sorted(base.glob(pattern), reverse=True)
        if found:
            return found[0]
    return None


def find_browser(explicit: Path | None = None) -> BrowserChoice:
    """The browser to use: the one the user named, else Playwright's, else one on PATH."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file() or not os.access(path, os.X_OK):
            raise NoBrowserError(f"--browser {explicit}: no executable there; {HOW_TO_GET_ONE}")
        return BrowserChoice(path, "--browser")
    own = _playwright_chromium()
    if own is not None:
        return BrowserChoice(own, "installed by playwright")
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(Path(found), "found on PATH")
    raise NoBrowserError(f"no Chromium found; {HOW_TO_GET_ONE}")


def launch_options(choice: BrowserChoice, *, headless: bool = True) -> dict[str, object]:
    """Keyword arguments for `chromium.launch()`."""
    return {"headless": headless, "args": list(QUIET_ARGS), "executable_path": str(choice.path)}


def launch_failure(choice: BrowserChoice, exc: Exception, *, headless: bool = True) -> OptoutError:
    """A one-line explanation of why the browser would not start, instead of Playwright's dump.
    A visible window that finds no X server is a missing display, not a broken browser."""
    text = str(exc)
    if not headless and ("X server" in text or "DISPLAY" in text):
        shown = os.environ.get("DISPLAY")
        return NoDisplayError(f"cannot open display {shown!r}" if shown else "no display is available")
    return NoBrowserError(f"could not start {choice.describe()}: {first_line(exc)}; {HOW_TO_GET_ONE}")


async def probe_version(choice: BrowserChoice) -> str:
    """Really launch the browser headless and return its version: proof that it works."""
    from playwright.async_api import Error, async_playwright

    async with async_playwright() as pw:
        try:
            browser = await pw.chromium.launch(**launch_options(choice))
        except Error as exc:
            raise launch_failure(choice, exc) from None
        version = browser.version
        await browser.close()
        return version


def install_commands() -> list[list[str]]:
    """Ways to get a Chromium, in order of preference: Playwright's own download, then the
    system package (Debian/Ubuntu), where the machine has apt-get."""
    import sys

    commands = [[sys.executable, "-m", "playwright", "install", "chromium"]]
    if shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        commands += [sudo + ["apt-get", "update", "-qq"], sudo + ["apt-get", "install", "-y", "-qq", "chromium"]]
    return commands


def has_display() -> bool:
    """Whether a visible browser window can be shown (login, objection forms)."""
    import sys

    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
