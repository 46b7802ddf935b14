"""The practice's figures from rows with known answers, and RESUMEN as the doctor reads it.

Dates are fixed (December 2026); nothing here reads the real clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.booking.figures import AppointmentRow, RequestRow, summarise
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


def test_a_scenario_with_known_answers() -> None:
    figures = summarise(SINCE, UNTIL, REQUESTS, APPOINTMENTS, 120, 24)
    assert (figures.requests, figures.approved, figures.rejected) == (10, 5, 1)
    assert (figures.expired, figures.withdrawn) == (2, 1)
    assert figures.approval_rate == 5 / 6
    assert figures.median_minutes_to_answer == 40  # of 10, 20, 30, 50, 90, 200
    assert (figures.appointments, figures.confirmed_attendance, figures.completed) == (5, 3, 3)
    assert (figures.no_shows, figures.no_show_rate) == (1, 0.25)
    assert (figures.cancellations, figures.late_cancellations) == (4, 1)
    assert figures.messages_per_booking == 12


def test_an_empty_period_has_counts_of_zero_and_no_rates() -> None:
    figures = summarise(SINCE, UNTIL, [], [], 0, 24)
    assert figures.requests == figures.appointments == figures.no_shows == 0
    assert figures.approval_rate is None and figures.no_show_rate is None
    assert figures.median_minutes_to_answer is None and figures.messages_per_booking is None
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
    ]


def test_summary_month_in_english_and_a_bad_period() -> None:
    services = doctor("en")
    [said] = answer_doctor("summary month", None, NOW, services)
    assert services.calls == [("figures", (UNTIL - timedelta(days=30), UNTIL))]
    body = text(said.key, "en", **said.values)
    assert "Approval: 83%; time to answer (median): 40 min" in body
    said = answer_doctor("RESUMEN año", None, NOW, doctor())
    assert said[0].key == "doctor.hint.bad_period" and not services.mutations
