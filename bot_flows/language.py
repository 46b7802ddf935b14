"""Which language a patient writes in: their words first, their number's country second.

Each language's telling words are in its catalogue (`language.detect.<language>` in
bot_flows/texts/*/words.py): words that one language uses and the other does not.
A message is scored by how many of them it holds, as whole folded words or
phrases; the higher score wins, and a tie (often 0 to 0: "ok", "1", "👋", a name)
says nothing. So "hi" is English from any country, "hola" Spanish from any.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.phones import region_of
from bot_flows.engine import fold
from bot_flows.texts import CATALOGUES, recognised

# "english", "en español": the patient names the language they want.
LANGUAGE_WORDS = {
    word: language for language in CATALOGUES for word in recognised(f"language.{language}")
}
TELLING = {language: recognised(f"language.detect.{language}") for language in CATALOGUES}
# Where a number's country breaks a tie: the language most of its people write.
COUNTRY_LANGUAGES = {
    "en": ("US", "CA", "GB", "IE", "AU", "NZ"),
    "es": (
        "MX", "CO", "AR", "CL", "PE", "VE", "EC", "GT", "CU", "BO", "DO", "HN", "PY", "SV",
        "NI", "CR", "PA", "UY", "PR", "ES",
    ),
}  # fmt: skip
BY_COUNTRY = {
    region: language for language, regions in COUNTRY_LANGUAGES.items() for region in regions
}


@dataclass(frozen=True)
class Opening:
    """The language a new conversation starts in, and the other one to offer, if any."""

    language: str
    offer: str | None


def scores(text: str) -> dict[str, int]:
    """How many telling words of each language `text` holds."""
    padded = f" {fold(text)} "
    return {
        language: sum(f" {word} " in padded for word in words)
        for language, words in TELLING.items()
    }


def written_in(text: str) -> str | None:
    """The language `text` holds more telling words of; None on a tie."""
    ranked = sorted(scores(text).items(), key=lambda item: item[1], reverse=True)
    (first, best), (_, second) = ranked[0], ranked[1]
    return first if best > second else None


def clearly_written_in(text: str) -> str | None:
    """A sentence's language: two telling words or more of it, none of the other.

    Mid-conversation a single word ("ok", "no", "thanks") or a name proves nothing.
    """
    counted = scores(text)
    found = [language for language, count in counted.items() if count]
    if len(found) == 1 and counted[found[0]] >= 2:
        return found[0]
    return None


def opening(text: str, phone: str, practice_language: str) -> Opening:
    """The first message's language, else the number's country's, else the practice's.

    The other language is offered whenever the practice or the country would have
    chosen it (a +1 number writing "hola" is offered English), unless the message
    named the language it wants.
    """
    named = LANGUAGE_WORDS.get(fold(text))
    if named is not None:
        return Opening(named, None)
    country = BY_COUNTRY.get(region_of(phone) or "")
    language = written_in(text) or country or practice_language
    others = [other for other in (practice_language, country) if other and other != language]
    return Opening(language, others[0] if others else None)
