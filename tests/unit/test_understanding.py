"""Reading days, times, options and intents in words (bot_flows/understanding.py).

Every date here is relative to a stated `TODAY` (Monday 30 November 2026), never the
real clock; the corpus test holds the whole conversation to its figures.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot_flows.engine import fold
from bot_flows.understanding import (
    AMBIGUOUS,
    DayWanted,
    TimeWanted,
    day_of,
    intent_of,
    option_by_text,
    time_of,
)
from tests.corpus import run

TODAY = date(2026, 11, 30)  # a Monday
SERVICES = ["Consulta general", "Control prenatal", "Ultrasonido obstétrico", "Certificado médico"]
# The share of the corpus understood as meant; bench/understanding.py prints it.
CORPUS_FLOOR = 0.95


@pytest.mark.parametrize(
    ("said", "language", "meant"),
    [
        ("mañana", "es", date(2026, 12, 1)),
        ("pasado mañana", "es", date(2026, 12, 2)),
        ("el lunes", "es", date(2026, 12, 7)),
        ("el proximo lunes", "es", date(2026, 12, 7)),
        ("el miercole", "es", date(2026, 12, 2)),  # a typo
        ("sabdo", "es", date(2026, 12, 5)),
        ("el 18 de diciembre", "es", date(2026, 12, 18)),
        ("diciembre 18", "es", date(2026, 12, 18)),
        ("18/12", "es", date(2026, 12, 18)),
        ("12/18", "en", date(2026, 12, 18)),
        ("3/12", "es", date(2026, 12, 3)),
        ("el 18", "es", date(2026, 12, 18)),
        ("el lunes 14", "es", date(2026, 12, 14)),
        ("December 18th", "en", date(2026, 12, 18)),
        ("5/1/27", "es", date(2027, 1, 5)),
        ("quiero una cita para mañana en la mañana", "es", date(2026, 12, 1)),
    ],
)
def test_a_day_in_words_is_the_day_meant(said: str, language: str, meant: date) -> None:
    assert day_of(fold(said), TODAY, language) == DayWanted(day=meant)


def test_a_week_in_words_is_its_monday() -> None:
    assert day_of(fold("la otra semana"), TODAY, "es") == DayWanted(week=date(2026, 12, 7))
    assert day_of(fold("en 2 semanas"), TODAY, "es") == DayWanted(week=date(2026, 12, 14))


@pytest.mark.parametrize(
    "said",
    ["el lunes o el martes", "el lunes 8", "el próximo martes", "el otro lunes", "mañana o pasado"],
)
def test_two_days_that_could_be_meant_are_asked_about(said: str) -> None:
    assert day_of(fold(said), TODAY, "es") is AMBIGUOUS


@pytest.mark.parametrize("said", ["en la mañana", "hola", "1", "quiero una cita"])
def test_no_day_is_read_where_none_is_named(said: str) -> None:
    assert day_of(fold(said), TODAY, "es") is None


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("a las 10", TimeWanted(hour_only=10)),
        ("a las diez y media", TimeWanted(clock=(10, 30))),
        ("4 y media", TimeWanted(clock=(4, 30), either=True)),
        ("a las 4 de la tarde", TimeWanted(clock=(16, 0))),
        ("al mediodia", TimeWanted(clock=(12, 0))),
        ("en la tarde", TimeWanted(part="afternoon")),
        ("lo antes posible", TimeWanted(earliest=True)),
    ],
)
def test_a_time_in_words_is_the_time_meant(said: str, meant: TimeWanted) -> None:
    assert time_of(fold(said), None) == meant


@pytest.mark.parametrize("said", ["a las 4 o a las 5", "a las 10 o 10 y media"])
def test_two_times_are_asked_about(said: str) -> None:
    assert time_of(fold(said), None) is AMBIGUOUS


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("consulta general", 1),
        ("general", 1),
        ("la de control prenatal porfa", 2),
        ("consuta general", 1),  # a typo
        ("ultrasonido", 3),
        ("certificado", 4),
        ("algo", None),
    ],
)
def test_an_option_by_its_text(said: str, meant: int | None) -> None:
    assert option_by_text(fold(said), SERVICES) == meant


def test_a_word_two_options_share_is_asked_about() -> None:
    assert option_by_text("consulta", ["Consulta general", "Consulta prenatal"]) is AMBIGUOUS


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("quiero cancelar mi cita", "change"),
        ("ver mis citas", "bookings"),
        ("hablar con la doctora", "person"),
        ("quiero una cita para el lunes", "book"),
        ("ola kiero agnedar", "book"),  # a typo
        ("hi i need to cancel my appointment", "change"),
        ("hola", None),
    ],
)
def test_what_a_patient_asks_for_in_words(said: str, meant: str | None) -> None:
    assert intent_of(fold(said)) == meant


def test_the_corpus_is_understood_and_never_read_worse() -> None:
    """The corpus of how patients write (tests/data/patient_corpus) holds its figure."""
    verdicts = run()
    understood = sum(v.outcome == "ok" for v in verdicts) / len(verdicts)
    assert len(verdicts) >= 400
    assert understood >= CORPUS_FLOOR, [v.detail for v in verdicts if v.outcome != "ok"][:20]
