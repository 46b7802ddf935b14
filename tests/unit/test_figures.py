"""The practice's figures from rows with known answers, and RESUMEN as the doctor reads it.

Dates are fixed (December 2026); nothing here reads the real clock.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.booking.figures import AppointmentRow, OfferRow, RequestRow, refills_of, summarise
from bot_flows.doctor import answer_doctor
from bot_flows.texts import text
from tests.unit.fake_doctor_services import FakeDoctorServices
from tests.unit.fake_patient_services import PRACTICE

SINCE = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
UNTIL = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 09:00 in Mexico City
DAY = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)


def asked(status: str, minutes: float | None = None) -> RequestRow:
    answered = DAY + timedelta(minutes=minutes) if minutes is not None else None
    return RequestRow(status, DAY, answered)


def booked(
    status: str = "confirmed",
    *,
    confirmed: bool = False,
    by: str | None = None,
    hours_before: float | None = None,
) -> AppointmentRow:
    start = DAY + timedelta(days=1)
    cancelled_at = start - timedelta(hours=hours_before) if hours_before is not None else None
    return AppointmentRow(status, start, DAY if confirmed else None, by, cancelled_at)


# Ten requests and nine appointments whose figures are worked out by hand below.
REQUESTS = [
    asked("approved", 10), asked("approved", 30), asked("approved", 50), asked("approved", 90),
    asked("rejected", 20), asked("expired"), asked("expired"), asked("cancelled"),
    asked("pending"), asked("approved", 200),
]  # fmt: skip
APPOINTMENTS = [
    booked("completed", confirmed=True), booked("completed", confirmed=True),
    booked("completed"), booked("no_show"), booked("confirmed", confirmed=True),
    booked("cancelled", by="patient", hours_before=3),  # late: inside 24 h
    booked("cancelled", by="patient", hours_before=48),  # in time
    booked("cancelled", by="doctor", hours_before=1),  # the doctor's: never late
    booked("cancelled", by=None, hours_before=1),  # before who cancelled was recorded
]  # fmt: skip


def offered(slot: uuid.UUID, status: str, made: float, closed: float) -> OfferRow:
    """An offer of `slot` made and closed (answered, lapsed, gone) that many minutes after DAY."""
    return OfferRow(slot, status, DAY + timedelta(minutes=made), DAY + timedelta(minutes=closed))


FIRST, SECOND, THIRD = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)
# Three places refilled in 12, 5 and 20 minutes (median 12), and one never taken.
OFFERS = [
    offered(FIRST, "declined", 0, 5),  # freed at 0; the decline offers it to the next ones
    offered(FIRST, "accepted", 5, 12),  # refilled 12 minutes after it was freed
    offered(FIRST, "gone", 5, 12),
    offered(FIRST, "accepted", 60, 65),  # cancelled later and offered again: 5 minutes
    offered(SECOND, "expired", 30, 46),
    offered(SECOND, "accepted", 46, 50),  # 20 minutes after its first offer
    offered(SECOND, "gone", 46, 50),
    offered(THIRD, "open", 70, 70),  # nobody has taken it yet: not a refill
]


def test_a_refill_counts_from_the_first_offer_of_its_round() -> None:
    refills = sorted(refills_of(OFFERS), key=lambda row: row.freed_at)
    minutes = [(row.freed_at - DAY, row.refilled_at - DAY) for row in refills]
    assert minutes == [
        (timedelta(minutes=0), timedelta(minutes=12)),
        (timedelta(minutes=30), timedelta(minutes=50)),
        (timedelta(minutes=60), timedelta(minutes=65)),
    ]


def test_a_scenario_with_known_answers() -> None:
    figures = summarise(SINCE, UNTIL, REQUESTS, APPOINTMENTS, 120, 24, refills_of(OFFERS))
    assert (figures.requests, figures.approved, figures.rejected) == (10, 5, 1)
    assert (figures.expired, figures.withdrawn) == (2, 1)
    assert figures.approval_rate == 5 / 6
    assert figures.median_minutes_to_answer == 40  # of 10, 20, 30, 50, 90, 200
    assert (figures.appointments, figures.confirmed_attendance, figures.completed) == (5, 3, 3)
    assert (figures.no_shows, figures.no_show_rate) == (1, 0.25)
    assert (figures.cancellations, figures.late_cancellations) == (4, 1)
    assert figures.messages_per_booking == 12
    assert (figures.refilled_from_waitlist, figures.median_minutes_to_refill) == (3, 12)
    row = figures.as_row()
    assert (row["refilled_from_waitlist"], row["median_minutes_to_refill"]) == (3, 12)


def test_an_empty_period_has_counts_of_zero_and_no_rates() -> None:
    figures = summarise(SINCE, UNTIL, [], [], 0, 24)
    assert figures.requests == figures.appointments == figures.no_shows == 0
    assert figures.approval_rate is None and figures.no_show_rate is None
    assert figures.median_minutes_to_answer is None and figures.messages_per_booking is None
    assert figures.refilled_from_waitlist == 0 and figures.median_minutes_to_refill is None
    assert figures.as_row()["since"] == "2026-11-25T06:00:00+00:00"


@given(st.lists(st.sampled_from(["approved", "rejected", "expired", "cancelled", "pending"])))
def test_the_request_counts_add_up(statuses: list[str]) -> None:
    figures = summarise(SINCE, UNTIL, [asked(s, 5) for s in statuses], [], 0, 24)
    pending = statuses.count("pending")
    parts = figures.approved + figures.rejected + figures.expired + figures.withdrawn
    assert parts + pending == figures.requests == len(statuses)
    if figures.approval_rate is not None:
        assert 0 <= figures.approval_rate <= 1


def doctor(language: str = "es") -> FakeDoctorServices:
    services = FakeDoctorServices(replace(PRACTICE, language=language), NOW)
    services.request_rows, services.appointment_rows = REQUESTS, APPOINTMENTS
    services.refill_rows = refills_of(OFFERS)
    services.messages = 120
    return services


def test_resumen_shows_the_week_to_the_doctor() -> None:
    services = doctor()
    [said] = answer_doctor("RESUMEN", None, NOW, services)
    body = text(said.key, "es", **said.values)
    # The last seven days where the practice is (Mexico City), today included.
    assert services.calls == [("figures", (SINCE, UNTIL))]
    assert body.splitlines() == [
        "📊 Resumen del 25 nov al 1 dic:",
        "• Solicitudes: 10 (aprobadas 5, rechazadas 1, vencidas sin respuesta 2, retiradas 1)",
        "• Aprobación: 83\xa0%; tiempo de respuesta (mediana): 40 min",
        "• Citas: 5 (confirmaron asistencia 3, completadas 3)",
        "• Inasistencias: 1 (25\xa0%)",
        "• Cancelaciones: 4 (con poca anticipación 1)",
        "• Mensajes por solicitud: 12",
        "• Lugares liberados que ocupó la lista de espera: 3; "
        "tiempo en ocuparlos (mediana): 12 min",
    ]


def test_summary_month_in_english_and_a_bad_period() -> None:
    services = doctor("en")
    [said] = answer_doctor("summary month", None, NOW, services)
    assert services.calls == [("figures", (UNTIL - timedelta(days=30), UNTIL))]
    body = text(said.key, "en", **said.values)
    assert "Approval: 83%; time to answer (median): 40 min" in body
    assert body.endswith("Places refilled from the waitlist: 3; time to refill (median): 12 min")
    said = answer_doctor("RESUMEN año", None, NOW, doctor())
    assert said[0].key == "doctor.hint.bad_period" and not services.mutations
