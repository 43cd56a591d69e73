"""Finding a Chromium that Playwright can drive, and launching it the same way everywhere.

In order: the browser the user named, Playwright's own download, an installed Google Chrome,
an installed Microsoft Edge, then a Chromium on PATH. On macOS and Windows Chrome and Edge are
installed but not on PATH, so they are found where Playwright itself looks for its "channels",
without starting Playwright's driver (that costs a Node process and most of a second), and then
launched through the channel, exactly as Playwright launches them.

Runs without a window (status, disable, enable: what cron runs) use Chromium's headless shell
when one is installed beside the Chromium found, as Playwright does with its own download: the
same engine without the desktop browser around it, at well under half the CPU (an 8-platform
status here: 6.8 s of CPU instead of 17). A browser the user named is used as named.

A server may have the headless shell alone (`playwright install --only-shell`, Debian's
chromium-headless-shell): it is used for every run without a window, and what needs a window
(`login` in a browser, objection forms) says a full Chromium is missing.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.errors import NoBrowserError, NoDisplayError, OptoutError, first_line

if TYPE_CHECKING:
    from playwright.async_api import Playwright, PlaywrightContextManager

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_SHELL = "chromium-headless-shell"  # Debian's package of that name, beside its chromium
OWN_DOWNLOAD = "Playwright's own download"
ON_PATH = "found on PATH"
# What running without the headless shell costs: `optout demo` here took 123 s with Debian's
# chromium alone and 38 s with chromium-headless-shell beside it (issue 20, measured 2026-12-02).
SHELL_COST = "status runs about 3x slower without it"

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
    "(Debian/Ubuntu: `sudo apt-get install chromium`), or Google Chrome or Microsoft Edge, "
    "or name one with --browser PATH / OPTOUT_BROWSER"
)


@dataclass(frozen=True)
class Channel:
    """A branded browser Playwright can launch by name (`chromium.launch(channel=name)`)."""

    name: str
    title: str
    locations: Mapping[str, str]  # sys.platform -> executable; on win32, below each program folder


# Where Playwright looks for each channel, copied from playwright-core's registry
# (lib/server/registry/index.js, `_createChromiumChannel`; bundled into lib/coreBundle.js of the
# driver in the playwright package), so a browser found here is one Playwright will launch.
# Chrome before Edge, stable before beta, dev and canary.
CHANNELS: tuple[Channel, ...] = (
    Channel(
        "chrome",
        "Google Chrome",
        {
            "linux": "/opt/google/chrome/chrome",
            "darwin": "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            "win32": r"\Google\Chrome\Application\chrome.exe",
        },
    ),
    Channel(
        "chrome-beta",
        "Google Chrome Beta",
        {
            "linux": "/opt/google/chrome-beta/chrome",
            "darwin": "/Applications/Google Chrome Beta.app/Contents/MacOS/Google Chrome Beta",
            "win32": r"\Google\Chrome Beta\Application\chrome.exe",
        },
    ),
    Channel(
        "chrome-dev",
        "Google Chrome Dev",
        {
            "linux": "/opt/google/chrome-unstable/chrome",
            "darwin": "/Applications/Google Chrome Dev.app/Contents/MacOS/Google Chrome Dev",
            "win32": r"\Google\Chrome Dev\Application\chrome.exe",
        },
    ),
    Channel(
        "chrome-canary",
        "Google Chrome Canary",
        {
            "linux": "/opt/google/chrome-canary/chrome",
            "darwin": "/Applications/Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary",
            "win32": r"\Google\Chrome SxS\Application\chrome.exe",
        },
    ),
    Channel(
        "msedge",
        "Microsoft Edge",
        {
            "linux": "/opt/microsoft/msedge/msedge",
            "darwin": "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            "win32": r"\Microsoft\Edge\Application\msedge.exe",
        },
    ),
    Channel(
        "msedge-beta",
        "Microsoft Edge Beta",
        {
            "linux": "/opt/microsoft/msedge-beta/msedge",
            "darwin": "/Applications/Microsoft Edge Beta.app/Contents/MacOS/Microsoft Edge Beta",
            "win32": r"\Microsoft\Edge Beta\Application\msedge.exe",
        },
    ),
    Channel(
        "msedge-dev",
        "Microsoft Edge Dev",
        {
            "linux": "/opt/microsoft/msedge-dev/msedge",
            "darwin": "/Applications/Microsoft Edge Dev.app/Contents/MacOS/Microsoft Edge Dev",
            "win32": r"\Microsoft\Edge Dev\Application\msedge.exe",
        },
    ),
    Channel(
        "msedge-canary",
        "Microsoft Edge Canary",
        {
            "darwin": "/Applications/Microsoft Edge Canary.app/Contents/MacOS/Microsoft Edge Canary",
            "win32": r"\Microsoft\Edge SxS\Application\msedge.exe",
        },
    ),
)


@dataclass(frozen=True)
class BrowserChoice:
    """The browser to launch and how it was found; `channel` is set for a branded browser, which
    Playwright then launches by channel rather than by path. `headless_shell` is the lighter build
    of the same Chromium used for runs without a window, when one is installed."""

    path: Path
    origin: str
    title: str = "Chromium"
    channel: str | None = None
    headless_shell: Path | None = None

    @property
    def lacks_shell(self) -> bool:
        """A Chromium that runs without a window in its full build because its headless shell is
        not installed (Chrome and Edge run by channel, and a browser named with --browser runs as
        named: neither has one to lack)."""
        return (
            self.headless_shell is None
            and self.channel is None
            and self.origin in (OWN_DOWNLOAD, ON_PATH)
            and self.title == "Chromium"
        )

    @property
    def windowless(self) -> bool:
        """Only a headless shell was found: nothing can be shown in a window."""
        return self.headless_shell is not None and self.path == self.headless_shell

    def describe(self, *, headless: bool = False) -> str:
        if self.windowless:
            return f"{self.title} ({self.origin} at {self.path}; no full Chromium, so nothing opens in a window)"
        if headless and self.headless_shell is not None:
            return f"Chromium headless shell (beside {self.title}, at {self.headless_shell})"
        shell = f"; headless shell at {self.headless_shell}" if self.headless_shell is not None else ""
        return f"{self.title} ({self.origin} at {self.path}{shell})"


def channel_paths(channel: Channel, platform: str = sys.platform, env: Mapping[str, str] = os.environ) -> list[str]:
    """Every place Playwright looks for the channel on this system, in its order. On Windows a
    browser is installed per user (LOCALAPPDATA) or for everyone (Program Files)."""
    suffix = channel.locations.get(platform)
    if not suffix:
        return []
    if platform != "win32":
        return [suffix]
    prefixes = [env.get("LOCALAPPDATA"), env.get("PROGRAMFILES"), env.get("PROGRAMFILES(X86)")]
    drive = env.get("HOMEDRIVE")
    if drive:
        prefixes += [drive + r"\Program Files", drive + r"\Program Files (x86)"]
    return [prefix.rstrip("\\/") + suffix for prefix in prefixes if prefix]


def _installed_channels() -> Iterator[BrowserChoice]:
    for channel in CHANNELS:
        for place in channel_paths(channel):
            if Path(place).is_file():
                yield BrowserChoice(Path(place), f"channel {channel.name}, installed", channel.title, channel.name)
                break


def _playwright_cache() -> Path:
    """Where `playwright install` puts browsers (the registry directory of playwright-core)."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if root == "0":  # inside the installed playwright package
        spec = importlib.util.find_spec("playwright")  # finds it without importing it
        package = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else Path()
        return package / "driver" / "package" / ".local-browsers"
    if root:
        return Path(root).absolute()
    if sys.platform == "darwin":
        cache = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32":
        cache = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ms-playwright"


# Playwright's Chromium inside its cache, per system (EXECUTABLE_PATHS in the same registry; the
# Chromium.app form is that of Playwright releases before Chrome for Testing).
_OWN_PATTERNS = (
    "chromium-*/chrome-linux*/chrome",
    "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
    "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
    "chromium-*/chrome-win*/chrome.exe",
)


# Its headless shell (`playwright install chromium-headless-shell`, which `playwright install
# chromium` also fetches): the current layout, then that of releases before Chrome for Testing.
_OWN_SHELL_PATTERNS = (
    "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell",
    "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell.exe",
    "chromium_headless_shell-*/chrome-*/headless_shell",
    "chromium_headless_shell-*/chrome-*/headless_shell.exe",
)


def _revision(path: Path) -> int:
    """The download's revision (chromium-1200, chromium_headless_shell-1200 -> 1200): the newest
    is the one to use."""
    found = re.search(r"chromium(?:_headless_shell)?-(\d+)", str(path))
    return int(found.group(1)) if found else -1


def _newest(patterns: tuple[str, ...]) -> Path | None:
    """The newest download in Playwright's cache matching one of patterns, found without starting
    Playwright's driver."""
    base = _playwright_cache()
    found = [path for pattern in patterns for path in base.glob(pattern)]
    return max(found, key=_revision) if found else None


def _on_path() -> Iterator[BrowserChoice]:
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            chrome = "chrome" in name
            shell = None if chrome else shutil.which(SYSTEM_SHELL)
            yield BrowserChoice(
                Path(found),
                ON_PATH,
                "Google Chrome" if chrome else "Chromium",
                headless_shell=Path(shell) if shell else None,
            )


def find_browser(explicit: Path | None = None) -> BrowserChoice:
    """The browser to use: the one the user named, else Playwright's, else an installed Chrome,
    else an installed Edge, else a Chromium on PATH."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file() or not os.access(path, os.X_OK):
            raise NoBrowserError(f"--browser {explicit}: no executable there; {HOW_TO_GET_ONE}")
        return BrowserChoice(path, "named with --browser", path.name)
    own = _newest(_OWN_PATTERNS)
    if own is not None:
        return BrowserChoice(own, OWN_DOWNLOAD, headless_shell=_newest(_OWN_SHELL_PATTERNS))
    found = next(chain(_installed_channels(), _on_path(), _shell_alone()), None)
    if found is not None:
        return found
    raise NoBrowserError(f"no Chromium found; {HOW_TO_GET_ONE}")


def _shell_alone() -> Iterator[BrowserChoice]:
    """A headless shell with no full browser beside it: enough for every run without a window."""
    for shell, origin in (
        (_newest(_OWN_SHELL_PATTERNS), "Playwright's download"),
        (shutil.which(SYSTEM_SHELL), ON_PATH),
    ):
        if shell:
            yield BrowserChoice(Path(shell), origin, "Chromium headless shell", headless_shell=Path(shell))


def launch_options(choice: BrowserChoice, *, headless: bool = True) -> dict[str, Any]:
    """Keyword arguments for `chromium.launch()`: the headless shell for a run without a window
    when there is one, else a branded browser by its channel (Playwright knows its quirks by
    channel), any other by its path."""
    if not headless and choice.windowless:
        raise NoDisplayError(
            f"only a headless shell is installed ({choice.path}), which cannot open a window; {HOW_TO_GET_ONE}"
        )
    where: dict[str, object]
    if headless and choice.headless_shell is not None:
        where = {"executable_path": str(choice.headless_shell)}
    else:
        where = {"channel": choice.channel} if choice.channel else {"executable_path": str(choice.path)}
    return {"headless": headless, "args": list(QUIET_ARGS), **where}


def launch_failure(choice: BrowserChoice, exc: Exception, *, headless: bool = True) -> OptoutError:
    """A one-line explanation of why the browser would not start, instead of Playwright's dump.
    A visible window that finds no X server is a missing display, not a broken browser."""
    text = str(exc)
    if not headless and ("X server" in text or "DISPLAY" in text):
        shown = os.environ.get("DISPLAY")
        return NoDisplayError(f"cannot open display {shown!r}" if shown else "no display is available")
    return NoBrowserError(f"could not start {choice.describe(headless=headless)}: {first_line(exc)}; {HOW_TO_GET_ONE}")


def driver() -> PlaywrightContextManager:
    """Playwright's driver, a Node process every run starts. Node compiles Playwright's scripts
    anew each time unless told where to keep the compiled code: NODE_COMPILE_CACHE in optout's
    cache folder (unless already set) saves about a quarter of the driver's start (0.68 -> 0.52 s
    measured here). It holds compiled code only, nothing of the user's."""
    from playwright.async_api import async_playwright

    from optout.home.paths import cache_home

    os.environ.setdefault("NODE_COMPILE_CACHE", str(cache_home() / "node-compile-cache"))
    return async_playwright()


def start_driver() -> asyncio.Future[Playwright]:
    """Start Playwright's driver in the running loop, for a caller to hand to the engine's `run`
    once it has planned the run, or to `abandon`: its Node process takes half a second to load,
    which can pass while the caller reads the catalogue."""
    return asyncio.ensure_future(driver().start())


async def abandon(starting: asyncio.Future[Playwright]) -> None:
    """Stop a driver started early that no run will use."""
    try:
        pw = await starting
    except Exception:  # noqa: BLE001 - nothing was asked of it
        return
    await pw.stop()


async def probe_version(choice: BrowserChoice) -> str:
    """Really launch, headless, each build the choice stands for, in one driver: the headless
    shell runs use and the browser login and forms open, when they differ. Returns the version of
    the first: proof that they work."""
    from playwright.async_api import Error

    builds = [choice]
    if choice.headless_shell is not None and not choice.windowless:
        builds.append(replace(choice, headless_shell=None))
    async with driver() as pw:
        versions = []
        for build in builds:
            try:
                browser = await pw.chromium.launch(**launch_options(build))
            except Error as exc:
                raise launch_failure(build, exc) from None
            versions.append(browser.version)
            await browser.close()
        return versions[0]


@dataclass(frozen=True)
class InstallAttempt:
    """One way to get a Chromium: its commands run in order, and it worked if all of them did."""

    label: str
    commands: list[list[str]]


def _apt_get(*args: str) -> list[str]:
    return ([] if os.geteuid() == 0 else ["sudo"]) + ["apt-get", *args]


_APT_UPDATE = ("update", "-qq")
# What a windowless run needs of Debian's chromium is its Depends; its Recommends (a printer
# dialog, udev, upower, Mesa's GPU drivers, a notification daemon) add 100 packages and 30 MB to
# the download, and a third to the install's time. The one Recommends a receipt needs is a font.
_APT_INSTALL = ("install", "-y", "-qq", "--no-install-recommends")
_FONTS = "fonts-liberation"  # metric-compatible Arial, Times and Courier: pages render as designed


def install_attempts() -> list[InstallAttempt]:
    """Ways to get a Chromium, in order of preference: Playwright's own download (its headless
    shell comes with it), then the system package (Debian/Ubuntu), where the machine has apt-get."""
    attempts = [InstallAttempt("Playwright's download", [[sys.executable, "-m", "playwright", "install", "chromium"]])]
    if shutil.which("apt-get"):
        attempts.append(
            InstallAttempt("the system package", [_apt_get(*_APT_UPDATE), _apt_get(*_APT_INSTALL, "chromium", _FONTS)])
        )
    return attempts


def shell_attempt(choice: BrowserChoice, *, lists_fresh: bool = False) -> InstallAttempt | None:
    """How to get the headless shell choice lacks (BrowserChoice.lacks_shell): Playwright's download
    of it beside Playwright's Chromium, Debian's chromium-headless-shell beside a Chromium on PATH
    where there is apt-get (its package lists refreshed first, unless this run has just done it)."""
    if not choice.lacks_shell:
        return None
    if choice.origin == OWN_DOWNLOAD:
        command = [sys.executable, "-m", "playwright", "install", "chromium-headless-shell"]
        return InstallAttempt("Playwright's headless shell", [command])
    if not shutil.which("apt-get"):
        return None
    install = _apt_get(*_APT_INSTALL, SYSTEM_SHELL)
    return InstallAttempt(
        f"the system package {SYSTEM_SHELL}", [install] if lists_fresh else [_apt_get(*_APT_UPDATE), install]
    )


def shell_fix(choice: BrowserChoice) -> str:
    """What the user can run for the headless shell choice lacks."""
    attempt = shell_attempt(choice, lists_fresh=True)
    if attempt is None:  # a Chromium on PATH with no apt-get to ask
        return "playwright install chromium (Playwright's Chromium and its headless shell, used before this one)"
    return f"optout doctor --install-browser, which runs {' '.join(attempt.commands[-1])}"


# What a download that never reached its server prints (Node's and apt's wording).
_UNREACHABLE = re.compile(
    r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|"
    r"Temporary failure resolving|Could not resolve|Failed to fetch|Network is unreachable"
)


# What apt says of a package this system's sources do not have (Ubuntu has no chromium-headless-shell).
_NOT_OFFERED = re.compile(r"Unable to locate package|has no installation candidate")


def why_failed(output: str, returncode: int) -> str:
    """A few words on why an install command failed, for the one line shown per attempt."""
    if _UNREACHABLE.search(output):
        return "unreachable"
    if _NOT_OFFERED.search(output):
        return "not offered by this system's package sources"
    return f"failed (exit code {returncode})"


def has_display() -> bool:
    """Whether a visible browser window can be shown (login, objection forms)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
