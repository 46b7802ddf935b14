"""How sentences name the doctor: title once, Spanish articles and contractions, neutral x."""

from __future__ import annotations

import pytest

from bot_flows.texts import doctor_values
from bot_flows.texts.grammar import titled_name, with_preposition


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Ana López", "Dra.", "Dra. Ana López"),
        ("Dra. Ana López", "Dra.", "Dra. Ana López"),  # not "Dra. Dra. Ana López"
        ("dra. Ana López", "Dra.", "dra. Ana López"),  # the name's own spelling stays
        ("Dra. Ana López", None, "Dra. Ana López"),
        ("Ana López", None, "Ana López"),
        ("  Ana López ", " Dr. ", "Dr. Ana López"),
    ],
)
def test_the_title_goes_before_the_name_once(name: str, title: str | None, expected: str) -> None:
    assert titled_name(name, title) == expected


@pytest.mark.parametrize(
    ("name", "title", "gender", "of_doctor", "to_doctor", "with_doctor", "of_the_doctor"),
    [
        (
            "Ana López", "Dra.", "f",
            "de la Dra. Ana López", "a la Dra. Ana López", "con la Dra. Ana López", "de la doctora",
        ),
        (
            "Dra. Ana López", None, "f",
            "de la Dra. Ana López", "a la Dra. Ana López", "con la Dra. Ana López", "de la doctora",
        ),
        (
            "Juan Ruiz", "Dr.", "m",
            "del Dr. Juan Ruiz", "al Dr. Juan Ruiz", "con el Dr. Juan Ruiz", "del doctor",
        ),
        (
            "Dr. Juan Ruiz", "Dr.", "m",
            "del Dr. Juan Ruiz", "al Dr. Juan Ruiz", "con el Dr. Juan Ruiz", "del doctor",
        ),
        (
            "Sam Ruiz", "Lic.", "x",
            "de Lic. Sam Ruiz", "a Lic. Sam Ruiz", "con Lic. Sam Ruiz", "del consultorio",
        ),
        # Without a title there is no article, whatever the gender.
        ("Ana López", None, "f", "de Ana López", "a Ana López", "con Ana López", "de la doctora"),
    ],
)  # fmt: skip
def test_spanish_puts_the_article_and_contracts_it(
    name: str,
    title: str | None,
    gender: str,
    of_doctor: str,
    to_doctor: str,
    with_doctor: str,
    of_the_doctor: str,
) -> None:
    named = doctor_values(name, title, gender, "es")
    assert (named["of_doctor"], named["to_doctor"], named["with_doctor"]) == (
        of_doctor,
        to_doctor,
        with_doctor,
    )
    assert named["of_the_doctor"] == of_the_doctor
    assert named["doctor"] == titled_name(name, title)


@pytest.mark.parametrize("gender", ["f", "m", "x"])
def test_english_has_no_article_and_one_noun(gender: str) -> None:
    named = doctor_values("Ana López", "Dr.", gender, "en")
    assert named == {
        "doctor": "Dr. Ana López",
        "of_doctor": "from Dr. Ana López",
        "to_doctor": "to Dr. Ana López",
        "with_doctor": "with Dr. Ana López",
        "the_doctor": "the doctor",
        "of_the_doctor": "from the doctor",
    }


def test_the_spanish_nouns_follow_the_gender() -> None:
    nouns = [doctor_values("Ana", None, gender, "es")["the_doctor"] for gender in "fmx"]
    assert nouns == ["la doctora", "el doctor", "el consultorio"]


def test_only_de_and_a_contract_with_el() -> None:
    assert with_preposition("de", "el doctor") == "del doctor"
    assert with_preposition("a", "el Dr. Juan") == "al Dr. Juan"
    assert with_preposition("con", "el doctor") == "con el doctor"
    assert with_preposition("de", "la doctora") == "de la doctora"
    assert with_preposition("de", "Elena Ruiz") == "de Elena Ruiz"
