"""Notifications: what needs the user, and delivery through Apprise to a local endpoint."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from optout.errors import OptoutError, UsageError
from optout.home.user_config import UserConfig
from optout.results import Action, Result, SettingRef, State
from optout.unattended import attention, notify
from tests.conftest import Endpoint
from tests.helpers import invoke


def r(
    state: State,
    *,
    platform: str = "linkedin",
    setting: str = "ai-training",
    account: str = "default",
    action: Action = Action.NONE,
    wanted: State | None = None,
    detail: str = "",
) -> Result:
    return Result(
        platform=platform,
        setting=setting,
        title="AI training",
        state=state,
        account=account,
        action=action,
        wanted=wanted,
        detail=detail,
    )


# --- what needs the user ------------------------------------------------------------------


def test_nothing_needs_attention_when_all_is_opted_out_or_not_offered() -> None:
    assert (
        attention.needs_attention(
            [r(State.OPTED_OUT), r(State.NOT_OFFERED, platform="x"), r(State.MANUAL, platform="meta")]
        )
        == []
    )


def test_one_line_per_thing_that_needs_the_user() -> None:
    lines = attention.needs_attention(
        [
            r(State.OPTED_IN),
            r(State.NEEDS_LOGIN, platform="x", setting="grok-training"),
            r(State.NEEDS_LOGIN, platform="x", setting="grok-memory"),  # one login line per platform
            r(State.NOT_FOUND, platform="meta"),
            r(State.OPTED_IN, platform="x", setting="grok-memory", action=Action.FAILED, wanted=State.OPTED_OUT),
            r(State.ERROR, platform="linkedin", account="work", detail="page crashed\nstack..."),
            r(State.NEEDS_LOGIN, platform="linkedin", account="work"),
            r(State.OPTED_IN, platform="meta", account="work"),
            r(State.OPTED_OUT),
        ]
    )
    assert lines == [
        "linkedin: 'AI training' is opted in; to fix: optout disable linkedin ai-training",
        "x: the session needs login; run: optout login x",
        "meta: 'AI training': control not found; the site changed and the recipe needs an update",
        "x: 'AI training': optout switched it but the page still shows it opted in",
        "linkedin (work): 'AI training': check failed: page crashed stack...",
        "linkedin (work): the session needs login; run: optout login linkedin --account work",
        "meta (work): 'AI training' is opted in; to fix: optout disable meta ai-training --account work",
    ]


def test_changes_since_last_time_are_said_once() -> None:
    changed = {SettingRef("linkedin", "default", "ai-training"), SettingRef("x", "default", "ai-training")}
    lines = attention.needs_attention([r(State.OPTED_IN), r(State.NOT_FOUND, platform="x")], changed)
    assert lines == [
        "linkedin: 'AI training' is opted in (changed since the last check); to fix: optout disable linkedin ai-training",
        (
            "x: 'AI training': control not found (changed since the last check); the site changed and the recipe "
            "needs an update"
        ),
    ]


def test_enable_wants_opted_in() -> None:
    assert attention.needs_attention([r(State.OPTED_IN, wanted=State.OPTED_IN)]) == []
    assert attention.needs_attention([r(State.OPTED_OUT, wanted=State.OPTED_IN)]) == [
        "linkedin: 'AI training' is opted out; to fix: optout enable linkedin ai-training"
    ]


# --- delivery -----------------------------------------------------------------------------


def test_send_posts_title_and_body(endpoint: Endpoint) -> None:
    notify.send([endpoint.url("hook")], "optout: 1 thing needs your attention", "linkedin: opted in")
    assert len(endpoint.posts) == 1
    post = endpoint.posts[0]
    assert (post["path"], post["title"], post["message"]) == (
        "/hook",
        "optout: 1 thing needs your attention",
        "linkedin: opted in",
    )


def test_alert_sends_only_when_something_needs_the_user(endpoint: Endpoint) -> None:
    assert notify.alert([endpoint.url()], [r(State.OPTED_OUT), r(State.NOT_OFFERED, platform="x")]) == []
    assert endpoint.posts == []
    lines = notify.alert([endpoint.url()], [r(State.OPTED_OUT), r(State.NEEDS_LOGIN, platform="x")])
    assert lines == ["x: the session needs login; run: optout login x"]
    assert len(endpoint.posts) == 1
    assert endpoint.posts[0]["title"] == "optout: 1 thing needs your attention"
    assert str(endpoint.posts[0]["message"]).startswith("x: the session needs login; run: optout login x\n")
    assert notify.alert([], [r(State.OPTED_IN)]) == [
        "linkedin: 'AI training' is opted in; to fix: optout disable linkedin ai-training"
    ]
    assert len(endpoint.posts) == 1  # no URL: nothing sent, nothing raised


def test_the_alert_names_the_page_the_run_wrote(endpoint: Endpoint, tmp_path: Path) -> None:
    notify.alert([endpoint.url()], [r(State.OPTED_IN)], page=tmp_path / "where.html")
    assert f"The page with the receipts: {tmp_path / 'where.html'}" in str(endpoint.posts[0]["message"])


def test_a_failed_delivery_names_the_masked_url_and_the_reason(endpoint: Endpoint) -> None:
    good, bad = endpoint.url("ok"), endpoint.url("fail", auth="bob:s3cretpassw0rd@")
    with pytest.raises(OptoutError) as caught:
        notify.send([bad, good], "t", "b")
    message = str(caught.value)
    assert "s3cretpassw0rd" not in message
    assert message.count("\n") == 0
    assert message.startswith(f"notification to json://bob:****@127.0.0.1:{endpoint.port}/fail failed: ")
    assert "500" in message
    assert [p["path"] for p in endpoint.posts] == ["/fail", "/ok"]  # the good one still got it


def test_unreachable_and_unknown_urls_fail_clearly(endpoint: Endpoint) -> None:
    with pytest.raises(OptoutError, match=r"notification to json://127\.0\.0\.1:1/ failed: .*[Cc]onnection"):
        notify.send(["json://127.0.0.1:1/"], "t", "b")
    with pytest.raises(OptoutError, match="not a notification URL Apprise understands"):
        notify.send(["nosuchservice://token123456789"], "t", "b")


def test_missing_apprise_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # import apprise -> ImportError
    with pytest.raises(OptoutError, match=r"pip install 'optout\[notify\]'"):
        notify.send(["json://127.0.0.1:1/"], "t", "b")
    notify.check_url("anything://at-all")  # nothing to check against: accepted
    assert "s3cret" not in notify.mask_url("json://bob:s3cret@example.com/x")


def test_masking_hides_tokens() -> None:
    assert notify.mask_url("tgram://123456789:ABCdefGHIjklMNO/12345").startswith("tgram://1...O/")
    assert "TokenB" not in notify.mask_url("slack://TokenA/TokenB/TokenC/#chan")
    assert notify._mask_generic("tgram://123456789:ABCdefGHIjklMNO/12345") == "tgram://****/…"
    assert notify._mask_generic("json://u:p@example.com:88/x?y") == "json://****@example.com:88/…"


def test_masking_hides_tokens_in_the_path_of_generic_webhooks() -> None:
    """Apprise's privacy form keeps json://, form:// and ntfy:// paths whole, tokens and all."""
    for url in (
        "json://example.com/hooks/T0kenT0ken99",
        "form://10.0.0.1:8080/T0kenT0ken99",
        "ntfy://ntfy.sh/T0kenT0ken99",
    ):
        masked = notify.mask_url(url)
        assert "T0kenT0ken99" not in masked and masked.endswith("/****"), masked
    assert notify.mask_url("json://hooks.example.com/x") == "json://hooks.example.com/x"  # host and short paths stay


def test_a_failed_delivery_never_prints_a_path_token(endpoint: Endpoint) -> None:
    with pytest.raises(OptoutError) as caught:
        notify.send([endpoint.url("fail/T0kenT0ken99")], "t", "b")
    assert "T0kenT0ken99" not in str(caught.value)
    assert str(caught.value).startswith(f"notification to json://127.0.0.1:{endpoint.port}/fail/**** failed: ")


def test_apprise_log_lines_are_scrubbed_of_url_secrets() -> None:
    said = "Failed to send to hooks.slack.com with TokenAAAAA, TokenBBBBB; auth hunter2 failed"
    assert notify._scrub(said, "slack://TokenAAAAA/TokenBBBBB/") == (
        "Failed to send to hooks.slack.com with ****, ****; auth hunter2 failed"
    )
    assert notify._scrub("bob:hunter2 at 127.0.0.1", "json://bob:hunter2@127.0.0.1:9/") == "bob:**** at 127.0.0.1"
    assert notify._scrub("to ntfy.example.com", "ntfys://ntfy.example.com/t") == "to ntfy.example.com"


def test_check_url_refuses_what_apprise_cannot_use() -> None:
    notify.check_url("ntfy://ntfy.sh/my-topic")
    with pytest.raises(UsageError, match="not a notification URL"):
        notify.check_url("htp:/oops")


# --- `optout notify-test` -----------------------------------------------------------------


def test_notify_test_sends_to_flag_and_config_urls(tmp_path: Path, endpoint: Endpoint) -> None:
    # Short path names: a path piece of 8 characters or more is masked as a possible token.
    UserConfig(tmp_path).set("notify", endpoint.url("config"))
    res = invoke("--home", str(tmp_path), "notify-test", "--notify", endpoint.url("flag"))
    assert res.exit_code == 0, res.stderr
    assert [p["path"] for p in endpoint.posts] == ["/flag", "/config"]
    assert endpoint.posts[0]["title"] == "optout: test message"
    assert res.stdout.splitlines() == [
        f"sent a test message to json://127.0.0.1:{endpoint.port}/flag",
        f"sent a test message to json://127.0.0.1:{endpoint.port}/config",
    ]


def test_notify_test_without_urls_is_a_clear_error(tmp_path: Path) -> None:
    res = invoke("--home", str(tmp_path), "notify-test")
    assert res.exit_code == 2
    assert res.stderr == (
        "optout: no notification URL: pass --notify URL, or add one with `optout config set notify URL`\n"
    )


def test_notify_test_failure_exits_2_without_secrets(tmp_path: Path, endpoint: Endpoint) -> None:
    res = invoke("--home", str(tmp_path), "notify-test", "--notify", endpoint.url("fail", auth="bob:hunter2hunter2@"))
    assert res.exit_code == 2
    assert "hunter2" not in res.output and "hunter2" not in res.stderr
    assert res.stderr.startswith("optout: notification to json://bob:****@127.0.0.1:")


def test_every_failed_notification_url_is_a_warning_line_of_its_own(tmp_path: Path, endpoint: Endpoint) -> None:
    # No session: linkedin needs a login, which is worth a notification, and no browser starts.
    res = invoke(
        "--home",
        str(tmp_path),
        "status",
        "linkedin",
        "--notify",
        endpoint.url("fail"),
        "--notify",
        endpoint.url("fail2"),
    )
    assert res.exit_code == 3
    said = [line for line in res.stderr.splitlines() if "notification" in line]
    assert len(said) == 2 and all(line.startswith("optout: warning: ") for line in said), res.stderr
