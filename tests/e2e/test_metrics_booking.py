"""A booking through the webhook, then a scrape: the counters moved, and no label names anyone."""

from __future__ import annotations

import re

import pytest

from app import metrics
from app.config import Config
from tests.e2e.conftest import World
from tests.e2e.test_conversation import INTAKE, book, request_of
from tests.metrics_scrape import TOKEN, Scrape, scrape

pytestmark = pytest.mark.postgres

PHONE_LIKE = re.compile(r"[0-9]{7,}")
# The patient's name and reason for the visit, word by word ("de" would match job names).
WORDS = [word.lower() for word in (INTAKE[0] + " " + INTAKE[2]).split() if len(word) > 3]


@pytest.fixture
def config(database_url: str) -> Config:
    return Config(
        database_url=database_url,
        messaging_backend="console",
        environment="testing",
        metrics_token=TOKEN,
    )


def moved(before: Scrape, after: Scrape, name: str, **labels: str) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


def test_a_booking_and_its_approval_move_the_counters(world: World) -> None:
    client = world.app.test_client()
    before = scrape(client)
    patient, doctor = world.patient(), world.doctor()
    book(patient)
    code = request_of(world, patient.phone).code
    doctor.say(f"APROBAR {code}")
    assert world.run_jobs() >= 1  # the notifications' deliveries
    after = scrape(client)

    assert moved(before, after, "citabot_holds_total", event="created") == 1
    assert moved(before, after, "citabot_holds_total", event="approved") == 1
    assert moved(before, after, "citabot_holds_total", event="confirmed") == 0
    # The doctor's notification of the request and the patient's "approved".
    assert moved(before, after, "citabot_messages_total", direction="in", status="processed") >= 1
    assert moved(before, after, "citabot_messages_total", direction="out", status="queued") == 2
    assert moved(before, after, "citabot_messages_total", direction="out", status="sent") == 2
    assert moved(before, after, "citabot_deliveries_total", stage="attempt", error_code="none") == 2
    assert moved(before, after, "citabot_job_runs_total", job="deliver_message") >= 2
    assert moved(before, after, "citabot_job_failures_total", job="deliver_message") == 0


def test_no_label_carries_a_phone_number_or_a_name(world: World) -> None:
    patient = world.patient()
    book(patient)
    # Whatever a caller passes, labels stay in their small sets.
    metrics.observe_webhook(patient.phone, 0.01)
    metrics.message_in(INTAKE[0])
    metrics.message_out(f"failed for {patient.phone}")
    metrics.delivery("attempt", "21211 " + INTAKE[0])
    world.run_jobs()

    values = scrape(world.app.test_client()).label_values()
    assert "other" in values
    for value in values:
        assert not PHONE_LIKE.search(value), value
        assert patient.phone not in value and patient.phone.lstrip("+") not in value
        for word in WORDS:
            assert word not in value.lower(), value
