"""The local simulator: a page that loads only its own files, in development mode only (no
real Twilio token, not production), transcripts per conversation from message_log, and
messages that go through the real, signed webhook."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from app import create_app
from app.booking.requests import hold_slot
from app.clock import utc_now
from app.config import DEVELOPMENT_TOKEN, Config
from app.db import get_database
from app.models import MessageLog, Practice
from app.sealed import new_key
from bot_flows import texts
from tests.factories import (
    CONSENT_BUTTONS,
    DAYS_LIST,
    DAYS_NUMBERED,
    context,
    intake,
    make_practice,
    make_service,
    make_slot,
)

PATIENT = "+525512345678"
PATIENT_AS_WHATSAPP_WRITES_IT = "+5215512345678"
T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "real-token"}


def transcript(client: FlaskClient, profile: Practice, phone: str, **query: str) -> list[dict]:
    response = client.get(
        "/dev/chat/messages", query_string={"practice": str(profile.id), "phone": phone} | query
    )
    assert response.status_code == 200, response.json
    return response.json["messages"]


def log(session: Session, profile: Practice, phone: str, body: str, at: datetime, **fields) -> None:
    values = {"direction": "out", "status": "sent", "purpose": "reply"} | fields
    session.add(MessageLog(profile_id=profile.id, phone=phone, body=body, created_at=at, **values))
    session.flush()


def test_the_page_loads_only_its_own_files_with_the_practices_to_pick(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session, name="Dra. Simulada")
    response = client.get("/dev/chat")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert str(profile.id) in html and "Dra. Simulada" in html
    assert f'data-doctor-phone="{profile.doctor_phone}"' in html
    assert 'data-send-url="/dev/chat/send"' in html
    assert 'data-messages-url="/dev/chat/messages"' in html
    assert "https://" not in html and "http://" not in html
    # No inline script, style or event handler: the policy needs no 'unsafe-inline'.
    inline = r"<script(?![^>]*\bsrc=)|<style|\bstyle\s*=|\bon[a-z]+\s*="
    assert not re.search(inline, html, re.IGNORECASE)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    # What the page loads (its script and style); the link to the desk is only a link.
    loaded = r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*\"([^\"]*)\""
    assets = re.findall(loaded, html, re.IGNORECASE)
    assert sorted(assets) == ["/dev/chat/static/devchat.css", "/dev/chat/static/devchat.js"]
    for asset in assets:
        served = client.get(asset)
        try:
            assert served.status_code == 200
            assert served.mimetype.endswith(("/css", "/javascript"))  # application/ before 3.12
            text = served.get_data(as_text=True)
        finally:
            served.close()
        assert "https://" not in text and "http://" not in text
        assert not re.search(r"@import|url\(", text, re.IGNORECASE)


def without_simulator(app: Flask) -> None:
    """Every simulator endpoint is missing from `app`, and the development token is refused."""
    app.config["TESTING"] = True  # no embedded job thread outliving the test
    client = app.test_client()
    try:
        assert client.get("/dev/chat").status_code == 404
        assert client.get("/dev/chat/static/devchat.js").status_code == 404
        assert client.get("/dev/chat/messages").status_code == 404
        assert client.post("/dev/chat/send", json={}).status_code == 404
        form = {"MessageSid": "SM" + "0" * 32, "From": f"whatsapp:{PATIENT}",
                "To": "whatsapp:+14155238886", "Body": "Hola", "NumMedia": "0"}  # fmt: skip
        url = app.config["CITABOT"].public_base_url + "/webhooks/whatsapp"
        signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, form)
        answer = client.post(
            "/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature}
        )
        assert answer.status_code == 403
    finally:
        get_database(app).engine.dispose()


def test_production_has_no_simulator(database_url: str) -> None:
    environ = {"DATABASE_URL": database_url, "CITABOT_ENV": "production"} | TWILIO
    environ["CITABOT_SECRET_KEY"] = "a production secret of at least 32 characters"
    environ["CITABOT_DATA_KEYS"] = new_key()
    without_simulator(create_app(Config.from_env(environ)))


def test_a_deployment_with_a_real_token_has_no_simulator_even_without_citabot_env(
    database_url: str,
) -> None:
    # It would sign with the real token: anyone could pose as the doctor, read transcripts.
    without_simulator(create_app(Config.from_env({"DATABASE_URL": database_url} | TWILIO)))


def test_make_run_serves_the_simulator(database_url: str, sessions: sessionmaker[Session]) -> None:
    # `make run`: no token, no CITABOT_ENV, messages on the console.
    environ = {"DATABASE_URL": database_url, "MESSAGING_BACKEND": "console"}
    app = create_app(Config.from_env(environ))
    app.config["TESTING"] = True
    try:
        assert app.test_client().get("/dev/chat").status_code == 200
    finally:
        get_database(app).engine.dispose()


def test_a_transcript_is_one_conversation_in_order(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile, other = make_practice(session), make_practice(session)
        log(session, profile, PATIENT, "second", T0 + timedelta(seconds=1), direction="in")
        log(session, profile, PATIENT, "first", T0, direction="in", status="received")
        # The inbox logs the replies to one message a microsecond apart.
        for n in range(3, 8):
            log(session, profile, PATIENT, f"reply {n}", T0 + timedelta(seconds=1, microseconds=n))
        log(session, profile, PATIENT, "approved", T0 + timedelta(seconds=2), status="queued")
        log(session, profile, "+525599999999", "another patient", T0)
        log(session, other, PATIENT, "another practice", T0)

    rows = transcript(client, profile, PATIENT_AS_WHATSAPP_WRITES_IT)
    assert [r["body"] for r in rows] == [
        "first", "second", "reply 3", "reply 4", "reply 5", "reply 6", "reply 7", "approved",
    ]  # fmt: skip
    assert [r["direction"] for r in rows[:3]] == ["in", "in", "out"]
    assert rows[-1]["status"] == "queued"
    assert rows[0]["created_at"] == "2026-12-01T15:00:00Z"
    later = transcript(client, profile, PATIENT, after="2026-12-01T09:00:01-06:00")
    assert [r["body"] for r in later] == [r["body"] for r in rows[1:]]


@pytest.mark.parametrize(
    "query",
    [
        {"practice": "not-a-uuid", "phone": PATIENT},
        {"phone": PATIENT},
        {"practice": str(uuid.uuid4()), "phone": "5512345678"},
        {"practice": str(uuid.uuid4()), "phone": "+52abc"},
        {"practice": str(uuid.uuid4())},
        {"practice": str(uuid.uuid4()), "phone": PATIENT, "after": "yesterday"},
        {"practice": str(uuid.uuid4()), "phone": PATIENT, "after": "2026-12-01T15:00:00"},
    ],
)
def test_a_transcript_needs_a_practice_id_a_phone_and_an_instant(
    client: FlaskClient, query: dict[str, str]
) -> None:
    response = client.get("/dev/chat/messages", query_string=query)
    assert response.status_code == 400
    assert response.json["error"]


def test_a_patient_message_goes_through_the_webhook_and_gets_the_consent_question(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
    sent = client.post(
        "/dev/chat/send",
        json={"practice": str(profile.id), "phone": PATIENT_AS_WHATSAPP_WRITES_IT, "body": "Hola"},
    )
    assert sent.status_code == 200, sent.json
    rows = transcript(client, profile, PATIENT)
    doctor = texts.doctor_values(profile.name, profile.doctor_title, profile.doctor_gender, "es")
    assert [(r["direction"], r["body"]) for r in rows] == [
        ("in", "Hola"),
        ("out", texts.text("patient.welcome", "es", **doctor)),
        ("out", texts.text("patient.consent", "es", **doctor)),
    ]


def test_the_doctor_taps_approve_and_the_patient_is_owed_the_news(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot = make_slot(session, service, utc_now().replace(microsecond=0) + timedelta(days=2))
    hold = hold_slot(
        context(sessions, utc_now), profile_id=profile.id, slot_id=slot.id, intake=intake(PATIENT)
    )
    [notification] = transcript(client, profile, profile.doctor_phone)
    assert notification["purpose"] == "doctor_new_request"
    approve = notification["buttons"][0]
    assert approve == {"title": "Aprobar", "payload": f"APROBAR {hold.code}"}

    sent = client.post(
        "/dev/chat/send",
        json={"practice": str(profile.id), "phone": profile.doctor_phone, "body": "Aprobar"}
        | {"payload": approve["payload"]},
    )
    assert sent.status_code == 200, sent.json
    tapped, answer = transcript(client, profile, profile.doctor_phone)[1:]
    assert (tapped["direction"], tapped["body"]) == ("in", "Aprobar")
    assert answer["direction"] == "out" and hold.code in answer["body"]
    [news] = transcript(client, profile, PATIENT)
    assert (news["purpose"], news["status"]) == ("patient_approved", "queued")


def test_sending_refuses_what_the_webhook_could_not_take(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        no_number = make_practice(session, whatsapp_number=None)
    message = {"practice": str(profile.id), "phone": PATIENT, "body": "Hola"}
    assert client.post("/dev/chat/send", json=message | {"phone": "55 1234"}).status_code == 400
    assert client.post("/dev/chat/send", json=message | {"body": 7}).status_code == 400
    assert client.post("/dev/chat/send", data="Hola").status_code == 400
    for missing in (uuid.uuid4(), no_number.id):
        response = client.post("/dev/chat/send", json=message | {"practice": str(missing)})
        assert response.status_code == 404
    assert transcript(client, profile, PATIENT) == []


def test_a_reply_with_choices_carries_its_list_or_buttons(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        numbered = DAYS_NUMBERED
        log(session, profile, PATIENT, numbered, T0, variables={"interactive": DAYS_LIST})
        consent = {"interactive": CONSENT_BUTTONS | {"button": None} | {"extra": 1}}
        log(session, profile, PATIENT, "1. Sí 2. No", T0 + timedelta(seconds=1), variables=consent)
        log(session, profile, PATIENT, "plain", T0 + timedelta(seconds=2))
    days, buttons, plain = transcript(client, profile, PATIENT)
    assert days["body"] == numbered  # the fallback stays what it is
    assert days["interactive"] == DAYS_LIST
    # A quick reply has no button label: None is read as none; other keys are dropped.
    assert buttons["interactive"] == CONSENT_BUTTONS
    assert plain["interactive"] is None and plain["buttons"] == []


def junk_interactive() -> list[object]:
    item = DAYS_LIST["items"][0]
    return [
        None, "twilio/list-picker", [DAYS_LIST],
        DAYS_LIST | {"kind": "twilio/card"},
        DAYS_LIST | {"kind": None},
        DAYS_LIST | {"body": ""},
        DAYS_LIST | {"body": 7},
        DAYS_LIST | {"button": ""},  # a list opens with its button
        DAYS_LIST | {"button": ["Ver"]},
        DAYS_LIST | {"items": []},
        DAYS_LIST | {"items": "day:2026-12-02"},
        DAYS_LIST | {"items": [item] * 11},
        CONSENT_BUTTONS | {"items": CONSENT_BUTTONS["items"] * 2},  # 4 buttons
        DAYS_LIST | {"items": [item, "Más días"]},
        DAYS_LIST | {"items": [item | {"id": ""}]},
        DAYS_LIST | {"items": [item | {"id": 3}]},
        DAYS_LIST | {"items": [item | {"id": "x" * 201}]},
        DAYS_LIST | {"items": [{"id": "day:2026-12-02"}]},
        DAYS_LIST | {"items": [item | {"title": " "}]},
        DAYS_LIST | {"items": [item | {"description": 4}]},
    ]  # fmt: skip


def test_choices_of_any_other_shape_are_not_shown_as_choices(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        for n, junk in enumerate(junk_interactive()):
            at = T0 + timedelta(seconds=n)
            log(session, profile, PATIENT, f"junk {n}", at, variables={"interactive": junk})
        log(session, profile, PATIENT, "a list", T0 + timedelta(minutes=1), variables=[DAYS_LIST])
    rows = transcript(client, profile, PATIENT)
    assert len(rows) == len(junk_interactive()) + 1
    assert [r["interactive"] for r in rows] == [None] * len(rows)


def test_a_tap_is_posted_as_twilio_posts_it_the_id_apart_from_the_title(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        make_service(session, profile)
    message = {"practice": str(profile.id), "phone": PATIENT}

    def send(**fields: str) -> list[str]:
        sent = client.post("/dev/chat/send", json=message | fields)
        assert sent.status_code == 200, sent.json
        return [r["body"] for r in transcript(client, profile, PATIENT)]

    before = len(send(body="Hola"))
    # Titles the bot could not read as words: only the ids say what was tapped.
    after = send(body="✳", payload="consent:1")
    assert after[-1].startswith("¿Qué necesitas?"), after[before:]
    before = len(after)
    after = send(body="✴", list_id="menu:1")  # to book: no free time, so the menu again
    assert after[before] == "✴"
    assert after[before + 1].startswith("Lo siento, ya no quedan horarios libres"), after[before:]


@pytest.mark.parametrize(
    "fields",
    [
        {"list_id": 7},
        {"payload": ["consent:1"]},
        {"list_id": "menu:1", "payload": "menu:1"},
        {"list_id": "x" * 201},
        {"payload": "x" * 201},
    ],
)
def test_a_tap_needs_one_id_of_text_within_twilios_limit(
    client: FlaskClient, sessions: sessionmaker[Session], fields: dict[str, object]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
    message = {"practice": str(profile.id), "phone": PATIENT, "body": "Sí"}
    response = client.post("/dev/chat/send", json=message | fields)
    assert response.status_code == 400
    assert response.json["error"]
    assert transcript(client, profile, PATIENT) == []
