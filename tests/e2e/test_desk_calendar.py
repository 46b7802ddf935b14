"""Calendar files: a member's private feed of the practice's agenda, and the patient's
"add to calendar" link in their confirmation.

The clock is the e2e clock (2026-12-01 15:00 UTC); bookings go through the WhatsApp
webhook or the booking use case, never straight into tables. Every file is read
back with `icalendar`, as a calendar app would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar, Component
from sqlalchemy import select

from app.booking import appointments, requests
from app.desk.access import keyed_hash
from app.models import AuditEntry, PracticeMember, Reservation
from tests.desk_helpers import csrf_token, sign_in
from tests.e2e.conftest import PracticeSetup, World, make_practice_setup
from tests.e2e.test_conversation import book, request_of
from tests.factories import context, intake

pytestmark = pytest.mark.postgres

FEED = re.compile(r'value="(https?://[^"]+/calendar/([A-Za-z0-9_-]+)\.ics)"')
LINK = re.compile(r"📅 Agrégala a tu calendario: (\S+/calendar/appointment/([A-Za-z0-9_-]+)\.ics)")
SANTIAGO = ZoneInfo("America/Santiago")
ADDRESS = "Av. Insurgentes Sur 1234, consultorio 502"


def signed_in_doctor(world: World, practice: PracticeSetup | None = None) -> FlaskClient:
    client = world.app.test_client()
    sign_in(client, world.sessions, (practice or world.practice).doctor_phone)
    return client


def new_feed(client: FlaskClient) -> tuple[str, str]:
    """Make a feed on the desk's calendar page: its URL, shown once, and its token."""
    page = client.post(
        "/desk/calendar/new", data={"csrf_token": csrf_token(client, "/desk/calendar")}
    )
    assert page.status_code == 200
    found = FEED.search(page.get_data(as_text=True))
    assert found is not None, "the new feed's URL is not on the page"
    return found.group(1), found.group(2)


def path_of(url: str) -> str:
    """The path of one of the app's absolute URLs, for the test client."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def events(calendar: Calendar) -> dict[str, Component]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_member_makes_a_private_feed_of_the_practices_agenda(world: World) -> None:
    first, second, doctor = world.patient(), world.patient(), world.doctor()
    book(first)
    approved = request_of(world, first.phone).code
    doctor.say(f"APROBAR {approved}")
    book(second, time="2")
    waiting = request_of(world, second.phone).code

    client = signed_in_doctor(world)
    page = client.get("/desk/calendar").get_data(as_text=True)
    assert "Aún no tienes una dirección de calendario." in page
    url, token = new_feed(client)
    assert url.startswith(world.base_url + "/calendar/")
    again = client.get("/desk/calendar").get_data(as_text=True)
    assert token not in again and "Tienes una dirección de calendario activa" in again
    with world.sessions() as session:
        member = session.scalars(select(PracticeMember)).one()
        [entry] = session.scalars(select(AuditEntry)).all()
    assert member.feed_token_hash == keyed_hash(world.app.secret_key.encode(), token)
    assert (entry.action, entry.member_id) == ("calendar_feed_new", member.id)

    answer = world.app.test_client().get(path_of(url))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = answer.get_data(as_text=True)
    calendar = Calendar.from_ical(answer.get_data())
    found = events(calendar)
    assert set(found) == {f"{approved}@citabot", f"{waiting}@citabot"}
    confirmed, tentative = found[f"{approved}@citabot"], found[f"{waiting}@citabot"]
    assert str(confirmed["SUMMARY"]) == f"Consulta general · María · {approved}"
    assert (str(confirmed["STATUS"]), str(tentative["STATUS"])) == ("CONFIRMED", "TENTATIVE")
    assert confirmed.decoded("DTSTART") == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
    assert tentative.decoded("DTEND") - tentative.decoded("DTSTART") == timedelta(minutes=30)
    assert confirmed["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]
    # Only the first name, and nothing clinical: no reason, no phone, no surname.
    for withheld in ("Pérez", "Dolor de cabeza", first.phone, second.phone):
        assert withheld not in body


def test_a_new_feed_replaces_the_old_one_and_a_revoked_feed_is_gone(world: World) -> None:
    client = signed_in_doctor(world)
    old_url, _ = new_feed(client)
    url, _ = new_feed(client)
    reader = world.app.test_client()
    assert reader.get(path_of(old_url)).status_code == 404
    assert reader.get(path_of(url)).status_code == 200
    assert reader.get("/calendar/not-a-feed.ics").status_code == 404

    token = csrf_token(client, "/desk/calendar")
    answer = client.post("/desk/calendar/revoke", data={"csrf_token": token})
    assert answer.status_code == 302
    page = client.get("/desk/calendar").get_data(as_text=True)
    assert "tu dirección de calendario dejó de funcionar" in page
    assert reader.get(path_of(url)).status_code == 404
    with world.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.at)).all()
        assert session.scalars(select(PracticeMember.feed_token_hash)).one() is None
    assert sorted(actions) == ["calendar_feed_new", "calendar_feed_new", "calendar_feed_revoked"]
    # Without the form's token, nothing changes.
    assert client.post("/desk/calendar/new").status_code == 400


def test_a_feed_never_shows_another_practices_appointments(world: World) -> None:
    other = make_practice_setup(world.sessions, [datetime(2026, 12, 2, 17, 0, tzinfo=UTC)])
    ours, theirs = world.patient(), world.patient(practice=other)
    book(ours)
    book(theirs)
    our_code, their_code = request_of(world, ours.phone).code, request_of(world, theirs.phone).code

    our_url, _ = new_feed(signed_in_doctor(world))
    their_url, _ = new_feed(signed_in_doctor(world, other))
    reader = world.app.test_client()
    assert set(events(Calendar.from_ical(reader.get(path_of(our_url)).get_data()))) == {
        f"{our_code}@citabot"
    }
    assert set(events(Calendar.from_ical(reader.get(path_of(their_url)).get_data()))) == {
        f"{their_code}@citabot"
    }


def test_times_stay_at_10_local_across_chiles_daylight_saving_change(world: World) -> None:
    # Chile's clocks go back an hour on Sunday 2027-04-04: UTC-3 before, UTC-4 after.
    before = datetime(2027, 4, 2, 10, 0, tzinfo=SANTIAGO)
    after = datetime(2027, 4, 6, 10, 0, tzinfo=SANTIAGO)
    chile = make_practice_setup(
        world.sessions,
        [before.astimezone(UTC), after.astimezone(UTC)],
        timezone="America/Santiago",
        booking_horizon_days=180,
        appointment_approval_required=False,
    )
    ctx = context(world.sessions, world.clock)
    codes = [
        requests.hold_slot(ctx, profile_id=chile.profile.id, slot_id=slot.id, intake=intake()).code
        for slot in chile.slots
    ]
    url, _ = new_feed(signed_in_doctor(world, chile))
    calendar = Calendar.from_ical(world.app.test_client().get(path_of(url)).get_data())
    found = events(calendar)
    utc = [datetime(2027, 4, 2, 13, 0, tzinfo=UTC), datetime(2027, 4, 6, 14, 0, tzinfo=UTC)]
    for code, instant in zip(codes, utc, strict=True):
        event = found[f"{code}@citabot"]
        assert event["DTSTART"].params["TZID"] == "America/Santiago"
        start = event.decoded("DTSTART")
        assert start.time() == time(10, 0) and start.astimezone(UTC) == instant
        assert event.decoded("DTEND").time() == time(10, 30)
    # The file's own VTIMEZONE knows the change too (a client without tz data reads it).
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Santiago"
    own = zone.to_tz()
    assert before.replace(tzinfo=own).utcoffset() == timedelta(hours=-3)
    assert after.replace(tzinfo=own).utcoffset() == timedelta(hours=-4)


def test_a_booking_confirmed_at_once_links_its_calendar_file(world: World) -> None:
    practice = make_practice_setup(
        world.sessions,
        [datetime(2026, 12, 5, 16, 0, tzinfo=UTC)],
        appointment_approval_required=False,
        address=ADDRESS,
    )
    patient = world.patient(practice=practice)
    confirmation = book(patient)[0]
    code = request_of(world, patient.phone).code
    found = LINK.search(confirmation)
    assert found is not None, confirmation
    url, token = found.groups()
    assert url == f"{world.base_url}/calendar/appointment/{token}.ics"
    with world.sessions() as session:
        stored = session.scalars(select(Reservation.calendar_token)).one()
    assert stored == token

    answer = world.app.test_client().get(path_of(url))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="{code}.ics"'
    [event] = Calendar.from_ical(answer.get_data()).walk("VEVENT")
    assert str(event["UID"]) == f"{code}@citabot"
    assert str(event["SUMMARY"]) == f"Consulta general · {practice.profile.name}"
    assert str(event["LOCATION"]) == ADDRESS
    assert code in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == datetime(
        2026, 12, 5, 10, 0, tzinfo=ZoneInfo("America/Mexico_City")
    )
    body = answer.get_data(as_text=True)
    for withheld in ("María", "Pérez", "Dolor de cabeza", patient.phone):
        assert withheld not in body

    # A cancelled appointment's file is gone, as is one no one was given.
    appointments.cancel_reservation(
        context(world.sessions, world.clock),
        profile_id=practice.profile.id,
        code=code,
        patient_phone=patient.phone,
    )
    reader = world.app.test_client()
    assert reader.get(path_of(url)).status_code == 404
    assert reader.get("/calendar/appointment/unknown.ics").status_code == 404


def test_the_doctors_approval_links_the_calendar_file(world: World) -> None:
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    code = request_of(world, patient.phone).code
    doctor.say(f"APROBAR {code}")
    [told] = world.outbox(patient.phone, "patient_approved")
    found = LINK.search(told.body)
    assert found is not None, told.body
    assert "¡Tu cita está confirmada!" in told.body
    [event] = Calendar.from_ical(
        world.app.test_client().get(path_of(found.group(1))).get_data()
    ).walk("VEVENT")
    assert str(event["UID"]) == f"{code}@citabot"
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
