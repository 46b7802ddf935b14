"""A doctor's tap on a template button, as Twilio posts it to the signed webhook."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from app.booking.requests import hold_slot
from app.clock import utc_now
from app.config import DEVELOPMENT_TOKEN
from app.models import RequestStatus, ReservationRequest
from tests.factories import context, intake, make_practice, make_service, make_slot

PATH = "/webhooks/whatsapp"


def test_the_doctors_approve_button_approves_the_request(
    app: Flask, client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        profile = make_practice(session)
        service = make_service(session, profile)
        slot = make_slot(session, service, utc_now().replace(microsecond=0) + timedelta(days=2))
    hold = hold_slot(context(sessions, utc_now), profile_id=profile.id, slot_id=slot.id,
                     intake=intake())  # fmt: skip
    # The quick-reply button's title is the body; only its payload names the request.
    form = {
        "MessageSid": "SM" + "7" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{profile.doctor_phone}",
        "To": f"whatsapp:{profile.whatsapp_number}",
        "Body": "Aprobar",
        "ButtonText": "Aprobar",
        "ButtonPayload": f"APROBAR {hold.code}",
        "NumMedia": "0",
    }
    url = app.config["CITABOT"].public_base_url + PATH
    signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, form)
    answer = client.post(PATH, data=form, headers={"X-Twilio-Signature": signature})

    assert answer.status_code == 200
    [reply] = [m.text or "" for m in ElementTree.fromstring(answer.data).iter("Message")]
    assert hold.code in reply
    with sessions() as session:
        request = session.get_one(ReservationRequest, hold.request_id)
        assert request.status == RequestStatus.APPROVED
