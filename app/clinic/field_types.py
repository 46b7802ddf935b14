"""What each kind of value in a clinic file may be, as converters that raise `Invalid`.

YAML reads some unquoted values as something else: `13:00` becomes the number 780
and `+5215511111111` loses its plus. Those are refused with a hint to use quotes
rather than guessed at.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Collection, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache

from app.clinic.fields import Convert, Invalid
from app.phones import InvalidPhoneNumber, to_e164

CLOCK_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHORT_EMERGENCY_NUMBER = re.compile(r"\d{2,6}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Present in the tz database but not places: a practice must name where it is.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
MAX_PRICE = Decimal("99999999.99")  # NUMERIC(10, 2)
CENT = Decimal("0.01")


def text(max_length: int) -> Convert[str]:
    """Text of at most `max_length` characters, surrounding spaces removed."""

    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise Invalid(f"must be text, not {_describe(value)}")
        stripped = value.strip()
        if len(stripped) > max_length:
            raise Invalid(f"is {len(stripped)} characters long; at most {max_length} fit")
        return stripped

    return convert


def long_text(value: object) -> str:
    """Text of any length, such as a policy or a description."""
    if not isinstance(value, str):
        raise Invalid(f"must be text, not {_describe(value)}")
    return value.strip()


def whole_number(low: int, high: int, unit: str = "") -> Convert[int]:
    """A whole number between `low` and `high`; `true`/`false` and fractions are refused."""
    span = f"between {low} and {high}{' ' + unit if unit else ''}"

    def convert(value: object) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number {span}, not {_describe(value)}")
        if not low <= value <= high:
            raise Invalid(f"must be {span}, not {value}")
        return value

    return convert


def true_or_false(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {_describe(value)}")
    return value


def one_of(choices: Collection[str]) -> Convert[str]:
    """One of a few fixed words."""
    listed = ", ".join(f"'{choice}'" for choice in choices)

    def convert(value: object) -> str:
        if value not in choices:
            raise Invalid(f"must be one of {listed}, not {_describe(value)}")
        return str(value)

    return convert


def a_list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise Invalid(f"must be a list, not {_describe(value)}")
    return value


def a_mapping(value: object) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise Invalid(f"must be a set of fields (key: value), not {_describe(value)}")
    return value


def weekday(value: object) -> int:
    """A day of the week in the seed's numbering."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise Invalid(f"{_describe(value)} is not a day (0 = Sunday ... 6 = Saturday)")
    return value


def clock_time(value: object) -> time:
    """A wall-clock time written "HH:MM" on the 24-hour clock."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        hours, minutes = divmod(value, 60)
        raise Invalid(
            f'write the time in quotes ("{hours:02}:{minutes:02}"); '
            "without them YAML reads it as a number"
        )
    if not isinstance(value, str) or not (match := CLOCK_TIME.fullmatch(value.strip())):
        raise Invalid(
            f'must be a time like "09:00" or "16:30" (24-hour clock), not {_describe(value)}'
        )
    return time(int(match[1]), int(match[2]))


def calendar_date(value: object) -> date:
    """A date written "YYYY-MM-DD" (YAML may already have read it as a date)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise Invalid(f'must be a date like "2026-12-25" (year-month-day), not {_describe(value)}')
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{value!r} is not a date in the calendar") from None


def phone_number(value: object) -> str:
    """A phone number in international form, stored as canonical E.164."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(f'write the number in quotes, with its plus sign: "+{value}"')
    if not isinstance(value, str):
        raise Invalid(f"must be a phone number like +5215511111111, not {_describe(value)}")
    try:
        return to_e164(value)
    except InvalidPhoneNumber as error:
        raise Invalid(str(error)) from None


def emergency_number(value: object) -> str:
    """A short emergency number such as 911 (kept as written), or an international number."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid(f'write the number in quotes: "{value}"')
    if isinstance(value, str) and SHORT_EMERGENCY_NUMBER.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, str) and value.strip().startswith("+"):
        return phone_number(value)
    raise Invalid(
        f'{value!r} must be a short emergency number of 2 to 6 digits (such as "911") '
        'or an international number (such as "+525555555555")'
    )


def time_zone(value: object) -> str:
    """An IANA time zone name such as America/Mexico_City."""
    if not isinstance(value, str):
        raise Invalid(f"must be a time zone name like America/Mexico_City, not {_describe(value)}")
    name = value.strip()
    if name in _known_time_zones():
        return name
    guesses = [z for z in _known_time_zones() if z.casefold() == name.casefold()] or (
        difflib.get_close_matches(name, sorted(_known_time_zones()), n=1)
    )
    hint = f" (did you mean '{guesses[0]}'?)" if guesses else " (e.g. America/Mexico_City)"
    raise Invalid(f"unknown time zone {value!r}{hint}")


def money(value: object) -> Decimal:
    """An amount of at least zero with at most two decimals, written as a number or text."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid(f"must be an amount like 500.00, not {_describe(value)}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(f"must be an amount like 500.00 (digits only), not {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise Invalid(f"must be an amount of 0 or more, not {value!r}")
    if amount > MAX_PRICE:
        raise Invalid(f"must be at most {MAX_PRICE}, not {value!r}")
    if amount != amount.quantize(CENT):
        raise Invalid(f"must have at most 2 decimals, not {value!r}")
    return amount


def email_address(value: object) -> str:
    address = text(255)(value)
    if not EMAIL.fullmatch(address):
        raise Invalid(f"{address!r} is not an e-mail address (name@example.com)")
    return address


@cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - NOT_PLACES)


def _describe(value: object) -> str:
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
