"""Maintainers' tool: build or refresh the TUF repository that publishes the catalogue.

    python -m optout.recipes.publish keygen KEYS_DIR              # once: root, targets, snapshot, timestamp keys
    python -m optout.recipes.publish release REPO --keys KEYS_DIR # every release (and at least weekly)

`release` validates platforms.yaml with the same loader as every optout (an invalid catalogue is
never published), adds it as the target `platforms.yaml` (its bytes under
REPO/targets/<sha256>.platforms.yaml: consistent snapshots) with the catalogue's version, the date
and its `min_optout` in the target's signed `custom` field, and signs new targets, snapshot and
timestamp metadata under REPO/metadata/ (N.root.json, N.targets.json, N.snapshot.json,
timestamp.json): the layout python-tuf's examples and TUF-on-CI publish. Upload REPO as it is.
A key in KEYS_DIR that the root does not list yet is rotated in: a new root version, signed by
the new root key and (for the root's own key) by the old one given with --old-root-key.

Never imported by optout at run time (the CLI imports optout.recipes.update_client, the client side).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROLES = ("root", "targets", "snapshot", "timestamp")
TARGET = "platforms.yaml"
# How long each role's signature is valid: the timestamp must be re-signed (a `release`, even with
# nothing new) before it runs out, which is what protects users from a frozen mirror.
EXPIRY = {
    "root": timedelta(days=365),
    "targets": timedelta(days=90),
    "snapshot": timedelta(days=90),
    "timestamp": timedelta(days=7),
}
RENEW_BEFORE = timedelta(days=30)  # roles valid for less than this are re-signed by a release


def load_signer(path: Path) -> Any:
    """An ed25519 (or any PEM/PKCS8) private key file as a securesystemslib signer."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    return CryptoSigner(load_pem_private_key(path.read_bytes(), password=None))


def keygen(folder: Path) -> None:
    """Write a new private key per role, mode 600; refuse to overwrite one."""
    from securesystemslib.signer import CryptoSigner

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for role in ROLES:
        path = folder / f"{role}.pem"
        if path.exists():
            raise SystemExit(f"{path} exists: keys are never overwritten")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(CryptoSigner.generate_ed25519().private_bytes)
        print(f"wrote {path}")


def load_signers(folder: Path) -> dict[str, Any]:
    return {role: load_signer(folder / f"{role}.pem") for role in ROLES}


def _latest_root(metadata: Path) -> Any | None:
    from tuf.api.metadata import Metadata

    versions = sorted(int(p.name.split(".")[0]) for p in metadata.glob("*.root.json") if p.name[0].isdigit())
    return Metadata.from_file(str(metadata / f"{versions[-1]}.root.json")) if versions else None


def _write(md: Any, path: Path) -> None:
    from tuf.api.serialization.json import JSONSerializer

    md.to_file(str(path), JSONSerializer(compact=False))


def _root(metadata: Path, signers: dict[str, Any], old_root: Any | None, now: datetime) -> Any:
    """The root to sign with: the newest one, or version 1; a new version when a key rotates or
    the root is about to expire."""
    from tuf.api.metadata import Metadata, Root

    current = _latest_root(metadata)
    if current is None:
        root = Root(expires=now + EXPIRY["root"], consistent_snapshot=True)
        for role in ROLES:
            root.add_key(signers[role].public_key, role)
        md = Metadata(root)
        md.sign(signers["root"])
        _write(md, metadata / "1.root.json")
        _write(md, metadata / "root.json")
        return md
    root = current.signed
    old_keys = {role: list(root.roles[role].keyids) for role in ROLES}
    changed = False
    for role in ROLES:
        key = signers[role].public_key
        if key.keyid not in root.roles[role].keyids:
            for keyid in old_keys[role]:
                root.revoke_key(keyid, role)
            root.add_key(key, role)
            changed = True
    if not changed and root.expires - now > RENEW_BEFORE:
        return current
    if signers["root"].public_key.keyid not in old_keys["root"] and old_root is None:
        raise SystemExit("the root key changes: give the old one with --old-root-key, so clients can trust the new")
    root.version += 1
    root.expires = now + EXPIRY["root"]
    current.signatures.clear()
    current.sign(signers["root"], append=True)
    if old_root is not None and old_root.public_key.keyid != signers["root"].public_key.keyid:
        current.sign(old_root, append=True)
    _write(current, metadata / f"{root.version}.root.json")
    _write(current, metadata / "root.json")
    return current


def release(
    repo: Path,
    catalogue: bytes,
    signers: dict[str, Any],
    *,
    min_optout: str | None = None,
    old_root: Any | None = None,
    validate: bool = True,
    now: datetime | None = None,
    expiry: dict[str, timedelta] | None = None,
) -> int:
    """Publish `catalogue` (or re-sign what is published) in repo; the catalogue's version."""
    from tuf.api.metadata import Metadata, MetaFile, Snapshot, TargetFile, Targets, Timestamp

    if validate:
        _validate(catalogue)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    expiry = {**EXPIRY, **(expiry or {})}
    metadata, targets_dir = repo / "metadata", repo / "targets"
    metadata.mkdir(parents=True, exist_ok=True)
    targets_dir.mkdir(parents=True, exist_ok=True)
    root = _root(metadata, signers, old_root, now)

    timestamp_file = metadata / "timestamp.json"
    if timestamp_file.exists():
        timestamp = Metadata[Timestamp].from_file(str(timestamp_file))
        snapshot_version = timestamp.signed.snapshot_meta.version
        snapshot = Metadata[Snapshot].from_file(str(metadata / f"{snapshot_version}.snapshot.json"))
        targets = Metadata[Targets].from_file(
            str(metadata / f"{snapshot.signed.meta['targets.json'].version}.targets.json")
        )
    else:
        timestamp, snapshot, targets = Metadata(Timestamp()), Metadata(Snapshot()), Metadata(Targets())
        timestamp.signed.version = snapshot.signed.version = targets.signed.version = 0

    entry = TargetFile.from_data(TARGET, catalogue, ["sha256"])
    old = targets.signed.targets.get(TARGET)
    old_custom = old.custom if old else {}
    same = old is not None and old.hashes == entry.hashes and old_custom.get("min_optout") == min_optout
    version = int(old_custom.get("version", 0)) + (0 if same else 1)
    custom: dict[str, Any] = (
        old_custom if same else {"version": version, "published": now.isoformat().replace("+00:00", "Z")}
    )
    if min_optout is not None:
        custom["min_optout"] = min_optout
    entry.unrecognized_fields["custom"] = custom

    def stale(md: Any, role: str) -> bool:
        keyids = root.signed.roles[role].keyids
        return md.signed.version == 0 or md.signed.expires - now < RENEW_BEFORE or not set(md.signatures) <= set(keyids)

    new_targets = not same or stale(targets, "targets")
    if new_targets:
        (targets_dir / f"{entry.hashes['sha256']}.{TARGET}").write_bytes(catalogue)
        targets.signed.targets[TARGET] = entry
        _bump(targets, signers["targets"], now + expiry["targets"])
        _write(targets, metadata / f"{targets.signed.version}.targets.json")
        snapshot.signed.meta["targets.json"] = MetaFile(version=targets.signed.version)
    if new_targets or stale(snapshot, "snapshot"):
        _bump(snapshot, signers["snapshot"], now + expiry["snapshot"])
        _write(snapshot, metadata / f"{snapshot.signed.version}.snapshot.json")
    timestamp.signed.snapshot_meta = MetaFile(version=snapshot.signed.version)
    _bump(timestamp, signers["timestamp"], now + expiry["timestamp"])
    _write(timestamp, timestamp_file)
    return version


def _bump(md: Any, signer: Any, expires: datetime) -> None:
    md.signed.version += 1
    md.signed.expires = expires
    md.signatures.clear()
    md.sign(signer)


def _validate(catalogue: bytes) -> None:
    """The loader every optout runs: a catalogue it would refuse is never published."""
    import tempfile

    from optout.errors import RecipeError
    from optout.recipes.catalogue import parse_catalogue

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / TARGET
        path.write_bytes(catalogue)
        try:
            parse_catalogue(path)
        except RecipeError as exc:
            raise SystemExit("not published: " + "\n".join(exc.lines)) from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m optout.recipes.publish", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("keygen", help="write a new private key per role")
    gen.add_argument("keys", type=Path)
    rel = commands.add_parser("release", help="publish platforms.yaml (or re-sign what is published)")
    rel.add_argument("repo", type=Path, help="the repository folder to upload (metadata/ and targets/)")
    rel.add_argument("--keys", type=Path, default=os.environ.get("OPTOUT_PUBLISH_KEYS"), help="env OPTOUT_PUBLISH_KEYS")
    rel.add_argument("--catalogue", type=Path, default=Path("platforms.yaml"))
    rel.add_argument("--min-optout", help="the oldest optout that reads this catalogue")
    rel.add_argument("--old-root-key", type=Path, help="the previous root key, when the root key rotates")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        keygen(args.keys)
        return
    if args.keys is None:
        parser.error("give --keys DIR (or OPTOUT_PUBLISH_KEYS)")
    from optout.recipes.schema import VERSION

    if args.min_optout is not None and not re.match(VERSION, args.min_optout):
        parser.error(f"--min-optout {args.min_optout!r}: give a version such as 0.2")
    old_root = load_signer(args.old_root_key) if args.old_root_key else None
    version = release(
        args.repo, args.catalogue.read_bytes(), load_signers(args.keys), min_optout=args.min_optout, old_root=old_root
    )
    print(f"published catalogue version {version} in {args.repo}")


if __name__ == "__main__":
    main(sys.argv[1:])
