"""Running checks and changes over many platforms: one browser per run, one isolated context per
platform loaded with only that platform's session, platforms in parallel up to `jobs`.

Each setting ends as exactly one Result; a failure on one platform never stops the others. The
work is split by job: `_Run` walks the jobs and owns the run's browsers (contexts.Browsers);
`_Outcomes` makes every Result; `_Records` keeps screenshots and receipts; `_Sessions` loads and
saves back each platform's session; `_Pages` checks (and changes) the settings of one page;
`_Forms` files objection forms in a visible window.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Error, Page, Playwright

from optout.engine import objection
from optout.engine.browser import has_display
from optout.engine.budget import Deadline, page_bound
from optout.engine.change import change
from optout.engine.contexts import Browsers, Session, platform_context, stored_session
from optout.engine.evidence import Secrets, capture, held_secrets, prune, state_values
from optout.engine.frames import roots
from optout.engine.guard import PageRefused
from optout.engine.interrupt import Interrupted, SignalStop
from optout.engine.inventory import explain_missing, inventory
from optout.engine.jobs import Job, RunOptions
from optout.engine.locate import find_control, read_settled
from optout.engine.navigate import StepNotFound, StepStillLoading, open_setting, run_steps
from optout.engine.quiet import Activity
from optout.engine.session_refresh import refreshing
from optout.engine.settled import decide
from optout.engine.writes import WriteWatcher
from optout.errors import NoBrowserError, NoDisplayError, OptoutError, first_line, plain
from optout.home.paths import evidence_dir, receipts_dir
from optout.home.receipts import RECEIPT_KINDS, Receipts
from optout.home.sessions import SessionStore, after_run, filter_state, signed_out
from optout.recipes.patterns import name_pattern
from optout.recipes.schema import PAGE_KINDS, Platform, Setting
from optout.results import Action, Result, SettingRef, State, login_command, now

EVIDENCE_SECONDS = 10.0


def slot(job: Job, s: Setting) -> SettingRef:
    """One setting of one job, per resource: what a result is matched to when a run is interrupted."""
    return SettingRef(job.platform.id, job.account, s.id, s.resource_value)


class _Outcomes:
    """Makes every Result of a run, and hands each to on_result as it is made. A detail quoting
    page text (a label the page filled with the member's name) never carries a secret: each job's
    stored session and the user's own e-mail and name are held here and scrubbed from it. Knows
    which settings were clicked, which decides what a setting left unfinished says."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.held: dict[tuple[str, str], Secrets] = {}
        self.clicked: set[SettingRef] = set()  # settings clicked in this run: see interrupted()

    def hold(self, job: Job, state: dict[str, Any]) -> None:
        """Scrub `state`'s values (the job's stored session) and the user's own from its details."""
        personal = (self.options.form_values.get("email"), self.options.form_values.get("name"))
        self.held[job.platform.id, job.account] = Secrets.of((), personal, state_values(state))

    def result(self, job: Job, setting: Setting, state: State, detail: str, **extra: Any) -> Result:
        held = self.held.get((job.platform.id, job.account))
        if held is not None:
            detail = held.clean(detail)
        r = Result(
            platform=job.platform.id,
            setting=setting.id,
            title=setting.title,
            state=state,
            detail=detail,
            url=setting.url,
            account=job.account,
            wanted=self.options.want,
            checked_at=now(),
            resource=setting.resource_value,
            confidence=job.platform.confidence_of(setting),
            category=setting.category,
            **extra,
        )
        if self.options.on_result:
            self.options.on_result(r)
        return r

    def refused(self, job: Job, s: Setting, exc: PageRefused) -> Result:
        """A page the engine would not read (an HTTP error, a page off the platform)."""
        detail = str(exc)
        if exc.state is State.NEEDS_LOGIN:
            detail += f"; run: {login_command(job.platform.id, job.account)}"
        return self.result(job, s, exc.state, detail)

    def out_of_time(self, job: Job, s: Setting, bound: float) -> Result:
        """The result of a setting its page's bound cut short."""
        why = f"gave up after {bound:g} s, the most a page may take with --timeout {self.options.timeout:g}"
        if slot(job, s) in self.clicked:
            detail = f"clicked, then {why}, before the change could be verified; check it on the site"
            return self.result(job, s, State.ERROR, detail, action=Action.FAILED)
        return self.result(job, s, State.ERROR, f"{why}; nothing was clicked")

    def interrupted(self, job: Job, s: Setting) -> Result:
        """The result of a setting a signal stopped the run before it was finished: clicked and
        unverified is said so (the user must look), anything else was left untouched by optout."""
        if slot(job, s) in self.clicked:
            detail = "clicked, then interrupted before the change could be verified; check it on the site"
            return self.result(job, s, State.ERROR, detail, action=Action.FAILED)
        if s.kind == "form":
            return self.result(job, s, State.ERROR, "interrupted before the objection form was confirmed")
        return self.result(job, s, State.ERROR, "interrupted before it was done; nothing was clicked")


class _Records:
    """The files that back results: screenshots (and HTML) of failures, receipts of changes and
    filed objections. A home that cannot take them is a warning of the run (RunOptions.log)."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.receipts = Receipts(options.home)

    async def evidence(self, page: Page, job: Job, setting: Setting, *, receipt: bool = False) -> str | None:
        """Save a screenshot (+ HTML for failures, of which the last few are kept: evidence.prune);
        never let evidence-taking hide the real result, nor hold the run up: a page that never
        finishes gets EVIDENCE_SECONDS at most. A home that cannot take the files (a full disk) is
        a warning of the run: a receipt lost in silence would be a change nobody can prove."""
        root = (receipts_dir if receipt else evidence_dir)(self.options.home)
        try:
            capturing = capture(page, root / job.platform.id, f"{job.account}-{setting.id}", html=not receipt)
            saved = str(await asyncio.wait_for(capturing, EVIDENCE_SECONDS))
        except (Error, TimeoutError):
            return None
        except (OSError, OptoutError) as exc:
            if self.options.log is not None:
                what = "receipt" if receipt else "screenshot and page"
                self.options.log.record_failures.append(
                    f"the {what} of {job.platform.id} {setting.id} could not be saved: {first_line(exc)}"
                )
            return None
        if not receipt:  # evidence is kept only for the last few failures (evidence.prune)
            try:
                await asyncio.to_thread(prune, root)
            except OSError:
                pass
        return saved

    async def filed(self, job: Job, s: Setting, page: Page) -> tuple[str, str | None]:
        """Keep the receipt of a confirmed objection: when it was filed, and its screenshot."""
        screenshot = await self.evidence(page, job, s, receipt=True)
        filed_at = now().isoformat()
        self.receipts.record(
            job.platform.id, job.account, s.id, {"filed_at": filed_at, "url": page.url, "screenshot": screenshot}
        )
        return filed_at, screenshot


class _Sessions:
    """Each platform's stored session: loaded for its context, and saved back after the visit."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.store = SessionStore(options.home)

    def load(self, job: Job) -> Session | None:
        return stored_session(self.store, job.platform, job.account)

    async def save_back(self, job: Job, context: BrowserContext, loaded: dict[str, Any], results: list[Result]) -> None:
        """Keep the session the site may have rotated, and whether it was valid. A failure here is
        kept in the run's log (RunOptions.log): it must never turn results already made into errors.

        A site that expired the session cookie during the visit signed the session out: the stored
        session is left as it was (the write-back would only drop the cookie), marked signed out,
        and the run says so, with the command that signs in again."""
        pid, account = job.platform.id, job.account
        # Valid only if the site was really reached: a page that never loaded proves nothing.
        reached = any(r.state in _PAGE_SEEN for r in results)
        # The files are written off the event loop: an fsync must not hold up the other platforms.
        try:
            if reached:
                state = after_run(loaded, await context.cookies())  # never storage a page wrote
                entries = job.platform.login.session_cookies if job.platform.login else []
                if gone := signed_out(loaded, filter_state(state, job.platform.domains), entries):
                    name = job.platform.name
                    why = f"signed out by {name} on {now():%Y-%m-%d}: it expired the {', '.join(gone)} cookie"
                    await asyncio.to_thread(self.store.record_check, pid, account, False, why)
                    if self.options.log is not None:
                        self.options.log.record_failures.append(
                            f"the {name} session was {why}; the results above were read before it. "
                            f"Sign in again: {login_command(pid, account)}"
                        )
                    return
                await asyncio.to_thread(
                    self.store.save, pid, job.platform.domains, state, account, saved=False, valid=True
                )
            elif any(r.state is State.NEEDS_LOGIN for r in results):
                await asyncio.to_thread(self.store.record_check, pid, account, False)
        except (Error, OSError, OptoutError) as exc:
            if self.options.log is not None:
                self.options.log.record_failures.append(
                    f"the {job.platform.name} session could not be saved back: {first_line(exc)}"
                )


class _Pages:
    """The check (and, per options.want, the change) of the settings one page shows, setting by
    setting, within the time a page may take (budget.page_bound)."""

    def __init__(self, options: RunOptions, outcomes: _Outcomes, records: _Records) -> None:
        self.options, self.outcomes, self.records = options, outcomes, records

    async def bounded_page(self, job: Job, page: Page, activity: Activity, group: list[Setting]) -> list[Result]:
        """The settings of one page, done within budget.page_bound whatever the page does: a
        setting not done by then is an error that says so (and, once clicked, that it must be
        checked on the site)."""
        o = self.options
        changing = o.want is not None and not o.dry_run
        bound = page_bound(o.timeout, len(group), steps=len(group[0].steps), change=changing)
        results: list[Result] = []
        timer = asyncio.timeout(bound)
        try:
            async with timer:
                await self.page_settings(job, page, activity, group, results)
                await self.look_around(job, page, results)
                await self.close_steps(job, page, activity, group[0])
        except TimeoutError:
            if not timer.expired():
                raise
            results += [self.outcomes.out_of_time(job, s, bound) for s in group[len(results) :]]
        return results

    async def page_settings(
        self,
        job: Job,
        page: Page,
        activity: Activity,
        group: list[Setting],
        results: list[Result],
    ) -> None:
        """Open the page the settings share, then check (and change) each setting in turn, adding
        each result to `results` as soon as it is made."""
        first = group[0]
        try:
            await open_setting(page, job.platform, first, self.options.timeout, activity)
        except PageRefused as exc:
            results += [self.outcomes.refused(job, s, exc) for s in group]
            return
        except StepNotFound as exc:
            evidence = await self.records.evidence(page, job, first)
            if isinstance(exc, StepStillLoading):  # not the site changing: the page never finished loading
                state, detail = State.ERROR, f"{exc}; nothing was clicked"
            else:
                state, detail = State.NOT_FOUND, f"{exc} (the site may have changed); nothing was clicked"
            results += [self.outcomes.result(job, s, state, detail, evidence=evidence) for s in group]
            return
        except Error as exc:
            evidence = await self.records.evidence(page, job, first)
            reason = plain(exc)
            results += [
                self.outcomes.result(job, s, State.ERROR, f"could not open the page: {reason}", evidence=evidence)
                for s in group
            ]
            return
        for s in group:
            try:
                results.append(await self.one_setting(job, page, activity, s))
            except PageRefused as exc:
                results.append(self.outcomes.refused(job, s, exc))
            except (Error, OSError) as exc:
                evidence = await self.records.evidence(page, job, s)
                results.append(self.outcomes.result(job, s, State.ERROR, plain(exc), evidence=evidence))
            if results[-1].state is State.NEEDS_LOGIN:
                results += [
                    self.outcomes.result(job, rest, State.NEEDS_LOGIN, results[-1].detail)
                    for rest in group[len(results) :]
                ]
                break

    async def look_around(self, job: Job, page: Page, results: list[Result]) -> None:
        """Keep the controls of a page whose settings were read in the run's log; a page that was
        never reached shows nothing worth judging, and listing it never changes a result."""
        if self.options.log is None or not any(r.state in _PAGE_SEEN for r in results):
            return
        try:
            self.options.log.pages.append((job.platform, page.url, await inventory(page, job.platform)))
        except Error:
            pass

    async def close_steps(self, job: Job, page: Page, activity: Activity, s: Setting) -> None:
        """Close what the steps opened (a dialog), as a person would; a page that cannot be
        closed tidily changes no result: it is closed with its page anyway."""
        if s.close and not page.is_closed():
            try:
                await run_steps(page, job.platform, s.close, min(self.options.timeout, 3.0), activity)
            except (Error, StepNotFound, PageRefused):
                pass

    async def absent_reason(self, page: Page, platform: Platform, s: Setting) -> str | None:
        """The recipe's reason when the page (or a frame of the platform's) shows text proving the
        setting is not offered here."""
        frames = roots(page, platform).frames
        for absent in s.absent:
            for frame in frames:
                if await frame.get_by_text(name_pattern(absent.text)).count():
                    return absent.reason
        return None

    @staticmethod
    async def page_scrubbed(page: Page, text: str) -> str:
        """Page text for a result, without what the page's context holds beyond the stored
        session (_Outcomes.result scrubs that): the session-storage tokens its own scripts wrote, and
        cookies it was given during the run. Unreadable storage leaves the text to _Outcomes.result."""
        try:
            cookies, stored = await held_secrets(page)
        except Error:
            return text
        return Secrets.of(cookies, (), stored).clean(text)

    async def one_setting(self, job: Job, page: Page, activity: Activity, s: Setting) -> Result:
        """Find, read and (for disable/enable) change one setting."""
        assert s.control is not None
        o = self.options
        reading_time = Deadline.after(o.timeout)  # finding and reading share one --timeout
        found = await find_control(page, job.platform, s, reading_time.left(), activity)
        if found.login_wall:
            return self.outcomes.result(
                job,
                s,
                State.NEEDS_LOGIN,
                f"the site shows a login or security-check page ({_path(page.url)}); "
                f"run: {login_command(job.platform.id, job.account)}",
            )
        if not found.handles and (reason := await self.absent_reason(page, job.platform, s)):
            return self.outcomes.result(job, s, State.NOT_OFFERED, f"not offered for this account: {reason}")
        if found.loading:  # not the site changing: a page that never finished loading
            evidence = await self.records.evidence(page, job, s)
            return self.outcomes.result(job, s, State.ERROR, f"{found.loading}; nothing was clicked", evidence=evidence)
        if len(found.handles) != 1:
            evidence = await self.records.evidence(page, job, s)
            if found.handles:
                what = await found.ambiguity(s.control)
            elif found.refused:
                what = found.refused  # _Outcomes.result scrubs the label it quotes
            else:
                missing = await explain_missing(page, job.platform, s.control.role, s.control.names, s.control.labels)
                what = f"{await self.page_scrubbed(page, missing)} (the site may have changed)"
            return self.outcomes.result(job, s, State.NOT_FOUND, f"{what}; nothing was clicked", evidence=evidence)
        handle = found.handles[0]
        how = await found.describe(s.control)
        reading = await read_settled(page, activity, handle, s, reading_time.left())
        if reading.on is None:
            evidence = await self.records.evidence(page, job, s)
            return self.outcomes.result(
                job,
                s,
                State.ERROR,
                f"the control's state is unreadable ({reading.problem}); nothing was clicked",
                evidence=evidence,
            )
        out_on = s.opted_out == "on"  # choices and menus read "on" as "shows the opted-in state"
        state = State.OPTED_OUT if reading.on == out_on else State.OPTED_IN
        if o.want is None or state is o.want:
            done = "" if o.want is None else f"already {state.value.replace('_', ' ')}; nothing clicked"
            return self.outcomes.result(job, s, state, _join(how, done))
        verb = "switch off AI training" if o.want is State.OPTED_OUT else "switch AI training back on"
        if reading.disabled:
            return self.outcomes.result(
                job, s, state, f"the site has disabled this control for the account; could not {verb}"
            )
        if o.dry_run:
            detail = _join(how, f"would {verb} (dry run: nothing clicked)")
            return self.outcomes.result(job, s, state, detail, action=Action.WOULD_CHANGE)
        want_on = out_on if o.want is State.OPTED_OUT else not out_on
        self.outcomes.clicked.add(slot(job, s))

        def receipt(fresh: Page) -> Awaitable[str | None]:  # of the fresh page that verified it
            return self.records.evidence(fresh, job, s, receipt=True)

        outcome = await change(page, activity, job.platform, s, handle, want_on, o.timeout, receipt, found.seen)
        if outcome.verified:
            detail = _join(how, outcome.detail)
            return self.outcomes.result(job, s, o.want, detail, action=Action.CHANGED, evidence=outcome.receipt)
        evidence = await self.records.evidence(page, job, s)
        after = outcome.reading.on if outcome.reading else None
        now_state = State.ERROR if after is None else (State.OPTED_OUT if after == out_on else State.OPTED_IN)
        detail = outcome.detail  # a site asking to sign in again (prompts.py) says how
        if (now_state := outcome.state or now_state) is State.NEEDS_LOGIN:
            detail += f"; run: {login_command(job.platform.id, job.account)}"
        return self.outcomes.result(job, s, now_state, detail, action=Action.FAILED, evidence=evidence)


class _Forms:
    """Objection forms: opened in a visible window of their own, prefilled, sent by the user."""

    def __init__(
        self, options: RunOptions, browsers: Browsers, sessions: _Sessions, outcomes: _Outcomes, records: _Records
    ) -> None:
        self.options, self.browsers, self.sessions = options, browsers, sessions
        self.outcomes, self.records = outcomes, records

    async def file(self, job: Job, s: Setting) -> Result:
        """Open the form in a visible window, prefill it, and wait for the user to send it."""
        assert s.form is not None
        if not has_display():
            return self.outcomes.result(
                job,
                s,
                State.MANUAL,
                f"filing the objection needs a visible browser window and no display is available; "
                f"open {s.url} in your browser, or run this command on a desktop",
            )
        try:
            browser = await self.browsers.launch(headless=False)
        except NoDisplayError as exc:
            return self.outcomes.result(
                job,
                s,
                State.MANUAL,
                f"filing the objection needs a visible browser window ({exc}); open {s.url} in your browser",
            )
        try:
            context = await platform_context(browser, job.platform, self.sessions.load(job))
            page = await context.new_page()
            activity = Activity(page, job.platform.domains)
            try:
                await open_setting(page, job.platform, s, self.options.timeout, activity)
            finally:
                activity.close()
            if await objection.confirmed_already(page, s.form):
                return self.outcomes.result(
                    job,
                    s,
                    State.ERROR,
                    "the form page already shows the confirmation text before sending, so optout could not tell "
                    f"when an objection is filed; the recipe needs a more specific confirmation. Form: {s.url}",
                )
            left = await objection.prefill(page, s.form, self.options.form_values)
            if self.options.on_notice:
                todo = f" Fill in: {', '.join(left)}." if left else ""
                self.options.on_notice(
                    f"{job.platform.name}: the objection form is open in a browser window; log in if asked, "
                    f"review it and press Send.{todo} Waiting for the confirmation…"
                )
            with WriteWatcher(page, job.platform.domains) as sent:
                confirmed = await objection.wait_confirmed(page, s.form, self.options.form_timeout)
                if confirmed and not sent.started:
                    return self.outcomes.result(
                        job, s, State.ERROR, "a confirmation appeared but the page sent nothing; not recorded as filed"
                    )
            if not confirmed:
                return self.outcomes.result(
                    job, s, State.MANUAL, f"the form was not sent (window closed or timed out); form: {s.url}"
                )
            filed_at, screenshot = await self.records.filed(job, s, page)
            return self.outcomes.result(
                job,
                s,
                State.OPTED_OUT,
                f"objection sent and confirmed on {filed_at}",
                action=Action.FILED,
                evidence=screenshot,
            )
        except StepNotFound as exc:
            return self.outcomes.result(job, s, State.NOT_FOUND, f"{exc} (the site may have changed)")
        except PageRefused as exc:
            return self.outcomes.refused(job, s, exc)
        except Error as exc:
            return self.outcomes.result(job, s, State.ERROR, f"objection form: {plain(exc)}")
        finally:
            await browser.close()


class _Run:
    """The jobs of one run: each settles what needs no page, files its forms and checks its
    pages in a context of the run's one headless browser, at most options.jobs at once."""

    def __init__(self, options: RunOptions, starting: asyncio.Future[Playwright] | None = None) -> None:
        self.options = options
        # Playwright's driver, when the caller started it early; the browser is launched on first need.
        self.browsers = Browsers(options.browser, starting)
        self.outcomes = _Outcomes(options)
        self.records = _Records(options)
        self.sessions = _Sessions(options)
        self.pages = _Pages(options, self.outcomes, self.records)
        self.forms = _Forms(options, self.browsers, self.sessions, self.outcomes, self.records)
        self.slots = asyncio.Semaphore(max(1, options.jobs))

    async def close(self) -> None:
        await self.browsers.close()

    async def job(self, job: Job) -> list[Result]:
        """All of one job's results. Whatever goes wrong in one platform stays in its results:
        the others finish and are reported (only a missing browser, which stops every platform
        alike, ends the run)."""
        result = self.outcomes.result
        try:
            return await self._job(job)
        except NoBrowserError:
            raise
        except OptoutError as exc:  # e.g. a damaged file of this platform's: the message says how to fix it
            return [result(job, s, State.ERROR, str(exc)) for s in job.settings]
        except Exception as exc:  # noqa: BLE001 - the last guard that keeps one platform from sinking the run
            detail = f"unexpected {type(exc).__name__}: {first_line(exc)}"
            return [result(job, s, State.ERROR, detail) for s in job.settings]

    def settled(self, job: Job, s: Setting) -> Result | None:
        """The result a setting has without opening its page (settled.decide), or None."""
        receipts = self.records.receipts
        receipt = receipts.get(job.platform.id, job.account, s.id) if s.kind in RECEIPT_KINDS else None
        decision = decide(job, s, self.options, receipt)
        if decision is None:
            return None
        return self.outcomes.result(
            job,
            s,
            decision.state,
            decision.detail,
            action=decision.action,
            evidence=decision.evidence,
            recorded_by=decision.recorded_by,
        )

    async def _job(self, job: Job) -> list[Result]:
        results: dict[tuple[str, str | None], Result] = {}
        on_pages: list[Setting] = []
        for s in job.settings:
            done = self.settled(job, s)
            if done is not None:
                results[s.id, s.resource_value] = done
            elif s.kind == "form":
                results[s.id, s.resource_value] = await self.forms.file(job, s)
            else:
                on_pages.append(s)
        if on_pages:
            for r in await self.page_kinds(job, on_pages):
                results[r.setting, r.resource] = r
        return [results[s.id, s.resource_value] for s in job.settings]

    async def page_kinds(self, job: Job, settings: list[Setting]) -> list[Result]:
        """The settings read from a page, in one context holding the job's stored session."""
        result = self.outcomes.result
        try:
            session = self.sessions.load(job)
        except OptoutError as exc:  # a damaged session file spoils this platform, not the run
            return [result(job, s, State.NEEDS_LOGIN, str(exc)) for s in settings]
        if session is None:
            why = f"no stored session; run: {login_command(job.platform.id, job.account)}"
            return [result(job, s, State.NEEDS_LOGIN, why) for s in settings]
        self.outcomes.hold(job, session.state)
        async with self.slots:
            context = await platform_context(await self.browsers.shared(), job.platform, session)
            try:
                results: list[Result] = []
                for group in _by_page(settings):
                    # Pages stay open until the session is saved back: with no page open,
                    # Playwright opens one just to read the storage, which costs a third of a second.
                    page = await context.new_page()
                    activity = Activity(page, job.platform.domains)
                    try:
                        results += await self.pages.bounded_page(job, page, activity, group)
                    finally:
                        activity.close()
                await self.sessions.save_back(job, context, session.state, results)
                return results
            finally:
                await context.close()  # and its pages


# States that prove the settings page itself was loaded while logged in.
_PAGE_SEEN = frozenset({State.OPTED_IN, State.OPTED_OUT, State.NOT_FOUND, State.NOT_OFFERED})


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _path(url: str) -> str:
    return urlsplit(url).path


def _by_page(settings: list[Setting]) -> list[list[Setting]]:
    """Settings that live on the same page (same URL, steps and closing steps) share one page load."""
    groups: dict[str, list[Setting]] = {}
    for s in settings:
        key = json.dumps([s.url, [st.model_dump() for st in s.steps], [st.model_dump() for st in s.close]])
        groups.setdefault(key, []).append(s)
    return list(groups.values())


def _pages(job: Job) -> int:
    """How many settings pages a job loads (a page per blog or site of a per-resource setting)."""
    return len(_by_page([s for s in job.settings if s.kind in PAGE_KINDS]))


async def run(jobs: list[Job], options: RunOptions, starting: asyncio.Future[Playwright] | None = None) -> list[Result]:
    """Check (and, per options.want, change) every job; results in job and recipe order.
    `starting` is Playwright's driver if the caller started it while it prepared the run (see
    `optout.engine.browser.start_driver`); the run stops it.

    A SIGINT or SIGTERM cancels the jobs; once they have closed their pages and the browser is
    closed, Interrupted carries every result made before the signal and the rest marked as
    interrupted (see _Outcomes.interrupted)."""
    stop = SignalStop()
    before_signal: dict[SettingRef, Result] = {}

    def keep(r: Result) -> None:
        if stop.signum is None:
            before_signal[r.ref] = r
        if options.on_result:
            options.on_result(r)

    state = _Run(replace(options, on_result=keep), starting)
    # Started longest first (the most pages to load), so that with more jobs than --jobs slots the
    # run does not end on a platform of many pages that began last; results keep the jobs' order.
    started = {
        id(j): asyncio.ensure_future(refreshing(state.job, j, options.refresh))  # once more after a refresh
        for j in sorted(jobs, key=_pages, reverse=True)
    }
    tasks = [started[id(j)] for j in jobs]
    with stop.cancelling(tasks):
        try:
            # Wait for every job, even cancelled ones: a task still running when run() returns would
            # be torn down by asyncio.run with its noise. Only a missing browser escapes a job.
            _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION) if tasks else ((), ())
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        finally:
            try:
                await state.close()
            except Error:
                if stop.signum is None:
                    raise  # after a signal sent to the whole process group, the browser may be gone already
    # Reading every exception also keeps asyncio from logging one as "never retrieved".
    escaped = [exc for task in tasks if not task.cancelled() and (exc := task.exception()) is not None]
    if stop.signum is not None:
        done = [before_signal.get(slot(j, s)) or state.outcomes.interrupted(j, s) for j in jobs for s in j.settings]
        raise Interrupted(stop.signum, done)
    if escaped:  # a missing browser, or what the jobs cancelled because of it raised on the way out
        raise next((e for e in escaped if isinstance(e, NoBrowserError)), escaped[0])
    return [r for task in tasks for r in task.result()]
