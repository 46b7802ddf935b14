"""When a practice must answer a patient's data-rights request, by its country's law.

Pure functions over values: no database, no clock. Working days skip Saturdays and
Sundays only; public holidays differ by region and are left to the practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.phones import region_of


class Kind(StrEnum):
    """What the patient asked for."""

    ACCESS = "access"
    CORRECTION = "correction"
    WITHDRAWAL = "withdrawal"
    ERASURE = "erasure"


@dataclass(frozen=True)
class Term:
    days: int
    working: bool  # True: Saturdays and Sundays do not count


K = Kind
# Each country's term per kind of request.
# - MX, LFPDPPP art. 32: the controller answers an ARCO request (access, rectification,
#   cancellation, opposition) or a revocation within 20 (working) days.
# - BR, LGPD art. 19 II: a complete statement within 15 days of the request; the same term
#   is applied to correction, deletion and revocation (art. 18).
# - CO, Ley 1581 de 2012: queries (consultas, art. 14) within 10 working days; claims
#   (reclamos, art. 15: correction, deletion, revocation) within 15 working days.
# - AR, Ley 25.326: access within 10 calendar days (art. 14.2); rectification, suppression
#   (and so a withdrawal) within 5 working days (art. 16.2).
TERMS: dict[str, dict[Kind, Term]] = {
    "MX": dict.fromkeys(K, Term(20, working=True)),
    "BR": dict.fromkeys(K, Term(15, working=False)),
    "CO": {
        K.ACCESS: Term(10, working=True),
        K.CORRECTION: Term(15, working=True),
        K.WITHDRAWAL: Term(15, working=True),
        K.ERASURE: Term(15, working=True),
    },
    "AR": {
        K.ACCESS: Term(10, working=False),
        K.CORRECTION: Term(5, working=True),
        K.WITHDRAWAL: Term(5, working=True),
        K.ERASURE: Term(5, working=True),
    },
}
# Time zones of the countries above, for a practice without a WhatsApp number on file.
ZONE_COUNTRY = {
    "America/Mexico_City": "MX", "America/Cancun": "MX", "America/Merida": "MX",
    "America/Monterrey": "MX", "America/Matamoros": "MX", "America/Chihuahua": "MX",
    "America/Ciudad_Juarez": "MX", "America/Ojinaga": "MX", "America/Mazatlan": "MX",
    "America/Bahia_Banderas": "MX", "America/Hermosillo": "MX", "America/Tijuana": "MX",
    "America/Bogota": "CO",
    "America/Sao_Paulo": "BR", "America/Bahia": "BR", "America/Fortaleza": "BR",
    "America/Recife": "BR", "America/Belem": "BR", "America/Manaus": "BR",
    "America/Cuiaba": "BR", "America/Campo_Grande": "BR", "America/Porto_Velho": "BR",
    "America/Rio_Branco": "BR", "America/Boa_Vista": "BR", "America/Maceio": "BR",
    "America/Araguaina": "BR", "America/Santarem": "BR", "America/Noronha": "BR",
}  # fmt: skip


def country_of(whatsapp_number: str | None, timezone: str) -> str | None:
    """The practice's country: its WhatsApp number's where the table knows it, else its
    time zone's (a practice in Mexico may write from a US Twilio number), else the
    number's; None if unknown."""
    region = region_of(whatsapp_number) if whatsapp_number else None
    if region in TERMS:
        return region
    if timezone.startswith("America/Argentina/") or timezone == "America/Buenos_Aires":
        return "AR"
    return ZONE_COUNTRY.get(timezone, region)


def term_for(country: str | None, kind: Kind) -> Term:
    """The law's term; a country without one in the table gets the shortest of any, so the
    practice is never late by its own law."""
    if country in TERMS:
        return TERMS[country][kind]
    return min((terms[kind] for terms in TERMS.values()), key=lambda t: _span(t))


def due_at(country: str | None, kind: Kind | str, requested_at: datetime) -> datetime:
    """When the answer to a request made at `requested_at` is due (same time of day)."""
    term = term_for(country, Kind(kind))
    if not term.working:
        return requested_at + timedelta(days=term.days)
    due, left = requested_at, term.days
    while left:
        due += timedelta(days=1)
        if due.weekday() < 5:
            left -= 1
    return due


def _span(term: Term) -> float:
    """Calendar days a term lasts at most (5 working days are 7 calendar days)."""
    return term.days * 7 / 5 if term.working else term.days


# How long each country's law has a practice keep a patient's clinical record, in years
# from the visit; an erasure request cannot shorten it (the record is blocked instead).
# - MX, NOM-004-SSA3-2012 (el expediente clínico), 5.4: at least 5 years from the last act.
# - BR, Lei 13.787/2018 art. 6: 20 years from the last entry in the record.
# - CO, Resolución 839 de 2017 art. 1: 15 years from the last attention.
# - AR, Ley 26.529 art. 18: at least 10 years from the last entry.
CLINICAL_RECORD_YEARS = {"MX": 5, "BR": 20, "CO": 15, "AR": 10}


def clinical_record_years(country: str | None, chosen: int | None = None) -> int:
    """The years a record is kept: the practice's choice, else its country's law. A country
    not in the table gets the longest: a record erased too soon cannot be brought back,
    one blocked too long can still be erased."""
    if chosen is not None:
        return chosen
    return CLINICAL_RECORD_YEARS.get(country or "", max(CLINICAL_RECORD_YEARS.values()))
