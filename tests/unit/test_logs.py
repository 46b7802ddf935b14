"""Log lines: phone numbers masked, ids bound per request or job, JSON that parses."""

from __future__ import annotations

import json
import logging
import sys
import uuid

import pytest

from app import logs


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+5215512345678", "+52******5678"),
        ("+14155238886", "+14******8886"),
        ("5215512345678", "52******5678"),
        ("+12345", "******"),
    ],
)
def test_a_masked_phone_tells_numbers_apart_without_giving_one(phone: str, masked: str) -> None:
    assert logs.mask_phone(phone) == masked


def test_scrub_masks_phone_numbers_and_leaves_ids_alone() -> None:
    message_id = uuid.UUID("12345678-1234-1234-1234-123456789012")
    text = (
        f"from whatsapp:+5215512345678 to +14155238886, message {message_id},"
        " tick-1764600030, error 63016, at 2026-12-01T15:00:00"
    )
    assert logs.scrub(text) == (
        f"from whatsapp:+52******5678 to +14******8886, message {message_id},"
        " tick-1764600030, error 63016, at 2026-12-01T15:00:00"
    )


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    return logging.getLogger("app.example").makeRecord(
        "app.example", logging.WARNING, __file__, 1, message, args, None, extra=extra or None
    )


def test_a_json_line_has_the_time_level_logger_message_and_bound_ids() -> None:
    with logs.bound(request_id="req-1", practice_id=uuid.UUID(int=7), message_id="SM123"):
        line = json.loads(logs.JsonFormatter().format(record("message %s kept", "m-1")))
    assert line.pop("time").endswith("+00:00")
    assert line == {
        "level": "WARNING",
        "logger": "app.example",
        "message": "message m-1 kept",
        "request_id": "req-1",
        "practice_id": str(uuid.UUID(int=7)),
        "message_id": "SM123",
    }


def test_ids_bound_in_a_block_end_with_it_and_extra_wins() -> None:
    with logs.bound(job="deliver_message", job_id="j-1"):
        with logs.bound(message_id="SM1"):
            inner = json.loads(logs.JsonFormatter().format(record("x", message_id="SM2")))
        outer = json.loads(logs.JsonFormatter().format(record("x")))
    after = json.loads(logs.JsonFormatter().format(record("x")))
    assert (inner["job"], inner["message_id"]) == ("deliver_message", "SM2")
    assert outer["job_id"] == "j-1" and "message_id" not in outer
    assert "job" not in after


def test_only_ids_can_be_bound() -> None:
    with pytest.raises(ValueError, match="ids only"):
        logs.bind(body="me duele el pecho")


def test_an_error_line_carries_its_traceback_masked() -> None:
    try:
        raise ValueError("'+5215512345678' is not a possible phone number")
    except ValueError:
        failed = logging.getLogger("app.example").makeRecord(
            "app.example", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = json.loads(logs.JsonFormatter().format(failed))
    assert "ValueError: '+52******5678' is not a possible phone number" in line["exception"]
    assert "5215512345678" not in json.dumps(line)
