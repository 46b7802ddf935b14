"""Any text, in any state, in either language: an answer in the chat's language, never a crash.

Each state of the patient's FLOW is reached the way a real chat gets there (the
paths of test_patient_states), in a Spanish chat and in an English one, and then
receives one message drawn from what patients really send and from what they should
not: the catalogues' own words mixed in both languages, dates, times, numbers,
emoji, control characters, text as long as the webhook lets through.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.web.webhooks import MAX_BODY
from bot_flows.engine import clean_text
from bot_flows.patient import PatientState
from bot_flows.texts import CATALOGUES, VOCABULARIES, text
from tests.unit.fake_patient_services import MINUTE
from tests.unit.test_patient_states import reach

S = PatientState
LANGUAGES = ("es", "en")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
SHORTEST_TELLING = 8  # characters of a catalogue sentence's fixed part that give its language away

CATALOGUE_WORDS = sorted(
    {word for words in VOCABULARIES.values() for ws in words.values() for word in ws}
)
WORDS = st.sampled_from(CATALOGUE_WORDS).flatmap(
    lambda word: st.sampled_from([word, word.upper(), word.capitalize()])
)
DATES = st.builds(
    lambda day, month, year: f"{day}/{month}{year}",
    st.integers(0, 40),
    st.integers(0, 14),
    st.sampled_from(["", "/2026", "/26", "/1999"]),
)
TIMES = st.builds(
    lambda hour, minute, suffix: f"{hour}:{minute:02d}{suffix}",
    st.integers(0, 30),
    st.integers(0, 99),
    st.sampled_from(["", " am", "pm", " hrs", " de la tarde"]),
)
EMOJI = st.sampled_from(["👍", "🙏", "😷", "1️⃣", "2️⃣", "🤒", "❤️", "👨‍⚕️", "🇲🇽", "\u200d", "\ufe0f"])
CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=5)
PIECES = st.one_of(WORDS, DATES, TIMES, EMOJI, CONTROL, st.integers(-5, 10**7).map(str))
MESSAGES = st.one_of(
    st.text(),
    PIECES,
    st.lists(PIECES, min_size=2, max_size=8).map(" ".join),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), min_size=1, max_size=6).map("".join),
    st.text(min_size=MAX_BODY - 10, max_size=MAX_BODY + 10),  # the webhook caps at MAX_BODY
    st.sampled_from(sorted(CATALOGUES["es"].values())),  # the bot's own sentences pasted back
    st.sampled_from(sorted(CATALOGUES["en"].values())),
)


@cache
def telling_pieces(language: str) -> frozenset[str]:
    """Fixed parts of `language`'s sentences that no sentence of the other language has."""
    other = next(lang for lang in LANGUAGES if lang != language)
    others = "\n".join(CATALOGUES[other].values())
    pieces = {
        piece.strip()
        for template in CATALOGUES[language].values()
        for piece in PLACEHOLDER.split(template)
    }
    return frozenset(p for p in pieces if len(p) >= SHORTEST_TELLING and p not in others)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", list(S))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message=MESSAGES, cleaned=st.booleans())
def test_any_text_in_any_state_is_answered_in_the_chats_language(
    state: PatientState, language: str, message: str, cleaned: bool
) -> None:
    """Raw text as well as text cleaned as the webhook cleans it (`Incoming` expects that)."""
    patient = reach(state)
    patient.chat.language = patient.services.language = language
    until = patient.chat.handoff_until
    handed_off = until is not None and until > patient.now + MINUTE
    body = clean_text(message, MAX_BODY) if cleaned else message

    reply = patient.send(body)  # renders every Said in both languages, placeholders filled

    assert reply.said or handed_off, (state, body)
    replied_in = patient.chat.language  # what the inbox renders the reply in
    assert [k for k in reply.keys if k not in CATALOGUES[replied_in]] == [], (state, body)
    other = next(lang for lang in LANGUAGES if lang != replied_in)
    foreign = [p for p in telling_pieces(other) if p in reply.text and p not in body]
    assert foreign == [], (state, body, reply.text)


def test_a_sentence_of_the_other_language_is_told_apart() -> None:
    """The check above can fail: a Spanish sentence in an English reply is caught."""
    spanish = text("patient.menu", "es")
    assert any(piece in spanish for piece in telling_pieces("es"))
    assert not any(piece in text("patient.menu", "en") for piece in telling_pieces("es"))
