"""The installation's signing key, and signed exports: a manifest of hashes and a signature.

Each installation has one Ed25519 key pair in its key folder (``DOCKET_KEYS_DIR``, default
``~/.docket/keys``) — never in the database and never next to an export:

- ``docket-signing.key``: the private key, PKCS#8 PEM encrypted under a passphrase;
- ``docket-signing.pub``: the public key (SubjectPublicKeyInfo PEM), handed to recipients.

A signed export carries ``MANIFEST.json`` (every file's path, size and SHA-256, the case, the
time, the signer's fingerprint and the last change of the history) and ``MANIFEST.sig`` (the
Ed25519 signature over the exact bytes of ``MANIFEST.json``, base64). ``verify_export`` checks
one with the public key alone: no database, no Django. See docs/signing-and-backups.md.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docket.core.errors import DocketError

PRIVATE_FILE = "docket-signing.key"
PUBLIC_FILE = "docket-signing.pub"
MANIFEST = "MANIFEST.json"
SIGNATURE = "MANIFEST.sig"
MANIFEST_FILES = (MANIFEST, SIGNATURE)
FORMAT = "docket-signed-export"
VERSION = 1
MIN_PASSPHRASE = 10
# Fixed time for zip entries, so that the same bundle zips to the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- keys --------------------------------------------------------------------------------------


def keys_dir() -> Path:
    """The key folder: $DOCKET_KEYS_DIR, else ~/.docket/keys."""
    configured = os.environ.get("DOCKET_KEYS_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".docket" / "keys"


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public: Ed25519PublicKey) -> str:
    """A short name for a public key: 'ed25519:' and the first 16 bytes of SHA-256 of it, hex."""
    return "ed25519:" + hashlib.sha256(_raw(public)).hexdigest()[:32]


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def init_key(passphrase: str, folder: Path | None = None) -> tuple[Path, str]:
    """Create the installation's key pair in ``folder``; refuse if one is there already.

    Returns the folder and the new key's fingerprint.
    """
    folder = folder or keys_dir()
    private_path = folder / PRIVATE_FILE
    if private_path.exists():
        existing = fingerprint_in(folder)
        raise DocketError(
            f"a signing key already exists in {folder} ({existing}); it is kept. Replace it only "
            "on purpose: move it away first, and give recipients the new public key"
        )
    if len(passphrase) < MIN_PASSPHRASE:
        raise DocketError(
            f"the passphrase of the signing key must have at least {MIN_PASSPHRASE} characters"
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    _write_new(private_path, encrypted, 0o600)
    public_path = folder / PUBLIC_FILE
    public_path.unlink(missing_ok=True)
    _write_new(public_path, public_pem(key.public_key()), 0o644)
    return folder, fingerprint(key.public_key())


def _no_key(folder: Path) -> DocketError:
    return DocketError(
        f"no signing key in {folder}; create one with: docket keys init "
        "(or point DOCKET_KEYS_DIR at the folder that holds it)"
    )


def load_public(path: Path) -> Ed25519PublicKey:
    """A public key from a file: PEM (as `docket keys public` writes) or one base64 line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocketError(f"cannot read the public key {path}: {exc.strerror}") from exc
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(), validate=True))
    except (ValueError, TypeError) as exc:
        raise DocketError(f"{path} is not an Ed25519 public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise DocketError(f"{path} is not an Ed25519 public key")
    return key


def installed_public(folder: Path | None = None) -> Ed25519PublicKey:
    folder = folder or keys_dir()
    if not (folder / PUBLIC_FILE).is_file():
        raise _no_key(folder)
    return load_public(folder / PUBLIC_FILE)


def fingerprint_in(folder: Path) -> str:
    try:
        return fingerprint(installed_public(folder))
    except DocketError:
        return "fingerprint unknown: no readable public key"


def load_private(passphrase: str, folder: Path | None = None) -> Ed25519PrivateKey:
    """The installation's private key, decrypted with ``passphrase``."""
    folder = folder or keys_dir()
    path = folder / PRIVATE_FILE
    if not path.is_file():
        raise _no_key(folder)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), passphrase.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise DocketError(
            f"cannot open the signing key in {folder}: wrong passphrase, or not a Docket key"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise DocketError(f"{path} is not an Ed25519 key")
    public_path = folder / PUBLIC_FILE
    if public_path.is_file() and _raw(load_public(public_path)) != _raw(key.public_key()):
        raise DocketError(
            f"{public_path} is not the public key of {path}: the key folder is inconsistent"
        )
    return key


# --- manifests ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_bytes(
    *,
    key: Ed25519PrivateKey,
    case: str,
    files: Iterable[tuple[str, bytes | Path]],
    history: dict[str, Any] | None = None,
    created_at: datetime.datetime | None = None,
) -> bytes:
    """The manifest of ``files`` ((relative path, content or file)), as the bytes to sign."""
    entries = []
    for rel, content in sorted(files, key=lambda item: item[0]):
        if isinstance(content, Path):
            size, digest = content.stat().st_size, sha256_file(content)
        else:
            size, digest = len(content), hashlib.sha256(content).hexdigest()
        entries.append({"path": rel, "size": size, "sha256": digest})
    at = created_at or datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "case": case,
        "created_at": at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "signer": {
            "algorithm": "ed25519",
            "fingerprint": fingerprint(public),
            "public_key": base64.b64encode(_raw(public)).decode("ascii"),
        },
        "history": history or {},
        "files": entries,
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sign(key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    """The content of MANIFEST.sig: the signature over the manifest's bytes, base64, a newline."""
    return base64.b64encode(key.sign(manifest)) + b"\n"


def sign_folder(
    folder: Path,
    files: Iterable[Path],
    *,
    key: Ed25519PrivateKey,
    case: str,
    history: dict[str, Any] | None = None,
) -> str:
    """Write MANIFEST.json and MANIFEST.sig into ``folder`` for ``files`` (inside it)."""
    listed = [(p.relative_to(folder).as_posix(), p) for p in files]
    manifest = manifest_bytes(key=key, case=case, files=listed, history=history)
    (folder / MANIFEST).write_bytes(manifest)
    (folder / SIGNATURE).write_bytes(sign(key, manifest))
    return fingerprint(key.public_key())


def write_zip(
    target: Path,
    folder: Path,
    files: Iterable[Path],
    *,
    key: Ed25519PrivateKey | None,
    case: str,
    history: dict[str, Any] | None = None,
) -> int:
    """Zip ``files`` (inside ``folder``) into ``target``, with the manifest when ``key`` is set.

    Entries are sorted and dated 1980-01-01, so the same bundle gives the same zip. Returns
    the number of entries.
    """
    listed = sorted((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files)
    extra: list[tuple[str, bytes]] = []
    if key is not None:
        manifest = manifest_bytes(key=key, case=case, files=listed, history=history)
        extra = [(MANIFEST, manifest), (SIGNATURE, sign(key, manifest))]
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel, content in [*listed, *extra]:
            info = zipfile.ZipInfo(rel, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    partial.replace(target)
    return len(listed) + len(extra)


# --- verifying ---------------------------------------------------------------------------------


@dataclass
class ExportCheck:
    """The outcome of checking a signed export: ok when ``problems`` is empty."""

    files: int = 0
    signer: str = ""
    case: str = ""
    created_at: str = ""
    history: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Export:
    """A signed export as a folder or a zip: its file names and their contents."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            return
        if not path.exists():
            raise DocketError(f"{path} does not exist")
        if not zipfile.is_zipfile(path):
            raise DocketError(f"{path} is neither an export folder nor a zip file")
        self.zip = zipfile.ZipFile(path)

    def names(self) -> list[str]:
        if self.zip is not None:
            return sorted(n for n in self.zip.namelist() if not n.endswith("/"))
        return sorted(self._walk(self.path))

    def _walk(self, folder: Path) -> Iterator[str]:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                yield from self._walk(entry)
            else:
                yield entry.relative_to(self.path).as_posix()

    def read(self, name: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(name)
        return (self.path / name).read_bytes()

    def size_and_hash(self, name: str) -> tuple[int, str]:
        if self.zip is not None:
            data = self.zip.read(name)
            return len(data), hashlib.sha256(data).hexdigest()
        path = self.path / name
        if path.is_symlink() or not path.is_file():
            return -1, ""
        return path.stat().st_size, sha256_file(path)


def _safe(rel: Any) -> bool:
    if not isinstance(rel, str) or not rel or "\\" in rel:
        return False
    parts = PurePosixPath(rel).parts
    return not PurePosixPath(rel).is_absolute() and ".." not in parts and rel not in MANIFEST_FILES


def verify_export(path: Path, public: Ed25519PublicKey) -> ExportCheck:
    """Check the signed export at ``path`` (folder or zip) against ``public`` alone.

    The signature over MANIFEST.json is checked first; only then is the manifest trusted to
    say which files the export holds, their sizes and SHA-256. Every file that differs, is
    missing or was added is a problem; the first problem comes first.
    """
    export = _Export(path)
    check = ExportCheck()
    names = export.names()
    for required in MANIFEST_FILES:
        if required not in names:
            check.problems.append(
                f"not a signed export: {required} is missing (export with: docket export --sign)"
            )
            return check
    manifest = export.read(MANIFEST)
    try:
        signature = base64.b64decode(export.read(SIGNATURE).strip(), validate=True)
        public.verify(signature, manifest)
    except (InvalidSignature, ValueError):
        claimed = _claimed_signer(manifest)
        mine = fingerprint(public)
        if claimed and claimed != mine:
            check.problems.append(
                f"bad signature: the export says it was signed by {claimed}, "
                f"not by the key given ({mine})"
            )
        else:
            check.problems.append(
                f"bad signature: {MANIFEST} or {SIGNATURE} was altered, or the export was not "
                f"signed by the key given ({mine})"
            )
        return check
    data = json.loads(manifest)
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        check.problems.append(
            f"{MANIFEST} is signed but has format {data.get('format')!r} version "
            f"{data.get('version')!r}; this Docket reads {FORMAT} version {VERSION}"
        )
        return check
    check.signer = fingerprint(public)
    check.case = str(data.get("case", ""))
    check.created_at = str(data.get("created_at", ""))
    check.history = dict(data.get("history") or {})
    listed: dict[str, dict[str, Any]] = {}
    for entry in data.get("files", []):
        rel = entry.get("path")
        if not _safe(rel):
            check.problems.append(f"{MANIFEST} lists an unsafe path {rel!r}")
            return check
        listed[rel] = entry
    present = set(names) - set(MANIFEST_FILES)
    for rel, entry in listed.items():
        if rel not in present:
            check.problems.append(f"{rel}: missing (the manifest lists it)")
            continue
        size, digest = export.size_and_hash(rel)
        if size != entry.get("size") or digest != entry.get("sha256"):
            check.problems.append(f"{rel}: altered (its SHA-256 differs from the manifest)")
    for rel in sorted(present - set(listed)):
        check.problems.append(f"{rel}: added (not in the manifest)")
    check.files = len(listed)
    return check


def _claimed_signer(manifest: bytes) -> str:
    try:
        return str(json.loads(manifest)["signer"]["fingerprint"])
    except (ValueError, KeyError, TypeError):
        return ""
