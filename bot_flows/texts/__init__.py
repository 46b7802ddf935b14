"""Every sentence a user sees and every word the bot recognises, per language (Spanish first).

Dates and times are written by Babel in the practice's time zone and the reader's
language, so "martes 1 de diciembre, 10:30" and "Tuesday, December 1, 10:30 AM"
come from the same instant.

What the bot recognises is read in every language at once (`recognised`): a
Spanish speaker's "help" and an English speaker's "ayuda" both work.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, format_date, parse_pattern
from babel.numbers import format_currency

from app.booking.notifications import Notification
from bot_flows.texts import en, es
from bot_flows.texts.grammar import DOCTOR_PLACEHOLDERS, doctor_phrases

CATALOGUES: dict[str, dict[str, str]] = {"es": es.TEXTS, "en": en.TEXTS}
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {"es": es.WORDS, "en": en.WORDS}
RED_FLAG_PATTERNS: dict[str, dict[str, tuple[str, ...]]] = {"es": es.PATTERNS, "en": en.PATTERNS}
DEFAULT_LANGUAGE = "es"
WHEN_FORMAT = {"es": "EEEE d 'de' MMMM, HH:mm", "en": "EEEE, MMMM d, h:mm a"}
TIME_FORMAT = {"es": "HH:mm", "en": "h:mm a"}
DAY_FORMAT = {"es": "EEEE d 'de' MMMM", "en": "EEEE, MMMM d"}


def text(key: str, language: str, **values: Any) -> str:
    """The sentence `key` in `language` (falling back to Spanish), filled with `values`."""
    return _template(key, language).format(**values)


@cache
def recognised(key: str) -> frozenset[str]:
    """The words meaning `key` in any language, folded; worked out once, read on every message."""
    return frozenset(word for words in VOCABULARIES.values() for word in words[key])


def red_flag_pattern(key: str) -> re.Pattern[str]:
    """Any language's patterns for the emergency sign `key`, matched as whole words.

    Compiling takes a while: call it once, when the module that checks messages loads.
    """
    patterns = dict.fromkeys(p for table in RED_FLAG_PATTERNS.values() for p in table[key])
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


def when(instant: datetime, timezone: str, language: str) -> str:
    """A local date and time a patient reads at a glance."""
    return _format(instant, timezone, language, WHEN_FORMAT)


def day_name(day: date, language: str) -> str:
    """A local date as a heading: "martes 1 de diciembre", "Tuesday, December 1"."""
    return format_date(day, DAY_FORMAT.get(language, DAY_FORMAT[DEFAULT_LANGUAGE]), locale=language)


def clock_time(instant: datetime, timezone: str, language: str) -> str:
    """A local time of day, e.g. the deadline of a hold."""
    return _format(instant, timezone, language, TIME_FORMAT)


def doctor_values(name: str, title: str | None, gender: str, language: str) -> dict[str, str]:
    """The placeholders that name the doctor ("de la Dra. Ana López"...), in `language`."""
    return doctor_phrases(name, title, gender, lambda key: text(key, language))


def money(amount: Decimal, currency: str, language: str) -> str:
    """A price as the patient reads it: "$500.00" (MXN in Spanish), "MX$500.00" in English.

    The currency's country (its code's first two letters) picks the local way of
    writing it where the language has one: es_MX, es_CO, en_US.
    """
    return format_currency(amount, currency, locale=_money_locale(language, currency))


def appointment_details(
    language: str,
    address: str | None,
    price: str | None,
    policy: str | None,
    calendar: str | None = None,
) -> str:
    """The lines a confirmation ends with, each only when set (`calendar`: a file's link)."""
    named = (("address", address), ("price", price), ("policy", policy), ("calendar", calendar))
    lines = [text(f"details.{name}", language, **{name: value}) for name, value in named if value]
    return "".join(f"\n{line}" for line in lines)


def render_notification(notification: Notification) -> str:
    """The body of an outbound notification, from its purpose and facts.

    Only the values the sentence uses are computed: the expiry sweep renders
    thousands of notifications at once, and dates are the costly part.
    """
    key = f"notification.{notification.purpose}"
    facts, lang = notification.facts, notification.language
    values = {
        name: DERIVED[name](facts, lang) if name in DERIVED else _plain(facts.get(name))
        for name in _placeholders(key, lang)
    }
    return _template(key, lang).format(**values)


def _local(field: str, formats: dict[str, str]) -> Callable[[Mapping[str, Any], str], str]:
    def derive(facts: Mapping[str, Any], lang: str) -> str:
        instant = facts[field]
        if not isinstance(instant, datetime):
            instant = datetime.fromisoformat(str(instant))
        return _format(instant, str(facts["timezone"]), lang, formats)

    return derive


def _age(facts: Mapping[str, Any], lang: str) -> str:
    age = facts.get("age")
    return text("age", lang, age=age) if age is not None else text("age_unknown", lang)


def _reason_text(facts: Mapping[str, Any], lang: str) -> str:
    reason = facts.get("rejection_reason")
    return text("reason_text", lang, reason=reason) if reason else ""


def _patient_label(facts: Mapping[str, Any], lang: str) -> str:
    """ "Juan Ruiz (+52...)", or only the phone when the patient never gave a name."""
    name, phone = facts.get("patient_name"), facts.get("phone") or ""
    return text("patient_label", lang, patient_name=name, phone=phone) if name else phone


def _alternatives(facts: Mapping[str, Any], lang: str) -> str:
    """Other free times: numbered when the patient's next message can pick one ("rebook")."""
    starts = facts.get("alternatives") or []
    if not starts:
        return text("alternatives_none", lang)
    zone = str(facts["timezone"])
    numbered = bool(facts.get("rebook"))
    times = "\n".join(
        f"{f'{number}.' if numbered else '•'} "
        f"{_format(datetime.fromisoformat(start), zone, lang, WHEN_FORMAT)}"
        for number, start in enumerate(starts, start=1)
    )
    return text("alternatives_numbered" if numbered else "alternatives", lang, times=times)


def _doctor(placeholder: str) -> Callable[[Mapping[str, Any], str], str]:
    def derive(facts: Mapping[str, Any], lang: str) -> str:
        # Notifications queued before the doctor's title and gender were facts have neither.
        name, title = str(facts.get("doctor") or ""), facts.get("doctor_title")
        return doctor_values(name, title, facts.get("doctor_gender") or "x", lang)[placeholder]

    return derive


def _details(facts: Mapping[str, Any], lang: str) -> str:
    price, currency = facts.get("price"), facts.get("currency")
    shown = money(Decimal(str(price)), str(currency), lang) if price and currency else None
    return appointment_details(
        lang, facts.get("address"), shown, facts.get("policy"), facts.get("calendar_link")
    )


def _agenda_day(facts: Mapping[str, Any], lang: str) -> str:
    """The morning agenda's day, written as AGENDA writes it ("jueves, 3 de diciembre de 2026")."""
    return format_date(date.fromisoformat(str(facts["day"])), "full", locale=lang)


def _agenda_lines(facts: Mapping[str, Any], lang: str) -> str:
    """The morning agenda's bookings as AGENDA lists them: who said they will come is marked."""
    zone = str(facts["timezone"])
    return "\n".join(
        text(
            "doctor.booking_line",
            lang,
            time=_format(datetime.fromisoformat(booking["start"]), zone, lang, TIME_FORMAT),
            code=booking["code"],
            patient_name=booking["patient_name"],
            service=booking["service"],
            status=text(f"doctor.status.{booking['status']}", lang),
            urgent_mark=" ‼️" if booking.get("urgency") == "urgent" else "",
        )
        for booking in facts.get("bookings") or ()
    )


def _agenda_attending(facts: Mapping[str, Any], lang: str) -> str:
    """How many of the day's appointments the patient said they will come to; none: nothing."""
    statuses = [booking["status"] for booking in facts.get("bookings") or ()]
    appointments = sum(status in ("confirmed", "attending") for status in statuses)
    if not appointments:
        return ""
    attending = statuses.count("attending")
    return text("agenda.attending", lang, attending=attending, appointments=appointments)


DERIVED: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    **{name: _doctor(name) for name in DOCTOR_PLACEHOLDERS},
    "details": _details,
    "alternatives_text": _alternatives,
    "when": _local("start", WHEN_FORMAT),
    "old_when": _local("old_start", WHEN_FORMAT),
    "deadline": _local("deadline", TIME_FORMAT),
    "age_text": _age,
    "reason": lambda facts, lang: facts.get("reason") or text("not_given", lang),
    "reason_text": _reason_text,
    "urgency_text": lambda facts, lang: text(f"urgency.{facts.get('urgency') or 'normal'}", lang),
    "urgent_mark": lambda facts, _: " ‼️" if facts.get("urgency") == "urgent" else "",
    "urgent_text": lambda facts, lang: text("forward_urgent", lang) if facts.get("urgent") else "",
    "patient_label": _patient_label,
    "agenda_day": _agenda_day,
    "agenda_lines": _agenda_lines,
    "agenda_attending": _agenda_attending,
}


def _plain(value: object) -> object:
    return "" if value is None else value


@cache
def _template(key: str, language: str) -> str:
    catalogue = CATALOGUES.get(language, CATALOGUES[DEFAULT_LANGUAGE])
    found = catalogue.get(key)  # may be "" on purpose: English has no article
    return found if found is not None else CATALOGUES[DEFAULT_LANGUAGE][key]


@cache
def _placeholders(key: str, language: str) -> frozenset[str]:
    parsed = string.Formatter().parse(_template(key, language))
    return frozenset(name for _, name, _, _ in parsed if name)


@cache
def _pattern(language: str, formats: tuple[tuple[str, str], ...]) -> tuple[DateTimePattern, Locale]:
    table = dict(formats)
    return parse_pattern(table.get(language, table[DEFAULT_LANGUAGE])), Locale.parse(language)


def _format(instant: datetime, timezone: str, language: str, formats: dict[str, str]) -> str:
    return _formatted(instant, timezone, language, tuple(formats.items()))


@lru_cache(maxsize=8192)
def _formatted(
    instant: datetime, timezone: str, language: str, formats: tuple[tuple[str, str], ...]
) -> str:
    # Babel takes tens of microseconds a date; a sweep writes the same hours over and
    # over (every practice opens at 09:00), so each is written once.
    pattern, locale = _pattern(language, formats)
    return pattern.apply(instant.astimezone(_zone(timezone)), locale)


@cache
def _money_locale(language: str, currency: str) -> Locale:
    try:
        return Locale.parse(f"{language}_{currency[:2]}")
    except UnknownLocaleError:
        return Locale.parse(language)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def template_value(name: str, facts: Mapping[str, Any], language: str) -> str:
    """One variable of a WhatsApp template, written from a notification's facts."""
    derive = DERIVED.get(name)
    value = derive(facts, language) if derive else facts.get(name)
    # WhatsApp refuses empty variables and ones with line breaks or runs of spaces.
    flat = " ".join(str(value if value is not None else "").split())
    return flat or text("not_given", language)
