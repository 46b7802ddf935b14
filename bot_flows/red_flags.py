"""Words that mean "call the emergency number now", in Spanish and English.

A pure function over folded text (lower case, no accents, no punctuation), so
"Dolor de PECHO", "dolor de pecho" and "dolor de pécho!!" read alike. It errs on
the side of safety: a patient who writes "no tengo dolor de pecho" is still told
to call for help (negations are not read: "no tengo dolor de pecho, solo tos" and
"ya no tengo dolor de pecho" are too close to the real thing to risk silence), and
"tuve un infarto hace años" in a medical history makes the request urgent for the
doctor to judge. It never diagnoses and never advises; the flow only shows the
emergency number and marks the request urgent for the doctor.

The patterns live in each language's catalogue (`bot_flows/texts/*/words.py`),
with common misspellings written in where it is cheap ("desmallo", "corason",
"inconsiente", "toraxico"); they are matched as whole words only, so "matricular"
never reads as "matar".
"""

from __future__ import annotations

from enum import StrEnum

from bot_flows.engine import fold
from bot_flows.texts import red_flag_pattern


class RedFlag(StrEnum):
    CHEST_PAIN = "chest_pain"
    BREATHING = "breathing"
    BLEEDING = "bleeding"
    UNCONSCIOUS = "unconscious"
    STROKE = "stroke"
    SUICIDE = "suicide"


# Each sign's patterns, every language's at once; checked in this order.
_COMPILED = {flag: red_flag_pattern(f"red_flag.{flag.value}") for flag in RedFlag}


def red_flag(text: str) -> RedFlag | None:
    """The first emergency sign the message mentions, if any."""
    words = fold(text)
    for flag, pattern in _COMPILED.items():
        if pattern.search(words):
            return flag
    return None
