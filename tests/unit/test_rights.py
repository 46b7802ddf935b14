"""The legal deadlines of data-rights requests, as a table; and open requests in PENDIENTES."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.rights.deadlines import Kind, country_of, due_at
from app.rights.register import masked
from bot_flows.ports import OpenRightsRequest
from tests.unit.test_doctor_commands import ask, make_services, services_with_request

K = Kind
FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("country", "kind", "asked", "due"),
    [
        # Mexico, LFPDPPP: 20 working days for every kind.
        ("MX", K.ACCESS, MONDAY, datetime(2027, 1, 4, 10, 0, tzinfo=UTC)),
        ("MX", K.ERASURE, FRIDAY, datetime(2027, 1, 1, 10, 0, tzinfo=UTC)),
        # Brazil, LGPD: 15 calendar days.
        ("BR", K.ACCESS, FRIDAY, datetime(2026, 12, 19, 10, 0, tzinfo=UTC)),
        ("BR", K.WITHDRAWAL, MONDAY, datetime(2026, 12, 22, 10, 0, tzinfo=UTC)),
        # Colombia, Ley 1581: queries 10 working days, claims 15.
        ("CO", K.ACCESS, MONDAY, datetime(2026, 12, 21, 10, 0, tzinfo=UTC)),
        ("CO", K.CORRECTION, MONDAY, datetime(2026, 12, 28, 10, 0, tzinfo=UTC)),
        ("CO", K.ERASURE, FRIDAY, datetime(2026, 12, 25, 10, 0, tzinfo=UTC)),
        # Argentina, Ley 25.326: access 10 calendar days, correction or deletion 5 working.
        ("AR", K.ACCESS, FRIDAY, datetime(2026, 12, 14, 10, 0, tzinfo=UTC)),
        ("AR", K.CORRECTION, FRIDAY, datetime(2026, 12, 11, 10, 0, tzinfo=UTC)),
        ("AR", K.ERASURE, MONDAY, datetime(2026, 12, 14, 10, 0, tzinfo=UTC)),
        # A country without a term in the table: the shortest of any (AR's 5 working days).
        ("PE", K.ERASURE, MONDAY, datetime(2026, 12, 14, 10, 0, tzinfo=UTC)),
        (None, K.ACCESS, MONDAY, datetime(2026, 12, 17, 10, 0, tzinfo=UTC)),
    ],
)
def test_the_deadline_follows_the_countrys_law(
    country: str | None, kind: Kind, asked: datetime, due: datetime
) -> None:
    assert due_at(country, kind, asked) == due


def test_working_days_skip_the_weekend_even_when_asked_on_one() -> None:
    saturday = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    assert due_at("AR", K.ERASURE, saturday) == datetime(2026, 12, 11, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("number", "zone", "country"),
    [
        ("+525511112222", "America/Mexico_City", "MX"),
        ("+5511987654321", "America/Mexico_City", "BR"),  # the number wins over the zone
        (None, "America/Bogota", "CO"),
        (None, "America/Argentina/Buenos_Aires", "AR"),
        (None, "America/Sao_Paulo", "BR"),
        (None, "Europe/Madrid", None),
        # A US Twilio number (the sandbox's) at a practice in Mexico: the zone says where.
        ("+14155238886", "America/Mexico_City", "MX"),
        ("+14155238886", "America/New_York", "US"),
    ],
)
def test_the_country_comes_from_the_number_then_the_zone(
    number: str | None, zone: str, country: str | None
) -> None:
    assert country_of(number, zone) == country


def test_phones_are_masked_to_their_last_four_digits() -> None:
    assert masked("+525512345678") == "*********5678"


def test_pendientes_lists_open_rights_requests_after_the_booking_requests() -> None:
    services = services_with_request()
    services.rights.append(
        OpenRightsRequest(
            "erasure", "+525512345678", datetime(2026, 12, 1, 16, 0, tzinfo=UTC),
            datetime(2026, 12, 29, 16, 0, tzinfo=UTC),
        )
    )  # fmt: skip
    reply = ask(services, "PENDIENTES")
    assert reply.keys == ["doctor.pending", "doctor.rights.pending"]
    assert "borrado — +525512345678" in reply.body


def test_pendientes_with_only_rights_requests_lists_them() -> None:
    services = make_services()
    services.rights.append(
        OpenRightsRequest(
            "erasure", "+525512345678", datetime(2026, 12, 1, 16, 0, tzinfo=UTC),
            datetime(2026, 12, 29, 16, 0, tzinfo=UTC),
        )
    )  # fmt: skip
    assert ask(services, "PENDIENTES").keys == ["doctor.rights.pending"]
    assert ask(make_services(), "PENDIENTES").keys == ["doctor.nothing_pending"]
