"""One setting of one account has one identity (issue 21): results, the history's rows, drift and
the run's bookkeeping all name it by a SettingRef, so a per-resource setting is found again."""

from __future__ import annotations

from optout.results import Result, SettingRef, State


def test_a_per_resource_setting_round_trips_through_its_history_key() -> None:
    ref = SettingRef("wordpress", "default", "ai-sharing", "blog.example")
    assert ref.key == "ai-sharing[blog.example]"
    assert SettingRef.of("wordpress", "default", ref.key) == ref
    assert SettingRef.of_row({"platform": "wordpress", "account": "default", "setting": ref.key}) == ref
    assert SettingRef.of("linkedin", "work", "ai-training") == SettingRef("linkedin", "work", "ai-training")


def test_a_result_names_the_same_setting_as_its_history_row() -> None:
    r = Result(platform="tumblr", setting="third-party", title="t", state=State.OPTED_IN, resource="cats")
    row = {"platform": "tumblr", "account": "default", "setting": r.ref.key}
    assert SettingRef.of_row(row) == r.ref and {r.ref: 1}.get(SettingRef.of_row(row)) == 1
