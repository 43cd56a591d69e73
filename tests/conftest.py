"""Shared fixtures: a throwaway home, the CLI runner, and replica platforms on loopback."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import Run, invoke, sign_in

if TYPE_CHECKING:
    from optout.engine.browser import BrowserChoice
    from optout.kits.replica import Replica

# Tests never touch the real user's state, browser session or config.
for var in (
    "OPTOUT_HOME",
    "OPTOUT_RECIPES",
    "OPTOUT_ORIGIN",
    "OPTOUT_ACCOUNT",
    "OPTOUT_BROWSER",
    "OPTOUT_TIMEOUT",
    "OPTOUT_JOBS",
    "OPTOUT_UPDATE_URL",
    "OPTOUT_UPDATE_ROOT",
    "OPTOUT_NO_UPDATES",
):
    os.environ.pop(var, None)
# Node's compiled-code cache for Playwright's driver (optout.engine.browser.driver) in a scratch folder,
# shared by the test processes, instead of the user's cache folder.
os.environ.setdefault("NODE_COMPILE_CACHE", str(Path(tempfile.gettempdir()) / "optout-tests-node-cache"))


def closed_port(host: str = "127.0.0.1") -> int:
    """A port of `host` that nothing listens on: bound for a moment, then released. OSError when
    the address is not on this machine."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own cache folder: a platforms listing one test cached never answers another."""
    folder = tmp_path / "cache"
    monkeypatch.setattr("optout.home.paths.cache_home", lambda: folder)
    return folder


@pytest.fixture
def cli(home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Invoke `optout ...` in-process with a throwaway home; returns exit code, stdout, stderr."""
    monkeypatch.setenv("OPTOUT_HOME", str(home))
    return invoke


@pytest.fixture
def log_in(home: Path, replica: Replica) -> Callable[..., None]:
    """Sign the test member in to a replica platform as `optout login` would (a stored session),
    and list the kit's blogs or sites for per-resource settings as `optout config set` would."""
    return partial(sign_in, home, replica)


@pytest.fixture(scope="session")
def chromium() -> BrowserChoice:
    """The Chromium optout would pick on this machine (the test is skipped where there is none).
    A test that launches one asks for this fixture, which marks it `browser`."""
    from optout.engine.browser import find_browser
    from optout.errors import NoBrowserError

    try:
        return find_browser()
    except NoBrowserError as exc:
        pytest.skip(f"no Chromium: {exc}")


# A test that asks for one of these (itself or through another fixture) drives a real Chromium:
# the replicas are only ever read by one, and xvfb is the display of a visible one.
BROWSER_FIXTURES = frozenset({"chromium", "replica", "xvfb"})


# Files whose tests each run optout over many kits at once, tens of seconds a test: they are asked
# first, so that the workers share them while the many short tests fill the end, rather than
# one of them starting last and holding up the whole run.
MANY_KITS = frozenset({"test_matrix.py", "test_variation_table.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `browser` every test that uses a browser fixture, so `pytest -m "not browser"` starts
    no Chromium without each test having to remember its mark; and ask the long ones first."""
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.path.name not in MANY_KITS)  # stable: the rest keep their order


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[Replica]:
    """Every kit's replica on 127.0.0.1, with OPTOUT_ORIGIN pointing the recipes at them."""
    from optout.kits.replica import Replica
    from optout.replica import ReplicaOptions

    with Replica(ReplicaOptions()) as running:
        monkeypatch.setenv("OPTOUT_ORIGIN", running.origin_env())
        monkeypatch.setenv("OPTOUT_TIMEOUT", "15")
        yield running


def _start_xvfb(exe: str, number: int) -> subprocess.Popen[bytes] | None:
    """Xvfb on :number once its socket is there; None when that display turned out to be taken."""
    server = subprocess.Popen(
        [exe, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket, lock = Path(f"/tmp/.X11-unix/X{number}"), Path(f"/tmp/.X{number}-lock")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return None
        # The display is ours only if its lock holds our server's pid: another test process may
        # have started a server on the same number a moment earlier, and its socket would do.
        if socket.exists() and lock.is_file() and lock.read_text().strip() == str(server.pid):
            return server
        time.sleep(0.05)
    server.kill()
    server.wait()
    return None


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A private X display on a number nobody uses (Xvfb's -displayfd dies on the first server reset)."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (Debian: apt-get install xvfb)")
    for number in range(90 + os.getpid() % 100, 300):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        server = _start_xvfb(exe, number)
        if server is not None:
            break
    else:
        pytest.skip("Xvfb would not start on any free display")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Endpoint:
    """A local HTTP server that records what Apprise's json:// posts; paths with "fail" get 500."""

    port: int
    posts: list[dict[str, object]] = field(default_factory=list)

    def url(self, path: str = "", auth: str = "") -> str:
        return f"json://{auth}127.0.0.1:{self.port}/{path}"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, **json.loads(body)})
            self.send_response(500 if "fail" in self.path else 200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Endpoint(server.server_address[1], received)
    finally:
        server.shutdown()
        server.server_close()
