"""Replica LinkedIn, X and Meta pages on loopback, so the engine meets real markup in real Chromium.

Used by the tests and by `optout demo`; `python -m optout.replica` serves them for exploring by hand.
"""

from optout.replica.options import TEST_NAME, TEST_PASSWORD, TEST_USER, ReplicaOptions
from optout.replica.replica import PLATFORMS, REPLICA_DOMAINS, Replica

__all__ = ["PLATFORMS", "REPLICA_DOMAINS", "TEST_NAME", "TEST_PASSWORD", "TEST_USER", "Replica", "ReplicaOptions"]
