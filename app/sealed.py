"""Encryption at rest: clinical free text and message bodies are stored sealed (AES-GCM).

A sealed value is text, so the seed's columns keep their names and types:
``enc:v1:<key id>:<nonce + ciphertext + tag, base64url without padding>``. The key
id (8 hex digits of the key's SHA-256) says which key opens it, so keys rotate:
`CITABOT_DATA_KEYS` lists them newest first, the newest seals, any of them opens,
and `flask keys rotate` (`app.cli.keys`) re-seals old values until the oldest key
can go. A value written before encryption (no prefix) is read as it is and sealed
by the next rotation.

The columns say what they hold: `SealedText` and `SealedJSON` seal on the way in
and open on the way out, so every read through the models decrypts and the
database alone reveals nothing. Statements that bind plain parameters (the
webhook's arrival, written for speed) seal explicitly with `seal`; a `Sealed`
value is never sealed twice.

The keyring is the process's: `install` at start (`create_app`), and until then
the environment's, or the development key in instance/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import JSON, Integer, Text, case, func, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import GenericFunction
from sqlalchemy.types import TypeDecorator

PREFIX = "enc:v1:"
KEY_ID_LENGTH = 8
HEAD = len(PREFIX) + KEY_ID_LENGTH + 1  # "enc:v1:" + key id + ":"
NONCE = 12
TAG = 16
KEY_BYTES = 32
ENVIRONMENT_VARIABLE = "CITABOT_DATA_KEYS"
DEVELOPMENT_KEYS = Path(__file__).resolve().parent.parent / "instance" / "data_keys"


class SealError(ValueError):
    """A sealed value no key of the keyring opens, or a malformed key: never its content."""


class Sealed(str):
    """A value already sealed: a typed column passes it through unchanged."""

    __slots__ = ()


class Keyring:
    """The data keys, newest first: the newest seals, each opens what it sealed."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise SealError("a keyring needs at least one key")
        for key in keys:
            if len(key) != KEY_BYTES:
                raise SealError(f"each data key is {KEY_BYTES} bytes (256-bit AES)")
        self.ids = [key_id(key) for key in keys]
        self._ciphers = {kid: AESGCM(key) for kid, key in zip(self.ids, keys, strict=True)}
        self.newest = self.ids[0]

    @classmethod
    def from_text(cls, text: str) -> Keyring:
        """`CITABOT_DATA_KEYS`: base64url keys separated by commas, newest first."""
        keys = []
        for part in (piece.strip() for piece in text.split(",")):
            if not part:
                continue
            try:
                keys.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            except ValueError as error:
                raise SealError(f"{ENVIRONMENT_VARIABLE} holds a key that is not base64") from error
        return cls(keys)

    def seal(self, plain: str) -> Sealed:
        nonce = os.urandom(NONCE)
        sealed = self._ciphers[self.newest].encrypt(nonce, plain.encode(), None)
        payload = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
        return Sealed(f"{PREFIX}{self.newest}:{payload}")

    def open(self, stored: str) -> str:
        """The plain text of a sealed value; a value from before encryption as it is."""
        if not stored.startswith(PREFIX):
            return stored
        kid, payload = stored[len(PREFIX) : HEAD - 1], stored[HEAD:]
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SealError(f"no data key {kid} in {ENVIRONMENT_VARIABLE}: it sealed this value")
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            return cipher.decrypt(raw[:NONCE], raw[NONCE:], None).decode()
        except (InvalidTag, ValueError) as error:  # binascii.Error is a ValueError
            raise SealError(f"a value sealed with key {kid} does not open: altered") from error

    def is_current(self, stored: str | None) -> bool:
        """Sealed with the newest key (or empty): a rotation leaves it alone."""
        return stored is None or stored.startswith(f"{PREFIX}{self.newest}:")


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:KEY_ID_LENGTH]


def new_key() -> str:
    """A fresh key as `CITABOT_DATA_KEYS` takes it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).rstrip(b"=").decode()


_installed: Keyring | None = None


def install(keyring: Keyring) -> None:
    """Make `keyring` the process's (at start; tests that rotate keys install others)."""
    global _installed
    _installed = keyring


def keyring() -> Keyring:
    """The process's keyring: the installed one, else the environment's or development's."""
    global _installed
    if _installed is None:
        _installed = Keyring.from_text(
            os.environ.get(ENVIRONMENT_VARIABLE) or development_keys(DEVELOPMENT_KEYS)
        )
    return _installed


def development_keys(path: Path) -> str:
    """A development key, made once into instance/ (by one process, however many start)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(new_key())
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if another process made it first: theirs counts
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def seal(plain: str | None) -> str | None:
    """`plain` sealed with the process's newest key (None stays None)."""
    if plain is None or isinstance(plain, Sealed):
        return plain
    return keyring().seal(plain)


def unseal(stored: str | None) -> str | None:
    return None if stored is None else keyring().open(stored)


class octet_length(GenericFunction[int]):
    """A text's length in bytes: PostgreSQL's own function; SQLite measures it as a blob."""

    type = Integer()
    inherit_cache = True
    name = "octet_length"


@compiles(octet_length, "sqlite")
def _octet_length_sqlite(element: octet_length, compiler: Any, **kw: Any) -> str:
    return f"length(CAST({compiler.process(element.clauses, **kw)} AS BLOB))"


def plain_length(column: ColumnElement[Any]) -> ColumnElement[int]:
    """SQL for a body's length in UTF-8 bytes without opening it, sealed or not.

    base64 without padding encodes n bytes in ceil(4n/3) characters, so the payload's
    characters * 3 // 4 are its bytes; less the nonce and the tag, the plain text's.
    """
    stored = type_coerce(column, Text)  # as stored: a literal compared to it stays plain
    payload = func.length(stored) - HEAD
    return case(
        (stored.startswith(PREFIX), payload * 3 // 4 - (NONCE + TAG)),
        else_=octet_length(stored),
    )


class SealedText(TypeDecorator[str]):
    """Text stored sealed, read plain."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return seal(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return unseal(value)


class SealedJSON(TypeDecorator[Any]):
    """JSON stored as ``{"sealed": "enc:v1:..."}``, read as the value it was.

    Nothing (None, an empty object) is stored as it is: retention finds the conversations
    whose answers were already forgotten by their `{}`.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None or value == {}:
            return value
        return {"sealed": seal(json.dumps(value, ensure_ascii=False))}

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"sealed"}:
            return json.loads(keyring().open(value["sealed"]))
        return value
