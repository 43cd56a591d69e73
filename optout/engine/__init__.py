"""The engine: finds a usable Chromium (browser), builds every platform's browser context in one
place (contexts), plans a run (plan), then opens, reads, changes and verifies each setting
(runner, navigate, locate, change, click, collateral, verify) and keeps its evidence; also the
sign-in window and session checks (login), the discovery rules for new AI switches, and the
refresh of signed-out sessions from the user's browser. Independent of the CLI and the actions.
"""
