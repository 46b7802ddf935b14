"""Outbound delivery through the real twilio SDK, against a local fake Twilio and PostgreSQL.

Each message is counted at the fake by its id (the StatusCallback's ``m``): that
count is what a patient would see on their phone.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from app.booking.notifications import Notification, queue_notifications
from app.booking.requests import approve_request, hold_slot
from app.config import Config
from app.messaging import delivery
from app.messaging.delivery import DeliveryContext, build_delivery_context
from app.messaging.rate import KEY_PREFIX
from app.models import Contact, MessageLog, Practice
from bot_flows.texts import render_notification, template_value
from tests.conftest import FrozenClock
from tests.factories import context, intake, make_practice, make_service, make_slot
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

BASE_URL = "https://citabot.example"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PATIENT = "+5215512345678"
CONTENT_SIDS = {
    "patient_approved": {"es": "HXapproved_es", "en": "HXapproved_en"},
    "doctor_new_request": "HXnew_request",
}


def twilio_config(**fields: Any) -> Config:
    values: dict[str, Any] = {
        "messaging_backend": "twilio",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "public_base_url": BASE_URL,
        "twilio_content_sids": CONTENT_SIDS,
        "whatsapp_rate_per_second": 1000,
    }
    return Config(**(values | fields))


@pytest.fixture
def twilio(fake_twilio: FakeTwilio, clock: FrozenClock) -> FakeTwilio:
    """The fake, dating messages by the test's clock, as reconciliation compares them."""
    fake_twilio.clock = clock
    return fake_twilio


@pytest.fixture
def ctx(sessions: sessionmaker[Session], clock: FrozenClock, twilio: FakeTwilio) -> DeliveryContext:
    return build_delivery_context(
        twilio_config(), sessions, clock, twilio.http_client(), template_value=template_value
    )


@pytest.fixture
def profile(sessions: sessionmaker[Session]) -> Practice:
    with sessions.begin() as session:
        return make_practice(session)


def write_in(
    sessions: sessionmaker[Session], profile: Practice, at: Any, phone: str = PATIENT, **fields: Any
) -> None:
    """`phone` last wrote to the practice at `at` (None: never)."""
    with sessions.begin() as session:
        session.add(Contact(profile_id=profile.id, phone=phone, last_inbound_at=at, **fields))


def queue(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    profile: Practice,
    purpose: str = "patient_approved",
    phone: str = PATIENT,
    facts: Mapping[str, Any] | None = None,
) -> uuid.UUID:
    """Queue one message the way a booking transition does; its id."""
    facts = facts or {
        "service": "Consulta general",
        "doctor": profile.name,
        "start": (clock.now + timedelta(days=2)).isoformat(),
        "timezone": profile.timezone,
        "code": "K7M3QX",
    }
    key = f"test:{uuid.uuid4()}"
    with sessions.begin() as session:
        notification = Notification(profile.id, purpose, phone, "es", key, facts)
        queue_notifications(session, [notification], render_notification, clock.now)
    with sessions() as session:
        return session.query(MessageLog.id).filter_by(dedupe_key=key).one()[0]


def row(sessions: sessionmaker[Session], message_id: uuid.UUID) -> MessageLog:
    with sessions() as session:
        return session.get_one(MessageLog, message_id)


def test_a_message_in_the_window_goes_as_its_body_with_a_callback_naming_it(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now - timedelta(hours=1))
    message_id = queue(sessions, clock, profile)

    assert delivery.deliver_message(ctx, message_id) == "sent"

    [sent] = twilio.sends_for(message_id)
    stored = row(sessions, message_id)
    assert (sent.from_, sent.to) == (f"whatsapp:{profile.whatsapp_number}", f"whatsapp:{PATIENT}")
    assert sent.body == stored.body and "K7M3QX" in stored.body
    assert sent.content_sid is None and sent.content_variables is None
    assert sent.status_callback == f"{BASE_URL}/webhooks/whatsapp/status?m={message_id}"
    assert (stored.status, stored.provider_sid, stored.error_code) == ("sent", sent.sid, None)
    assert stored.attempts == 1 and stored.next_attempt_at is None


def test_outside_the_window_a_booking_notification_goes_as_its_template_filled_from_the_booking(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session, name="Dra. Ana López")
        service = make_service(session, profile, name="Consulta general")
        slot = make_slot(session, service, clock.now + timedelta(days=2))  # 2026-12-03 09:00 local
    # The patient chose English, and last wrote two days ago.
    write_in(sessions, profile, clock.now - timedelta(days=2), language="en")
    booking = context(sessions, clock)
    hold = hold_slot(booking, profile_id=profile.id, slot_id=slot.id, intake=intake(PATIENT))
    approve_request(booking, profile_id=profile.id, code=hold.code)
    with sessions() as session:
        approved = session.query(MessageLog).filter_by(purpose="patient_approved").one()

    assert delivery.deliver_message(ctx, approved.id) == "sent"

    [sent] = twilio.sends_for(approved.id)
    assert sent.content_sid == "HXapproved_en" and sent.body is None
    variables = json.loads(sent.content_variables or "")
    assert variables["1"] == "Consulta general" and variables["2"] == "Dra. Ana López"
    assert variables["4"] == hold.code
    assert "December 3" in variables["3"] and "9:00" in variables["3"]
    assert list(variables) == ["1", "2", "3", "4"]
    stored = row(sessions, approved.id)
    assert (stored.status, stored.content_sid, stored.provider_sid) == (
        "sent",
        "HXapproved_en",
        sent.sid,
    )


def test_the_doctors_new_request_goes_as_its_button_template_even_in_the_window(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    assert profile.doctor_phone
    write_in(sessions, profile, clock.now - timedelta(minutes=5), phone=profile.doctor_phone)
    with sessions.begin() as session:
        service = make_service(session, profile)
        slot = make_slot(session, service, clock.now + timedelta(days=1))
    hold_slot(context(sessions, clock), profile_id=profile.id, slot_id=slot.id, intake=intake())
    with sessions() as session:
        notification = session.query(MessageLog).filter_by(purpose="doctor_new_request").one()

    assert delivery.deliver_message(ctx, notification.id) == "sent"

    [sent] = twilio.sends_for(notification.id)
    assert sent.content_sid == "HXnew_request" and sent.body is None
    assert (
        notification.variables is not None and sent.variables["1"] == notification.variables["code"]
    )
    assert len(sent.variables) == 8 and all(sent.variables.values())


def test_outside_the_window_without_a_template_the_message_fails_with_its_reason(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now - timedelta(hours=23, minutes=56))
    message_id = queue(sessions, clock, profile, purpose="patient_expired")

    assert delivery.deliver_message(ctx, message_id) == "failed"

    stored = row(sessions, message_id)
    assert (stored.status, stored.error_code, stored.next_attempt_at) == (
        "failed",
        "no_template",
        None,
    )
    assert twilio.created == [] and twilio.requests == []
    assert delivery.deliver_due(ctx) == 0 and twilio.requests == []


@pytest.mark.parametrize("taken", [False, True], ids=["not-taken", "taken-but-answered-500"])
def test_a_server_error_is_retried_and_the_message_arrives_once(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
    taken: bool,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    twilio.fail_next(status=500, keep=taken)

    assert delivery.deliver_message(ctx, message_id) == "retry"
    waiting = row(sessions, message_id)
    assert (waiting.status, waiting.error_code) == ("sending", "20500")
    assert waiting.next_attempt_at == clock.now + ctx.settings.retry.first_delay
    assert delivery.deliver_message(ctx, message_id) == "skipped"  # not yet due

    clock.advance(seconds=15)
    assert delivery.deliver_message(ctx, message_id) == "sent"

    [arrived] = twilio.sends_for(message_id)
    stored = row(sessions, message_id)
    assert (stored.status, stored.provider_sid, stored.error_code) == ("sent", arrived.sid, None)
    assert stored.attempts == 2


def test_too_many_requests_is_retried_with_backoff(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    twilio.fail_next(2, status=429)

    assert delivery.deliver_message(ctx, message_id) == "retry"
    assert (row(sessions, message_id).status, row(sessions, message_id).error_code) == (
        "queued",
        "20429",
    )
    clock.advance(seconds=15)
    assert delivery.deliver_message(ctx, message_id) == "retry"
    assert row(sessions, message_id).next_attempt_at == clock.now + timedelta(seconds=30)
    clock.advance(seconds=30)
    assert delivery.deliver_due(ctx) == 1

    assert len(twilio.sends_for(message_id)) == 1
    assert [status for _, status in twilio.requests] == [429, 429, 201]
    assert row(sessions, message_id).attempts == 3


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_account_is_retried_and_logged_without_the_message(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    # A rotated token or a suspended account: every queued message would fail alike.
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    twilio.fail_next(status=status, code=20003)

    assert delivery.deliver_message(ctx, message_id) == "retry"
    stored = row(sessions, message_id)
    assert (stored.status, stored.error_code) == ("queued", "20003")
    [logged] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"HTTP {status}, error 20003" in logged.getMessage()
    assert stored.body not in caplog.text and PATIENT not in caplog.text

    clock.advance(seconds=15)  # the token is fixed meanwhile: the retry goes through
    assert delivery.deliver_due(ctx) == 1
    assert [code for _, code in twilio.requests] == [status, 201]
    assert len(twilio.sends_for(message_id)) == 1 and row(sessions, message_id).status == "sent"


@pytest.mark.parametrize("code", [63016, 21211], ids=["outside-window", "invalid-number"])
def test_a_permanent_refusal_fails_at_once_with_twilios_code(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
    code: int,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    twilio.fail_next(status=400, code=code)

    assert delivery.deliver_message(ctx, message_id) == "failed"
    clock.advance(hours=1)
    assert delivery.deliver_message(ctx, message_id) == "skipped"
    assert delivery.deliver_due(ctx) == 0

    stored = row(sessions, message_id)
    assert (stored.status, stored.error_code, stored.attempts) == ("failed", str(code), 1)
    assert twilio.requests == [("POST", 400)] and twilio.created == []


def test_retries_end_after_the_attempt_budget(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    budget = ctx.settings.retry.max_attempts
    twilio.fail_next(budget + 5, status=429)

    outcomes = []
    for _ in range(budget + 3):
        outcomes.append(delivery.deliver_message(ctx, message_id))
        clock.advance(minutes=11)

    assert outcomes == ["retry"] * (budget - 1) + ["failed"] + ["skipped"] * 3
    assert row(sessions, message_id).error_code == "max_attempts"
    assert len(twilio.requests) == budget


def test_the_same_message_delivered_twice_at_once_is_sent_once(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def deliver() -> None:
        start.wait()
        outcomes.append(delivery.deliver_message(ctx, message_id))

    workers = [threading.Thread(target=deliver) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert delivery.deliver_message(ctx, message_id) == "skipped"
    assert len(twilio.sends_for(message_id)) == 1


def die_after_sending(ctx: DeliveryContext, message_id: uuid.UUID) -> None:
    """A worker claims the message and sends it, then dies before recording the send."""
    planned, _ = delivery._claim_and_plan(ctx, ctx.sessions, 1, [message_id])
    [(_, message)] = planned
    ctx.messenger.send(message)


@pytest.mark.parametrize("purpose", ["patient_approved", "patient_expired"])
def test_a_message_stuck_in_sending_is_reconciled_not_sent_again(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
    purpose: str,
) -> None:
    # patient_approved goes as its template (outside the window), patient_expired as a body.
    window = timedelta(days=3) if purpose == "patient_approved" else timedelta(hours=1)
    write_in(sessions, profile, clock.now - window)
    # An earlier message to the same person, delivered and recorded: not the one looked for.
    assert delivery.deliver_message(ctx, queue(sessions, clock, profile, purpose=purpose)) == "sent"
    clock.advance(minutes=1)
    message_id = queue(sessions, clock, profile, purpose=purpose)
    die_after_sending(ctx, message_id)
    [arrived] = twilio.sends_for(message_id)  # still "queued" at Twilio: no date_sent yet

    clock.advance(seconds=30)
    assert delivery.deliver_due(ctx) == 0  # its lease still holds
    clock.advance(seconds=31)
    assert delivery.deliver_due(ctx) == 1

    assert twilio.sends_for(message_id) == [arrived]
    stored = row(sessions, message_id)
    assert (stored.status, stored.provider_sid, stored.attempts) == ("sent", arrived.sid, 2)


def test_a_message_stuck_in_sending_that_never_left_is_sent_once(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    write_in(sessions, profile, clock.now)
    message_id = queue(sessions, clock, profile)
    delivery._claim_and_plan(ctx, ctx.sessions, 1, [message_id])  # claimed, then the worker died

    clock.advance(seconds=61)
    assert delivery.deliver_due(ctx) == 1

    [arrived] = twilio.sends_for(message_id)
    assert row(sessions, message_id).provider_sid == arrived.sid
    assert [method for method, _ in twilio.requests] == ["GET", "POST"]  # asked, then sent


def test_the_console_renders_templates_as_their_text(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    profile: Practice,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = Config(messaging_backend="console", twilio_content_sids=CONTENT_SIDS)
    console = build_delivery_context(config, sessions, clock, template_value=template_value)
    templated = queue(sessions, clock, profile)  # never wrote in: outside the window
    untemplated = queue(sessions, clock, profile, purpose="patient_expired", phone="+15550001111")

    assert delivery.deliver_due(console) == 2

    printed = capsys.readouterr().out
    for message_id in (templated, untemplated):
        stored = row(sessions, message_id)
        assert stored.body in printed
        assert stored.status == "sent" and (stored.provider_sid or "").startswith("CONSOLE-")
    # The template is named, and shown as its rendered text: the body the patient reads.
    approved = row(sessions, templated)
    assert (
        f"--- WhatsApp {profile.whatsapp_number} -> {PATIENT}"
        f" (patient_approved [template HXapproved_es], id {templated})\n{approved.body}\n---"
    ) in printed
    assert approved.content_sid == "HXapproved_es" and "K7M3QX" in approved.body


def deliver_from_one_sender(
    sessions: sessionmaker[Session], clock: FrozenClock, profile: Practice, count: int
) -> list[uuid.UUID]:
    """Queue `count` messages from `profile`'s number to people in their window."""
    phones = [f"+1555{uuid.uuid4().int % 10**7:07d}" for _ in range(count)]
    for phone in phones:
        write_in(sessions, profile, clock.now, phone=phone)
    return [queue(sessions, clock, profile, purpose="patient_expired", phone=p) for p in phones]


def test_one_worker_spaces_a_senders_messages_by_the_rate(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    rate, count = 5, 6
    config = twilio_config(whatsapp_rate_per_second=rate)
    ctx = build_delivery_context(
        config, sessions, clock, twilio.http_client(), template_value=template_value
    )
    ids = deliver_from_one_sender(sessions, clock, profile, count)

    started = time.monotonic()
    assert delivery.deliver_due(ctx) == count
    elapsed = time.monotonic() - started

    assert elapsed >= (count - 1) / rate
    assert all(len(twilio.sends_for(i)) == 1 for i in ids)


def test_workers_sharing_redis_share_each_senders_rate(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    twilio: FakeTwilio,
) -> None:
    rate, count = 10, 12
    with sessions.begin() as session:  # a number no other test run uses: its key is fresh
        profile = make_practice(session, whatsapp_number=f"+1999{uuid.uuid4().int % 10**7:07d}")
    ids = deliver_from_one_sender(sessions, clock, profile, count)
    config = twilio_config(whatsapp_rate_per_second=rate)
    redis = Redis.from_url(REDIS_URL)
    workers = [
        build_delivery_context(
            config, sessions, clock, twilio.http_client(), redis, template_value=template_value
        )
        for _ in range(3)
    ]
    # Small batches, so the workers take turns with the sender's messages.
    workers = [replace(w, settings=replace(w.settings, batch_size=2)) for w in workers]

    started = time.monotonic()
    threads = [threading.Thread(target=delivery.deliver_due, args=(ctx,)) for ctx in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    assert elapsed >= (count - 1) / rate
    assert sorted(len(twilio.sends_for(i)) for i in ids) == [1] * count
    redis.delete(f"{KEY_PREFIX}{profile.whatsapp_number}")
    redis.close()


def test_messages_keep_going_out_at_the_rate_while_redis_is_unreachable(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    rate, count = 5, 4
    config = twilio_config(whatsapp_rate_per_second=rate)
    nowhere = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.2)
    ctx = build_delivery_context(
        config, sessions, clock, twilio.http_client(), nowhere, template_value=template_value
    )
    ids = deliver_from_one_sender(sessions, clock, profile, count)

    started = time.monotonic()
    assert delivery.deliver_due(ctx) == count
    elapsed = time.monotonic() - started

    assert elapsed >= (count - 1) / rate
    assert all(len(twilio.sends_for(i)) == 1 for i in ids)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_asked_for_by_id_a_message_waits_for_an_older_one_to_the_same_person(
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    ctx: DeliveryContext,
    twilio: FakeTwilio,
    profile: Practice,
) -> None:
    # Replayed messages queue their replies one transaction each; the jobs asking for
    # them may run in any order, and a patient must still read the replies in order.
    write_in(sessions, profile, clock.now - timedelta(minutes=1))
    first = queue(sessions, clock, profile)
    clock.advance(seconds=1)
    second = queue(sessions, clock, profile)

    delivery.deliver_message(ctx, second)
    assert twilio.created == [] and row(sessions, second).status == "queued"

    delivery.deliver_message(ctx, first)
    delivery.deliver_message(ctx, second)  # the job its predecessor's sending asks for
    assert [c.message_id for c in twilio.created] == [first, second]
