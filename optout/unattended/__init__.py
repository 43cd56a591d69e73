"""Running without anyone watching: which results need attention, drift since the last run,
notifications (Apprise URLs), and the cron/systemd/launchd entries `optout schedule` writes.
"""
