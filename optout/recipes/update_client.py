"""`optout recipes update`: fetch the newest published catalogue through The Update Framework.

python-tuf's ngclient does the verifying (signature thresholds, root rotation, expiry, rollback
and freeze protection) from a trusted root: the one bundled with optout, or OPTOUT_UPDATE_ROOT.
Its trusted metadata is kept per repository under HOME/recipes/tuf/. The target is the catalogue
file itself; its exact bytes are then validated by the same strict loader as any recipe file, and
only a catalogue that passes replaces the installed one (atomically). Anything refused leaves the
previous catalogue in use. Imported only by that command and by the daily check of scheduled runs:
TUF and its cryptography take a noticeable time to import.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from optout import __version__
from optout.errors import OptoutError, RecipeError, UsageError, first_line
from optout.exit_codes import ExitCode
from optout.home.lock import file_lock
from optout.home.storage import private_dir, write_json, write_private
from optout.recipes.files import bundled_path, too_old
from optout.recipes.updates import (
    ATTEMPT_NAME,
    CATALOGUE_NAME,
    CHANGED_NAME,
    STATE_NAME,
    Installed,
    active,
    bundled_root,
    folder,
    recipe_changed,
    update_url,
)

if TYPE_CHECKING:
    from tuf.api.metadata import TargetFile
    from tuf.ngclient import Updater

    from optout.recipes.schema import Catalogue

PUBLISHED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
DEFAULT_TIMEOUT = 10  # seconds per request of `recipes update`
SCHEDULED_TIMEOUT = 3  # seconds per request of a scheduled run's check...
SCHEDULED_LIMIT = 15  # ...and for the whole check (urllib3 retries a request that timed out)


@dataclass(frozen=True)
class Outcome:
    """What a check did, as the one line to print."""

    message: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _trust_root() -> bytes:
    path = Path(os.environ.get("OPTOUT_UPDATE_ROOT", "").strip() or bundled_root())
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the trusted root {path}: {exc.strerror}") from None


def _metadata_dir(home: Path, url: str) -> Path:
    """The trusted metadata of one repository: what TUF compares the next download with."""
    return private_dir(folder(home) / "tuf" / hashlib.sha256(url.encode()).hexdigest()[:16])


def _why(exc: BaseException, timeout: float) -> str:
    """Why a download failed, shortly: urllib3 words its errors at length, around the cause."""
    from tuf.api import exceptions as tuf

    text = " ".join(str(part) for part in (exc, exc.__cause__, exc.__context__) if part is not None)
    # urllib3 counts a refused connection as a connect timeout, which tuf reports as slow retrieval
    for cause in ("Connection refused", "Name or service not known", "certificate"):
        if cause.lower() in text.lower():
            return cause.lower()
    if isinstance(exc, tuf.SlowRetrievalError):
        return f"no answer within {timeout:g} s"
    return first_line(text) or type(exc).__name__


def _refusal(exc: Exception) -> str:
    """One line naming what TUF refused, in the user's terms."""
    from tuf.api import exceptions as tuf

    name = type(exc).__name__
    if isinstance(exc, tuf.ExpiredMetadataError):
        return f"refused: the repository's metadata has expired, a stale or frozen mirror ({exc})"
    if isinstance(exc, tuf.BadVersionNumberError):
        return f"refused: the repository offers an older version than one already trusted, a rollback ({exc})"
    if isinstance(exc, tuf.LengthOrHashMismatchError):
        return f"refused: the catalogue does not match its signed length and hashes, it was altered ({exc})"
    if isinstance(exc, tuf.UnsignedMetadataError):
        return f"refused: metadata not signed by enough trusted keys ({exc})"
    return f"refused: {name}: {exc}"


def check(home: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Outcome:
    """Refresh the trusted metadata and install the published catalogue when it is new and valid.

    Raises OptoutError when nothing could be installed for a reason the user should hear (exit
    USAGE: what was offered is not trusted; UNDETERMINED: the repository could not be asked, so
    nothing is known); returns the line to print otherwise."""
    url = update_url()
    if url is None:
        raise UsageError(
            "no update repository is set in this optout yet: name one with OPTOUT_UPDATE_URL "
            "(and its root with OPTOUT_UPDATE_ROOT)"
        )
    try:
        from tuf.api import exceptions as tuf
        from tuf.ngclient import Updater, UpdaterConfig
        from tuf.ngclient.urllib3_fetcher import Urllib3Fetcher
    except ImportError:
        raise UsageError("recipe updates need python-tuf: pip install 'tuf>=6' 'securesystemslib[crypto]'") from None

    with file_lock(private_dir(folder(home)) / ".update.lock"):
        metadata = _metadata_dir(home, url)
        bootstrap = None if (metadata / "root.json").exists() else _trust_root()
        # tuf annotates socket_timeout as int; it is handed to urllib3, which takes seconds as a float.
        fetcher = Urllib3Fetcher(socket_timeout=timeout, app_user_agent=f"optout/{__version__}")  # type: ignore[arg-type]
        try:
            updater = Updater(
                str(metadata),
                f"{url}/metadata/",
                target_base_url=f"{url}/targets/",
                fetcher=fetcher,
                config=UpdaterConfig(prefix_targets_with_hash=True),
                bootstrap=bootstrap,
            )
            updater.refresh()
            info = updater.get_targetinfo(CATALOGUE_NAME)
        except tuf.DownloadError as exc:
            raise OptoutError(f"could not reach {url}: {_why(exc, timeout)}", exit_code=ExitCode.UNDETERMINED) from None
        except tuf.RepositoryError as exc:
            raise OptoutError(_refusal(exc), exit_code=ExitCode.USAGE) from None
        except (ValueError, OSError) as exc:  # a damaged trusted root or local metadata, a full disk
            raise OptoutError(f"could not check {url}: {_why(exc, timeout)}", exit_code=ExitCode.UNDETERMINED) from None
        if info is None:
            raise OptoutError(
                f"refused: the repository at {url} publishes no {CATALOGUE_NAME}", exit_code=ExitCode.USAGE
            )
        return _install(home, url, updater, info)


def _install(home: Path, url: str, updater: Updater, info: TargetFile) -> Outcome:
    """Download the target (unless the installed file is it), validate it, install it."""
    from tuf.api import exceptions as tuf

    from optout.recipes.catalogue import parse_catalogue
    from optout.recipes.schema import VERSION

    custom = info.custom or {}
    version = custom.get("version") if isinstance(custom.get("version"), int) else None
    published = custom.get("published")
    published = published if isinstance(published, str) and PUBLISHED.fullmatch(published) else None
    needed = custom.get("min_optout")
    if needed is not None and not (isinstance(needed, str) and re.match(VERSION, needed)):
        raise OptoutError(f"refused: the catalogue's min_optout {needed!r} is not a version", exit_code=ExitCode.USAGE)
    previous = Installed.read(home)
    target = folder(home) / CATALOGUE_NAME
    state = Installed(target, version, published, _now(), url, None, needed, __version__)
    if needed is not None and too_old(__version__, needed):
        kept = previous if previous is not None and previous.sha256 else None
        _write_state(home, replace(kept, checked=state.checked, confirmed_by=__version__) if kept else state)
        return Outcome(
            f"catalogue version {version} needs optout {needed} or newer: ignored, "
            f"{'the installed update' if kept else 'the bundled catalogue'} stays in use (upgrade optout to use it)"
        )
    try:
        current = updater.find_cached_target(info, str(target)) if target.exists() else None
    except (OSError, tuf.RepositoryError):
        current = None
    if current is not None and previous is not None and previous.sha256:
        _write_state(home, replace(state, sha256=previous.sha256))
        return Outcome(f"the catalogue is up to date (version {version}, published {published})")
    with tempfile.TemporaryDirectory(dir=folder(home)) as scratch:
        download = Path(scratch) / CATALOGUE_NAME
        try:
            updater.download_target(info, str(download))
        except tuf.DownloadError as exc:
            raise OptoutError(
                f"could not download the catalogue from {url}: {exc}", exit_code=ExitCode.UNDETERMINED
            ) from None
        except tuf.RepositoryError as exc:
            raise OptoutError(_refusal(exc), exit_code=ExitCode.USAGE) from None
        try:
            new = parse_catalogue(download)
        except RecipeError as exc:
            raise OptoutError(
                f"refused: catalogue version {version} is signed but fails validation, not installed: {exc.lines[0]}",
                exit_code=ExitCode.USAGE,
            ) from None
        data = download.read_bytes()
    before = _in_use(home)  # read before the new file replaces an installed one
    write_private(target, data)
    _write_state(home, replace(state, sha256=hashlib.sha256(data).hexdigest()))
    _note_changed_recipes(home, before, new)
    return Outcome(f"installed catalogue version {version} (published {published}) from {url}")


def _fingerprints(catalogue: Catalogue) -> dict[str, str]:
    """Each setting's recipe as a digest ("platform/setting" keys): what the engine acts on."""
    return {
        f"{pid}/{setting.id}": hashlib.sha256(setting.model_dump_json().encode()).hexdigest()
        for pid, platform in catalogue.platforms.items()
        for setting in platform.settings
    }


def _in_use(home: Path) -> dict[str, str]:
    """The fingerprints of the catalogue commands read now (an installed update, else the bundled
    one); {} when it no longer reads, which makes every recipe of the new one count as changed."""
    from optout.recipes.catalogue import parse_catalogue

    try:
        return _fingerprints(parse_catalogue(active(home) or bundled_path()))
    except (RecipeError, OSError):
        return {}


def _note_changed_recipes(home: Path, before: dict[str, str], new: Catalogue) -> None:
    """Record which settings' recipes the installed catalogue changed against the one in use
    before it (`before`, its fingerprints), and when (HOME/recipes/changed.json), so that a
    setting that was not found says "recipe updated since the last run" on its next check."""
    at = datetime.now(UTC).isoformat()  # to the microsecond: a check in the same second came before it
    changed = {name: at for name, digest in _fingerprints(new).items() if before.get(name) != digest}
    if not changed:
        return
    kept = {name: when.isoformat() for name, when in recipe_changed(home).items()}
    write_json(folder(home) / CHANGED_NAME, kept | changed)


def _write_state(home: Path, state: Installed) -> None:
    write_json(folder(home) / STATE_NAME, state.as_state())


def scheduled(home: Path) -> str | None:
    """The check of a scheduled run, before it reads the recipes: the line to warn with when it
    failed, else None. Bounded by SCHEDULED_LIMIT seconds in all: the check runs in a thread left
    behind when it takes longer (installing is atomic, and a catalogue half-recorded is never read),
    so a repository that hangs delays the run by that much at most and never fails it."""
    limit, timeout = SCHEDULED_LIMIT, SCHEDULED_TIMEOUT
    try:
        write_json(folder(home) / ATTEMPT_NAME, {"at": time.time()})
    except (UsageError, OSError) as exc:
        return f"recipe update check skipped: {exc}"
    failed: list[str] = []

    def work() -> None:
        try:
            check(home, timeout=timeout)
        except OptoutError as exc:
            failed.append(str(exc))
        except Exception as exc:  # a check must never fail the run it comes before
            failed.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=work, name="optout-recipe-update", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        return f"recipe update check gave up after {limit:g} s; the catalogue in use stays"
    return f"recipe update check failed: {failed[0]}; the catalogue in use stays" if failed else None
