"""`python -m optout.replica`: serve the replica platforms until Ctrl-C, for exploring by hand.

Prints the OPTOUT_ORIGIN value that points optout's recipes at them, and the test account.
"""

from __future__ import annotations

import argparse
import threading
from dataclasses import fields

from optout.replica import TEST_PASSWORD, TEST_USER, Replica, ReplicaOptions


def parse_args(argv: list[str] | None = None) -> ReplicaOptions:
    parser = argparse.ArgumentParser(prog="python -m optout.replica", description=__doc__.splitlines()[0])
    options = ReplicaOptions()
    for f in fields(ReplicaOptions):
        flag = "--" + f.name.replace("_", "-")
        default = getattr(options, f.name)
        if isinstance(default, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        elif f.name == "label_variant":
            parser.add_argument(flag, choices=["current", "changed", "old"], default=default)
        elif f.name == "language":
            parser.add_argument(flag, choices=["en", "de"], default=default)
        else:
            parser.add_argument(flag, type=float, default=default, metavar="SECONDS")
    args = parser.parse_args(argv)
    return ReplicaOptions(**{f.name: getattr(args, f.name) for f in fields(ReplicaOptions)})


def main(argv: list[str] | None = None) -> None:
    with Replica(parse_args(argv)) as replica:
        for name, origin in replica.origins.items():
            print(f"{name:9} {origin}")
        print(f"\nOPTOUT_ORIGIN={replica.origin_env()}")
        print(f"user: {TEST_USER}  password: {TEST_PASSWORD}")
        print("Serving until Ctrl-C.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nstopped")


if __name__ == "__main__":
    main()
