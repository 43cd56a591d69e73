"""Replica LinkedIn, X and Meta pages on loopback, so the engine meets real markup in real Chromium.

Used by the tests and by `optout demo`; `python -m optout.replica` serves them for exploring by hand.
"""

from optout.replica.options import TEST_NAME, TEST_PASSWORD, TEST_USER, ReplicaOptions

__all__ = ["TEST_NAME", "TEST_PASSWORD", "TEST_USER", "ReplicaOptions"]
