"""What a run is asked to do, kept free of Playwright so the CLI can plan without loading it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from optout.regions import expand
from optout.results import Result, State
from optout.schema import Platform, Regions, Setting

if TYPE_CHECKING:
    from optout.engine.inventory import Item
    from optout.session_refresh import Refresh


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
    on_result: Callable[[Result], None] | None = None
    on_notice: Callable[[str], None] | None = None
    # Something that keeps the run's outcome failed (the session write-back): the results stand,
    # the caller warns and exits 3 instead of 0 (see optout.cli.run_cmds).
    on_record_failure: Callable[[str], None] | None = None
    # Every settings page once its settings were read: the platform, the page's URL and its
    # controls (discovery of new AI switches looks at them; nothing is clicked for it).
    on_page: Callable[[Platform, str, list[Item]], None] | None = None
    refresh: Refresh | None = None  # `sessions.from`: a signed-out session imported again (optout.session_refresh)


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
