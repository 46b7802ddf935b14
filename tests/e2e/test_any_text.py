"""Random text posted at a random point of a real conversation: never a server error.

Each example is a new patient who walks part of the way through a booking (and,
sometimes, switches to English first) over the signed webhook against PostgreSQL,
then sends one drawn message: arbitrary text, control characters, text longer than
the webhook reads, the catalogues' words, dates, times, emoji, a photo with no text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.web.webhooks import MAX_BODY
from bot_flows.texts import VOCABULARIES
from tests.e2e.conftest import DAY_1, World, free_times, make_practice_setup

pytestmark = pytest.mark.postgres

# From nothing to the request sent and managed, then a hand-off: each prefix ends in a state.
# hola → consent, 1 → menu, 1 → day (one service), 1 → time, 1 → name, ... → summary,
# 1 → request sent (menu), 3 → the request's actions, menu, 4 → hand-off.
WALK = ("hola", "1", "1", "1", "1", "María Pérez", "34", "Dolor de cabeza", "no", "2", "1", "3")
HAND_OFF = ("menu", "4")
CATALOGUE_WORDS = sorted(
    {word for words in VOCABULARIES.values() for ws in words.values() for word in ws}
)
BODIES = st.one_of(
    st.text(max_size=200),
    st.text(min_size=MAX_BODY, max_size=MAX_BODY + 50),
    st.text(st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=10),
    st.lists(
        st.one_of(
            st.sampled_from(CATALOGUE_WORDS),
            st.sampled_from(["18/12", "31/02", "16:30", "25:99", "4pm", "👍", "1️⃣", "0", "-1"]),
            st.integers(0, 10**9).map(str),
        ),
        min_size=1,
        max_size=5,
    ).map(" ".join),
)


def test_random_text_at_a_random_state_never_gets_a_server_error(world: World) -> None:
    # A free time for every example's request: each example's patient holds one.
    practice = make_practice_setup(world.sessions, free_times(DAY_1, 70))

    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        steps=st.integers(0, len(WALK) + len(HAND_OFF) + 1),
        english=st.booleans(),
        body=BODIES,
        media=st.booleans(),
    )
    def post(steps: int, english: bool, body: str, media: bool) -> None:
        patient = world.patient(practice=practice)
        walk = [*WALK[:1], *(["english"] if english else []), *WALK[1:], *HAND_OFF]
        for said in walk[:steps]:
            world.clock.advance(seconds=7)  # under the flood limit
            patient.say(said)
        world.clock.advance(seconds=7)
        extra = {"NumMedia": "1", "MediaUrl0": "https://m/1"} if media else {}
        response = patient.post(body or (None if media else ""), **extra)
        assert response.status_code == 200, (walk[:steps], body, media, response.status_code)

    post()
