"""Commands that keep the record: create, load, export, verify, users, vocabularies, serve."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click

from docket.cli import (
    DEMO_CASE,
    MAX_PROBLEMS,
    _actor,
    _database_label,
    _migrate,
    _print_report,
    cli,
    handles_errors,
)
from docket.core.errors import DocketError


@cli.command()
@click.option(
    "--encrypt",
    is_flag=True,
    help="Create the SQLite database encrypted with SQLCipher. The passphrase comes from "
    "$DOCKET_PASSPHRASE, the file $DOCKET_KEY_FILE names, or is asked for twice (hidden); "
    "every later command opens the database with it (docs/encryption.md).",
)
@handles_errors
def init(encrypt: bool) -> None:
    """Create the database tables (safe to run again: it only applies what is missing)."""
    from docket.cli import encryption as keys

    path = keys.prepare_encrypted_database() if encrypt else None
    _migrate()
    if path is not None:
        keys.secure_the_file(path)
    click.echo(f"Database ready: {keys.database_label() or _database_label()}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@handles_errors
def load(folder: Path) -> None:
    """Load the case bundle in FOLDER: all of it, or nothing if any record is wrong.

    Loading the same bundle again changes nothing. Every problem is listed with its file,
    record and field.
    """
    from docket.records.services import bundle_load

    _migrate()
    report = bundle_load(folder=folder, actor=_actor())
    _print_report(report)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bundle"]),
    default="bundle",
    show_default=True,
    help="bundle: the folder of YAML files described in docs/bundle-format.md.",
)
@click.option("--case", "case_code", metavar="CODE", help="Case to export (default: the only one).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the bundle into (created if missing), or a FILE.zip to write the "
    "same files as one zip.",
)
@click.option(
    "--sign",
    is_flag=True,
    help="Add MANIFEST.json (every file's size and SHA-256) and MANIFEST.sig (its Ed25519 "
    "signature by this installation's key, see `docket keys`), so that a recipient can check "
    "it with `docket verify-export`. The key's passphrase comes from $DOCKET_PASSPHRASE, "
    "$DOCKET_KEY_FILE or a prompt.",
)
@handles_errors
def export(fmt: str, case_code: str | None, out: Path, sign: bool) -> None:
    """Write a case out as a bundle folder (or zip) that `docket load` reads back.

    With --sign the bundle files are the same bytes as without it; the manifest and its
    signature are added beside them (docs/signing-and-backups.md).
    """
    import tempfile

    from docket.records.bundle import write_bundle
    from docket.records.selectors import bundle_export
    from docket.records.services import case_get
    from docket.records.signing import MANIFEST_FILES, sign_folder, write_zip

    key = None
    if sign:
        from docket.cli.protect import history_anchor, signing_key

        key = signing_key()
    case = case_get(case_code)
    bundle = bundle_export(case)
    anchor = history_anchor() if sign else None
    if out.suffix.lower() == ".zip":
        if out.is_dir():
            raise DocketError(f"{out} is a folder; name a file for the zip, or drop .zip")
        with tempfile.TemporaryDirectory(prefix="docket-export-") as tmp:
            files = write_bundle(Path(tmp), bundle)
            count = write_zip(out, Path(tmp), files, key=key, case=case.code, history=anchor)
        click.echo(f"Wrote {count} files to {out}" + (" (signed)" if sign else ""))
        return
    if out.exists() and not out.is_dir():
        raise DocketError(f"{out} is a file; --out takes a folder (or a name ending in .zip)")
    if sign and out.is_dir():
        from docket.records.bundle import CASE_FILE
        from docket.records.schema import KINDS

        ours = {CASE_FILE, *MANIFEST_FILES, *(k.file for k in KINDS)}
        others = sorted(p.name for p in out.iterdir() if p.name not in ours)
        if others:
            raise DocketError(
                f"{out} holds other files ({', '.join(others[:5])}); a signed export is exactly "
                "the bundle: choose an empty or new folder"
            )
    for name in MANIFEST_FILES:  # a manifest left from an earlier export would be stale
        (out / name).unlink(missing_ok=True)
    files = write_bundle(out, bundle)
    if key is not None:
        signer = sign_folder(out, files, key=key, case=case.code, history=anchor)
        click.echo(f"Wrote {len(files)} files to {out}, signed by {signer}")
        return
    click.echo(f"Wrote {len(files)} files to {out}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")
@handles_errors
def verify(as_json: bool) -> None:
    """Prove the record untouched: recompute the hash chain of the change history, then
    compare every stored record with what the history says it became.

    Exits 0 when all holds, 1 with each problem (the first break first). See docs/integrity.md.
    """
    from docket.records.history import verify_history

    result = verify_history()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "changes": result.changes,
                    "records": result.records,
                    "ok": result.ok,
                    "problems": [p.to_dict() for p in result.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif result.ok:
        click.echo(
            f"Verified: {result.changes} changes, chain intact, "
            f"{result.records} records match the history."
        )
    else:
        for problem in result.problems[:MAX_PROBLEMS]:
            click.echo(str(problem))
        if len(result.problems) > MAX_PROBLEMS:
            click.echo(f"… and {len(result.problems) - MAX_PROBLEMS} more")
        click.echo(
            f"NOT verified: {len(result.problems)} problem(s) in {result.changes} changes "
            f"and {result.records} records."
        )
    if not result.ok:
        sys.exit(1)


@cli.group()
def user() -> None:
    """Logins for the pages and the API, each with a role (docs/web.md, docs/api.md)."""


def _password() -> str:
    password = os.environ.get("DOCKET_PASSWORD")
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _check_password(password: str, account: Any) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS): at least 12
    characters, not common, not all digits, not like the user name."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise DocketError("the password is refused: " + " ".join(exc.messages)) from exc


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "reviewer", "documenter", "viewer"]),
    required=True,
    help="What the login may do: admin (everything), reviewer (verify), documenter (enter "
    "records), viewer (read as a partner).",
)
@handles_errors
def user_add(name: str, role: str) -> None:
    """Create login NAME with a role (an existing one gets the role and a new password).

    The password comes from $DOCKET_PASSWORD, or is asked for twice (hidden); at least 12
    characters, not a common one. Admins and reviewers also set up two-factor login at their
    first login (or see: docket user totp).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from docket.web.roles import ROLES

    _migrate()
    password = _password()
    existing = get_user_model().objects.filter(username=name).first()
    _check_password(password, existing or get_user_model()(username=name))
    with transaction.atomic():
        account, created = get_user_model().objects.get_or_create(username=name)
        account.is_superuser = role == "admin"
        account.is_staff = role in ("admin", "reviewer", "documenter")
        account.set_password(password)
        account.save()
        account.groups.remove(*Group.objects.filter(name__in=ROLES))
        account.groups.add(Group.objects.get_or_create(name=role)[0])
    click.echo(f"{'Created' if created else 'Updated'} login {name!r} with role {role}.")


@user.command("token")
@click.argument("name")
@handles_errors
def user_token(name: str) -> None:
    """Print the API token of login NAME, creating it if it has none (docs/api.md)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    _migrate()
    account = get_user_model().objects.filter(username=name).first()
    if account is None:
        raise DocketError(f"no login {name!r}; create it with: docket user add {name} --role ROLE")
    token, _ = Token.objects.get_or_create(user=account)
    click.echo(token.key)


@user.command("totp")
@click.argument("name")
@handles_errors
def user_totp(name: str) -> None:
    """Give login NAME a new two-factor key and print it as an otpauth:// URI.

    For an administrator setting a device up for someone (or replacing a lost phone): open
    the URI, or make a QR code of it, in an authenticator app. Any earlier key of NAME stops
    working. Logins set their own up on the pages at their first login (docs/web.md).
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _migrate()
    account = get_user_model().objects.filter(username=name).first()
    if account is None:
        raise DocketError(f"no login {name!r}; create it with: docket user add {name} --role ROLE")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        device = TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)
    click.echo(device.config_url)


@cli.command()
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@handles_errors
def reindex(case_code: str | None) -> None:
    """Rebuild the search index of a case from its records (loads and edits keep it current)."""
    from docket.records.search import reindex as run_reindex
    from docket.records.services import case_get

    _migrate()
    case = case_get(case_code)
    click.echo(f"Indexed {run_reindex(case)} texts of case {case.code}.")


@cli.command()
@click.argument("name", required=False)
def vocab(name: str | None) -> None:
    """List the vocabularies, or the terms of vocabulary NAME with their labels."""
    from docket.core import vocab as v

    if not name:
        for n in v.names():
            click.echo(f"{n:22} {v.vocabulary(n).labels.get('en', '')}")
        return
    try:
        voc = v.vocabulary(name)
    except DocketError as exc:
        raise click.ClickException(str(exc)) from exc
    for term in voc.terms:
        click.echo(f"{term.code:22} {term.label('en')} / {term.label('ru')}")


def demo_folder() -> Path:
    """The demo case bundle shipped in the repository."""
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base / "cases" / DEMO_CASE
        if (candidate / "case.yaml").is_file():
            return candidate
    raise DocketError(f"cannot find cases/{DEMO_CASE}; run this from the Docket checkout")


def _demo_user() -> tuple[str, str]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    password = secrets.token_urlsafe(9)
    user, _ = user_model.objects.get_or_create(username="demo")
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return "demo", password


@cli.command()
@click.option("--no-serve", is_flag=True, help="Only create the database and load the case.")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@handles_errors
def demo(no_serve: bool, port: int) -> None:
    """Create the database, load the Korday 2020 case and serve it on 127.0.0.1."""
    from docket.records.services import bundle_load

    _migrate()
    report = bundle_load(folder=demo_folder(), actor=_actor())
    _print_report(report)
    if no_serve:
        return
    username, password = _demo_user()
    click.echo(f"\nDocket is serving the demo case at http://127.0.0.1:{port}/")
    click.echo(f"Log in as user {username!r} with password {password!r} (new on every start).")
    click.echo(
        "As an administrator, the demo user sets up two-factor login at the first login: have an\n"
        "authenticator app ready (the page shows a QR code and the key as text)."
    )
    click.echo("Stop with Ctrl-C.\n")
    _serve(port)


def _serve(port: int) -> None:
    """Serve with Waitress, a production WSGI server, on the loopback interface only."""
    import waitress

    from docket.web.wsgi import application

    try:
        waitress.serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    except OSError as exc:
        raise DocketError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; try --port") from exc


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@handles_errors
def serve(port: int) -> None:
    """Serve the record (Django admin) on http://127.0.0.1:PORT/."""
    _migrate()
    click.echo(f"Serving at http://127.0.0.1:{port}/")
    click.echo("Create a login with: docket user add NAME --role admin")
    _serve(port)


@cli.group()
def person() -> None:
    """Create persons from scripts (administration and tests)."""


CONSENT_WORDS = {
    "full": "full_name",
    "initials": "initials",
    "pseudonym": "pseudonym",
    "none": "anonymous",
}


@person.command("add")
@click.option("--name", required=True, help="The name as written in the source.")
@click.option(
    "--confidentiality",
    type=click.Choice(["public", "internal", "confidential", "restricted"]),
    help="Who may see the person (default: the case's default).",
)
@click.option(
    "--consent",
    type=click.Choice(list(CONSENT_WORDS)),
    default="none",
    show_default=True,
    help="How public outputs may name the person.",
)
@click.option("--case", "case_code", metavar="CODE", help="Case (default: the only one).")
@handles_errors
def person_add(name: str, confidentiality: str | None, consent: str, case_code: str | None) -> None:
    """Add a person (a draft) and print the new code."""
    from docket.records.schema import BY_NAME
    from docket.records.services import case_get, next_code, record_save

    _migrate()
    case = case_get(case_code)
    kind = BY_NAME["person"]
    data: dict[str, Any] = {
        "code": next_code(case, kind),
        "name": name,
        "consent": CONSENT_WORDS[consent],
        "review_state": "draft",
    }
    if confidentiality:
        data["confidentiality"] = confidentiality
    _, saved = record_save(case=case, kind=kind, data=data, actor=_actor())
    click.echo(saved.code)
