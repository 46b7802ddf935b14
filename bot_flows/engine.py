"""Runs a conversation written as a table: state -> the step that asks and reads the answer.

A flow is a mapping from state names to `Step`s. Entering a state asks its
question; the next message goes to that state's `answer`, which stores one answer
(or says what was wrong) and returns the next state, whose question is asked in
turn. Returning the same state repeats the question, so a typo is always
answered with "I did not understand" and the same numbered choices.
No Flask, Twilio or database here: handlers talk to a services (see `ports`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot_flows.texts import recognised

Services = TypeVar("Services")

MAX_ANSWER = 500  # characters kept of a free-text answer


def option_words(*options: str | tuple[str, ...]) -> dict[str, int]:
    """Each word of the catalogue that picks option 1, 2, ...: an option is one meaning or several.

    Built once per question, when its module loads; a word picking two options is refused.
    """
    picks: dict[str, int] = {}
    for number, meanings in enumerate(options, start=1):
        for meaning in (meanings,) if isinstance(meanings, str) else meanings:
            for word in recognised(meaning):
                if picks.setdefault(word, number) != number:
                    raise ValueError(f"{word!r} picks both option {picks[word]} and {number}")
    return picks


NUMBER_WORDS = option_words(*(f"number.{number}" for number in range(1, 10)))
NONE_WORDS = recognised("none")


@dataclass(frozen=True)
class Choice:
    """One option of a message, tappable where the channel allows it.

    `id` says what the option stands for (a slot, a day, an option of a question),
    so a tap on an old list still means what it showed; `title` is None when the
    option's numbered line in the message is its title.
    """

    id: str
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Said:
    """One message to send: a catalogue key and its values, rendered in the chat's language.

    `choices` are the numbered options the message shows, in their order.
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()


def positions(question: str, count: int) -> tuple[Choice, ...]:
    """The options of a fixed question, 1..count: their id is the question and the number."""
    return tuple(Choice(f"{question}:{number}") for number in range(1, count + 1))


@dataclass
class Turn(Generic[Services]):
    """One incoming message as a handler sees it, and what the bot says back."""

    text: str
    data: dict[str, Any]
    language: str
    now: datetime
    services: Services
    said: list[Said] = field(default_factory=list)
    # An answer that needs no question after it ("gracias") sets this to False.
    ask_next: bool = True

    # (text, its folding): the handlers of one turn ask for it a dozen times.
    _folded: tuple[str, str] = field(default=("", ""), init=False, repr=False, compare=False)

    @property
    def words(self) -> str:
        """The message folded for matching: lower case, no accents or emoji, single spaces."""
        if self._folded[0] != self.text or not self._folded[1]:
            self._folded = (self.text, fold(self.text))
        return self._folded[1]

    def say(self, key: str, **values: Any) -> None:
        self.said.append(Said(key, values))

    def offer(self, key: str, choices: tuple[Choice, ...], **values: Any) -> None:
        """Say `key`, whose numbered options are `choices`."""
        self.said.append(Said(key, values, choices))

    def number(self) -> int | None:
        """The option number the patient meant: "2", "2.", "2️⃣", "dos", "opción 2"."""
        return option_number(self.words)

    def answer(self) -> str:
        """The message as a free-text answer, trimmed and capped."""
        return self.text.strip()[:MAX_ANSWER]

    def is_none(self) -> bool:
        """ "no" / "ninguno" / "ninguna" / "nada": nothing to declare."""
        return self.words in NONE_WORDS


@dataclass(frozen=True)
class Step(Generic[Services]):
    """A state of a flow, whole: what it asks, how it reads the answer, and the rest.

    `help` is what "ayuda" explains before the question is asked again; `needs`
    names what the question reads from the conversation's data (a state stored
    without it starts afresh); `goes_to` is every state the answer may lead to,
    itself included when it asks again on purpose. The diagram beside a flow draws
    exactly these moves, and a test holds the two together.
    """

    ask: Callable[[Turn[Services]], None]
    answer: Callable[[Turn[Services]], str]
    help: str | None = None
    needs: tuple[str, ...] = ()
    goes_to: frozenset[str] = frozenset()


Flow = Mapping[str, Step[Services]]


def run(flow: Flow[Services], state: str, turn: Turn[Services]) -> str:
    """Answer `turn` in `state`, ask the next state's question, and return that state."""
    next_state = flow[state].answer(turn)
    if turn.ask_next:
        enter(flow, next_state, turn)
    return next_state


def enter(flow: Flow[Services], state: str, turn: Turn[Services]) -> str:
    """Ask `state`'s question (e.g. after "menu" or a reset) and return it."""
    flow[state].ask(turn)
    return state


KEYCAP_TEN = "\N{KEYCAP TEN}"  # "1️⃣".."9️⃣" fold to their digit; "🔟" is one emoji of its own


def fold(text: str) -> str:
    """Lower case, accents and emoji removed, spaces collapsed: for matching, never storing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace(KEYCAP_TEN, "10"))
    kept = "".join(c for c in decomposed if c.isalnum() or c in " /" or c.isspace())
    return re.sub(r"\s+", " ", kept).strip()


def option_number(words: str) -> int | None:
    """The number in a folded answer such as "2", "opcion 2" or "dos", if it is the only one."""
    digits = re.findall(r"\d+", words)
    if len(digits) == 1 and len(digits[0]) <= 3:
        return int(digits[0])
    if not digits:
        named = [NUMBER_WORDS[w] for w in words.split() if w in NUMBER_WORDS]
        if len(named) == 1:
            return named[0]
    return None


def clean_text(raw: str, limit: int) -> str:
    """An incoming body made safe to store: no NUL or control characters, at most `limit` long.

    PostgreSQL refuses NUL in text; other control characters only hide content.
    """
    kept = "".join(c for c in raw if c in "\n\t" or unicodedata.category(c) != "Cc")
    return kept[:limit]
