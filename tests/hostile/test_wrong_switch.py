"""A settings URL that shows another setting's switch (issue 19, item 1): LinkedIn's recipe may
take the page's only switch for its own (`sole`), and once switched off "Use my data for social,
economic and workplace research" and reported the AI setting opted out, changed and verified.

The page's only switch is another setting's, shown in place of the AI one (a redesign) or on the
page the setting's URL redirects to; it is told apart by its English label on an English page, by
its own `aria-labelledby`, or by the redirect. Each time `status` says `not_found` and why,
`disable` and `disable --all --quiet` (cron) click nothing and exit 3, and the server keeps every
value as it was. The switch's label, quoted in the result, loses the member's name and e-mail.
"""

from __future__ import annotations

import json

import pytest

from optout.replica import TEST_USER
from optout.replica.options import TEST_NAME

OTHER_LABEL = "Use my data for social, economic and workplace research"

# (replica options, what the result must say about why the switch is not the setting's)
PAGES = {
    "english page, its own aria-labelledby": ({"only_other_switch": True}, 'aria-labelledby is "allowAnonymized'),
    "english page, no attributes": (
        {"only_other_switch": True, "no_stable_attributes": True},
        'the page is in "en", a language the recipe has names for',
    ),
    "redirect to another settings page, german, no attributes": (
        {"redirect_to_other_setting": True, "language": "de", "no_stable_attributes": True},
        "no longer the setting's own (/mypreferences/d/settings/policy-and-academic-research, not ",
    ),
    "redirect to another settings page, english": ({"redirect_to_other_setting": True}, "which is not this setting"),
}


@pytest.mark.parametrize("variant", PAGES)
def test_another_settings_switch_is_not_found_and_never_clicked(log_in, cli, replica, variant: str) -> None:
    options, why = PAGES[variant]
    log_in("linkedin")
    for name, value in options.items():
        setattr(replica.options, name, value)
    before = replica.state("linkedin")

    disable = cli("disable", "linkedin", "--json")
    assert disable.exit_code == 3, disable
    (got,) = json.loads(disable.stdout)
    assert (got["state"], got["action"]) == ("not_found", "none"), got
    assert "the page's only switch is labelled" in got["detail"] and why in got["detail"], got["detail"]
    assert got["detail"].endswith("nothing was clicked")

    cron = cli("disable", "--all", "--quiet")
    assert cron.exit_code == 3, cron
    assert "opted out" not in cron.stdout + cron.stderr
    assert replica.writes("linkedin") == 0  # nothing was sent: no switch was clicked
    assert replica.state("linkedin") == before


def test_status_says_not_found_and_the_quoted_label_loses_the_members_name_and_e_mail(log_in, cli, replica) -> None:
    """`status` reads the other setting's switch as not found, and quotes its label in the
    result, which reaches the history, notifications and cron mail: the config's name, e-mail
    addresses and cookie values are removed from it."""
    log_in("linkedin")
    assert cli("config", "set", "name", TEST_NAME).exit_code == 0
    replica.options.only_other_switch = replica.options.echo_secrets = True
    run = cli("status", "linkedin", "--json")
    assert run.exit_code == 3, run
    (got,) = json.loads(run.stdout)
    assert (got["state"], got["action"]) == ("not_found", "none") and OTHER_LABEL in got["detail"], got
    assert replica.writes("linkedin") == 0
    history = cli("history", "linkedin", "--json").stdout
    for text in (got["detail"], history):
        assert TEST_NAME not in text and TEST_USER not in text
        assert all(value not in text for value in replica.session_values("linkedin"))
    assert "[personal data removed]" in got["detail"] and "[e-mail removed]" in got["detail"]
