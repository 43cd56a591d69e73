"""Which browser optout picks, and how `doctor --install-browser` reports its attempts: fake
executables and location tables stand in for each browser, so no Chrome or Edge is needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from optout.engine import browser
from optout.engine.browser import BrowserChoice, Channel, InstallAttempt, channel_paths, find_browser, launch_options


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def _own_shell(machine: Path) -> Path:
    """Playwright's headless shell download, in its current layout."""
    return _exe(
        machine
        / "ms-playwright"
        / "chromium_headless_shell-1255"
        / "chrome-headless-shell-linux64"
        / "chrome-headless-shell"
    )


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with nothing installed: empty PATH, empty Playwright cache, channels that live
    under tmp_path (created by each test as it needs them)."""
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setattr(
        browser,
        "CHANNELS",
        tuple(
            Channel(c.name, c.title, {sys.platform: str(tmp_path / "apps" / c.name / "chrome")})
            for c in browser.CHANNELS
        ),
    )
    return tmp_path


def test_the_order_named_playwright_chrome_edge_path(machine: Path) -> None:
    with pytest.raises(browser.NoBrowserError):
        find_browser()
    on_path = _exe(machine / "bin" / "chromium")
    assert find_browser() == BrowserChoice(on_path, "found on PATH", "Chromium")
    edge_dev = _exe(machine / "apps" / "msedge-dev" / "chrome")
    assert find_browser().channel == "msedge-dev"
    _exe(machine / "apps" / "msedge" / "chrome")
    assert find_browser().channel == "msedge"  # stable before dev
    chrome_beta = _exe(machine / "apps" / "chrome-beta" / "chrome")
    found = find_browser()
    assert (found.channel, found.path, found.title) == ("chrome-beta", chrome_beta, "Google Chrome Beta")
    _exe(machine / "apps" / "chrome" / "chrome")
    assert find_browser().channel == "chrome"  # Chrome before Edge
    old = _exe(machine / "ms-playwright" / "chromium-999" / "chrome-linux" / "chrome")
    assert find_browser().path == old
    new = _exe(machine / "ms-playwright" / "chromium-1255" / "chrome-linux64" / "chrome")
    assert find_browser() == BrowserChoice(new, "Playwright's own download")  # the newest revision
    assert find_browser(edge_dev).origin == "named with --browser"  # the one named wins over all


def test_a_channel_launches_by_channel_and_anything_else_by_path(machine: Path) -> None:
    chrome = _exe(machine / "apps" / "chrome" / "chrome")
    found = find_browser()
    assert found.describe() == f"Google Chrome (channel chrome, installed at {chrome})"
    options = launch_options(found, headless=False)
    assert options["channel"] == "chrome" and "executable_path" not in options
    assert options["headless"] is False and options["args"] == list(browser.QUIET_ARGS)
    named = launch_options(find_browser(chrome))
    assert named["executable_path"] == str(chrome) and "channel" not in named


def test_runs_without_a_window_use_the_headless_shell_beside_the_chromium_found(machine: Path) -> None:
    chromium = _exe(machine / "bin" / "chromium")
    shell = _exe(machine / "bin" / "chromium-headless-shell")
    found = find_browser()
    assert (found.path, found.headless_shell) == (chromium, shell)
    assert launch_options(found)["executable_path"] == str(shell)  # status, disable, cron
    assert launch_options(found, headless=False)["executable_path"] == str(chromium)  # login, forms
    assert "headless shell" in found.describe(headless=True) and str(shell) in found.describe()
    assert find_browser(chromium).headless_shell is None  # a browser named is used as named

    own = _exe(machine / "ms-playwright" / "chromium-1255" / "chrome-linux64" / "chrome")
    _exe(machine / "ms-playwright" / "chromium_headless_shell-1200" / "chrome-linux" / "headless_shell")
    own_shell = _own_shell(machine)
    assert find_browser() == BrowserChoice(own, "Playwright's own download", headless_shell=own_shell)


def test_a_headless_shell_alone_runs_everything_without_a_window_and_says_what_needs_one(machine: Path) -> None:
    """A server set up with `playwright install --only-shell`, or Debian's chromium-headless-shell
    alone: status, disable and cron run on it; login and forms are told a window cannot open."""
    system_shell = _exe(machine / "bin" / "chromium-headless-shell")
    found = find_browser()
    assert (found.path, found.headless_shell, found.windowless) == (system_shell, system_shell, True)
    assert launch_options(found)["executable_path"] == str(system_shell)
    with pytest.raises(browser.NoDisplayError, match="only a headless shell is installed.*playwright install chromium"):
        launch_options(found, headless=False)
    assert "nothing opens in a window" in found.describe()

    own_shell = _own_shell(machine)
    assert find_browser() == BrowserChoice(
        own_shell, "Playwright's download", "Chromium headless shell", headless_shell=own_shell
    )
    chromium = _exe(machine / "bin" / "chromium")  # any full browser comes first
    found = find_browser()
    assert (found.path, found.windowless) == (chromium, False)
    assert launch_options(found, headless=False)["executable_path"] == str(chromium)


def test_branded_browsers_have_no_headless_shell(machine: Path) -> None:
    _exe(machine / "bin" / "chromium-headless-shell")
    _exe(machine / "bin" / "google-chrome")
    assert find_browser().headless_shell is None  # Chrome on PATH: the shell is Chromium's
    _exe(machine / "apps" / "chrome" / "chrome")
    found = find_browser()
    assert found.channel == "chrome" and found.headless_shell is None
    assert launch_options(found)["channel"] == "chrome"


def test_windows_locations_are_playwrights() -> None:
    chrome = next(c for c in browser.CHANNELS if c.name == "chrome")
    env = {"LOCALAPPDATA": r"C:\Users\me\AppData\Local", "PROGRAMFILES": "C:\\Program Files", "HOMEDRIVE": "D:"}
    assert channel_paths(chrome, "win32", env) == [
        r"C:\Users\me\AppData\Local\Google\Chrome\Application\chrome.exe",
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        r"D:\Program Files\Google\Chrome\Application\chrome.exe",
        r"D:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    ]
    assert channel_paths(chrome, "darwin") == ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]
    edge_canary = next(c for c in browser.CHANNELS if c.name == "msedge-canary")
    assert channel_paths(edge_canary, "linux") == []  # Playwright knows no Edge Canary for Linux


def test_the_channel_table_matches_playwrights_registry() -> None:
    """The locations are copied from the driver bundled with the installed playwright: a new
    Playwright that moves them makes this fail instead of optout missing an installed browser."""
    import playwright

    lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    # playwright-core's registry module; recent releases bundle it into coreBundle.js.
    sources = [lib / "server" / "registry" / "index.js", lib / "coreBundle.js"]
    registry = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.is_file())
    assert "_createChromiumChannel" in registry
    for channel in browser.CHANNELS:
        for where in channel.locations.values():
            assert f'"{where}"' in registry or "`" + where.replace("\\", "\\\\") + "`" in registry, where


def _doctor_without_browser(monkeypatch: pytest.MonkeyPatch, attempts: list[InstallAttempt]) -> None:
    from optout.cli import doctor

    def nothing(explicit: Path | None = None) -> BrowserChoice:
        raise browser.NoBrowserError("no Chromium found; install one")

    monkeypatch.setattr(doctor, "find_browser", nothing)
    monkeypatch.setattr(doctor, "install_attempts", lambda: attempts)


UNREACHABLE = (
    "import sys; print('Downloading Chrome for Testing'); "
    "print('Error: getaddrinfo ENOTFOUND cdn.playwright.dev\\n    at GetAddrInfoReqWrap.onlookupall', file=sys.stderr); "
    "sys.exit(1)"
)


def test_install_browser_is_one_line_per_attempt(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts = [
        InstallAttempt("Playwright's download", [[sys.executable, "-c", UNREACHABLE]]),
        InstallAttempt(
            "the system package", [[sys.executable, "-c", "print('ok')"], [sys.executable, "-c", "exit(100)"]]
        ),
    ]
    _doctor_without_browser(monkeypatch, attempts)
    run = cli("doctor", "--install-browser")
    assert "Playwright's download: unreachable; trying the system package…" in run.stderr
    assert "the system package: failed (exit code 100)" in run.stderr
    assert "GetAddrInfoReqWrap" not in run.stderr + run.stdout and "Downloading" not in run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    run = cli("doctor", "--install-browser", env={"OPTOUT_DEBUG": "1"})
    assert "at GetAddrInfoReqWrap.onlookupall" in run.stderr  # the full story, on request
    assert "Playwright's download: unreachable; trying the system package…" in run.stderr


def test_install_browser_stops_at_the_first_that_works(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts = [
        InstallAttempt("Playwright's download", [[sys.executable, "-c", "print('done')"]]),
        InstallAttempt("the system package", [[str(tmp_path / "never-run")]]),
    ]
    _doctor_without_browser(monkeypatch, attempts)
    run = cli("doctor", "--install-browser")
    assert "Playwright's download: installed" in run.stderr and "system package" not in run.stderr


FAKE_APT = """#!{python}
# apt-get as Debian's: logs its arguments; install puts the packages' executables on PATH, and
# says what apt says of a package the sources lack (Ubuntu has no chromium-headless-shell).
import os, sys
from pathlib import Path
bin = Path(sys.argv[0]).parent
with open(bin.parent / "apt.log", "a") as log:
    print(" ".join(sys.argv[1:]), file=log)
offered = os.environ.get("FAKE_APT_OFFERS", "chromium chromium-headless-shell fonts-liberation").split()
for package in [a for a in sys.argv[2:] if not a.startswith("-")] if sys.argv[1] == "install" else []:
    if package not in offered:
        sys.exit(print(f"E: Unable to locate package {{package}}", file=sys.stderr) or 100)
    (bin / package).write_text("#!/bin/sh\\n")
    (bin / package).chmod(0o755)
"""


@pytest.fixture
def apt(machine: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Debian machine with no browser: a fake apt-get (and sudo) on PATH, Playwright's download
    left out (it would really download), the browser's launch stood in for. Returns apt's log."""
    from optout.cli import doctor

    _exe(machine / "bin" / "apt-get").write_text(FAKE_APT.format(python=sys.executable))
    _exe(machine / "bin" / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    monkeypatch.setattr(doctor, "install_attempts", lambda: browser.install_attempts()[1:])

    async def launched(choice: BrowserChoice) -> str:
        return "140.0.0.0"

    monkeypatch.setattr(doctor, "probe_version", launched)
    return machine / "apt.log"


def test_install_browser_puts_the_headless_shell_beside_the_system_chromium(cli, apt: Path) -> None:
    run = cli("doctor", "--install-browser")
    assert run.exit_code == 0, run
    assert run.stderr.splitlines() == [
        "no Chromium, Chrome or Edge found; trying the system package…",
        "the system package: installed",
        "no headless shell beside Chromium (status runs about 3x slower without it); "
        "trying the system package chromium-headless-shell…",
        "the system package chromium-headless-shell: installed",
    ]
    assert apt.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium fonts-liberation",
        "install -y -qq --no-install-recommends chromium-headless-shell",  # the lists were refreshed a moment ago
    ]
    assert "headless shell" in run.stdout and "not installed" not in run.stdout


def test_a_chromium_already_there_gets_its_headless_shell(cli, apt: Path, machine: Path) -> None:
    _exe(machine / "bin" / "chromium")
    run = cli("doctor", "--install-browser")
    assert run.stderr.splitlines() == [
        "no headless shell beside Chromium (status runs about 3x slower without it); "
        "trying the system package chromium-headless-shell…",
        "the system package chromium-headless-shell: installed",
    ]
    assert apt.read_text().splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium-headless-shell",
    ]
    assert cli("doctor", "--install-browser").stderr == ""  # nothing more to do: nothing is run
    assert len(apt.read_text().splitlines()) == 2


def test_where_apt_has_no_headless_shell_doctor_says_what_it_costs(
    cli, apt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_APT_OFFERS", "chromium fonts-liberation")
    run = cli("doctor", "--install-browser")
    assert run.exit_code == 0, run  # optout works without it, only slower
    assert "the system package chromium-headless-shell: not offered by this system's package sources" in run.stderr
    assert (
        "optout: headless shell: not installed: status runs about 3x slower without it; fix: optout doctor "
        "--install-browser, which runs apt-get install -y -qq --no-install-recommends chromium-headless-shell"
    ) in run.stderr.replace("sudo ", "")
    [check] = [c for c in json.loads(cli("doctor", "--json").stdout) if c["name"] == "headless shell"]
    assert check["ok"] and check["note"] and "3x slower" in check["detail"]


def test_only_a_chromium_can_lack_its_headless_shell(machine: Path) -> None:
    own = BrowserChoice(machine / "chrome", "Playwright's own download")
    assert browser.shell_attempt(own).commands == [
        [sys.executable, "-m", "playwright", "install", "chromium-headless-shell"]
    ]
    assert browser.shell_fix(BrowserChoice(machine / "chromium", "found on PATH")).startswith(
        "playwright install chromium"
    )
    for has_none in (
        BrowserChoice(machine / "chrome", "installed", "Google Chrome", channel="chrome"),
        BrowserChoice(machine / "google-chrome", "found on PATH", "Google Chrome"),
        BrowserChoice(machine / "chromium", "named with --browser"),
        BrowserChoice(machine / "chrome", "Playwright's own download", headless_shell=machine / "shell"),
    ):
        assert not has_none.lacks_shell and browser.shell_attempt(has_none) is None, has_none


def test_an_objection_form_with_only_a_headless_shell_is_a_manual_step(cli, machine: Path, monkeypatch) -> None:
    """The form needs a window the shell cannot open: the user gets the form's URL, not an error
    that ends the run."""
    _exe(machine / "bin" / "chromium-headless-shell")
    monkeypatch.setenv("DISPLAY", ":99")  # a screen exists: only the browser is missing a window
    run = cli("disable", "meta", "--region", "GB", "--json")
    assert run.exit_code == 3, run.stderr
    [got] = json.loads(run.stdout)
    assert got["state"] == "manual" and "only a headless shell is installed" in got["detail"]
    assert "https://www.facebook.com/help/contact/" in got["detail"]
