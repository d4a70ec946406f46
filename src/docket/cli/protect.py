"""Commands that protect the record: the signing key, checking a signed export, encrypted
backups and restoring one (docs/signing-and-backups.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from docket.cli import MAX_PROBLEMS, _actor, _migrate, cli, handles_errors
from docket.core.errors import DocketError


def passphrase(*, confirm: bool = False) -> str:
    """The signing key's passphrase: $DOCKET_SIGNING_PASSPHRASE or the contents of
    $DOCKET_SIGNING_KEY_FILE; else, as for an encrypted database, $DOCKET_PASSPHRASE or the
    contents of $DOCKET_KEY_FILE (stripped); else asked for (hidden). Never echoed or logged.
    The signing variables come first, so one command can open an encrypted database and sign
    with a key under a different passphrase."""
    for variable, file_variable in (
        ("DOCKET_SIGNING_PASSPHRASE", "DOCKET_SIGNING_KEY_FILE"),
        ("DOCKET_PASSPHRASE", "DOCKET_KEY_FILE"),
    ):
        value = os.environ.get(variable)
        if value:
            return value
        key_file = os.environ.get(file_variable)
        if key_file:
            try:
                value = Path(key_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise DocketError(
                    f"cannot read {file_variable} {key_file}: {exc.strerror}"
                ) from exc
            if not value:
                raise DocketError(f"{file_variable} {key_file} is empty")
            return value
    if not sys.stdin.isatty():
        raise DocketError(
            "no passphrase for the signing key: set DOCKET_SIGNING_PASSPHRASE or "
            "DOCKET_SIGNING_KEY_FILE "
            "(or run this in a terminal to be asked)"
        )
    return str(
        click.prompt(
            "Passphrase of the signing key",
            hide_input=True,
            confirmation_prompt=confirm,
            err=True,
        )
    )


def signing_key() -> Any:
    """This installation's private key, opened with the passphrase (for `export --sign`)."""
    from docket.records.signing import keys_dir, load_private

    folder = keys_dir()
    if not (folder / "docket-signing.key").is_file():
        raise DocketError(
            f"no signing key in {folder}: create one first with `docket keys init` "
            "(or set DOCKET_KEYS_DIR to the folder that holds it)"
        )
    return load_private(passphrase(), folder)


def history_anchor() -> dict[str, Any]:
    """The last change of the history, for a signed manifest: a recipient holding it can later
    check that the history still contains this hash at this number (docs/integrity.md)."""
    from docket.records import models as m

    last = m.Change.objects.order_by("-seq").values("seq", "hash").first()
    return {
        "changes": m.Change.objects.count(),
        "last_seq": last["seq"] if last else 0,
        "last_hash": last["hash"] if last else "",
    }


@cli.group()
def keys() -> None:
    """This installation's Ed25519 signing key, which signs exports (`export --sign`).

    The key lives in $DOCKET_KEYS_DIR (default ~/.docket/keys), the private half encrypted
    under a passphrase; never in the database and never beside an export.
    """


@keys.command("init")
@handles_errors
def keys_init() -> None:
    """Create the signing key pair (refuses if one exists: replacing it is a decision).

    The passphrase comes from $DOCKET_PASSPHRASE, $DOCKET_KEY_FILE or is asked for twice;
    at least 10 characters.
    """
    from docket.records.signing import PUBLIC_FILE, init_key, keys_dir

    folder, fp = init_key(passphrase(confirm=True), keys_dir())
    click.echo(f"Created the signing key {fp} in {folder}")
    click.echo(f"Give recipients the public key: {folder / PUBLIC_FILE} (docket keys public)")


@keys.command("public")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the public key to this file (e.g. docket-signing.pub) instead of printing it.",
)
@handles_errors
def keys_public(out: Path | None) -> None:
    """Print the public key (PEM) and its fingerprint, to hand to recipients of exports.

    Needs no passphrase. Recipients should confirm the fingerprint with you over another
    channel (a call, in person) than the one that brought the key.
    """
    from docket.records.signing import fingerprint, installed_public, public_pem

    public = installed_public()
    pem = public_pem(public)
    if out is not None:
        out.write_bytes(pem)
        click.echo(f"Wrote {out}")
    else:
        click.echo(pem.decode("ascii"), nl=False)
    click.echo(f"Fingerprint: {fingerprint(public)}")


@cli.command("verify-export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--public-key",
    "public_key",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The sender's public key file (docket-signing.pub); nothing else is needed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@handles_errors
def verify_export(path: Path, public_key: Path, as_json: bool) -> None:
    """Check a signed export (folder or zip) with the sender's public key alone.

    Checks the signature over MANIFEST.json, then every file's SHA-256, and that no file was
    added or removed. Exits 0 when all holds, 1 naming what does not. Uses no database.
    """
    from docket.records.signing import load_public
    from docket.records.signing import verify_export as check_export

    check = check_export(path, load_public(public_key))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": check.ok,
                    "files": check.files,
                    "signer": check.signer,
                    "case": check.case,
                    "created_at": check.created_at,
                    "history": check.history,
                    "problems": check.problems,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif check.ok:
        click.echo(f"Verified: {check.files} files, signed by {check.signer}")
        click.echo(f"Case {check.case}, exported {check.created_at}.")
        if check.history.get("last_hash"):
            click.echo(
                f"History at export: change {check.history['last_seq']}, "
                f"hash {check.history['last_hash']}"
            )
    else:
        for problem in check.problems[:MAX_PROBLEMS]:
            click.echo(problem)
        if len(check.problems) > MAX_PROBLEMS:
            click.echo(f"… and {len(check.problems) - MAX_PROBLEMS} more")
        click.echo(f"NOT verified: {len(check.problems)} problem(s).")
    if not check.ok:
        sys.exit(1)


@cli.command()
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    required=True,
    metavar="AGE_PUBLIC_KEY",
    help="Encrypt to this age public key (age1…, from age-keygen; or ssh-ed25519 …). "
    "Repeat for several holders; any one of them can restore.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The encrypted backup file to write (FILE.age).",
)
@handles_errors
def backup(recipients: tuple[str, ...], out: Path) -> None:
    """Write an encrypted backup of the whole database: every case, the change history with
    its hashes, and the logins — one consistent snapshot, in the age format.

    Decrypt with `docket restore` or the standard tool: age -d -i key.txt FILE.age.
    """
    from docket.records.backup import write_backup

    _migrate()
    info = write_backup(out, list(recipients))
    click.echo(
        f"Wrote {out} ({info.size:,} bytes, encrypted to {len(recipients)} recipient(s)): "
        f"{len(info.cases)} case(s), {info.records} records, {info.changes} changes, "
        f"{info.users} login(s)."
    )
    if info.last_hash:
        click.echo(f"Last change {info.changes}: {info.last_hash}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--identity",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="The age identity file of one recipient (as age-keygen writes it: AGE-SECRET-KEY-1…).",
)
@click.option(
    "--keep-unverified",
    is_flag=True,
    help="Keep the restored database even if `docket verify` fails on it (to examine a "
    "tampered record); by default nothing is kept then.",
)
@handles_errors
def restore(file: Path, identity: Path, keep_unverified: bool) -> None:
    """Restore a backup into an EMPTY database, all or nothing, then verify the history.

    Refuses a database that holds any case. Exit 0 when the restored record verifies.
    """
    from docket.records.backup import decrypt
    from docket.records.backup import restore as run_restore

    plain = decrypt(file, identity)
    _migrate()
    report = run_restore(plain, actor=_actor(), keep_unverified=keep_unverified)
    result = report.verification
    if report.kept:
        click.echo(
            f"Restored {len(report.cases)} case(s) ({', '.join(report.cases) or 'none'}): "
            f"{report.records} records, {report.changes} changes."
        )
        if report.users_created or report.users_kept:
            kept = f"; kept existing: {', '.join(report.users_kept)}" if report.users_kept else ""
            click.echo(f"Logins created: {', '.join(report.users_created) or 'none'}{kept}.")
    for problem in result.problems[:MAX_PROBLEMS]:
        click.echo(str(problem))
    if result.ok:
        click.echo(
            f"Verified: {result.changes} changes, chain intact, "
            f"{result.records} records match the history."
        )
        return
    if report.kept:
        click.echo(f"NOT verified: {len(result.problems)} problem(s); kept as asked.")
    else:
        click.echo(
            f"NOT verified: {len(result.problems)} problem(s); nothing was restored "
            "(--keep-unverified keeps it to examine)."
        )
    sys.exit(1)
