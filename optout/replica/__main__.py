"""`python -m optout.replica`: serve the replica platforms until Ctrl-C, for exploring by hand.

Prints the OPTOUT_ORIGIN value that points optout's recipes at them, and the test account.
"""

from __future__ import annotations

import argparse
import threading
import types
from dataclasses import fields
from typing import Literal, Union, get_args, get_origin, get_type_hints

# What a value of each plain type stands for, in the help.
from optout.kits.replica import Replica
from optout.replica import TEST_PASSWORD, TEST_USER, ReplicaOptions

_METAVARS = {float: "SECONDS", int: "NUMBER", str: "TEXT"}


def parse_args(argv: list[str] | None = None) -> ReplicaOptions:
    """A flag per option, parsed as the option's declared type: a switch for a bool, the choices
    of a Literal, and the plain type (of an optional one, too) otherwise."""
    parser = argparse.ArgumentParser(prog="python -m optout.replica", description=__doc__.splitlines()[0])
    options = ReplicaOptions()
    hints = get_type_hints(ReplicaOptions)
    for f in fields(ReplicaOptions):
        flag, default, kind = "--" + f.name.replace("_", "-"), getattr(options, f.name), hints[f.name]
        # float | None: the value, when given, is a float (a Literal's `| None` is a typing.Union)
        if get_origin(kind) in (types.UnionType, Union):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        if kind is bool:
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default)
        elif get_origin(kind) is Literal:
            parser.add_argument(flag, choices=get_args(kind), default=default)
        else:
            parser.add_argument(flag, type=kind, default=default, metavar=_METAVARS[kind])
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
