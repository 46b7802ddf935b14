"""Phone numbers: one canonical E.164 form for everything we store and compare."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

WHATSAPP_PREFIX = "whatsapp:"


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can write in international (E.164) form."""


# Every webhook parses its sender's and its practice's numbers; a few thousand
# numbers write to one process, and parsing one costs more than a database round trip.
@lru_cache(maxsize=8192)
def to_e164(raw: str) -> str:
    """Return `raw` as E.164 (``+5215511111111`` -> ``+525511111111``).

    Accepts spaces, dashes, brackets and a ``whatsapp:`` prefix. WhatsApp still
    writes Mexican mobiles with the ``1`` Mexico dropped in 2019, so both forms
    map to the same number and the doctor is recognised whichever one arrives.
    """
    text = raw.strip().removeprefix(WHATSAPP_PREFIX).strip()
    if not text.startswith("+"):
        raise InvalidPhoneNumber(f"{raw!r} is not in international format (e.g. +5215511111111)")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number") from error
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        number.national_number = int(national[1:])
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
