"""What `make run` does, on the embedded SQLite database: migrate, import the demo, generate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from alembic import command
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from app import create_app
from app.background.runtime import build_runtime, set_runtime
from app.config import DEVELOPMENT_TOKEN, Config
from app.db import get_database
from app.models import (
    AvailabilityRule,
    ClosedDate,
    Contact,
    MedicalService,
    MessageLog,
    Practice,
    ReservationRequest,
    TimeSlot,
)
from tests.conftest import FrozenClock, alembic_config

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_clinic.yaml"


@pytest.fixture
def embedded_app(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app on a fresh SQLite file migrated to head, its commands reading `clock`."""
    url = f"sqlite:///{tmp_path}/citabot.db"
    command.upgrade(alembic_config(url), "head")
    monkeypatch.setattr("app.cli.clinic.utc_now", clock)
    monkeypatch.setattr("app.cli.slots.utc_now", clock)
    app = create_app(Config(database_url=url, messaging_backend="console", environment="testing"))
    yield app
    get_database(app).engine.dispose()


def invoke(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def counts(app: Flask) -> dict[str, int]:
    with get_database(app).sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Practice, MedicalService, AvailabilityRule, ClosedDate, TimeSlot)
        }


def test_the_demo_clinic_imports_and_gets_its_slots_once(embedded_app: Flask) -> None:
    # The clock stands at Tuesday 2026-12-01 09:00 in Mexico City. In 30 days: Tuesday
    # after 09:00 (7 + 6 starts), 20 more weekdays (14 starts; the 25th is closed), 4
    # Saturdays (6 starts) and 2026-12-31 09:00; each start for all 3 services.
    slots = 3 * (13 + 20 * 14 + 4 * 6 + 1)
    profile_id = invoke(embedded_app, "clinic", "import", str(DEMO)).stdout.strip()

    first = invoke(embedded_app, "slots", "generate", "--days", "30")
    second = invoke(embedded_app, "slots", "generate", "--days", "30")

    assert first.output == (
        f"Dra. Ana López ({profile_id}): {slots} created, 0 updated, 0 removed, "
        "0 kept (taken or blocked)\n"
    )
    assert second.output == (
        f"Dra. Ana López ({profile_id}): 0 created, 0 updated, 0 removed, "
        "0 kept (taken or blocked)\n"
    )
    assert counts(embedded_app) == {
        "profile": 1,
        "medical_service": 3,
        "availability_rule": 11,
        "closed_date": 2,
        "time_slot": slots,
    }
    invoke(embedded_app, "clinic", "import", str(DEMO))
    third = invoke(embedded_app, "slots", "generate", "--days", "30")
    assert f"({profile_id}): 0 created, 0 updated, 0 removed" in third.output
    assert counts(embedded_app)["time_slot"] == slots


def test_a_whole_booking_through_the_webhook_on_sqlite(
    embedded_app: Flask, clock: FrozenClock
) -> None:
    """What the simulator of `make run` does: signed messages, answered from SQLite."""
    embedded_app.testing = True  # no background thread: the replies are the point here
    set_runtime(embedded_app, build_runtime(embedded_app, clock=clock))
    invoke(embedded_app, "clinic", "import", str(DEMO))
    invoke(embedded_app, "slots", "generate", "--days", "7")
    practice = yaml.safe_load(DEMO.read_text())["whatsapp_number"]
    client = embedded_app.test_client()
    url = embedded_app.config["CITABOT"].public_base_url + "/webhooks/whatsapp"

    def say(body: str, sid: str) -> list[str]:
        form = {
            "MessageSid": sid,
            "From": "whatsapp:+5215512345678",
            "To": f"whatsapp:{practice}",
            "Body": body,
            "NumMedia": "0",
        }
        signature = RequestValidator(DEVELOPMENT_TOKEN).compute_signature(url, form)
        response = client.post(
            "/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature}
        )
        assert response.status_code == 200
        return [m.text or "" for m in ElementTree.fromstring(response.data).iter("Message")]

    answers = ["hola", "1", "english", "1", "1", "1", "1", "Ana Ruiz", "34", "Dolor"]
    answers += ["no", "2", "1"]
    replies = [say(body, f"SM{n:032d}") for n, body in enumerate(answers)]

    assert replies[2][0] == "Sure, we'll continue in English."
    assert replies[-1][0].startswith("✅ Done! We sent your request")
    assert say("1", f"SM{len(answers) - 1:032d}") == []  # a replayed MessageSid: no effect
    with get_database(embedded_app).sessions() as session:
        [request] = session.scalars(select(ReservationRequest)).all()
        language = session.scalar(select(Contact.language))
        logged = session.scalar(select(func.count()).select_from(MessageLog))
    assert (request.status, request.patient_name, request.chief_complaint) == (
        "pending",
        "Ana Ruiz",
        "Dolor",
    )
    assert request.code in replies[-1][0]
    assert language == "en"
    assert logged == len(answers) + sum(len(r) for r in replies) + 1  # + the doctor's notification


def test_the_desk_works_on_the_embedded_database(embedded_app: Flask, clock: FrozenClock) -> None:
    """`make run`'s SQLite allows one writer: no desk page may open a second transaction
    inside its own. The doctor signs in, walks every page, approves and writes a note."""
    from app.booking.requests import hold_slot
    from app.scheduling.search import free_days, free_times
    from tests.desk_helpers import csrf_token, sign_in
    from tests.factories import context, intake

    set_runtime(embedded_app, build_runtime(embedded_app, clock=clock))
    embedded_app.config["TESTING"] = True
    invoke(embedded_app, "clinic", "import", str(DEMO))
    invoke(embedded_app, "slots", "generate", "--days", "30")
    sessions = get_database(embedded_app).sessions
    with sessions() as session:
        practice = session.scalars(select(Practice)).one()
        service_id = session.scalars(select(MedicalService.id)).first()
        assert service_id is not None
        day = free_days(session, practice, service_id, clock(), 1)[0]
        slot = free_times(session, practice, service_id, day, clock())[0]
        doctor_phone = practice.doctor_phone or ""
        profile_id = practice.id
    code = hold_slot(
        context(sessions, clock), profile_id=profile_id, slot_id=slot.slot_id, intake=intake()
    ).code

    client = embedded_app.test_client()
    sign_in(client, sessions, doctor_phone)
    pages = [
        *("/desk/", "/desk/?view=week", f"/desk/requests/{code}", "/desk/block"),
        *("/desk/waitlist", "/desk/calendar", "/desk/settings", "/desk/team", "/desk/audit"),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    token = csrf_token(client, "/desk/")
    approved = client.post(f"/desk/requests/{code}/approve", data={"csrf_token": token})
    assert approved.status_code == 302
    assert client.get(f"/desk/appointments/{code}").status_code == 200
    note = {"csrf_token": token, "note_type": "diagnosis", "content": "Control"}
    assert client.post(f"/desk/appointments/{code}/notes", data=note).status_code == 302
    with sessions() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(MessageLog)
                .where(MessageLog.purpose == "patient_approved")
            )
            == 1
        )
