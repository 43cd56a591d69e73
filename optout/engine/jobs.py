"""What a run is asked to do, kept free of Playwright so the CLI can plan without loading it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from optout.recipes.schema import Platform, Regions, Setting
from optout.regions import expand
from optout.results import Result, State

if TYPE_CHECKING:
    from optout.engine.inventory import Item
    from optout.engine.session_refresh import Refresh


@dataclass(frozen=True)
class Job:
    """Some settings of one platform, for one account."""

    platform: Platform
    settings: list[Setting]
    account: str = "default"


@dataclass(frozen=True)
class RunOptions:
    home: Path
    browser: Path | None = None  # the user's --browser; otherwise found when first needed
    want: State | None = None  # None: only look; OPTED_OUT: disable; OPTED_IN: enable
    dry_run: bool = False
    jobs: int = 1  # platforms at once; the CLI's --jobs says how many
    timeout: float = 20.0  # seconds to wait for a control to render, or for a save
    region: str | None = None
    form_values: Mapping[str, str | None] = field(default_factory=dict)
    file_forms: bool = True  # False under `disable --all`: forms need the user at a window
    form_timeout: float = 600.0
    # Each result as it is made, for a progress display (the results also come back from run()).
    on_result: Callable[[Result], None] | None = None
    # Said to the user at once, while the run waits for them (an objection form to send).
    on_notice: Callable[[str], None] | None = None
    # Where the run keeps what it hands back besides its results (see RunLog); None: nothing is
    # kept, and no page's controls are listed.
    log: RunLog | None = None
    # `sessions.from`: a signed-out session imported again (optout.engine.session_refresh).
    refresh: Refresh | None = None


@dataclass
class RunLog:
    """What a run hands back besides its results, kept as it goes for the caller to read after
    run() returns or raises Interrupted (optout.actions.run)."""

    # What failed to keep the run's outcome (a session write-back, a receipt): the results stand,
    # the caller warns and exits 3 instead of 0.
    record_failures: list[str] = field(default_factory=list)
    # Every settings page once its settings were read: the platform, the page's URL and its
    # controls (discovery of new AI switches looks at them; nothing is clicked for it).
    pages: list[tuple[Platform, str, list[Item]]] = field(default_factory=list)


def region_offers(regions: Regions | None, region: str | None) -> bool | None:
    """Whether a setting exists in the user's region: True, False, or None when unknown."""
    if regions is None:
        return True
    if region is None:
        return None
    code = region.upper()
    if code in expand(regions.not_offered):
        return False
    return not regions.offered or code in expand(regions.offered)
