"""Twilio's status callbacks: signed, and a message's status only ever moves forward."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from app.config import DEVELOPMENT_TOKEN, Config
from app.messaging import delivery
from app.messaging.delivery import build_delivery_context
from app.messaging.port import Messenger, Outbound, ProviderMessage
from app.models import Contact, MessageLog, Practice
from bot_flows.texts import template_value
from tests.conftest import FrozenClock
from tests.factories import make_practice
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

PATH = "/webhooks/whatsapp/status"
PATIENT = "+5215512345678"


@pytest.fixture
def profile(sessions: sessionmaker[Session]) -> Practice:
    with sessions.begin() as session:
        return make_practice(session)


def message(
    sessions: sessionmaker[Session], profile: Practice, status: str, sid: str | None = None
) -> uuid.UUID:
    """An outbound message in `status`, with provider id `sid`."""
    with sessions.begin() as session:
        row = MessageLog(
            profile_id=profile.id,
            direction="out",
            phone=PATIENT,
            body="Tu cita está confirmada",
            status=status,
            provider_sid=sid,
            attempts=1,
        )
        session.add(row)
        session.flush()
        return row.id


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def state(sessions: sessionmaker[Session], message_id: uuid.UUID) -> tuple[str, str | None, Any]:
    with sessions() as session:
        row = session.get_one(MessageLog, message_id)
        return row.status, row.error_code, row.provider_sid


def callback(
    client: FlaskClient,
    app: Flask,
    form: Mapping[str, str],
    query: str = "",
    signature: str | None = None,
) -> TestResponse:
    """POST a status callback as Twilio does: signed over the public URL it called."""
    url = app.config["CITABOT"].public_base_url + PATH + (f"?{query}" if query else "")
    if signature is None:
        signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, dict(form))
    path = PATH + (f"?{query}" if query else "")
    return client.post(path, data=dict(form), headers={"X-Twilio-Signature": signature})


def report(
    client: FlaskClient, app: Flask, sid: str, status: str, m: uuid.UUID | None = None, **extra: str
) -> int:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID} | extra
    return callback(client, app, form, f"m={m}" if m else "").status_code


def test_the_status_moves_forward_through_each_callback(
    client: FlaskClient, app: Flask, sessions: sessionmaker[Session], profile: Practice
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sent", sid)

    seen = []
    for status in ("queued", "sent", "delivered", "read"):
        assert report(client, app, sid, status, message_id) == 204
        seen.append(state(sessions, message_id)[0])

    assert seen == ["sent", "sent", "delivered", "read"]


def test_a_callback_before_the_send_is_recorded_finds_the_message_by_its_id(
    client: FlaskClient, app: Flask, sessions: sessionmaker[Session], profile: Practice
) -> None:
    message_id = message(sessions, profile, "sending")
    sid = new_sid()

    assert report(client, app, sid, "sent", message_id) == 204

    assert state(sessions, message_id) == ("sent", None, sid)


@pytest.mark.parametrize(
    "arrivals",
    [["read", "delivered", "sent"], ["delivered", "delivered", "sent"], ["read", "failed"]],
)
def test_late_or_repeated_callbacks_never_move_the_status_back(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    profile: Practice,
    arrivals: list[str],
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sent", sid)

    for status in arrivals:
        assert report(client, app, sid, status, message_id, ErrorCode="30008") == 204

    assert state(sessions, message_id) == (arrivals[0], None, sid)


@pytest.mark.parametrize("ending", ["failed", "undelivered"])
def test_a_failure_ends_the_message_with_its_error_code(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    profile: Practice,
    ending: str,
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sent", sid)

    assert report(client, app, sid, ending, message_id, ErrorCode="63016") == 204
    assert report(client, app, sid, "delivered", message_id) == 204  # too late to matter

    assert state(sessions, message_id) == (ending, "63016", sid)


@pytest.mark.parametrize("status", ["queued", "accepted", "sending", "canceled", "bogus"])
def test_twilios_own_early_statuses_change_nothing(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    profile: Practice,
    status: str,
) -> None:
    # Our `queued`/`sending` say whether *we* handed the message over; Twilio's do not.
    in_flight = message(sessions, profile, "sending")
    waiting = message(sessions, profile, "queued")

    for target in (waiting, in_flight):
        assert report(client, app, new_sid(), status, target) == 204

    # Neither moved, nor took the callback's provider id (a forward status would).
    assert state(sessions, waiting) == ("queued", None, None)
    assert state(sessions, in_flight) == ("sending", None, None)


@pytest.mark.parametrize(
    "signature", ["", "bm90IGEgc2lnbmF0dXJl"], ids=["unsigned", "wrongly-signed"]
)
def test_an_unsigned_callback_is_refused_and_changes_nothing(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    profile: Practice,
    signature: str,
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sent", sid)
    form = {"MessageSid": sid, "MessageStatus": "read"}

    response = callback(client, app, form, f"m={message_id}", signature=signature)

    assert response.status_code == 403
    assert state(sessions, message_id) == ("sent", None, sid)


def test_a_callback_signed_for_another_message_is_refused(
    client: FlaskClient, app: Flask, sessions: sessionmaker[Session], profile: Practice
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sending")
    form = {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "30008"}
    url = f"{app.config['CITABOT'].public_base_url}{PATH}?m={uuid.uuid4()}"
    signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, form)

    assert callback(client, app, form, f"m={message_id}", signature).status_code == 403
    assert state(sessions, message_id) == ("sending", None, None)


def test_an_unknown_message_is_acknowledged_and_nothing_changes(
    client: FlaskClient, app: Flask, sessions: sessionmaker[Session], profile: Practice
) -> None:
    sid = new_sid()
    message_id = message(sessions, profile, "sent", sid)

    assert report(client, app, new_sid(), "delivered") == 204
    assert report(client, app, new_sid(), "delivered", uuid.uuid4()) == 204
    # An `m` naming a message that already has another provider id is not that message.
    assert report(client, app, new_sid(), "failed", message_id, ErrorCode="1") == 204

    assert state(sessions, message_id) == ("sent", None, sid)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("m=not-a-uuid", {"MessageSid": "SM1", "MessageStatus": "sent"}),
        ("m=", {"MessageSid": "SM1", "MessageStatus": "sent"}),
        ("", {"MessageStatus": "sent"}),
        ("", {"MessageSid": "SM1"}),
    ],
    ids=["bad-m", "empty-m", "no-sid", "no-status"],
)
def test_a_malformed_callback_is_answered_400(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    profile: Practice,
    query: str,
    form: dict[str, str],
) -> None:
    message_id = message(sessions, profile, "sent", "SM1")

    assert callback(client, app, form, query).status_code == 400

    assert state(sessions, message_id) == ("sent", None, "SM1")


@dataclass
class ReportsFirst:
    """A messenger whose provider's callback arrives before the worker records the send."""

    inner: Messenger
    client: FlaskClient
    app: Flask
    status: str
    error_code: str

    @property
    def requires_templates(self) -> bool:
        return self.inner.requires_templates

    def send(self, outbound: Outbound) -> str:
        sid = self.inner.send(outbound)
        extra = {"ErrorCode": self.error_code} if self.error_code else {}
        assert report(self.client, self.app, sid, self.status, outbound.message_id, **extra) == 204
        return sid

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        return self.inner.sent_since(sender, recipient, since)


@pytest.mark.parametrize(
    ("status", "error_code"), [("failed", "63016"), ("delivered", ""), ("read", "")]
)
def test_a_callback_that_overtakes_the_worker_is_kept(
    client: FlaskClient,
    app: Flask,
    sessions: sessionmaker[Session],
    clock: FrozenClock,
    fake_twilio: FakeTwilio,
    profile: Practice,
    status: str,
    error_code: str,
) -> None:
    config = Config(
        messaging_backend="twilio", twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN
    )
    ctx = build_delivery_context(
        config, sessions, clock, fake_twilio.http_client(), template_value=template_value
    )
    ctx = replace(ctx, messenger=ReportsFirst(ctx.messenger, client, app, status, error_code))
    with sessions.begin() as session:
        session.add(Contact(profile_id=profile.id, phone=PATIENT, last_inbound_at=clock.now))
    message_id = message(sessions, profile, "queued")

    assert delivery.deliver_message(ctx, message_id) == "sent"

    [sent] = fake_twilio.sends_for(message_id)
    assert state(sessions, message_id) == (status, error_code or None, sent.sid)
