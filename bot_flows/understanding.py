"""Reading what a patient means in words: an option by its text, a day, a time, an intent.

Pure functions over folded text (`engine.fold`) and an injected `today`; the words
come from the catalogue (`texts.recognised`), weekday and month names from Babel's
locale data, typos are forgiven with `rapidfuzz`. Every reader answers one of three
ways: what was meant, `None` (nothing of the kind was said), or `AMBIGUOUS` (it was
said in a way that could mean two things): the flow asks again rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import cache

from babel import Locale
from rapidfuzz import fuzz, process

from bot_flows.engine import NUMBER_WORDS, fold
from bot_flows.texts import CATALOGUES, recognised


class Ambiguous(Enum):
    """Said in a way that could mean two things."""

    AMBIGUOUS = "ambiguous"


AMBIGUOUS = Ambiguous.AMBIGUOUS
TYPO_SCORE = 84  # rapidfuzz ratio from which a word is a typo of a known one ("miercole")
LABEL_SCORE = 86  # ... and an answer a typo of an option's text ("consuta general")
INTENTS = ("change", "bookings", "person", "book")  # the first found wins: see `intent_of`


def phrases(key: str, several_words: bool = False) -> re.Pattern[str]:
    """The catalogue's phrases for `key` as one pattern of whole words, the longest first.

    With `several_words`, only phrases of two words or more: "más" alone means more
    times only when it is the whole answer, not inside "lo más pronto".
    """
    known = (w for w in recognised(key) if " " in w or not several_words)
    words = sorted(known, key=lambda word: (-len(word), word))
    return re.compile(r"(?<![\w/])(?:" + "|".join(map(re.escape, words)) + r")(?![\w/])")


def says(pattern: re.Pattern[str], folded: str) -> bool:
    return pattern.search(folded) is not None


# --- options by their text ---------------------------------------------------------------


def option_by_text(folded: str, labels: Sequence[str]) -> int | Ambiguous | None:
    """The option (1..) whose text the answer names: whole, a fragment of it, or a typo.

    "consulta general", "general", "la de control prenatal porfa", "consuta general".
    Words every option shares ("consulta" in two of them) name none; two options
    named is ambiguous.
    """
    if not folded:
        return None
    folded_labels = [fold(label) for label in labels]
    if folded in folded_labels:
        return folded_labels.index(folded) + 1
    named = {n for n, label in enumerate(folded_labels, 1) if _contains(folded, label)}
    if not named:
        named = _by_distinct_words(folded, folded_labels)
    if len(named) > 1:
        return AMBIGUOUS
    if named:
        return named.pop()
    found = process.extractOne(folded, folded_labels, scorer=fuzz.ratio, score_cutoff=LABEL_SCORE)
    if found is not None:
        return found[2] + 1
    # "consulta" when two options are consultations: which one?
    shared = [w for w in folded.split() if len(w) >= 4 and _options_with(w, folded_labels) > 1]
    return AMBIGUOUS if shared else None


def _options_with(word: str, labels: list[str]) -> int:
    return sum(word in label.split() for label in labels)


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _by_distinct_words(folded: str, labels: list[str]) -> set[int]:
    """Options named by a word of theirs no other option has ("prenatal", "ultrasonido")."""
    counts: dict[str, int] = {}
    for label in labels:
        for word in set(label.split()):
            counts[word] = counts.get(word, 0) + 1
    written = [word for word in folded.split() if len(word) >= 4]
    named = set()
    for number, label in enumerate(labels, 1):
        own = [word for word in set(label.split()) if counts[word] == 1 and len(word) >= 4]
        if any(_similar(word, own) for word in written):
            named.add(number)
    return named


def _similar(word: str, known: Iterable[str]) -> bool:
    return (
        process.extractOne(word, list(known), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        is not None
    )


# --- intents --------------------------------------------------------------------------------

_INTENT_PATTERNS = {intent: phrases(f"intent.{intent}") for intent in INTENTS}


def intent_of(folded: str) -> str | None:
    """What the patient wants to do, said in words: "quiero cancelar mi cita" is change.

    Changing or cancelling is checked before "my appointments", and a person before
    booking, so that "cancelar mi cita" is not read as booking one.
    """
    for intent in INTENTS:
        if says(_INTENT_PATTERNS[intent], folded):
            return intent
    for word in folded.split():  # "agnedar", "consutla", "cancelr"
        for intent in INTENTS:
            if len(word) >= 6 and _similar(word, _single_words(intent)):
                return intent
    return None


@cache
def _single_words(intent: str) -> tuple[str, ...]:
    return tuple(w for w in recognised(f"intent.{intent}") if " " not in w and len(w) >= 6)


# --- days -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayWanted:
    """A day named in words: one day, or a week (its Monday)."""

    day: date | None = None
    week: date | None = None


@cache
def _calendar_words() -> tuple[dict[str, int], dict[str, int]]:
    """Weekday (0 = Monday) and month (1..12) names of every catalogue language, folded."""
    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    for language in CATALOGUES:
        locale = Locale.parse(language)
        for width in ("wide", "abbreviated"):
            for number, name in locale.days["format"][width].items():
                weekdays.setdefault(fold(name).rstrip("."), number)
            for number, name in locale.months["format"][width].items():
                months.setdefault(fold(name).rstrip("."), number)
    months["setiembre"] = 9  # the spelling of Peru, Uruguay and others
    weekdays.update(tues=1, weds=2, thur=3, thurs=3)  # English shorthands Babel lacks
    # Abbreviations that are also other words ("mar" is martes and marzo, "sun", "sat").
    for clash in ("mar", "sun", "sat", "may"):
        weekdays.pop(clash, None)
    return weekdays, months


_TODAY = phrases("day.today")
_TOMORROW = phrases("day.tomorrow")
_AFTER_TOMORROW = phrases("day.after_tomorrow")
_NEXT_WEEK = phrases("week.next")
_THIS_WEEK = phrases("week.this")
_IN_WEEKS = re.compile(r"\b(?:en|in|dentro de) (\d|\w+) (?:semanas|weeks)\b")
_NEXT = frozenset(w for w in recognised("day.next") if " " not in w)
_OTHER = frozenset({"otro", "otra"})
# "mañana" right after "la", "en la", "de la", "por la" is the morning, not tomorrow.
_MORNING_MANANA = re.compile(r"\b(?:la|las) mananas?\b")
_NUMERIC_DATE = re.compile(
    r"(?<![\d:.])(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{2,4}))?(?![\d:])"
)
_DAY_OF_MONTH = re.compile(r"\b(?:el|dia|el dia|the|on the|day)\s+(\d{1,2})(?:st|nd|rd|th)?\b")


def day_of(folded: str, today: date, language: str) -> DayWanted | Ambiguous | None:
    """The day a message names, in the practice's calendar: the first one it names.

    "hoy", "mañana", "pasado mañana", "el lunes", "el próximo martes", "18 de diciembre",
    "diciembre 18", "18/12" ("12/18" in English), "el 18", "la otra semana". A weekday
    is its next one after today; a date without a year is the next one to come. Two
    different days named ("el lunes o el martes") are ambiguous.
    """
    found = _days_named(folded, today, language)
    if not found:
        return None
    return found[0] if len(set(found)) == 1 else AMBIGUOUS


def _days_named(folded: str, today: date, language: str) -> list[DayWanted]:
    weekdays, months = _calendar_words()
    found: list[DayWanted] = []
    without_mornings = _MORNING_MANANA.sub(" ", folded)
    if says(_AFTER_TOMORROW, folded):
        found.append(DayWanted(day=today + timedelta(days=2)))
        without_mornings = _AFTER_TOMORROW.sub(" ", without_mornings)
    if says(_TOMORROW, without_mornings):
        found.append(DayWanted(day=today + timedelta(days=1)))
    if says(_TODAY, folded):
        found.append(DayWanted(day=today))
    weeks = _IN_WEEKS.search(folded)
    if weeks is not None:
        count = int(weeks[1]) if weeks[1].isdigit() else NUMBER_WORDS.get(weeks[1], 0)
        found.append(DayWanted(week=_monday(today) + timedelta(days=7 * count)))
    elif says(_NEXT_WEEK, folded):
        found.append(DayWanted(week=_monday(today) + timedelta(days=7)))
    elif says(_THIS_WEEK, folded) and not found:
        found.append(DayWanted(week=_monday(today)))
    found.extend(_dates(folded, today, language, months))
    words = folded.split()
    for position, word in enumerate(words):
        weekday = _known(word, weekdays)
        if weekday is None:
            continue
        if any(w.day is not None and w.day.weekday() == weekday for w in found):
            continue  # "el lunes 7 de diciembre": one day, said twice
        after = words[position + 1] if position + 1 < len(words) else ""
        if after.isdigit():  # "el lunes 14": that date, if it is a Monday
            dated = _day_of_month(today, int(after))
            if dated and dated[0].day is not None and dated[0].day.weekday() == weekday:
                found.append(dated[0])
                continue
            found.extend(dated)
        ahead = (weekday - today.weekday()) % 7 or 7
        before = words[position - 1] if position else ""
        this_week = ahead < 7 - today.weekday()
        if before in _OTHER or (before in _NEXT and this_week):
            # "el otro lunes", "el próximo martes" said on a Monday: this one or the next?
            found.append(DayWanted(day=today + timedelta(days=ahead + 7)))
        found.append(DayWanted(day=today + timedelta(days=ahead)))
    return found


def _known(word: str, names: dict[str, int]) -> int | None:
    """A weekday or month name, or a typo of one ("miercole", "sabdo", "diciembe")."""
    if word in names:
        return names[word]
    if len(word) < 5 or word.isdigit():
        return None
    found = process.extractOne(word, list(names), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return None if found is None else names[found[0]]


def _dates(folded: str, today: date, language: str, months: dict[str, int]) -> list[DayWanted]:
    found: list[DayWanted] = []
    for match in _NUMERIC_DATE.finditer(folded):
        first, second = int(match[1]), int(match[2])
        # 18/12 in Spanish; 12/18 in English, unless only the other order is a date.
        us_order = (language == "en" and first <= 12) or second > 12
        month, day = (first, second) if us_order else (second, first)
        found.extend(_on(today, month, day, year=_year(match[3])))
    words = folded.split()
    for position, word in enumerate(words):
        month = _known(word, months) if not word.isdigit() else None
        if month is None:
            continue
        near = words[max(0, position - 2) : position] + words[position + 1 : position + 3]
        days = [int(w.rstrip("stndrh") or 0) for w in near if w.rstrip("stndrh").isdigit()]
        days = [d for d in days if 1 <= d <= 31]
        if days:
            found.extend(_on(today, month, days[0]))
    if not found:
        alone = _DAY_OF_MONTH.search(folded)
        if alone is not None and 1 <= int(alone[1]) <= 31:
            found.extend(_day_of_month(today, int(alone[1])))
    return found


def _year(written: str | None) -> int | None:
    if written is None:
        return None
    year = int(written)
    return year + 2000 if year < 100 else year


def _on(today: date, month: int, day: int, year: int | None = None) -> list[DayWanted]:
    """The date day/month in `year`, or the next one to come when no year is written."""
    for candidate_year in (year,) if year else (today.year, today.year + 1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            return []
        if year or candidate >= today:
            return [DayWanted(day=candidate)]
    return []


def _day_of_month(today: date, day: int) -> list[DayWanted]:
    """ "el 18": the 18th of this month, or of the next when it has passed."""
    month, year = today.month, today.year
    for _ in range(2):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate > today:
            return [DayWanted(day=candidate)]
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return []


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- times of day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeWanted:
    """A time of day named in words: an hour, a part of the day, or the earliest free."""

    clock: tuple[int, int] | None = None  # (hour, minute) on a 24-hour clock
    hour_only: int | None = None  # "a las 4": 4:00 or 16:00, whichever the day has
    part: str | None = None  # "morning" | "afternoon"
    earliest: bool = False
    # "4:30" with no a.m., p.m. or part of the day: 04:30 or 16:30, whichever is free.
    either: bool = False


_PARTS = {part: phrases(f"part.{part}") for part in ("morning", "afternoon")}
_EARLIEST = phrases("time.earliest")
_NOON = phrases("time.noon")
_MERIDIEM = re.compile(r"\b[ap]\s?\.?\s?m\b")
_AT = "|".join(sorted(map(re.escape, recognised("time.at")), key=len, reverse=True))
_HOUR_WORDS = dict(NUMBER_WORDS) | {
    word: number
    for number, key in ((10, "number.10"), (11, "number.11"), (12, "number.12"))
    for word in recognised(key)
}
_HOUR_WORD = "|".join(sorted(map(re.escape, _HOUR_WORDS), key=len, reverse=True))
_HALF = "|".join(map(re.escape, recognised("time.half")))
_QUARTER = "|".join(map(re.escape, recognised("time.quarter")))
_NAMED_HOUR = re.compile(
    rf"(?:^|\s)(?:{_AT})\s+(\d{{1,2}}|{_HOUR_WORD})(?:\s+({_HALF}|{_QUARTER}))?(?=\s|$)"
)


# "4 y media", "nueve y cuarto": an hour with its minutes in words, even without "a las".
_HALF_HOUR = re.compile(
    rf"(?:^|\s)(?<!las )(\d{{1,2}}|{_HOUR_WORD})\s+({_HALF}|{_QUARTER})(?=\s|$)"
)


def time_of(folded: str, clock: tuple[int, int] | None) -> TimeWanted | Ambiguous | None:
    """The time a message names: `clock` when one was typed ("16:30", "4 pm"), "a las 10",
    "a las diez y media", "al mediodía", "en la tarde", "lo antes posible".

    Two hours named ("a las 4 o a las 5") are ambiguous; an hour with its part of the
    day ("a las 4 de la tarde") is `clock`, read by the caller's `clock_of`.
    """
    named = _NAMED_HOUR.findall(folded) + _HALF_HOUR.findall(folded)
    if len(set(named)) > 1:
        return AMBIGUOUS
    either = _MERIDIEM.search(folded) is None and _part(folded) is None
    if clock is not None:
        return TimeWanted(clock=clock, either=either and 1 <= clock[0] <= 7)
    if named:
        written, fraction = named[0]
        hour = int(written) if written.isdigit() else _HOUR_WORDS[written]
        minute = 30 if fraction and re.fullmatch(_HALF, fraction) else 15 if fraction else 0
        if hour > 23:
            return None
        if hour > 12 or hour == 0:
            return TimeWanted(clock=(hour, minute))
        part = _part(folded)
        if part is not None:
            return TimeWanted(clock=(_in_part(hour, part), minute))
        if minute:
            return TimeWanted(clock=(hour, minute), either=1 <= hour <= 7)
        return TimeWanted(hour_only=hour)
    if says(_NOON, folded):
        return TimeWanted(clock=(12, 0))
    if says(_EARLIEST, folded):
        return TimeWanted(earliest=True, part=_part(folded))
    part = _part(folded)
    return TimeWanted(part=part) if part else None


def _part(folded: str) -> str | None:
    named = [part for part, pattern in _PARTS.items() if says(pattern, folded)]
    return named[0] if len(named) == 1 else None


def _in_part(hour: int, part: str) -> int:
    return hour + 12 if part == "afternoon" and hour < 12 else hour
