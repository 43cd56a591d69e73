"""What optout keeps for the user in its home directory (optout.home.paths says where): stored
sessions and the account each is for, cookie files and browser stores they are imported from,
the user's config file, the history of every result, receipts and the run lock. Files here are
private (mode 600 in mode 700 folders, no links followed: optout.home.storage); nothing here opens
a browser.
"""
