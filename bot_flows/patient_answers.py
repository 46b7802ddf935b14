"""Reading a patient's answers forgivingly, and showing them numbered choices.

Numbers always work ("2", "2.", "2️⃣", "dos"); a few words work too ("sí",
"urgente", "correo"), because many patients answer in words. Where an answer
cannot be taken back (consent, cancelling, sending the request) only a message
that is nothing but the answer counts: see `clear_choice`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache

from babel.dates import format_date

from bot_flows.engine import MAX_ANSWER, NUMBER_WORDS, Choice, option_words
from bot_flows.patient_states import PatientState, PatientTurn
from bot_flows.texts import recognised, when

NAME_LIMIT = 120  # the request keeps 255 characters; real names are far shorter
EMAIL_LIMIT = 254  # the longest address mail servers accept
DAY_FORMAT = {"es": "EEEE d 'de' MMMM", "en": "EEEE, MMMM d"}
DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")

YES_NO = option_words("yes", "no")


def _any_of(words: Iterable[str]) -> str:
    """A regular expression matching any of `words` as written, the longest tried first."""
    return "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))


# "opción 2", "option 2", "la 2": a lone option number with a word before it.
LONE_OPTION = re.compile(
    rf"(?:(?:{_any_of(recognised('option'))}) )?(\d{{1,3}}|{_any_of(NUMBER_WORDS)})(?: (.+))?"
)
REPEATS = re.compile(r"([a-z])\1+")
DAY_PARTS = {part: recognised(f"clock.{part}") for part in ("morning", "afternoon", "night")}
# What may follow a typed hour: "pm", "p. m.", "de la tarde", "hrs".
_DAYTIME = (
    r"(?:\s*(?:([ap])\.?\s*m\b\.?"
    rf"|({_any_of(frozenset().union(*DAY_PARTS.values()))})\b"
    rf"|(?:{_any_of(recognised('clock.hours'))})\b))"
)
CLOCKS = (
    re.compile(r"\b(\d{1,2})\s*[:.h]\s*(\d{2})\b" + _DAYTIME + "?"),  # 16:30, 4.30 pm, 16h30
    re.compile(r"(?<![\d:.])(\d{2})(\d{2})(?![\d:.])" + _DAYTIME + "?"),  # 1630, 0930
    re.compile(r"\b(\d{1,2})()" + _DAYTIME),  # 4 pm, 4 de la tarde, 16 hrs
)
# "p" and "a" are a.m. and p.m.: "4 pm" and "4 de la tarde" are 16:00, "12 am" is midnight.
AFTERNOON = frozenset({"p"}) | DAY_PARTS["afternoon"] | DAY_PARTS["night"]
TWELVE_IS_MIDNIGHT = frozenset({"a"}) | DAY_PARTS["morning"] | DAY_PARTS["night"]


def choice(turn: PatientTurn, count: int, words: Mapping[str, int] | None = None) -> int | None:
    """The option (1..count) the patient meant by a digit, a word of `words`, or "dos".

    Words come before number words so that "cancelar una cita" means cancel, not 1.
    """
    meant = None if DIGIT.search(turn.words) else _meant(turn.words, words or {})
    number = turn.number() if meant is None else meant
    return number if number is not None and 1 <= number <= count else None


def clear_choice(turn: PatientTurn, count: int, words: Mapping[str, int]) -> int | None:
    """The option (1..count) when the whole message is that option and nothing else.

    "2", "dos", "opción 2", "no acepto", "2. No acepto" (the option as shown), "Nooo"
    count; "no entiendo", "no puedo respirar" or "quiero una cita, no?" do not, and
    the question is asked again rather than guessed.
    """
    return clear_option(turn.words, count, words)


def clear_option(folded: str, count: int, words: Mapping[str, int]) -> int | None:
    """`clear_choice` over text already folded (`engine.fold`)."""
    vocabulary = _squeezed_vocabulary(tuple(words.items()))
    lone = LONE_OPTION.fullmatch(folded)
    if lone is not None:
        written, label = lone.groups()
        number = int(written) if written.isdigit() else NUMBER_WORDS[written]
        if label is not None and vocabulary.get(_squeezed(label)) != number:
            return None
    else:
        number = vocabulary.get(_squeezed(folded))
    return number if number is not None and 1 <= number <= count else None


@cache
def _squeezed_vocabulary(phrases: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """The phrases as `_squeezed` reads them: worked out once per vocabulary, not per message."""
    return {_squeezed(phrase): number for phrase, number in phrases}


def squeezed(folded: str) -> str:
    """Letters typed twice or more once: "holaaa" is "hola"."""
    return _squeezed(folded)


def _squeezed(folded: str) -> str:
    """Letters typed twice or more once: "siii" and "nooo" are "si" and "no"."""
    return REPEATS.sub(r"\1", folded)


def _meant(folded: str, vocabulary: Mapping[str, int]) -> int | None:
    if folded in vocabulary:
        return vocabulary[folded]
    meant = {vocabulary[word] for word in folded.split() if word in vocabulary}
    return meant.pop() if len(meant) == 1 else None


def written(turn: PatientTurn, limit: int = MAX_ANSWER) -> str | None:
    """A free-text answer, capped, if it says anything in letters or digits (not only emoji)."""
    answer = turn.answer()[:limit].strip()
    return answer if any(c.isalnum() for c in answer) else None


def clock_of(turn: PatientTurn) -> tuple[int, int] | None:
    """A time of day typed instead of its number, as (hour, minute) on a 24-hour clock.

    "16:30", "4:30 pm", "16.30", "16h30", "1630", "4 pm", "4 de la tarde", "16 hrs".
    """
    decomposed = unicodedata.normalize("NFKD", turn.text.casefold())
    written = "".join(c for c in decomposed if not unicodedata.combining(c))
    for clock in CLOCKS:
        typed = clock.search(written)
        if typed is None:
            continue
        hour, minute = int(typed[1]), int(typed[2] or 0)
        meridiem = typed[3] or typed[4]
        if meridiem in AFTERNOON and hour < 12:
            hour += 12
        elif meridiem in TWELVE_IS_MIDNIGHT and hour == 12:
            hour = 0
        return (hour, minute) if hour < 24 and minute < 60 else None
    return None


def email_of(turn: PatientTurn) -> str | None:
    """The address if it looks like one (name@domain.tld); mail delivery is the real test."""
    address = turn.text.strip().removeprefix("mailto:").strip("<>").strip()
    if len(address) <= EMAIL_LIMIT and EMAIL.fullmatch(address):
        return address
    return None


def asking(key: str, choices: tuple[Choice, ...] = ()) -> Callable[[PatientTurn], None]:
    """A question that is a single sentence of the catalogue, with its numbered options."""

    def ask(turn: PatientTurn) -> None:
        turn.offer(key, choices)

    return ask


def not_understood(turn: PatientTurn, state: PatientState) -> PatientState:
    """Say so kindly and stay: the same question is asked again."""
    turn.say("patient.not_understood")
    return state


def numbered(labels: Iterable[str]) -> str:
    return "\n".join(f"{number}. {label}" for number, label in enumerate(labels, start=1))


def day_label(day: str | date, language: str) -> str:
    """A local date in words: "martes 1 de diciembre", "Tuesday, December 1"."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    pattern = DAY_FORMAT.get(language, DAY_FORMAT["es"])
    return format_date(day, pattern, locale=language)


def far_day_label(day: date, language: str) -> str:
    """A date years away, with its year: "20 de noviembre de 2031", "November 20, 2031"."""
    return format_date(day, "long", locale=language)


def when_label(turn: PatientTurn, start: str) -> str:
    """A stored instant as the patient reads it: local day and time, their language."""
    zone = turn.services.practice.timezone
    return when(datetime.fromisoformat(start), zone, turn.language)
