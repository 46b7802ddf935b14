"""The kinds of value a clinic file holds, as pydantic types that refuse in the file's words.

Pydantic's own messages speak to programmers ("Input should be a valid integer"); a
clinic file is written by hand, often by a doctor's assistant, so these checks say
what to write instead. Constraints listed before a check are for the JSON Schema:
the check refuses first, in plain words.

YAML reads some unquoted values as something else: `13:00` becomes the number 780
and `+5215511111111` loses its plus. Those are refused with a hint to use quotes
rather than guessed at.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, Any

from babel.numbers import list_currencies
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from app.phones import InvalidPhoneNumber, to_e164

CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHORT_EMERGENCY_NUMBER = re.compile(r"\d{2,6}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Present in the tz database but not places: a practice must name where it is.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
MAX_PRICE = Decimal("99999999.99")  # NUMERIC(10, 2)
CENT = Decimal("0.01")
# The seed's numbering of weekdays (availability_rule.day_of_week).
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

Loc = tuple[str | int, ...]


class Problems(ValueError):
    """Several problems one check found, each at a path below the value it checked."""

    def __init__(self, found: list[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(message for _, message in found))
        self.found = found


def describe(value: object) -> str:
    """How a value of the wrong kind looks in a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a set of fields"
    return repr(value)


def text(max_length: int | None = None) -> Any:
    """Text (of at most `max_length` characters), surrounding spaces removed."""
    return Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True, max_length=max_length)
    ]


def whole_number(low: int, high: int, unit: str = "") -> Any:
    """A whole number from `low` to `high`; true/false, text and fractions are refused."""
    span = f"between {low} and {high}{' ' + unit if unit else ''}"

    def check(value: object) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number {span}, not {describe(value)}")
        if not low <= value <= high:
            raise ValueError(f"must be {span}, not {value}")
        return value

    return Annotated[int, Field(ge=low, le=high), BeforeValidator(check)]


def _weekday(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise ValueError(f"{describe(value)} is not a day (0 = Sunday ... 6 = Saturday)")
    return value


def _clock_time(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise ValueError(
            f'write the time in quotes ("{hours:02}:{minutes:02}"); '
            "without them YAML reads it as a number"
        )
    if not isinstance(value, str) or not (match := CLOCK_TIME.fullmatch(value.strip())):
        raise ValueError(
            f'must be a time like "09:00" or "16:30" (24-hour clock), not {describe(value)}'
        )
    return time(int(match[1]), int(match[2]))


def _calendar_date(value: object) -> date:
    # YAML reads an unquoted 2026-12-25 as a date already.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise ValueError(
            f'must be a date like "2026-12-25" (year-month-day), not {describe(value)}'
        )
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the calendar") from None


def _phone_number(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'write the number in quotes, with its plus sign: "+{value}"')
    if not isinstance(value, str):
        raise ValueError(f"must be a phone number like +5215511111111, not {describe(value)}")
    try:
        return to_e164(value)
    except InvalidPhoneNumber as error:
        raise ValueError(str(error)) from None


def _emergency_number(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f'write the number in quotes: "{value}"')
    if isinstance(value, str) and SHORT_EMERGENCY_NUMBER.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, str) and value.strip().startswith("+"):
        return _phone_number(value)
    raise ValueError(
        f'{value!r} must be a short emergency number of 2 to 6 digits (such as "911") '
        'or an international number (such as "+525555555555")'
    )


@cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - NOT_PLACES)


def _time_zone(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(
            f"must be a time zone name like America/Mexico_City, not {describe(value)}"
        )
    name = value.strip()
    if name in _known_time_zones():
        return name
    guesses = [zone for zone in _known_time_zones() if zone.casefold() == name.casefold()] or (
        difflib.get_close_matches(name, sorted(_known_time_zones()), n=1)
    )
    hint = f" (did you mean '{guesses[0]}'?)" if guesses else " (e.g. America/Mexico_City)"
    raise ValueError(f"unknown time zone {value!r}{hint}")


def _money(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"must be an amount like 500.00, not {describe(value)}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"must be an amount like 500.00 (digits only), not {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"must be an amount of 0 or more, not {value!r}")
    if amount > MAX_PRICE:
        raise ValueError(f"must be at most {MAX_PRICE}, not {value!r}")
    if amount != amount.quantize(CENT):
        raise ValueError(f"must have at most 2 decimals, not {value!r}")
    return amount


def _currency_code(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a currency code like MXN, not {describe(value)}")
    code = value.strip().upper()
    if code in list_currencies():
        return code
    # A word ("pesos") is not a misspelt code: only three letters get a guess.
    guesses = (
        difflib.get_close_matches(code, sorted(list_currencies()), n=1) if len(code) == 3 else []
    )
    hint = f" (did you mean '{guesses[0]}'?)" if guesses else " (e.g. MXN, USD, COP)"
    raise ValueError(f"unknown currency code {value!r}{hint}")


def _email_address(address: str) -> str:
    if not EMAIL.fullmatch(address):
        raise ValueError(f"{address!r} is not an e-mail address (name@example.com)")
    return address


# A day of the week in the seed's numbering, 0 = Sunday ... 6 = Saturday.
Weekday = Annotated[int, Field(ge=0, le=6), BeforeValidator(_weekday)]
# "HH:MM" on the 24-hour clock.
ClockTime = Annotated[time, BeforeValidator(_clock_time)]
# "YYYY-MM-DD".
CalendarDate = Annotated[date, BeforeValidator(_calendar_date)]
# International form (+52...), stored as canonical E.164.
PhoneNumber = Annotated[str, BeforeValidator(_phone_number)]
# A short number of 2-6 digits such as 911 (kept as written), or an international one.
EmergencyNumber = Annotated[str, BeforeValidator(_emergency_number)]
# An IANA name such as America/Mexico_City.
TimeZone = Annotated[str, BeforeValidator(_time_zone)]
# 0 or more, with at most two decimals: 500 or "500.00".
Money = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2), BeforeValidator(_money)]
EmailAddress = Annotated[text(255), AfterValidator(_email_address)]
# An ISO 4217 code such as MXN, in any case.
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), BeforeValidator(_currency_code)]
