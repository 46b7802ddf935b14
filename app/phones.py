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
def to_e164(raw: str, region: str | None = None) -> str:
    """Return `raw` as E.164 (``+5215511111111`` -> ``+525511111111``).

    Accepts spaces, dashes, brackets and a ``whatsapp:`` prefix. WhatsApp still
    writes Mexican mobiles with the ``1`` Mexico dropped in 2019, so both forms
    map to the same number and the doctor is recognised whichever one arrives.
    With a `region` (ISO country, e.g. "MX") a national number ("55 1234 5678")
    is read as that country's; without one only the international form is.
    """
    text = raw.strip().removeprefix(WHATSAPP_PREFIX).strip()
    if region is None and not text.startswith("+"):
        raise InvalidPhoneNumber(f"{raw!r} is not in international format (e.g. +5215511111111)")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number") from error
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        number.national_number = int(national[1:])
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    """The country (ISO code, e.g. "MX") of an E.164 number, if it has one."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
