"""Reading free answers the way patients write them: a name, an age, an option in words.

Pure functions over the message; every word they know comes from the catalogue
(`texts.recognised`). Each answers with what was meant, or None when it cannot be
told for sure: the flow then asks again rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from bot_flows.engine import fold
from bot_flows.texts import recognised

# Two-word names at least: "Daniela" or "Pérez" alone is not the full name asked for.
NAME_WORDS = 2
MAX_AGE = 120
PARTS = re.compile("[,;()\\[\\]:]+|\\s[-\u2013\u2014]\\s")  # commas, brackets, dashes
NAME_WORD = re.compile("[^\\W\\d_]+(?:['\u2019-][^\\W\\d_]+)*")  # O'Brien, Lopez-Garcia
# Skin tones and variation selectors change how a thumbs-up looks, not what it says.
EMOJI_STYLE = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f\u200d]")
NUMBER_KEYS = (*range(1, 31), 40, 50, 60, 70, 80, 90, 100)


def agreed(text: str) -> bool:
    """Whether the message is only a thumbs-up (or an OK sign), in any skin tone."""
    marks = EMOJI_STYLE.sub("", "".join(text.split()))
    return bool(marks) and all(mark in recognised("agree.emoji") for mark in marks)


def has_phrase(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def options_named(folded: str, vocabulary: Mapping[str, int], agreeing: int) -> int | None:
    """The one option whose words the message holds ("ya no quiero el turno": discard).

    Words denied just before ("no quiero cancelar") name nothing. `agreeing` is the
    option that says yes: any denial ("no voy a poder ir"), a "pero" or another
    option beside it ("sí pero cámbiame la hora") means it was not meant. Nothing
    named, or two options besides yes, is None.
    """
    words = folded.split()
    found = [
        (start, start + len(phrase.split()), number)
        for phrase, number in vocabulary.items()
        for start in range(len(words))
        if words[start : start + len(phrase.split())] == phrase.split()
    ]
    covered = {n for start, end, _ in found for n in range(start, end)}
    denials = {
        n for n, word in enumerate(words) if word in recognised("negation") and n not in covered
    }
    named = {number for start, _, number in found if not denials & {start - 1, start - 2}}
    objected = denials or not recognised("but").isdisjoint(words)
    if agreeing in named and (objected or len(named) > 1):
        named.discard(agreeing)
    return named.pop() if len(named) == 1 else None


# --- names -----------------------------------------------------------------------------


def name_of(text: str) -> tuple[str | None, int | None]:
    """The patient's full name as it is stored, and an age said with it ("Ana Pérez, 34 años").

    Greetings, the words that introduce a name ("me llamo", "soy la señora") and
    emoji are dropped; thanks after it too. A name written all in lower or upper case
    is capitalised, its particles ("de", "del", "la") in lower case. None when the
    message is not one full name: a single word, a number, a question, or two names.
    """
    if "?" in text or "¿" in text:
        return None, None
    parts = [part.strip() for part in PARTS.split(text)]
    named = [n for n, part in enumerate(parts) if _introduced(part) is not None]
    start = named[-1] if named else 0
    name, age = None, None
    for n, part in enumerate(parts):
        folded = fold(part)
        if n < start and _titled(part):
            return None, None  # "Sarah Miller (it's for my daughter Chloe Miller)"
        if n < start or not folded or _courtesy(folded):
            continue  # "es para mi hija, se llama ..." / "hola," / "gracias"
        if n > start:
            said = age_in(part)
            if said is None:
                return None, None  # "Sarah Miller (it's for my daughter Chloe Miller)"
            age = said
            continue
        name = _full_name(_introduced(part) or part)
    return name, age


def _introduced(part: str) -> str | None:
    """What follows the words that introduce a name, if the part has them."""
    words = part.split()
    folded = [fold(word) for word in words]
    for start in range(len(words)):
        for intro in _intros():
            size = len(intro)
            if tuple(folded[start : start + size]) == intro and len(words) > start + size:
                return " ".join(words[start + size :])
    return None


@cache
def _intros() -> tuple[tuple[str, ...], ...]:
    # Longest first: "mi nombre es Ana" drops three words, not two.
    intros = (tuple(p.split()) for p in recognised("name.intro"))
    return tuple(sorted(intros, key=len, reverse=True))


def _courtesy(folded: str) -> bool:
    greeting = recognised("greeting") | recognised("thanks")
    words = folded.split()
    return folded in greeting or all(word in greeting for word in words)


def _full_name(written: str) -> str | None:
    words = [word for word in written.split() if NAME_WORD.search(word)]
    while words and _leading_courtesy(words):
        words = words[len(_leading_courtesy(words)) :]
    clean = [NAME_WORD.search(word) for word in words]
    kept = [match.group() for match in clean if match is not None]
    if any(any(c.isdigit() for c in word) for word in written.split()):
        return None
    particles = recognised("name.particle")
    if not kept or fold(kept[0]) in particles or fold(kept[-1]) in particles:
        return None  # "el mismo de siempre"
    if sum(fold(word) not in particles for word in kept) < NAME_WORDS:
        return None
    if "".join(kept).islower() or "".join(kept).isupper():
        kept = [word.lower() if fold(word) in particles else _capitalised(word) for word in kept]
    return " ".join(kept)


def _titled(part: str) -> bool:
    """Whether the words look like a name: each but the particles begins with a capital."""
    particles = recognised("name.particle")
    words = [match.group() for match in NAME_WORD.finditer(part)]
    names = [word for word in words if fold(word) not in particles]
    return len(names) >= NAME_WORDS and all(word[0].isupper() for word in names)


def _leading_courtesy(words: list[str]) -> tuple[str, ...]:
    folded = tuple(fold(word) for word in words)
    for courtesy in sorted(recognised("name.courtesy"), key=len, reverse=True):
        phrase = tuple(courtesy.split())
        if folded[: len(phrase)] == phrase:
            return phrase
    return ()


def _capitalised(word: str) -> str:
    """ "o'higgins" is "O'Higgins", "lopez-garcia" "Lopez-Garcia"."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), word.lower())


# --- ages ------------------------------------------------------------------------------


@cache
def _number_words() -> dict[str, int]:
    return {word: n for n in NUMBER_KEYS for word in recognised(f"number.{n}") if word}


def _tokens(folded: str) -> list[str]:
    """Words, with number words run together split apart: "treintaydos", "twentynine"."""
    known = {**_number_words(), **dict.fromkeys(recognised("number.and"), 0)}
    tokens: list[str] = []
    for word in folded.split():
        pieces = _split_known(word, known)
        tokens.extend(pieces if pieces else [word])
    return tokens


def _split_known(word: str, known: Mapping[str, int]) -> list[str] | None:
    """`word` as a run of known words, the longest first, or None."""
    if not word:
        return []
    for size in range(len(word), 0, -1):
        if word[:size] in known:
            rest = _split_known(word[size:], known)
            if rest is not None:
                return [word[:size], *rest]
    return None


def age_in(text: str) -> int | None:
    """An age in whole years, in digits or words: "34", "tengo 28 años", "treinta y cuatro".

    Numbers of other things ("2 hijos", "32 weeks", "8 meses") are not the age;
    "cumplo 30" is 29; an approximate age ("como 40", "almost 40"), a year of birth or
    two possible ages are None.
    """
    folded = fold(text)
    tokens = _tokens(folded)
    if any(has_phrase(folded, word) for word in recognised("age.approximate")):
        return None
    if any(c.isdigit() for c in folded) and any(
        any(c.isdigit() for c in token) and not token.isdigit() for token in tokens
    ):
        return None  # "3o": thirty, or three?
    found = _numbers(tokens)
    other = recognised("age.other_units")
    years = recognised("age.years")
    ages = [(n, value) for n, value, after in found if after not in other]
    if len(ages) > 1:
        ages = [(n, value) for n, value in ages if _after(found, n) in years] or ages
    if len(ages) != 1:
        return None
    index, age = ages[0]
    if any(has_phrase(" ".join(tokens[:index]), word) for word in recognised("age.turning")):
        age -= 1  # "cumplo 30 el mes que viene"
    return age if 0 <= age <= MAX_AGE else None


def _after(found: list[tuple[int, int, str | None]], index: int) -> str | None:
    return next(after for n, _, after in found if n == index)


def _numbers(tokens: list[str]) -> list[tuple[int, int, str | None]]:
    """Each number said, as (position, value, the word after it)."""
    words, joiners = _number_words(), recognised("number.and")
    found: list[tuple[int, int, str | None]] = []
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if token.isdigit():
            value, end = int(token), n + 1
        elif token in words:
            value, end = words[token], n + 1
            tens = value >= 20 and value % 10 == 0 and value < 100
            step = end + 1 if end < len(tokens) and tokens[end] in joiners else end
            if tens and step < len(tokens) and words.get(tokens[step], 10) < 10:
                value, end = value + words[tokens[step]], step + 1
        else:
            n += 1
            continue
        found.append((n, value, tokens[end] if end < len(tokens) else None))
        n = end
    return found
