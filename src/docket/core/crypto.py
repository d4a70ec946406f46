"""Authenticated encryption of the files Docket writes (reports, exports, attachments).

A passphrase becomes a 256-bit key with Argon2id (a random salt per file); the data is
sealed with AES-256-GCM (a random nonce per file). The result is one blob:

    offset  size  field
    0       8     magic b"DKTCRYPT"
    8       1     format version (1)
    9       4     Argon2id time cost (iterations), big-endian
    13      4     Argon2id memory cost in KiB, big-endian
    17      1     Argon2id parallelism
    18      16    salt
    34      12    nonce
    46      …     ciphertext followed by the 16-byte GCM tag

The whole header is authenticated too (it is GCM's associated data), so changing a
parameter, the salt, the nonce or any byte of the ciphertext makes decryption fail. A wrong
passphrase and a modified file fail the same way — GCM cannot tell them apart — and never
return garbage. Nothing here reads or writes files or the environment: callers pass bytes.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from docket.core.errors import DocketError

MAGIC = b"DKTCRYPT"
VERSION = 1
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
_PARAMS = struct.Struct(">BIIB")  # version, time cost, memory cost (KiB), parallelism
HEADER_BYTES = len(MAGIC) + _PARAMS.size + SALT_BYTES + NONCE_BYTES

# Upper bounds on what a file may ask of the machine that opens it: a forged header must not
# make decryption take minutes or gigabytes before it fails.
_MAX_TIME_COST = 20
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_PARALLELISM = 16


class CryptoError(DocketError):
    """Data that cannot be encrypted or decrypted as asked."""


class NotEncrypted(CryptoError):
    """Data that is not (or is no longer, being truncated) a Docket-encrypted blob."""


class DecryptionFailed(CryptoError):
    """The passphrase is wrong, or the encrypted data was modified or cut short."""


class WrongPassphrase(CryptoError):
    """An encrypted database that the given passphrase does not open."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: RFC 9106's second recommended setting (3 passes over 64 MiB, 4 lanes)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


DEFAULT_KDF = KdfParams()


def derive_key(passphrase: str, salt: bytes, params: KdfParams = DEFAULT_KDF) -> bytes:
    """The 32-byte AES key for ``passphrase`` and ``salt`` (Argon2id)."""
    _check_passphrase(passphrase)
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def is_encrypted(blob: bytes) -> bool:
    """Whether ``blob`` starts like data written by :func:`encrypt`."""
    return blob[: len(MAGIC)] == MAGIC


def encrypt(data: bytes, passphrase: str, params: KdfParams = DEFAULT_KDF) -> bytes:
    """Seal ``data`` with a key derived from ``passphrase``; see the module's doc for the
    format. Two calls on the same data give different blobs (fresh salt and nonce)."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    header = (
        MAGIC
        + _PARAMS.pack(VERSION, params.time_cost, params.memory_kib, params.parallelism)
        + salt
        + nonce
    )
    key = derive_key(passphrase, salt, params)
    return header + AESGCM(key).encrypt(nonce, data, header)


def decrypt(blob: bytes, passphrase: str) -> bytes:
    """The data sealed in ``blob``, or a :class:`CryptoError` that says why not."""
    if not is_encrypted(blob):
        raise NotEncrypted("not a file encrypted by Docket (it does not begin with its header)")
    if len(blob) < HEADER_BYTES + TAG_BYTES:
        raise NotEncrypted("the encrypted file is truncated (shorter than its header)")
    version, time_cost, memory_kib, parallelism = _PARAMS.unpack_from(blob, len(MAGIC))
    if version != VERSION:
        raise NotEncrypted(f"unknown encryption format version {version} (this Docket reads 1)")
    if not (
        1 <= time_cost <= _MAX_TIME_COST
        and 8 * parallelism <= memory_kib <= _MAX_MEMORY_KIB
        and 1 <= parallelism <= _MAX_PARALLELISM
    ):
        raise DecryptionFailed("the encrypted file's header was modified (impossible key cost)")
    start = len(MAGIC) + _PARAMS.size
    salt = blob[start : start + SALT_BYTES]
    nonce = blob[start + SALT_BYTES : HEADER_BYTES]
    key = derive_key(passphrase, salt, KdfParams(time_cost, memory_kib, parallelism))
    try:
        return AESGCM(key).decrypt(nonce, blob[HEADER_BYTES:], blob[:HEADER_BYTES])
    except InvalidTag:
        raise DecryptionFailed(
            "cannot decrypt: wrong passphrase, or the file was modified or truncated"
        ) from None


def _check_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise CryptoError("the passphrase is empty")
