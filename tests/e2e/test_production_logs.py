"""Production logs: a booking from hello to delivery leaves JSON lines with ids and no person.

The app is built as production builds it (`create_app` sets up the root logger
with JSON lines on standard error), with pytest's own log handlers set aside for
the test and everything from DEBUG up written.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, request
from sqlalchemy.orm import Session, sessionmaker

from app import create_app, logs
from app.background.runtime import build_runtime, set_runtime
from app.config import DEVELOPMENT_TOKEN, Config
from app.db import get_database
from tests.conftest import FrozenClock
from tests.e2e.conftest import DAY_1, World, free_times, make_practice_setup
from tests.e2e.test_conversation import INTAKE, book, request_of

pytestmark = pytest.mark.postgres


@contextmanager
def production_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Standard error as a buffer, and a root logger nobody has set up yet (then pytest's again)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stderr = io.StringIO()
    root.handlers.clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr("sys.stderr", stderr)
            patch.setattr(logging.getLogger("sqlalchemy"), "level", logging.WARNING)
            yield stderr
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def lines(stderr: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stderr.getvalue().splitlines()]


def test_a_booking_logs_json_lines_with_ids_and_no_body_name_or_phone(
    database_url: str,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config(
        database_url=database_url,
        messaging_backend="console",
        environment="production",
        twilio_auth_token=DEVELOPMENT_TOKEN,  # the e2e helpers sign with it
    )
    with production_logging(monkeypatch) as stderr:
        app = create_app(config)
        app.config["TESTING"] = True
        app.add_url_rule("/webhooks/example", view_func=_careless_webhook, methods=["POST"])
        logging.getLogger().setLevel(logging.DEBUG)
        try:
            set_runtime(app, build_runtime(app, clock=clock))
            world = World(app, sessions, clock, make_practice_setup(sessions, free_times(DAY_1, 2)))
            patient, doctor = world.patient(), world.doctor()
            book(patient)
            code = request_of(world, patient.phone).code
            doctor.say(f"RECHAZAR {code} no tengo consulta ese día")
            world.run_jobs()
            careless = app.test_client().post(
                "/webhooks/example",
                data={
                    "MessageSid": "SM" + "7" * 32,
                    "From": f"whatsapp:{patient.phone}",
                    "practice": str(world.practice.profile.id),
                },
                headers={
                    "X-Twilio-Signature": "any",
                    "X-Request-Id": "req-42",
                    "I-Twilio-Idempotency-Token": "idem-1",
                },
            )
        finally:
            get_database(app).engine.dispose()

    written = lines(stderr)
    assert written, "DEBUG and up from a whole booking: the deliveries at least"
    for line in written:
        assert {"time", "level", "logger", "message"} <= line.keys()
    text = stderr.getvalue()
    for secret in (patient.phone, patient.phone.lstrip("+"), doctor.phone, INTAKE[0], INTAKE[2]):
        assert secret not in text, secret
    assert "no tengo consulta" not in text
    deliveries = [line for line in written if line["logger"] == "app.messaging.send_outcomes"]
    assert deliveries and all(line["job"] == "deliver_message" for line in deliveries)

    assert careless.headers["X-Request-Id"] == "req-42"
    [line] = [line for line in written if line["logger"] == "tests.webhook"]
    assert line["message"] == f"message from whatsapp:{logs.mask_phone(patient.phone)}"
    assert line["request_id"] == "req-42"
    assert line["idempotency_token"] == "idem-1"
    assert line["message_id"] == "SM" + "7" * 32
    assert line["practice_id"] == str(world.practice.profile.id)


def _careless_webhook() -> str:
    """A webhook that binds its practice and logs the sender's number (the guard masks it)."""
    logs.bind(practice_id=request.form["practice"])
    logging.getLogger("tests.webhook").info("message from %s", request.form["From"])
    return ""


def test_outside_production_a_request_still_gets_an_id(app: Flask) -> None:
    first = app.test_client().get("/healthz")
    given = app.test_client().get("/healthz", headers={"X-Request-Id": "lb-7f3a"})
    refused = app.test_client().get("/healthz", headers={"X-Request-Id": "not an id"})
    assert len(first.headers["X-Request-Id"]) == 32
    assert given.headers["X-Request-Id"] == "lb-7f3a"
    assert refused.headers["X-Request-Id"] not in {first.headers["X-Request-Id"], "not an id"}
