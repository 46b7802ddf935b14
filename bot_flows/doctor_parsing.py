"""Reading a doctor's command: which command it is, and its arguments as plain values.

Forgiving where a slip costs nothing (capitals, accents, extra spaces, "sí,",
"¿pendientes?", a trailing period), strict where a guess could change the wrong
thing: a code must look like a code, a date must exist, a range must end after it
starts. Parsers never touch the services; what they cannot read becomes a `Hint`, and
then nothing is changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, time

from app.booking.codes import LENGTH, normalize_code
from app.phones import InvalidPhoneNumber, to_e164
from bot_flows.engine import MAX_ANSWER
from bot_flows.texts import recognised

WORD = re.compile(r"\S+")
EDGES = ".,;:!?¡¿\"'()*"  # punctuation around a word: "K7M3QX." or "¿pendientes?"
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Latin American order: "25/11", "25/11/2026" (also with "." or "-" between the parts).
DAY_MONTH = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}))?")
# Phones may turn "-" into an en or em dash.
RANGE = re.compile(r"(\d{1,2}):(\d{2})[-\u2013\u2014](\d{1,2}):(\d{2})")
MAX_ECHO = 30  # characters of a bad argument quoted back
# A word of a phone number as written: "+52", "(55)", "1234-5678".
PHONE_PART = re.compile(r"[+(]*\d[\d().-]*")
# Fewer digits than this (and no "+") is a code: national numbers in Latin America
# have 8 to 10 digits, codes 6 characters.
MIN_PHONE_DIGITS = 8

# Days from today, by the words for them ("hoy", "mañana").
RELATIVE_DAYS = {
    word: days for days, key in enumerate(("day.today", "day.tomorrow")) for word in recognised(key)
}
# As app.booking.appointments stores them (a test holds the two together).
NOTE_TYPES = ("diagnosis", "treatment", "follow_up", "prescription")
NOTE_WORDS = {word: kind for kind in NOTE_TYPES for word in recognised(f"note.{kind}")}
PRIVATE_WORDS = recognised("note.private")
# RESUMEN's periods: the last 7 or 30 days, today included.
PERIOD_DAYS = {
    word: days
    for key, days in (("period.week", 7), ("period.month", 30))
    for word in recognised(key)
}


@dataclass(frozen=True)
class MonthDay:
    """A day and month written without the year ("25/11"): the one nearest to today.

    So in December "25/11" is last month's agenda and "05/01" is next January.
    """

    month: int
    day: int

    def near(self, today: date) -> date:
        candidates = []
        for year in range(today.year - 4, today.year + 5):  # 29/02: the nearest leap year
            with suppress(ValueError):
                candidates.append(date(year, self.month, self.day))
        return min(candidates, key=lambda candidate: abs(candidate - today))


Day = date | int | MonthDay  # a calendar date, days from today, or a day of a month


@dataclass(frozen=True)
class Rest:
    """What follows the command word, as written: reasons and notes keep their wording."""

    text: str

    @property
    def words(self) -> list[str]:
        return self.text.split()

    def after(self, count: int) -> str:
        """The text after its first `count` words, line breaks kept."""
        starts = [match.start() for match in WORD.finditer(self.text)]
        return self.text[starts[count] :].strip() if count < len(starts) else ""


@dataclass(frozen=True)
class Hint:
    """Why a command could not be read: a catalogue key and the bad part, quoted back."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True)
class Decision:
    """Approve or reject; without a code it means the only pending request."""

    code: str | None
    reason: str | None = None


@dataclass(frozen=True)
class CodeArgs:
    code: str
    reason: str | None = None


@dataclass(frozen=True)
class DayArgs:
    day: Day


@dataclass(frozen=True)
class NoteArgs:
    code: str
    note_type: str  # one of NOTE_TYPES
    private: bool
    text: str


@dataclass(frozen=True)
class BlockArgs:
    day: Day
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class PeriodArgs:
    days: int  # the last `days` days, today included


@dataclass(frozen=True)
class PhoneArgs:
    phone: str  # E.164


@dataclass(frozen=True)
class MemberArgs:
    phone: str  # E.164
    name: str


@dataclass(frozen=True)
class ReplyArgs:
    """Whom RESPONDER writes to, and what: a code, or a phone number as written.

    Spaces may split a number ("55 1234 5678"), so `phones` holds each way to read
    it, longest first, each with the text after it (maybe none); which one is a
    number depends on the practice's country, which the handler knows.
    """

    code: str | None = None
    text: str = ""
    phones: tuple[tuple[str, str], ...] = ()


def fold_word(word: str) -> str:
    """A word as commands match it: lower case, no accents, no punctuation at its edges."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip(EDGES)


def split_command(text: str, phrases: Container[str]) -> tuple[str, Rest] | None:
    """The command phrase the message starts with and what follows, or None.

    Two-word phrases are tried first, so "no asistió K7M3QX" is a no-show and not
    "NO" rejecting a request called ASISTIO.
    """
    words = list(WORD.finditer(text))
    for length in (2, 1):
        phrase = " ".join(fold_word(match.group()) for match in words[:length])
        if len(words) >= length and phrase in phrases:
            rest = text[words[length].start() :] if len(words) > length else ""
            return phrase, Rest(rest.strip())
    return None


def read_code(word: str) -> str | None:
    return normalize_code(word.strip(EDGES))


def no_arguments(rest: Rest) -> NoArgs:
    """Commands without arguments ignore trailing words ("pendientes por favor")."""
    return NoArgs()


def parse_decision(rest: Rest) -> Decision | Hint:
    """`[code] [reason]`: a first word is the code only if it is shaped exactly like one.

    Codes are `LENGTH` characters of the code alphabet, so "NO fecha ocupada" and
    "no, no puedo ese día" reject the only pending request with that reason
    (FECHA is made of code letters, but is five long), while a first word with a
    digit that is no code ("SI K7M3Q") is refused instead of approving something else.
    """
    words = rest.words
    code = read_code(words[0]) if words else None
    if code and len(code) == LENGTH:
        return Decision(code, _reason(rest.after(1)))
    if words and any(c.isdigit() for c in words[0]):
        return _bad("doctor.hint.bad_code", words[0])
    return Decision(None, _reason(rest.text))


def parse_code(rest: Rest) -> CodeArgs | Hint:
    """`<code>`; anything after it is ignored."""
    words = rest.words
    if not words:
        return Hint("doctor.hint.missing_code")
    code = read_code(words[0])
    return CodeArgs(code) if code else _bad("doctor.hint.bad_code", words[0])


def parse_code_and_reason(rest: Rest) -> CodeArgs | Hint:
    """`<code> [reason]`."""
    found = parse_code(rest)
    return CodeArgs(found.code, _reason(rest.after(1))) if isinstance(found, CodeArgs) else found


def parse_agenda(rest: Rest) -> DayArgs | Hint:
    """`[hoy|mañana|DD/MM|DD/MM/AAAA|AAAA-MM-DD]`, today when left out."""
    words = rest.words
    day = parse_day(words[0]) if words else 0
    return day if isinstance(day, Hint) else DayArgs(day)


def parse_block(rest: Rest) -> BlockArgs | Hint:
    """`<day> [HH:MM-HH:MM]`: a whole day, or a range of it (spaces around "-" forgiven)."""
    words = rest.words
    if not words:
        return Hint("doctor.hint.missing_date")
    day = parse_day(words[0])
    if isinstance(day, Hint):
        return day
    if len(words) == 1:
        return BlockArgs(day)
    written = " ".join(words[1:])
    times = _range(written.replace(" ", "").strip(EDGES))
    return BlockArgs(day, *times) if times else _bad("doctor.hint.bad_range", written)


def parse_note(rest: Rest) -> NoteArgs | Hint:
    """`<code> <type> [privada] <text>`."""
    found = parse_code(rest)
    if isinstance(found, Hint):
        return found
    words = rest.words
    note_type = NOTE_WORDS.get(fold_word(words[1])) if len(words) > 1 else None
    if note_type is None:
        return Hint("doctor.hint.note_type")
    private = len(words) > 2 and fold_word(words[2]) in PRIVATE_WORDS
    text = rest.after(3 if private else 2)
    if not text:
        return Hint("doctor.hint.missing_note_text")
    return NoteArgs(found.code, note_type, private, text)


def parse_period(rest: Rest) -> PeriodArgs | Hint:
    """`[semana|mes]`, the week when left out."""
    words = rest.words
    if not words:
        return PeriodArgs(7)
    days = PERIOD_DAYS.get(fold_word(words[0]))
    return PeriodArgs(days) if days else _bad("doctor.hint.bad_period", words[0])


def parse_phone(rest: Rest) -> PhoneArgs | Hint:
    """`<phone>` in international format; spaces and dashes inside it are fine."""
    try:
        return PhoneArgs(to_e164(rest.text.strip(EDGES)))
    except InvalidPhoneNumber:
        return Hint("doctor.hint.bad_phone")


def parse_member(rest: Rest) -> MemberArgs | Hint:
    """`<phone> <name>`: an international number (spaces inside it are fine), then the name.

    The longest reading that is a phone number wins; what follows it is the name.
    """
    words = rest.words
    parts: list[str] = []
    for word in words:
        if not PHONE_PART.fullmatch(word):
            break
        parts.append(word)
    if not parts or not parts[0].startswith("+"):
        return Hint("doctor.hint.team")
    for count in range(len(parts), 0, -1):
        with suppress(InvalidPhoneNumber):
            phone = to_e164("".join(parts[:count]))
            name = rest.after(count).strip(EDGES + " ")
            return MemberArgs(phone, name) if name else Hint("doctor.hint.team")
    return Hint("doctor.hint.team")


def parse_reply(rest: Rest) -> ReplyArgs | Hint:
    """`<code|phone> <text>`: a phone starts with "+" or has `MIN_PHONE_DIGITS` digits."""
    words = rest.words
    if not words:
        return Hint("doctor.hint.missing_reply_to")
    parts: list[str] = []
    for word in words:
        if not PHONE_PART.fullmatch(word):
            break
        parts.append(word)
    digits = sum(c.isdigit() for c in "".join(parts))
    if parts and (parts[0].startswith("+") or digits >= MIN_PHONE_DIGITS):
        readings = tuple(("".join(parts[:n]), rest.after(n)) for n in range(len(parts), 0, -1))
        return ReplyArgs(phones=readings)
    code = read_code(words[0])
    if code is None:
        return _bad("doctor.hint.bad_reply_to", words[0])
    text = rest.after(1)
    return ReplyArgs(code=code, text=text) if text else Hint("doctor.hint.missing_reply_text")


def parse_day(word: str) -> Day | Hint:
    """`hoy`, `mañana` (or English) as days from today, or a date that exists.

    Dates are AAAA-MM-DD, DD/MM/AAAA or DD/MM (the nearest such day; see `MonthDay`).
    """
    folded = fold_word(word)
    if folded in RELATIVE_DAYS:
        return RELATIVE_DAYS[folded]
    with suppress(ValueError):  # "2026-13-40" or "31/02" has the shape but is no date
        if match := DATE.fullmatch(folded):
            return date(*(int(part) for part in match.groups()))
        if match := DAY_MONTH.fullmatch(folded):
            day, _, month, year = match.groups()
            if year is not None:
                return date(int(year), int(month), int(day))
            date(2000, int(month), int(day))  # a leap year: any day of any month that exists
            return MonthDay(int(month), int(day))
    return _bad("doctor.hint.bad_date", word)


def _range(span: str) -> tuple[time, time] | None:
    match = RANGE.fullmatch(span)
    if not match:
        return None
    hour1, minute1, hour2, minute2 = (int(part) for part in match.groups())
    try:
        start, end = time(hour1, minute1), time(hour2, minute2)
    except ValueError:
        return None
    return (start, end) if start < end else None


def _reason(text: str) -> str | None:
    """Free text for the patient, capped; a lone "." or "!" is no reason."""
    return text[:MAX_ANSWER] if any(c.isalnum() for c in text) else None


def _bad(key: str, value: str) -> Hint:
    return Hint(key, {"value": value[:MAX_ECHO]})
