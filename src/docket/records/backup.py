"""Encrypted backups of the whole database, and restoring one into an empty database.

A backup is a gzip-compressed tar archive, encrypted with age (``pyrage``) to one or more
recipients, so the standard ``age`` tool decrypts it too (``age -d -i key.txt FILE.age``).
The archive holds:

``BACKUP.json``
    format and version, when, the cases, the number of changes and the last change's hash.
``cases/<code>/*.yaml``
    every case as its canonical bundle, the same bytes ``docket export`` writes (so a bundle
    can be taken out by hand and loaded with ``docket load``, history aside).
``records/<code>.json``
    who created and last changed each record, and when (not part of a bundle).
``changes.jsonl``
    every row of the change history in ``seq`` order, with both hashes, one JSON per line.
``accounts.json``
    logins (with their password *hashes*), their roles (groups) and the groups.

It is read in one transaction, so it is one consistent state even while others write
(REPEATABLE READ on PostgreSQL; SQLite keeps one snapshot per read transaction).

Restoring writes the records through the bundle loader (``services._write_bundle``: the same
checks and the same tables as ``docket load``, search index included) and then **replaces the
change rows the load made by the backed-up ones, as they were**: same ``seq``, ``at``,
``actor``, data and hashes. ``history.change_record`` — the only writer of the history in
normal use — cannot do that: it stamps the current time and chains after the last row, so a
restored history would no longer be the one whose hashes were handed out as anchors. This
bulk path writes Change rows only here, only into a database that held no case (so no
history) before, inside the same transaction; ``verify_history`` then checks the result
before it is committed. See docs/signing-and-backups.md.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
import yaml
from django.db import connection, transaction

from docket.core.errors import BundleError, DocketError
from docket.records import models as m
from docket.records.bundle import CASE_FILE, Bundle, dump_yaml
from docket.records.canonical import Cleaner, Problems
from docket.records.schema import KINDS

FORMAT = "docket-backup"
VERSION = 1
META_FILE = "BACKUP.json"
CHANGES_FILE = "changes.jsonl"
ACCOUNTS_FILE = "accounts.json"
RECORD_FIELDS = ("created_at", "updated_at", "created_by", "updated_by")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RestoreError(DocketError):
    """A backup that cannot be restored here; nothing was written."""


@dataclass
class BackupInfo:
    cases: list[str]
    records: int
    changes: int
    last_hash: str
    users: int
    size: int = 0


@dataclass
class RestoreReport:
    cases: list[str]
    records: int
    changes: int
    users_created: list[str] = field(default_factory=list)
    users_kept: list[str] = field(default_factory=list)
    verification: Any = None  # docket.records.history.Verification
    kept: bool = True  # False: it did not verify, and nothing was kept


# --- age ---------------------------------------------------------------------------------------


def parse_recipient(text: str) -> Any:
    """An age recipient: an X25519 key ``age1…`` or an SSH public key ``ssh-ed25519 …``."""
    text = text.strip()
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        if text.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(text)
    except pyrage.RecipientError as exc:
        raise DocketError(f"not a valid age recipient {text[:20]!r}…: {exc}") from exc
    raise DocketError(
        f"not an age recipient: {text[:20]!r}; give the public key age-keygen prints "
        "(age1…), or an ssh-ed25519 key"
    )


def read_identities(path: Path) -> list[Any]:
    """The age identities in a key file as age-keygen writes it (``AGE-SECRET-KEY-1…`` lines,
    ``#`` comments), or an unencrypted OpenSSH private key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocketError(f"cannot read the identity file {path}: {exc.strerror}") from exc
    if data.startswith(b"age-encryption.org/"):
        raise DocketError(
            f"{path} is itself encrypted; decrypt it first (age -d -o key.txt {path}) "
            "and give the plain identity file"
        )
    if b"BEGIN OPENSSH PRIVATE KEY" in data:
        try:
            return [pyrage.ssh.Identity.from_buffer(data)]
        except pyrage.IdentityError as exc:
            raise DocketError(f"{path}: not a usable SSH key for age: {exc}") from exc
    found = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as exc:
            raise DocketError(f"{path}, line {number}: not an age identity ({exc})") from exc
    if not found:
        raise DocketError(
            f"no age identity in {path}: expected a line AGE-SECRET-KEY-1… as age-keygen writes"
        )
    return found


def encrypt(plain: bytes, recipients: list[str]) -> bytes:
    if not recipients:
        raise DocketError("name at least one --recipient: a backup is never written unencrypted")
    parsed = [parse_recipient(r) for r in recipients]
    try:
        return bytes(pyrage.encrypt(plain, parsed))
    except pyrage.EncryptError as exc:
        raise DocketError(f"cannot encrypt the backup: {exc}") from exc


def decrypt(path: Path, identity_file: Path) -> bytes:
    identities = read_identities(identity_file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocketError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.startswith(b"age-encryption.org/v1"):
        raise DocketError(f"{path} is not an age-encrypted file (no age header)")
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise DocketError(
                f"cannot decrypt {path} with the identity in {identity_file}: the backup was not "
                "encrypted to this key (use the identity of one of its recipients)"
            ) from exc
        raise DocketError(f"cannot decrypt {path}: damaged or truncated ({exc})") from exc


# --- taking a backup ---------------------------------------------------------------------------


def bundle_files(bundle: Bundle) -> list[tuple[str, bytes]]:
    """The files ``write_bundle`` writes for ``bundle``, as (name, bytes), in memory: a backup
    never puts the plaintext record on disk."""
    files = [(CASE_FILE, dump_yaml(bundle.case).encode("utf-8"))]
    for kind in KINDS:
        records = sorted(bundle.records.get(kind.name, []), key=lambda r: str(r["code"]))
        if records:
            files.append((kind.file, dump_yaml(records).encode("utf-8")))
    return files


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _when(value: str | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromisoformat(value)


def _change_rows() -> Iterator[dict[str, Any]]:
    """Every change as stored, in order: the hashed entry (``history.read_chain``) with its two
    hashes, so a restore can put back exactly the rows the chain was computed over."""
    from docket.records.history import read_chain

    for link in read_chain():
        yield {**link.entry, "prev_hash": link.prev_hash, "hash": link.hash}


def _accounts() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = []
    for user in get_user_model().objects.order_by("username").prefetch_related("groups"):
        users.append(
            {
                "username": user.get_username(),
                "password": user.password,  # the hash, never the password
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
                "date_joined": _iso(user.date_joined),
                "last_login": _iso(user.last_login),
                "groups": sorted(g.name for g in user.groups.all()),
            }
        )
    return {"groups": sorted(Group.objects.values_list("name", flat=True)), "users": users}


def _record_meta(case: m.Case) -> list[dict[str, Any]]:
    meta = []
    for kind in KINDS:
        for pk, *values in (
            kind.model.objects.filter(case=case).order_by("code").values_list("id", *RECORD_FIELDS)
        ):
            meta.append(
                {
                    "kind": kind.name,
                    "id": str(pk),
                    "created_at": _iso(values[0]),
                    "updated_at": _iso(values[1]),
                    "created_by": values[2],
                    "updated_by": values[3],
                }
            )
    return meta


def _add(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


@transaction.atomic
def _read_snapshot() -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    from docket.records.selectors import bundle_export

    if connection.vendor == "postgresql" and not _nested():
        with connection.cursor() as cursor:  # one snapshot for every read below
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    files: list[tuple[str, bytes]] = []
    cases = []
    records = 0
    for case in m.Case.objects.order_by("code"):
        bundle = bundle_export(case)
        for name, data in bundle_files(bundle):
            files.append((f"cases/{case.code}/{name}", data))
        meta = _record_meta(case)
        files.append((f"records/{case.code}.json", _json(meta)))
        cases.append({"code": case.code, "id": str(case.id), "records": len(meta)})
        records += len(meta)
    lines = []
    last_hash, last_seq = "", 0
    for row in _change_rows():
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True, allow_nan=False))
        last_hash, last_seq = row["hash"], row["seq"]
    files.append((CHANGES_FILE, ("\n".join(lines) + "\n" if lines else "").encode("utf-8")))
    accounts = _accounts()
    files.append((ACCOUNTS_FILE, _json(accounts)))
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": _iso(datetime.datetime.now(datetime.UTC)),
        "database": connection.vendor,
        "cases": cases,
        "records": records,
        "changes": len(lines),
        "last_seq": last_seq,
        "last_hash": last_hash,
        "users": len(accounts["users"]),
    }
    return meta, files


def _nested() -> bool:
    """True inside an outer transaction (tests, a caller's block): the isolation level was set
    by whoever opened it and can no longer be changed."""
    return len(connection.atomic_blocks) > 1


def snapshot() -> tuple[dict[str, Any], bytes]:
    """The whole database as the plaintext archive (tar.gz bytes), and its BACKUP.json."""
    meta, files = _read_snapshot()
    mtime = datetime.datetime.now(datetime.UTC).timestamp()
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=int(mtime)) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        _add(archive, META_FILE, _json(meta), mtime)
        for name, data in files:
            _add(archive, name, data, mtime)
    return meta, buffer.getvalue()


def write_backup(out: Path, recipients: list[str]) -> BackupInfo:
    """Take a snapshot, encrypt it to ``recipients`` and write it to ``out`` (mode 0600)."""
    for r in recipients:
        parse_recipient(r)  # a typo fails before the database is read
    meta, plain = snapshot()
    encrypted = encrypt(plain, recipients)
    partial = out.with_name(out.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(encrypted)
    partial.replace(out)
    return BackupInfo(
        cases=[c["code"] for c in meta["cases"]],
        records=meta["records"],
        changes=meta["changes"],
        last_hash=meta["last_hash"],
        users=meta["users"],
        size=len(encrypted),
    )


# --- restoring ---------------------------------------------------------------------------------


def read_archive(plain: bytes) -> dict[str, bytes]:
    """The files of a plaintext backup archive, checked to be a Docket backup."""
    try:
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:*") as archive:
            files = {}
            for member in archive.getmembers():
                if not member.isfile():
                    continue
                extracted = archive.extractfile(member)
                assert extracted is not None
                files[member.name] = extracted.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise RestoreError(f"the decrypted backup is not a readable archive: {exc}") from exc
    if META_FILE not in files:
        raise RestoreError(f"not a Docket backup: the archive has no {META_FILE}")
    meta = json.loads(files[META_FILE])
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise RestoreError(
            f"a backup of format {meta.get('format')!r} version {meta.get('version')!r}; this "
            f"Docket restores {FORMAT} version {VERSION}"
        )
    return files


def _case_bundle(code: str, files: dict[str, bytes]) -> Bundle:
    """One case's bundle from the archive, checked as a load checks it."""
    prefix = f"cases/{code}/"
    texts = {n[len(prefix) :]: d for n, d in files.items() if n.startswith(prefix)}
    problems = Problems()
    if CASE_FILE not in texts:
        raise RestoreError(f"the backup lacks {prefix}{CASE_FILE}")
    raw_case = yaml.load(texts[CASE_FILE].decode("utf-8"), Loader=_Loader) or {}
    defaults = {"confidentiality": "internal", "review_state": "draft"}
    defaults.update(raw_case.get("defaults") or {})
    case = {
        "code": raw_case.get("code"),
        "title": raw_case.get("title") or {},
        "description": raw_case.get("description") or {},
        "defaults": defaults,
    }
    if case["code"] != code:
        raise RestoreError(f"{prefix}{CASE_FILE} names case {case['code']!r}, not {code!r}")
    raw: dict[str, list[Any]] = {}
    for kind in KINDS:
        if kind.file in texts:
            raw[kind.name] = yaml.load(texts[kind.file].decode("utf-8"), Loader=_Loader) or []
    codes = {k.name: {r.get("code") for r in raw.get(k.name, [])} for k in KINDS}
    cleaner = Cleaner(case["defaults"], lambda kind, c: c in codes[kind], problems)
    bundle = Bundle(case=case)
    for kind in KINDS:
        for rec in raw.get(kind.name, []):
            cleaned = cleaner.record(kind, rec, f"{prefix}{kind.file}: {rec.get('code')}")
            if cleaned is not None:
                bundle.records.setdefault(kind.name, []).append(cleaned)
    if problems.items:
        raise BundleError(problems.items)
    return bundle


def _insert_changes(lines: bytes, case_ids: dict[str, uuid.UUID]) -> int:
    """Put the backed-up history back row for row (the bulk path the module doc explains)."""
    batch: list[m.Change] = []
    count = 0
    for line in lines.decode("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["case"] not in case_ids:
            raise RestoreError(f"change {row['seq']} is about case {row['case']!r}, not backed up")
        batch.append(
            m.Change(
                seq=row["seq"],
                at=_when(row["at"]),
                actor=row["actor"],
                action=row["action"],
                case_id=case_ids[row["case"]],
                target_type=row["target_type"],
                target_id=uuid.UUID(row["target_id"]),
                code=row["code"],
                data=row["data"],
                prev_hash=row["prev_hash"],
                hash=row["hash"],
            )
        )
        if len(batch) >= 2000:
            m.Change.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    m.Change.objects.bulk_create(batch)
    count += len(batch)
    _reset_change_sequence()
    return count


def _reset_change_sequence() -> None:
    """Let the next change_record continue after the highest restored seq."""
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m.Change]):
                cursor.execute(sql)
    elif connection.vendor == "sqlite":
        table = m.Change._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(seq), 0) FROM "
                f'"{table}") WHERE name = %s',
                [table],
            )


def _restore_record_meta(code: str, case: m.Case, files: dict[str, bytes]) -> None:
    meta = json.loads(files.get(f"records/{code}.json", b"[]"))
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for item in meta:
        by_kind.setdefault(item["kind"], {})[item["id"]] = item
    for kind in KINDS:
        wanted = by_kind.get(kind.name)
        if not wanted:
            continue
        objs = list(kind.model.objects.filter(case=case).only("id", *RECORD_FIELDS))
        for obj in objs:
            item = wanted.get(str(obj.pk))
            if item is None:
                continue
            for name in RECORD_FIELDS:
                value = item[name]
                setattr(obj, name, _when(value) if name.endswith("_at") else value)
        kind.model.objects.bulk_update(objs, list(RECORD_FIELDS), batch_size=1000)


def _restore_accounts(files: dict[str, bytes], report: RestoreReport) -> None:
    """Logins that do not exist here yet are created as they were; existing ones are kept."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    data = json.loads(files.get(ACCOUNTS_FILE, b"{}") or b"{}")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])}
    user_model = get_user_model()
    for item in data.get("users", []):
        name = item["username"]
        if user_model.objects.filter(username=name).exists():
            report.users_kept.append(name)
            continue
        account = user_model(
            username=name,
            password=item["password"],
            email=item.get("email", ""),
            first_name=item.get("first_name", ""),
            last_name=item.get("last_name", ""),
            is_active=item.get("is_active", True),
            is_staff=item.get("is_staff", False),
            is_superuser=item.get("is_superuser", False),
        )
        if item.get("date_joined"):
            account.date_joined = _when(item["date_joined"])
        account.last_login = _when(item.get("last_login"))
        account.save()
        for group in item.get("groups", []):
            if group not in groups:
                groups[group] = Group.objects.get_or_create(name=group)[0]
            account.groups.add(groups[group])
        report.users_created.append(name)


class _Unverified(Exception):
    def __init__(self, report: RestoreReport) -> None:
        self.report = report


def restore(plain: bytes, *, actor: str, keep_unverified: bool = False) -> RestoreReport:
    """Restore the plaintext archive ``plain`` into a database that holds no case.

    All or nothing: the records, the history exactly as it was, the logins. The history is
    verified before the transaction commits; if it does not verify, nothing is kept unless
    ``keep_unverified`` (then the report carries the problems).
    """
    from docket.records.history import verify_history
    from docket.records.services import _write_bundle

    files = read_archive(plain)
    meta = json.loads(files[META_FILE])
    codes = [c["code"] for c in meta.get("cases", [])]
    try:
        with transaction.atomic():
            present = list(m.Case.objects.values_list("code", flat=True)[:5])
            if present or m.Change.objects.exists():
                raise RestoreError(
                    "the database is not empty: it holds case(s) "
                    f"{', '.join(present) or '(none, but a change history)'}; restore only into "
                    "an empty database (a new one: docket --database URL init)"
                )
            report = RestoreReport(cases=codes, records=0, changes=0)
            case_ids: dict[str, uuid.UUID] = {}
            for code in codes:
                _write_bundle(_case_bundle(code, files), actor)
                case = m.Case.objects.get(code=code)
                case_ids[code] = case.id
                _restore_record_meta(code, case, files)
            report.records = sum(
                k.model.objects.filter(case_id__in=case_ids.values()).count() for k in KINDS
            )
            # The load above wrote its own changes; the history is the backed-up one instead.
            m.Change.objects.all().delete()
            report.changes = _insert_changes(files.get(CHANGES_FILE, b""), case_ids)
            if report.changes != meta.get("changes"):
                raise RestoreError(
                    f"the backup says {meta.get('changes')} changes but holds {report.changes}"
                )
            _restore_accounts(files, report)
            report.verification = verify_history()
            if not report.verification.ok and not keep_unverified:
                raise _Unverified(report)
    except _Unverified as exc:
        exc.report.kept = False
        return exc.report
    return report
