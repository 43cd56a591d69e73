"""The replica platforms behave like the real sites where the engine depends on it.

HTTP-level tests speak to the servers directly (no redirects followed, cookies by hand); the
browser tests drive the system Chromium, because the point of the replica is real markup, real
JS and real hit-testing, which no mock reproduces.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from optout.engine.browser import BrowserChoice
from optout.kits.replica import Replica
from optout.replica import TEST_PASSWORD, TEST_USER, ReplicaOptions
from tests.helpers import launched_sync

LI_SETTINGS = "/mypreferences/d/settings/data-for-ai-improvement"
LI_API = "/mypreferences/api/data-for-ai-improvement"
X_SETTINGS = "/settings/grok_settings"
X_MUTATION = "/i/api/graphql/abc123/XaiDataSharingSettingsMutation"
META_FORM = "/help/contact/6359191084165019"
LI_LABEL = "Use my data for training content creation AI models"
X_TRAINING = "to be used for training and fine-tuning"


@pytest.fixture
def rep() -> Iterator[Replica]:
    with Replica(ReplicaOptions(render_delay=0.05)) as running:
        yield running


# --- HTTP helpers -----------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def set_cookies(self) -> dict[str, str]:
        """name -> full Set-Cookie line."""
        return {v.split("=", 1)[0]: v for k, v in self.headers if k.lower() == "set-cookie"}

    def cookie(self, name: str) -> str:
        return self.set_cookies[name].split("=", 1)[1].split(";", 1)[0]

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    origin: str,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    body: Any = None,
) -> Answer:
    """One request, redirects not followed, so the tests see exactly what the server said."""
    parts = urlsplit(origin)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    hdrs = dict(headers or {})
    data: bytes | None = None
    if form is not None:
        data, hdrs["Content-Type"] = urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif body is not None:
        data, hdrs["Content-Type"] = json.dumps(body).encode(), "application/json"
    if cookies:
        hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return Answer(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def jar(state: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["value"] for c in state["cookies"]}


# --- HTTP-level tests -------------------------------------------------------------------------


def test_logged_out_visitors_hit_each_platforms_login_wall(rep: Replica) -> None:
    li = call(rep.origins["linkedin"], "GET", LI_SETTINGS)
    assert li.status == 302
    assert re.fullmatch(
        r"/authwall\?trk=[^&]+&trkInfo=[^&]+&sessionRedirect=%2Fmypreferences%2Fd%2Fsettings"
        r"%2Fdata-for-ai-improvement",
        li.header("Location") or "",
    )
    wall = call(rep.origins["linkedin"], "GET", li.header("Location") or "")
    assert "Join LinkedIn" in wall.text and "/login?session_redirect=%2Fmypreferences" in wall.text

    x = call(rep.origins["x"], "GET", X_SETTINGS)
    assert (x.status, x.header("Location")) == (302, "/i/flow/login?redirect_after_login=%2Fsettings%2Fgrok_settings")

    for path in ("/privacy/genai", META_FORM):
        meta = call(rep.origins["meta"], "GET", path)
        assert meta.status == 302 and meta.header("Location") == "/login/?next=" + path.replace("/", "%2F")
    # Meta wants both cookies, and they must belong together
    cookies = jar(rep.storage_state("meta"))
    assert call(rep.origins["meta"], "GET", META_FORM, cookies={"xs": cookies["xs"]}).status == 302
    assert call(rep.origins["meta"], "GET", META_FORM, cookies={**cookies, "c_user": "1"}).status == 302
    assert call(rep.origins["meta"], "GET", META_FORM, cookies=cookies).status == 200
    assert call(rep.origins["x"], "GET", "/no/such/page").status == 404


def test_linkedin_form_login_sets_session_cookies_only_for_right_password(rep: Replica) -> None:
    origin = rep.origins["linkedin"]
    page = call(origin, "GET", "/login?session_redirect=%2Fmypreferences%2Fd%2Fsettings%2Fdata-for-ai-improvement")
    assert '<form class="login__form" method="post" action="/checkpoint/lg/login-submit"' in page.text
    assert 'id="username" name="session_key"' in page.text and 'id="password" name="session_password"' in page.text

    wrong = call(
        origin,
        "POST",
        "/checkpoint/lg/login-submit",
        form={"session_key": TEST_USER, "session_password": "nope", "session_redirect": LI_SETTINGS},
    )
    assert wrong.status == 200 and "Wrong email or password" in wrong.text and not wrong.set_cookies

    right = call(
        origin,
        "POST",
        "/checkpoint/lg/login-submit",
        form={"session_key": TEST_USER.upper(), "session_password": TEST_PASSWORD, "session_redirect": LI_SETTINGS},
    )
    assert (right.status, right.header("Location")) == (303, LI_SETTINGS)
    assert "HttpOnly" in right.set_cookies["li_at"] and "HttpOnly" not in right.set_cookies["JSESSIONID"]
    assert rep.session_values("linkedin") == [right.cookie("li_at")]

    shell = call(origin, "GET", LI_SETTINGS, cookies={"li_at": right.cookie("li_at")})
    assert shell.status == 200 and "<title>" in shell.text
    markup = shell.text.split("<body>")[1].split("<script")[0]  # the HTML itself, before the page's JS
    assert "Data for Generative AI Improvement" in markup and "artdeco-toggle" not in markup

    # an open redirect is not followed
    evil = call(
        origin,
        "POST",
        "/checkpoint/lg/login-submit",
        form={"session_key": TEST_USER, "session_password": TEST_PASSWORD, "session_redirect": "//evil.test/"},
    )
    assert evil.header("Location") == "/feed/"


def test_x_and_meta_logins_set_their_cookies(rep: Replica) -> None:
    def steps(pw):
        return {
            "flow_name": "login",
            "subtask_inputs": [
                {"enter_text": {"text": TEST_USER}},
                {"enter_password": {"password": pw}},
            ],
        }

    assert call(rep.origins["x"], "POST", "/i/api/1.1/onboarding/task.json", body=steps("nope")).status == 400
    x = call(rep.origins["x"], "POST", "/i/api/1.1/onboarding/task.json", body=steps(TEST_PASSWORD))
    assert x.status == 200 and {"auth_token", "ct0"} <= set(x.set_cookies)
    assert call(rep.origins["x"], "GET", "/home", cookies={"auth_token": x.cookie("auth_token")}).status == 200

    meta = call(
        rep.origins["meta"],
        "POST",
        "/login/",
        form={"email": TEST_USER, "pass": TEST_PASSWORD, "next": "/privacy/genai"},
    )
    assert (meta.status, meta.header("Location")) == (303, "/privacy/genai")
    assert "HttpOnly" in meta.set_cookies["xs"]
    genai = call(
        rep.origins["meta"], "GET", "/privacy/genai", cookies={"c_user": meta.cookie("c_user"), "xs": meta.cookie("xs")}
    )
    assert "Right to object" in genai.text and META_FORM in genai.text


def test_resources_on_hosts_of_their_own_are_routed_by_host_and_signed_in_on_each(rep: Replica) -> None:
    """Substack's publications (and Squarespace's sites) each live on their own host: the replica
    serves them on RESOURCE.localhost, with a host-only session cookie each, which the sign-in sets
    by hopping over every publication's host before landing where it was asked to."""
    origin = rep.origins["substack"]
    port = urlsplit(origin).port
    assert origin == f"http://localhost:{port}"

    def on(host: str) -> dict[str, str]:
        return {"Host": f"{host}.localhost:{port}"}

    state = rep.storage_state("substack")
    assert {c["domain"] for c in state["cookies"]} == {"localhost", "myblog.localhost", "fieldnotes.localhost"}
    session = jar(state)
    assert call(origin, "GET", "/publish/settings", cookies=session, headers=on("myblog")).status == 200
    assert call(origin, "GET", "/publish/settings", cookies=session, headers=on("nosuchpub")).status == 404
    assert call(origin, "GET", "/publish/settings", cookies=session).status == 404  # the bare host is no publication
    out = call(origin, "GET", "/publish/settings", headers=on("myblog"))
    assert (out.status, out.header("Location")) == (302, "/sign-in?next=%2Fpublish%2Fsettings")

    form = {"email": TEST_USER, "password": TEST_PASSWORD, "next": "/publish/settings"}
    answer = call(origin, "POST", "/sign-in", form=form, headers=on("fieldnotes"))
    landed = []
    while urlsplit(answer.header("Location") or "").path == "/sign-in/hop":
        assert answer.status in (302, 303) and "session" in answer.set_cookies
        hop = urlsplit(answer.header("Location") or "")
        landed.append(hop.hostname)
        answer = call(origin, "GET", f"{hop.path}?{hop.query}", headers={"Host": hop.netloc})
    assert landed == ["myblog.localhost", "fieldnotes.localhost"] and "session" in answer.set_cookies
    assert answer.header("Location") == f"http://fieldnotes.localhost:{port}/publish/settings"
    replayed = call(origin, "GET", f"/sign-in/hop?{hop.query}", headers=on("myblog"))  # a ticket serves once
    assert replayed.header("Location") == "/sign-in"

    square = rep.origins["squarespace"]
    site = jar(rep.storage_state("squarespace"))
    config = call(square, "GET", "/config", cookies=site, headers={"Host": f"mysite.localhost:{urlsplit(square).port}"})
    assert config.status == 200 and 'href="/config/settings">Settings</a>' in config.text
    assert call(square, "GET", "/config", cookies=site).status == 404


def test_linkedin_save_api_checks_csrf_and_honours_keep_changes(rep: Replica) -> None:
    origin, cookies = rep.origins["linkedin"], jar(rep.storage_state("linkedin"))
    assert call(origin, "GET", LI_API, cookies=cookies).json()["settings"]["ai-training"] is True
    assert call(origin, "POST", LI_API, cookies=cookies, body={"key": "ai-training", "value": False}).status == 403
    off = {"key": "ai-training", "value": False}
    assert call(origin, "POST", LI_API, cookies=cookies, headers={"csrf-token": "ajax:0"}, body=off).status == 403
    assert rep.state("linkedin") == {"ai-training": True}

    good = {"csrf-token": cookies["JSESSIONID"]}
    rep.options.keep_changes = False
    kept_not = call(origin, "POST", LI_API, cookies=cookies, headers=good, body=off)
    assert kept_not.status == 200 and kept_not.json()["value"] is False
    assert rep.state("linkedin") == {"ai-training": True}

    rep.options.keep_changes = True
    assert call(origin, "POST", LI_API, cookies=cookies, headers=good, body=off).status == 200
    assert rep.state("linkedin") == {"ai-training": False}
    assert rep.writes("linkedin") == 4  # every save request counts, kept or refused
    rep.set_state("linkedin", TEST_USER, "ai-training", True)  # drift: the platform turns it back on
    assert call(origin, "GET", LI_API, cookies=cookies).json()["settings"]["ai-training"] is True


def test_x_saves_need_the_ct0_header_and_minors_cannot_save(rep: Replica) -> None:
    origin, cookies = rep.origins["x"], jar(rep.storage_state("x"))
    body = {"variables": {"allowXaiDataSharing": False}}
    assert call(origin, "POST", X_MUTATION, cookies=cookies, headers={"x-csrf-token": "wrong"}, body=body).status == 403
    ok = call(origin, "POST", X_MUTATION, cookies=cookies, headers={"x-csrf-token": cookies["ct0"]}, body=body)
    assert ok.status == 200
    memory = call(
        origin,
        "POST",
        "/i/api/1.1/account/settings.json",
        cookies=cookies,
        headers={"x-csrf-token": cookies["ct0"]},
        body={"allow_grok_memory": False},
    )
    assert memory.status == 200
    assert rep.state("x") == {"grok-training": False, "grok-personalization": True, "grok-memory": False}

    rep.options.minor = True
    body = {"variables": {"allowXaiDataSharing": True}}
    assert (
        call(origin, "POST", X_MUTATION, cookies=cookies, headers={"x-csrf-token": cookies["ct0"]}, body=body).status
        == 403
    )
    assert rep.state("x")["grok-training"] is False and rep.writes("x") == 4


def test_rotation_replaces_the_session_cookie_and_kills_the_old_one(rep: Replica) -> None:
    origin, cookies = rep.origins["linkedin"], jar(rep.storage_state("linkedin"))
    rep.options.rotate_cookies = True
    first = call(origin, "GET", LI_SETTINGS, cookies=cookies)
    new = first.cookie("li_at")
    assert first.status == 200 and new != cookies["li_at"]
    assert rep.session_values("linkedin") == [new]
    assert call(origin, "GET", LI_SETTINGS, cookies=cookies).status == 302  # the old value is dead
    assert call(origin, "GET", LI_SETTINGS, cookies={**cookies, "li_at": new}).status == 200

    meta = jar(rep.storage_state("meta"))
    rotated = call(rep.origins["meta"], "GET", META_FORM, cookies=meta)
    assert rotated.cookie("xs") != meta["xs"] and rotated.cookie("c_user") == meta["c_user"]


def test_revoke_and_checkpoint(rep: Replica) -> None:
    cookies = jar(rep.storage_state("x"))
    rep.add_user("other@example.com", "pw")
    other = jar(rep.storage_state("x", "other@example.com"))
    rep.revoke("x")
    assert rep.session_values("x") == []
    assert call(rep.origins["x"], "GET", X_SETTINGS, cookies=cookies).status == 302
    assert call(rep.origins["x"], "GET", X_SETTINGS, cookies=other).status == 200

    rep.options.checkpoint = True
    assert call(rep.origins["x"], "GET", X_SETTINGS, cookies=other).header("Location") == "/account/access"
    li = call(rep.origins["linkedin"], "GET", LI_SETTINGS, cookies=jar(rep.storage_state("linkedin")))
    assert re.match(r"/checkpoint/challenge/[\w-]+", li.header("Location") or "")
    assert "Let's do a quick security check" in call(rep.origins["linkedin"], "GET", li.header("Location") or "").text
    meta = call(rep.origins["meta"], "GET", META_FORM, cookies=jar(rep.storage_state("meta")))
    assert (meta.header("Location") or "").startswith("/checkpoint/")


def test_page_delay_and_clean_stop() -> None:
    before = threading.active_count()
    with Replica(ReplicaOptions(page_delay=0.3)) as rep:
        start = time.monotonic()
        call(rep.origins["linkedin"], "GET", LI_SETTINGS)
        assert time.monotonic() - start >= 0.3  # the settings page waited (only it: the login page is not delayed)
    assert threading.active_count() == before


# --- real Chromium ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium: BrowserChoice) -> Iterator[Any]:
    """One headless Chromium for this module, found and launched the way optout itself does."""
    with launched_sync(chromium) as running:
        yield running


@pytest.fixture
def open_page(browser: Any, rep: Replica) -> Iterator[Any]:
    """open_page(platform, path) -> a Playwright page logged in as TEST_USER."""
    contexts: list[Any] = []

    def opener(platform: str, path: str, logged_in: bool = True) -> Any:
        context = browser.new_context(storage_state=rep.storage_state(platform) if logged_in else None)
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        page.goto(rep.origins[platform] + path)
        return page

    yield opener
    for context in contexts:
        context.close()


def test_linkedin_toggle_renders_late_and_only_its_label_takes_the_click(
    rep: Replica, browser: Any, open_page: Any
) -> None:
    rep.options.render_delay = 0.4
    rep.options.save_delay = 0.5
    bare = browser.new_context(storage_state=rep.storage_state("linkedin"), java_script_enabled=False)
    shell = bare.new_page()
    shell.goto(rep.origins["linkedin"] + LI_SETTINGS)
    assert shell.get_by_role("switch").count() == 0  # the document as served has no control: a script draws it
    bare.close()
    page = open_page("linkedin", LI_SETTINGS)
    switch = page.get_by_role("switch", name=LI_LABEL)
    switch.wait_for()
    first_id = switch.get_attribute("id") or ""
    assert re.fullmatch(r"adToggle_ember\d+", first_id)
    assert switch.is_checked() and switch.get_attribute("aria-checked") == "true"
    assert page.locator(".artdeco-toggle__text").inner_text() == "On"
    assert page.get_by_text("train generative AI models that create content?").count() == 1

    with pytest.raises(Exception, match="intercepts pointer events"):
        switch.click(timeout=1000)
    assert rep.writes("linkedin") == 0

    page.locator(f"label[for='{first_id}']").click()
    assert not switch.is_checked()  # checked flips at once ...
    assert switch.get_attribute("aria-checked") == "true"  # ... aria-checked waits for the save
    page.wait_for_function(f"document.getElementById('{first_id}').getAttribute('aria-checked') === 'false'")
    assert page.locator(".artdeco-toggle__text").inner_text() == "Off"
    assert rep.state("linkedin") == {"ai-training": False} and rep.writes("linkedin") == 1

    page.reload()
    switch.wait_for()
    assert switch.get_attribute("id") != first_id
    assert not switch.is_checked() and switch.get_attribute("aria-checked") == "false"


def test_linkedin_failed_save_reverts_the_toggle(rep: Replica, open_page: Any) -> None:
    page = open_page("linkedin", LI_SETTINGS)
    switch = page.get_by_role("switch", name=LI_LABEL)
    switch.wait_for()
    rep.revoke("linkedin")  # the session dies while the page is open: the save gets a 401
    page.locator("label.artdeco-toggle__label").click()
    page.get_by_text("your preference wasn't updated").wait_for()
    assert switch.is_checked() and rep.state("linkedin") == {"ai-training": True}


def test_x_checkboxes_by_role_and_name(rep: Replica, open_page: Any) -> None:
    page = open_page("x", X_SETTINGS)
    training = page.get_by_role("checkbox", name=X_TRAINING)
    training.wait_for()
    assert training.count() == 1 and training.get_attribute("name") == "allowXaiDataSharingCustomization"
    assert training.get_attribute("aria-checked") is None and training.is_checked()
    for name in (
        "Allow X to personalize your experience with Grok",
        "Allow Grok to remember your conversation history",
    ):
        assert page.get_by_role("checkbox", name=name).is_checked()
    assert page.get_by_role("heading", name="Grok & Third-party Collaborators").is_visible()
    assert page.get_by_role("button", name="Delete conversation history").is_visible()

    training.click()
    assert not training.is_checked()
    deadline = time.monotonic() + 5
    while rep.state("x")["grok-training"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rep.state("x") == {"grok-training": False, "grok-personalization": True, "grok-memory": True}
    page.reload()
    training.wait_for()
    assert not training.is_checked()


def test_x_variants_minor_and_old_wording(rep: Replica, open_page: Any) -> None:
    rep.options.minor = True
    rep.options.label_variant = "old"
    page = open_page("x", X_SETTINGS)
    training = page.get_by_role("checkbox", name="Allow your posts as well as your interactions")
    training.wait_for()
    assert training.is_disabled() and page.get_by_role("checkbox", name=X_TRAINING).count() == 1

    rep.options.label_variant = "changed"
    page.reload()
    page.get_by_role("checkbox", name="Share your data with xAI for model improvement").wait_for()
    assert page.get_by_role("checkbox", name=X_TRAINING).count() == 0


def test_duplicate_control_gives_two_matches(rep: Replica, open_page: Any) -> None:
    rep.options.duplicate_control = True
    li = open_page("linkedin", LI_SETTINGS)
    li.get_by_role("switch", name="in Sales Navigator").wait_for()
    switches = li.get_by_role("switch", name=LI_LABEL)
    assert switches.count() == 2
    # `within` cannot tell them apart either: both sit under the recipe's phrase
    within = li.locator(".setting", has_text="train generative AI models")
    assert within.get_by_role("switch", name=LI_LABEL).count() == 2
    ids = switches.evaluate_all("els => els.map(e => e.id)")
    assert len(set(ids)) == 2

    x = open_page("x", X_SETTINGS)
    x.get_by_role("heading", name="Third-party Collaborators", exact=True).wait_for()
    assert x.get_by_role("checkbox", name=X_TRAINING).count() == 2
    assert rep.state("x") == {"grok-training": True, "grok-personalization": True, "grok-memory": True}


def test_meta_objection_form_records_the_objection(rep: Replica, open_page: Any) -> None:
    page = open_page("meta", META_FORM)
    email = page.get_by_role("textbox", name="Email")
    email.wait_for()
    assert email.input_value() == TEST_USER  # prefilled, as Meta's 2025 form does
    country = page.get_by_role("combobox", name="Country")
    for code in ("FR", "DE", "IS", "NO", "GB", "CH", "BR", "JP", "KR", "US"):
        assert country.locator(f"option[value='{code}']").count() == 1
    email.fill("me@example.org")
    country.select_option("FR")
    page.get_by_role("textbox", name="Please tell us how this processing impacts you (optional)").fill("No.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("received your objection").wait_for()
    [objection] = rep.state("meta")["objections"]
    assert (objection["email"], objection["country"], objection["reason"]) == ("me@example.org", "FR", "No.")
    assert rep.writes("meta") == 1


def test_login_wall_to_settings_with_auto_login_and_rotation(rep: Replica, open_page: Any) -> None:
    rep.options.auto_login = 0.1
    page = open_page("linkedin", LI_SETTINGS, logged_in=False)
    assert urlsplit(page.url).path == "/authwall"
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(LI_SETTINGS) + "$"))  # the page played the user
    page.get_by_role("switch", name=LI_LABEL).wait_for()

    rep.options.rotate_cookies = True
    x = open_page("x", X_SETTINGS, logged_in=False)
    x.wait_for_url(re.compile(re.escape(X_SETTINGS) + "$"))
    x.get_by_role("checkbox", name=X_TRAINING).wait_for()
    x.reload()  # the rotated cookie is the one the browser now sends
    x.get_by_role("checkbox", name=X_TRAINING).wait_for()
    stored = [c["value"] for c in x.context.storage_state()["cookies"] if c["name"] == "auth_token"]
    assert stored == rep.session_values("x")


def test_the_hand_server_takes_each_option_as_its_own_kind() -> None:
    """`python -m optout.replica` flags parse as the option's type: a status is a number, an
    off-site URL and its means are text, a language is one of the kits' languages."""
    from optout.replica.__main__ import parse_args

    options = parse_args(
        ["--settings-status", "429", "--offsite", "https://elsewhere.example/", "--offsite-by", "js"]
        + ["--language", "de", "--undo-save", "0.1", "--no-keep-changes", "--click-thief", "label"]
    )
    assert options.click_thief == "label" and parse_args([]).click_thief is None
    assert options.settings_status == 429 and isinstance(options.settings_status, int)
    assert (options.offsite, options.offsite_by) == ("https://elsewhere.example/", "js")
    assert (options.language, options.undo_save, options.keep_changes) == ("de", 0.1, False)
    assert parse_args(["--framed", "both"]).framed == "both"
    assert parse_args([]) == ReplicaOptions()
    with pytest.raises(SystemExit):
        parse_args(["--offsite-by", "carrier-pigeon"])
