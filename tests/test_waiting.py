"""The waiting every result rests on, without a browser: which requests keep a page busy
(optout/engine/writes.py, quiet.py), when a page has settled (quiet.settle, still_for), when a
reading is trusted (locate.read_settled), and what is decided with no page at all (settled.py).

A fake page plays Playwright's events and scripts, and a fake clock stands in for time.monotonic,
so each rule is shown by what the page did, never by waiting: a timeout that must run out is
AT_ONCE, and each test runs in one event loop (a watcher's events belong to the loop it waited in)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Error

from optout.engine import locate, quiet, settled, writes
from optout.engine.jobs import Job, RunOptions
from optout.engine.locate import HOLD_SECONDS, Reading
from optout.engine.quiet import Activity, settle, still_for
from optout.engine.writes import WriteWatcher
from optout.recipes.catalogue import load_catalogue
from optout.results import Action, State

PLATFORM = ["linkedin.com"]
AT_ONCE = 0.001  # not 0: asyncio.wait_for(…, 0) gives up even on an event that is already set


@dataclass(eq=False)  # a request is itself, as Playwright's are: two alike are two requests
class FakeRequest:
    url: str
    resource_type: str = "fetch"
    method: str = "GET"


@dataclass
class FakeResponse:
    request: FakeRequest


@dataclass
class FakePage:
    """The events a watcher listens to, and page.evaluate answered by `scripts` in turn (a value,
    an exception to raise, or a callable run then)."""

    listeners: dict[str, list[Callable[[Any], None]]] = field(default_factory=dict)
    scripts: list[Any] = field(default_factory=list)
    evaluated: int = 0

    def on(self, event: str, listener: Callable[[Any], None]) -> None:
        self.listeners.setdefault(event, []).append(listener)

    def remove_listener(self, event: str, listener: Callable[[Any], None]) -> None:
        self.listeners[event].remove(listener)

    def emit(self, event: str, payload: Any) -> None:
        for listener in list(self.listeners.get(event, [])):
            listener(payload)

    def start(self, url: str, kind: str = "fetch", method: str = "GET") -> FakeRequest:
        request = FakeRequest(url, kind, method)
        self.emit("request", request)
        return request

    def answer(self, request: FakeRequest) -> None:
        self.emit("response", FakeResponse(request))

    async def evaluate(self, script: str, arg: Any = None) -> Any:
        self.evaluated += 1
        answer = self.scripts.pop(0) if self.scripts else 0
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            return answer()
        if answer is NEVER:  # a DOM that never goes quiet
            await asyncio.Event().wait()
        return answer


NEVER = object()


class FakeClock:
    """time.monotonic for the modules under test; it moves only when a test (or a fake) says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    for module in (writes, quiet, locate):
        monkeypatch.setattr(module, "time", fake)
    return fake


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def page() -> FakePage:
    return FakePage()


@pytest.fixture
def activity(page: FakePage) -> Iterator[Activity]:
    with Activity(page, PLATFORM) as watching:  # on a fake page: Playwright's events, played by the test
        yield watching


# --- which requests keep a page busy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "counts"),
    [
        ("https://www.linkedin.com/api/settings", "fetch", True),
        ("https://linkedin.com/api/settings", "xhr", True),
        ("https://www.linkedin.com/mypreferences", "document", True),
        ("https://static.linkedin.com/app.js", "script", True),
        ("https://www.linkedin.com/logo.png", "image", False),  # an image never holds a reading back
        ("https://www.linkedin.com/track", "ping", False),  # nor a beacon
        ("https://www.linkedin.com/site.css", "stylesheet", False),
        ("https://tracker.example/collect", "fetch", False),  # another site's fetch is not the platform's
        ("https://notlinkedin.com/api", "fetch", False),  # nor a look-alike host
    ],
)
def test_activity_counts_the_platforms_own_traffic_only(
    page: FakePage, activity: Activity, url: str, kind: str, counts: bool
) -> None:
    page.start(url, kind)
    assert (activity.started, activity.in_flight) == ((1, 1) if counts else (0, 0))


@pytest.mark.parametrize("ending", ["response", "requestfinished", "requestfailed"])
def test_an_answer_a_finish_or_a_failure_ends_a_request(page: FakePage, activity: Activity, ending: str) -> None:
    request = page.start("https://www.linkedin.com/api")
    other = page.start("https://www.linkedin.com/api")  # the same URL twice: two requests

    async def scenario() -> list[tuple[int, bool]]:
        page.emit(ending, FakeResponse(request) if ending == "response" else request)
        one_left = (activity.in_flight, await activity.idle(AT_ONCE))
        page.answer(other)
        return [one_left, (activity.in_flight, await activity.idle(AT_ONCE))]

    assert run(scenario()) == [(1, False), (0, True)]
    assert activity.started == 2


def test_last_activity_moves_with_the_platforms_requests_only(page: FakePage, clock: FakeClock) -> None:
    with Activity(page, PLATFORM) as activity:
        started = clock.now
        clock.now += 5
        request = page.start("https://www.linkedin.com/api")
        assert activity.last_activity == started + 5
        clock.now += 3
        page.start("https://tracker.example/collect")
        page.answer(FakeRequest("https://www.linkedin.com/never-sent"))  # not one of ours
        assert activity.last_activity == started + 5
        page.answer(request)
        assert activity.last_activity == started + 8


def test_first_waits_for_a_request_and_idle_for_every_answer(page: FakePage, activity: Activity) -> None:
    async def looks() -> list[tuple[bool, bool]]:
        seen = [(await activity.first(AT_ONCE), await activity.idle(AT_ONCE))]  # nothing started yet
        request = page.start("https://www.linkedin.com/api")
        seen.append((await activity.first(AT_ONCE), await activity.idle(AT_ONCE)))
        page.answer(request)
        return [*seen, (await activity.first(AT_ONCE), await activity.idle(AT_ONCE))]

    assert run(looks()) == [(False, True), (True, False), (True, True)]


def test_idle_waits_for_a_request_started_just_as_the_last_one_was_answered(page: FakePage) -> None:
    async def scenario() -> tuple[bool, bool]:
        with Activity(page, PLATFORM) as activity:
            first = page.start("https://www.linkedin.com/api")
            waiting = asyncio.create_task(activity.idle(30))
            await asyncio.sleep(0)  # a turn of the loop: the wait has begun
            page.answer(first)  # idle for an instant...
            second = page.start("https://www.linkedin.com/api/more")  # ...before the waiter wakes
            await asyncio.sleep(0)
            still_waiting = not waiting.done()
            page.answer(second)
            return still_waiting, await asyncio.wait_for(waiting, 30)

    assert run(scenario()) == (True, True)


def test_a_closed_watcher_hears_no_more_requests(page: FakePage) -> None:
    activity = Activity(page, PLATFORM)
    activity.close()
    page.start("https://www.linkedin.com/api")
    assert activity.started == 0 and all(not listeners for listeners in page.listeners.values())


@pytest.mark.parametrize(
    ("method", "kind", "counts"),
    [("POST", "fetch", True), ("PUT", "xhr", True), ("GET", "fetch", False), ("OPTIONS", "fetch", False)]
    + [("POST", "ping", False)],  # sendBeacon: analytics, not the save
)
def test_a_write_is_a_non_read_request_that_is_not_a_beacon(
    page: FakePage, method: str, kind: str, counts: bool
) -> None:
    with WriteWatcher(page, PLATFORM) as watcher:
        page.start("https://www.linkedin.com/api", kind, method)
        assert watcher.started == int(counts)


# --- when a page has settled ----------------------------------------------------------------------


def test_a_quiet_page_with_nothing_in_flight_is_settled(page: FakePage, activity: Activity) -> None:
    assert run(settle(page, activity, 5))
    assert page.evaluated == 1  # one wait for the DOM's quiet


def test_a_request_in_flight_holds_settling_until_it_is_answered(page: FakePage, activity: Activity) -> None:
    async def scenario() -> tuple[int, bool]:
        request = page.start("https://www.linkedin.com/api")
        settling = asyncio.create_task(settle(page, activity, 30))
        await asyncio.sleep(0)
        looked = page.evaluated  # the DOM is not even looked at while the platform is busy
        page.answer(request)
        return looked, await asyncio.wait_for(settling, 30)

    assert run(scenario()) == (0, True)


def test_a_request_unanswered_at_the_timeout_is_not_settled(page: FakePage, activity: Activity) -> None:
    page.start("https://www.linkedin.com/api")

    async def both() -> list[bool]:
        return [await settle(page, activity, 0.0), await settle(page, activity, AT_ONCE)]

    assert run(both()) == [False, False] and page.evaluated == 0


def test_a_dom_that_never_goes_quiet_is_not_settled_at_the_timeout(page: FakePage, activity: Activity) -> None:
    page.scripts = [NEVER]
    assert not run(settle(page, activity, AT_ONCE))


def test_a_request_started_while_the_dom_went_quiet_is_waited_for(page: FakePage, activity: Activity) -> None:
    late: list[FakeRequest] = []
    waits: list[int] = []  # how many requests were in flight at each wait for the platform
    idle = activity.idle

    async def answered_while_waited_for(timeout: float) -> bool:
        waits.append(activity.in_flight)
        while late:
            page.answer(late.pop())  # the server answers while settle waits
        return await idle(timeout)

    activity.idle = answered_while_waited_for
    page.scripts = [lambda: late.append(page.start("https://www.linkedin.com/api")), 0]
    assert run(settle(page, activity, 30))
    assert waits == [0, 1] and page.evaluated == 2  # quiet, but a request came: its answer, then quiet again


def test_a_navigation_during_the_wait_starts_it_over_on_the_new_page(page: FakePage, activity: Activity) -> None:
    page.scripts = [Error("Execution context was destroyed"), 0]
    assert run(settle(page, activity, 5))
    assert page.evaluated == 2


def test_still_for_is_the_shorter_of_the_doms_stillness_and_the_platforms(
    page: FakePage, activity: Activity, clock: FakeClock
) -> None:
    activity.last_activity = clock.now - 0.5  # the platform answered half a second ago
    page.scripts = [1500.0, 200.0]  # the DOM: still for 1.5 s, then for 0.2 s
    assert run(still_for(page, activity)) == 0.5
    assert run(still_for(page, activity)) == pytest.approx(0.2)
    page.start("https://www.linkedin.com/api")
    assert run(still_for(page, activity)) == 0.0  # busy: not still at all


def test_a_navigating_page_has_not_been_still(page: FakePage, activity: Activity, clock: FakeClock) -> None:
    activity.last_activity = clock.now - 10
    page.scripts = [Error("navigating")]
    assert run(still_for(page, activity)) == 0.0


# --- when a reading is trusted (locate.read_settled) ----------------------------------------------

ON, OFF = Reading(True), Reading(False)
CHANGING = "the control kept changing while it was read"


@dataclass
class Script:
    """The control's readings in turn, whether each settle succeeds, and the seconds each wait
    takes on the fake clock."""

    readings: list[Reading]
    settles: list[bool] = field(default_factory=lambda: [True] * 20)
    settle_takes: float = 0.5
    change_takes: float = 0.3
    read: int = 0

    def install(self, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
        async def read(handle: Any, setting: Any) -> Reading:
            self.read += 1
            return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]

        async def settle(page: Any, activity: Any, timeout: float) -> bool:
            clock.now += self.settle_takes
            return self.settles.pop(0)

        async def next_change(page: Any, timeout: float, since: int = -1) -> bool:
            clock.now += min(self.change_takes, timeout)
            return True

        monkeypatch.setattr(locate, "read", read)
        monkeypatch.setattr(locate, "settle", settle)
        monkeypatch.setattr(locate, "next_change", next_change)


def read_settled(script: Script, monkeypatch: pytest.MonkeyPatch, clock: FakeClock, timeout: float = 5) -> Reading:
    script.install(monkeypatch, clock)
    return run(locate.read_settled(None, None, None, None, timeout))


def test_two_agreeing_readings_of_a_settled_page_are_the_reading(monkeypatch, clock: FakeClock) -> None:
    script = Script([OFF, OFF])
    assert read_settled(script, monkeypatch, clock) == OFF and script.read == 2


def test_a_placeholder_drawn_before_the_settings_arrived_is_read_past(monkeypatch, clock: FakeClock) -> None:
    script = Script([OFF, ON, ON])  # the first frame's switch, then the server's state
    assert read_settled(script, monkeypatch, clock) == ON and script.read == 3


def test_a_control_still_changing_at_the_timeout_is_unreadable(monkeypatch, clock: FakeClock) -> None:
    script = Script([ON, OFF, ON, OFF, ON, OFF, ON, OFF], settle_takes=1.0)
    got = read_settled(script, monkeypatch, clock, timeout=3)
    assert (got.on, got.problem) == (None, CHANGING)


def test_a_page_that_never_settles_must_hold_the_state_at_each_change(monkeypatch, clock: FakeClock) -> None:
    script = Script([ON, ON], settles=[False])  # a ticking clock elsewhere on the page
    start = clock.now
    assert read_settled(script, monkeypatch, clock) == ON
    assert clock.now - start >= HOLD_SECONDS  # held through the changes for HOLD_SECONDS
    assert script.read == 2 + int(HOLD_SECONDS / script.change_takes) + 1


def test_a_control_that_flips_while_it_is_held_is_unreadable(monkeypatch, clock: FakeClock) -> None:
    script = Script([ON, ON, ON, OFF], settles=[False])
    got = read_settled(script, monkeypatch, clock)
    assert (got.on, got.problem) == (None, CHANGING)


# --- what is decided with no page (settled.decide) ------------------------------------------------


def _decide(platform: str, setting: str, home: Path, receipt: dict[str, Any] | None = None, **options: Any):
    recipe = load_catalogue().platforms[platform]
    chosen = next(s for s in recipe.settings if s.id == setting)
    return settled.decide(Job(recipe, recipe.settings), chosen, RunOptions(home=home, **options), receipt)


def test_a_toggle_is_left_to_the_page(tmp_path: Path) -> None:
    assert _decide("linkedin", "ai-training", tmp_path) is None


@pytest.mark.parametrize(
    ("platform", "setting", "options", "state", "words"),
    [
        ("reddit", "ai-training", {}, State.NOT_OFFERED, ""),  # no opt-out at all
        ("wordpress", "third-party-sharing", {}, State.MANUAL, "optout config set wordpress.site"),
        ("instagram", "reuse-with-ai", {}, State.MANUAL, "In the Instagram app"),  # the recipe's own steps
        ("copilot", "text-training", {"region": "br"}, State.NOT_OFFERED, "not offered in region br"),
        ("meta", "ai-objection", {"region": "US"}, State.NOT_OFFERED, "not offered in region US"),
        ("meta", "ai-objection", {}, State.MANUAL, "set your region"),
        ("meta", "ai-objection", {"region": "FR"}, State.MANUAL, "file the objection form"),  # only a look
        (
            "meta",
            "ai-objection",
            {"region": "FR", "want": State.OPTED_OUT, "file_forms": False},
            State.MANUAL,
            "or run",
        ),
    ],
)
def test_what_needs_no_page_is_decided_before_any_browser(
    tmp_path: Path, platform: str, setting: str, options: dict[str, Any], state: State, words: str
) -> None:
    got = _decide(platform, setting, tmp_path, **options)
    assert got is not None and got.state is state and words in got.detail and got.action is Action.NONE


def test_a_region_where_it_is_offered_leaves_the_toggle_to_the_page(tmp_path: Path) -> None:
    assert _decide("copilot", "text-training", tmp_path, region="GB") is None


def test_a_form_is_opened_only_to_disable_and_only_for_real(tmp_path: Path) -> None:
    disable = {"region": "FR", "want": State.OPTED_OUT}
    assert _decide("meta", "ai-objection", tmp_path, **disable) is None  # the user is about to file it
    dry = _decide("meta", "ai-objection", tmp_path, dry_run=True, **disable)
    assert dry is not None and (dry.state, dry.action) == (State.MANUAL, Action.WOULD_CHANGE)


@pytest.mark.parametrize(("who", "words"), [("optout", "objection filed through optout"), ("user", "recorded by you")])
def test_a_receipt_is_opted_out_and_says_who_recorded_it(tmp_path: Path, who: str, words: str) -> None:
    receipt = {"filed_at": "2026-03-01", "recorded_by": who, "evidence": "/e.png"}
    got = _decide("meta", "ai-objection", tmp_path, receipt, region="FR", want=State.OPTED_IN)
    assert got is not None and got.state is State.OPTED_OUT and words in got.detail
    assert "objections cannot be withdrawn here" in got.detail and got.evidence == "/e.png"
