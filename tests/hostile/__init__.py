"""What optout withstands: hostile recipe files, homes, URLs, inputs and pages.

Each module is one theme; each test is one attack that once got through (issue 11). Read the
module docstrings in this order for the list:

- test_off_platform.py: a settings page that moves to another site (HTTP or script), answers
  with an HTTP error or comes back empty: nothing there is read or clicked.
- test_recipe_files.py: YAML bombs, tags, deep nesting, impossible dates, huge files, unsafe or
  Python-only regexes, broken CSS, bad ports: refused at `recipes validate`, one line, exit 2.
- test_urls_and_domains.py: URLs parsed as Chromium parses them; userinfo and backslashes
  refused; a platform's domains must be registrable, so no cookie escapes to `.com`.
- test_home_dir.py: links and other users' files planted in the home, state files that are
  directories, a home that is a file: refused, nothing written through them.
- test_inputs.py: cookie files that are devices, pipes or absurd; options like `--timeout inf`,
  `--home ''`, `--region ÉÉ`: one line and exit 2, never a hang or "internal error"; a
  partitioned (CHIPS) cookie beside the session cookie no longer replaces it.
- test_flapping_server.py: a server that keeps nothing and answers on and off in turn: a change
  is verified only by two fresh readings that agree; a disagreement is an `error` naming both.
- test_frames.py: a settings app in an iframe of the platform's is read, changed and listed, a
  copy beside it in the page is ambiguous; a frame of another site with a lookalike switch is
  neither read nor clicked, and the result says a frame could not be read.
- test_unwritable_home.py: a read-only or full home: `config set` is one line and exit 2,
  `history` and `report` still read it, a receipt that cannot be kept is a warning.
- test_damaged_history.py: a damaged history or session file never hides what a run did: the
  results are printed in full, the recording failure is a warning, exit 3 where they say 0.
- test_signals.py: Ctrl-C or SIGTERM right after a click: the browser is closed, what was done is
  printed and recorded (the unverified click says so), exit 130 or 143, no traceback.
- test_evidence.py: saved pages lose cookie values (also base64) and e-mail addresses; evidence
  is private; the user is told what a screenshot may show.
- test_wrong_click.py: another control's transparent element over the switch or inside its
  label takes no click (nothing clicked, the covering control named); a change that also switches
  another setting is an error that names it, never verified; sub-switches that vanish with
  the setting were not switched (issue 19).
- test_restless_pages.py: a page whose clock ticks for ever is still read, changed and verified
  (within the bound the README states); a switch that keeps flipping is unreadable, never clicked.
- test_wrong_switch.py: a settings URL showing another setting's only switch (in place, or after
  a redirect to another settings page): `not_found` saying why, nothing clicked, also from cron;
  the quoted label loses the member's name and e-mail (issue 19).
- test_stored_secrets.py: a page showing the session's local- or session-storage tokens (a JWT
  in a JSON value, a bearer token) leaves none in evidence, `report`'s archive or a result.
- test_signed_out.py: a platform that expires the session cookie mid-run is said to have signed
  the session out (`sessions`, the run's warning); the write-back does not hide it.
- test_catalogue_updates.py: a signed catalogue update (TUF, a real repository on loopback) that
  was tampered with, has an expired timestamp, is rolled back, comes with a root signed by
  strangers, fails the schema or needs a newer optout, and a repository that hangs or is down:
  one line, nothing installed, the catalogue in use stays (issue 24).
"""
