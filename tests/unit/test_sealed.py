"""Sealing (app/sealed.py): what goes in comes out, and anything else is refused by name.

A sealed value is `enc:v1:<key id>:<nonce + ciphertext + tag>`; a keyring lists keys
newest first. Errors name a key id or the environment variable, never a value or a key.
"""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.config import Config
from app.sealed import (
    PREFIX,
    Keyring,
    Sealed,
    SealedJSON,
    SealedText,
    SealError,
    development_keys,
    key_id,
    new_key,
)
from tests.sealing_helpers import ProcessKeys, process_keys

__all__ = ["process_keys"]  # a fixture: tests ask for it by name

OLD, NEW = new_key(), new_key()
RING = Keyring.from_text(NEW)
SECRET = "alergia a la penicilina"
# What production needs besides the data keys (tests/unit/test_config.py).
PRODUCTION = {
    "CITABOT_ENV": "production",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "real-token",
    "CITABOT_SECRET_KEY": "s" * 48,
}


@given(st.text())
def test_any_text_comes_out_as_it_went_in(plain: str) -> None:
    sealed = RING.seal(plain)
    assert sealed.startswith(f"{PREFIX}{RING.newest}:")
    assert RING.open(sealed) == plain


def test_a_sealed_value_shows_nothing_of_its_text_and_never_repeats() -> None:
    first, second = RING.seal(SECRET), RING.seal(SECRET)
    assert first != second  # a fresh nonce each time: equal texts are not seen to be equal
    assert "penicilina" not in first and "penicilina" not in base64.b64decode(
        first.split(":")[-1] + "==", altchars=b"-_"
    ).decode("latin-1")


def test_the_newest_key_seals_and_the_older_ones_still_open() -> None:
    old, both = Keyring.from_text(OLD), Keyring.from_text(f"{NEW}, {OLD}")
    assert both.ids == [key_id(_raw(NEW)), key_id(_raw(OLD))] and both.newest == RING.newest
    sealed_before = old.seal(SECRET)
    assert both.open(sealed_before) == SECRET
    assert not both.is_current(sealed_before)
    assert both.is_current(both.seal(SECRET)) and both.is_current(None)


def test_a_value_from_before_encryption_is_read_as_it_is() -> None:
    assert RING.open("Dolor de cabeza") == "Dolor de cabeza"
    assert not RING.is_current("Dolor de cabeza")  # the next rotation seals it


def test_an_altered_value_is_refused_without_its_content() -> None:
    sealed = RING.seal(SECRET)
    payload = sealed[-10:]
    flipped = payload[:4] + ("A" if payload[4] != "A" else "B") + payload[5:]
    with pytest.raises(SealError, match=f"key {RING.newest} does not open: altered") as refused:
        RING.open(sealed[:-10] + flipped)
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize(
    "kept",
    [
        pytest.param(67, id="tag-cut"),
        pytest.param(66, id="tag-cut-more"),
        pytest.param(65, id="not-base64-length"),  # base64 itself refuses it (binascii.Error)
        pytest.param(8, id="shorter-than-the-nonce"),  # AESGCM itself refuses it (ValueError)
        pytest.param(0, id="no-payload"),
    ],
)
def test_a_value_cut_short_is_refused_as_one_no_key_opens(kept: int) -> None:
    """A value truncated in a copy or by a column limit: SealError, as any value that does
    not open, never base64's or the cipher's own error. SECRET's payload is 68 characters
    (12 + 23 + 16 bytes)."""
    sealed = RING.seal(SECRET)
    payload = payload_of(sealed)
    assert len(payload) == 68
    with pytest.raises(SealError, match="altered") as refused:
        RING.open(sealed.removesuffix(payload) + payload[:kept])
    assert SECRET not in str(refused.value)


def test_a_value_sealed_with_a_key_not_in_the_keyring_names_that_key() -> None:
    sealed = Keyring.from_text(OLD).seal(SECRET)
    with pytest.raises(SealError) as refused:
        RING.open(sealed)
    message = str(refused.value)
    assert key_id(_raw(OLD)) in message and "CITABOT_DATA_KEYS" in message
    assert SECRET not in message and OLD not in message


@pytest.mark.parametrize(
    ("keys", "said"),
    [
        pytest.param("", "at least one key", id="empty"),
        pytest.param(" , ", "at least one key", id="only-commas"),
        pytest.param("x", "not base64", id="not-base64"),
        pytest.param(new_key()[:-1] + "=x", "not base64", id="misplaced-padding"),
        pytest.param(base64.urlsafe_b64encode(b"k" * 16).decode(), "32 bytes", id="16-bytes"),
        pytest.param(new_key() + new_key(), "32 bytes", id="a-comma-forgotten"),
        pytest.param(
            f"{NEW},{base64.urlsafe_b64encode(b'short').decode()}",
            "32 bytes",
            id="one-of-two-short",
        ),
    ],
)
def test_a_malformed_keyring_is_refused_without_showing_the_keys(keys: str, said: str) -> None:
    with pytest.raises(SealError, match=said) as refused:
        Keyring.from_text(keys)
    for key in filter(None, (part.strip() for part in keys.split(","))):
        assert key not in str(refused.value)


def test_production_refuses_to_start_without_data_keys() -> None:
    with pytest.raises(ValueError, match="CITABOT_DATA_KEYS"):
        Config.from_env(PRODUCTION)
    with pytest.raises(ValueError, match="CITABOT_DATA_KEYS"):
        Config.from_env(PRODUCTION | {"CITABOT_DATA_KEYS": ""})


def test_a_malformed_data_key_is_refused_at_start_not_at_the_first_read() -> None:
    with pytest.raises(SealError, match="32 bytes"):
        Config.from_env(PRODUCTION | {"CITABOT_DATA_KEYS": "c2hvcnQ"})
    with pytest.raises(SealError, match="32 bytes"):
        Config.from_env({"CITABOT_DATA_KEYS": "c2hvcnQ"})  # in development too, when given


def test_the_data_keys_are_read_newest_first() -> None:
    config = Config.from_env(PRODUCTION | {"CITABOT_DATA_KEYS": f"{NEW},{OLD}"})
    assert config.data_keys == f"{NEW},{OLD}"
    assert Config.from_env({}).data_keys is None  # development: create_app's own key


def test_the_development_key_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "data_keys"
    made = development_keys(path)
    assert development_keys(path) == made
    assert Keyring.from_text(made).newest == key_id(_raw(made))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["data_keys"]  # no draft left behind


def test_the_column_types_seal_on_the_way_in_and_open_on_the_way_out(
    process_keys: ProcessKeys,
) -> None:
    ring = process_keys.install(NEW, OLD)
    column, document = SealedText(), SealedJSON()
    stored = column.process_bind_param(SECRET, None)
    assert isinstance(stored, Sealed) and ring.is_current(stored)
    assert column.process_bind_param(stored, None) is stored  # never sealed twice
    assert column.process_result_value(stored, None) == SECRET
    assert column.process_bind_param(None, None) is None
    assert column.process_result_value(None, None) is None

    facts = {"reason": SECRET, "age": 34, "none": None}
    kept = document.process_bind_param(facts, None)
    assert set(kept) == {"sealed"} and SECRET not in json.dumps(kept)
    assert document.process_result_value(kept, None) == facts
    assert document.process_bind_param(None, None) is None
    # JSON written before encryption is read as it is.
    assert document.process_result_value({"reason": "Gripa"}, None) == {"reason": "Gripa"}


def payload_of(sealed: str) -> str:
    return sealed.rsplit(":", 1)[1]


def _raw(key: str) -> bytes:
    return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
