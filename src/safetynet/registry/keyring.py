"""The keys and algorithms that protect ID numbers (ADR 0001, ADR 0017).

Two algorithm sets, chosen by ``settings.ID_ALGORITHMS``:

- ``standard``: Fernet (AES-128-CBC + HMAC-SHA256) for encryption, HMAC-SHA256 blind index;
- ``national``: SM4-GCM (GB/T 32907-2016) for encryption, HMAC-SM3 (GB/T 32905-2016) blind index,
  both through ``cryptography`` on OpenSSL 3 (GB/T 22239-2019 第三级 asks for 国家密码管理主管部门
  approved algorithms for the confidentiality and integrity of important data).

Every ciphertext names its algorithm and key: ``fernet:<kid>:<token>`` or
``sm4gcm:<kid>:<nonce+ciphertext+tag, url-safe base64>``; the bare Fernet tokens written before
key ids existed are still read (any listed key). A key id is the first 8 hex digits of the
SHA-256 of the key (and, for index keys, of its algorithm), so a new key always has a new id.

Encryption keys (``FIELD_ENCRYPTION_KEYS``, newest first) are 32 bytes in url-safe base64, the
Fernet format; SM4 takes the second half (128 bits), as Fernet's AES does. Blind-index keys:
``BLIND_INDEX_KEY`` (the one new hashes are made with) and ``BLIND_INDEX_PREVIOUS_KEYS``
(lookups only, while data made under them remain: see ``safetynet keys rotate``). An index key
may be written ``sm3:KEY`` or ``sha256:KEY``; a bare key uses the algorithm of ``ID_ALGORITHMS``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

STANDARD = "standard"
NATIONAL = "national"
ALGORITHM_SETS = (STANDARD, NATIONAL)
INDEX_ALGORITHM = {STANDARD: "sha256", NATIONAL: "sm3"}
CIPHER = {STANDARD: "fernet", NATIONAL: "sm4gcm"}
SM4_NONCE = 12
SM4_TAG = 16
SM4_AAD = b"safetynet:id_number"


class KeyringError(RuntimeError):
    """A key is missing or a ciphertext names a key that is not configured."""


def algorithm_set() -> str:
    chosen = getattr(settings, "ID_ALGORITHMS", STANDARD) or STANDARD
    if chosen not in ALGORITHM_SETS:
        raise KeyringError(f"ID_ALGORITHMS must be one of {ALGORITHM_SETS}, not {chosen!r}")
    return chosen


def key_id(material: bytes) -> str:
    return hashlib.sha256(material).hexdigest()[:8]


# --- encryption -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EncryptionKey:
    kid: str
    raw: bytes  # 32 bytes: signing half, encryption half (Fernet's layout)
    text: str


@lru_cache(maxsize=8)
def _encryption_keys(keys: tuple[str, ...]) -> tuple[EncryptionKey, ...]:
    if not keys:
        raise KeyringError("FIELD_ENCRYPTION_KEYS is not configured")
    parsed = []
    for text in keys:
        raw = base64.urlsafe_b64decode(text.encode())
        if len(raw) != 32:
            raise KeyringError("FIELD_ENCRYPTION_KEYS entries are 32 bytes, url-safe base64")
        parsed.append(EncryptionKey(kid=key_id(b"enc:" + raw), raw=raw, text=text))
    return tuple(parsed)


def encryption_keys() -> tuple[EncryptionKey, ...]:
    return _encryption_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_encryption_kid() -> str:
    return encryption_keys()[0].kid


def current_cipher_prefix() -> str:
    """What every ciphertext made now starts with (the rotation looks for others)."""
    return f"{CIPHER[algorithm_set()]}:{current_encryption_kid()}:"


def _sm4_encrypt(key: EncryptionKey, plain: bytes) -> str:
    nonce = os.urandom(SM4_NONCE)
    encryptor = Cipher(algorithms.SM4(key.raw[16:]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(SM4_AAD)
    body = encryptor.update(plain) + encryptor.finalize()
    return base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def _sm4_decrypt(key: EncryptionKey, payload: str) -> bytes:
    data = base64.urlsafe_b64decode(payload.encode())
    nonce, body, tag = data[:SM4_NONCE], data[SM4_NONCE:-SM4_TAG], data[-SM4_TAG:]
    decryptor = Cipher(algorithms.SM4(key.raw[16:]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(SM4_AAD)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plain: str) -> str:
    key = encryption_keys()[0]
    cipher = CIPHER[algorithm_set()]
    if cipher == "sm4gcm":
        payload = _sm4_encrypt(key, plain.encode())
    else:
        payload = Fernet(key.text.encode()).encrypt(plain.encode()).decode()
    return f"{cipher}:{key.kid}:{payload}"


def encrypt_many(plains: list[str]) -> list[str]:
    """``encrypt`` of each of ``plains`` (the same format, each with its own IV or nonce), with
    the key and cipher set up once: what bulk loads (the province seed) call."""
    key = encryption_keys()[0]
    cipher = CIPHER[algorithm_set()]
    prefix = f"{cipher}:{key.kid}:"
    if cipher == "sm4gcm":
        return [prefix + _sm4_encrypt(key, plain.encode()) for plain in plains]
    fernet = Fernet(key.text.encode())
    return [prefix + fernet.encrypt(plain.encode()).decode() for plain in plains]


def decrypt(token: str) -> str:
    keys = encryption_keys()
    cipher, sep, rest = token.partition(":")
    if not sep:  # a bare Fernet token from before key ids
        return MultiFernet([Fernet(k.text.encode()) for k in keys]).decrypt(token.encode()).decode()
    kid, _, payload = rest.partition(":")
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        raise KeyringError(f"encryption key {kid} is not configured")
    if cipher == "sm4gcm":
        return _sm4_decrypt(key, payload).decode()
    if cipher == "fernet":
        try:
            return Fernet(key.text.encode()).decrypt(payload.encode()).decode()
        except InvalidToken as exc:
            raise KeyringError(f"ciphertext does not verify under key {kid}") from exc
    raise KeyringError(f"unknown cipher {cipher!r}")


def cipher_kid(token: str) -> str:
    """The key id a ciphertext names ('' for a bare Fernet token)."""
    _cipher, sep, rest = token.partition(":")
    return rest.partition(":")[0] if sep else ""


# --- blind index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexKey:
    kid: str
    algorithm: str  # "sha256" | "sm3"
    raw: bytes

    def digest(self, message: bytes) -> str:
        return hmac.new(self.raw, message, self.algorithm).hexdigest()

    def digester(self) -> Callable[[bytes], str]:
        """``digest`` with the HMAC pads hashed once (RFC 2104): for many messages in a row,
        about twice as fast as ``hmac.new`` per message, the same hex digest."""
        inner_pad, outer_pad = hmac_pads(self)
        inner = hashlib.new(self.algorithm, inner_pad)
        outer = hashlib.new(self.algorithm, outer_pad)

        def digest(message: bytes) -> str:
            first = inner.copy()
            first.update(message)
            second = outer.copy()
            second.update(first.digest())
            return second.hexdigest()

        return digest


def _index_key(entry: str, default_algorithm: str) -> IndexKey:
    algorithm, sep, key = entry.partition(":")
    if not sep or algorithm not in ("sha256", "sm3"):
        algorithm, key = default_algorithm, entry
    raw = key.encode()
    return IndexKey(kid=key_id(f"{algorithm}:".encode() + raw), algorithm=algorithm, raw=raw)


@lru_cache(maxsize=8)
def _index_keys(current: str, previous: tuple[str, ...], chosen: str) -> tuple[IndexKey, ...]:
    if not current:
        raise KeyringError("BLIND_INDEX_KEY is not configured")
    default = INDEX_ALGORITHM[chosen]
    keys = [_index_key(current, default)]
    for entry in previous:
        key = _index_key(entry, default)
        if key.kid not in {k.kid for k in keys}:
            keys.append(key)
    return tuple(keys)


def index_keys() -> tuple[IndexKey, ...]:
    """The current blind-index key first, then the previous ones (lookups only)."""
    return _index_keys(
        settings.BLIND_INDEX_KEY,
        tuple(getattr(settings, "BLIND_INDEX_PREVIOUS_KEYS", ()) or ()),
        algorithm_set(),
    )


def current_index_key() -> IndexKey:
    return index_keys()[0]


def index_kid_or_blank() -> str:
    """The current index key's id, or '' where no key is configured (migrations)."""
    try:
        return current_index_key().kid
    except KeyringError:
        return ""


def hmac_pads(key: IndexKey, block: int = 64) -> tuple[bytes, bytes]:
    """HMAC's inner and outer pads (RFC 2104) of ``key``, for hashing inside DuckDB."""
    raw = key.raw
    if len(raw) > block:
        raw = hashlib.new(key.algorithm, raw).digest()
    raw = raw.ljust(block, b"\0")
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)
