"""How sentences name the doctor: with the title, and in Spanish with the right article.

"el asistente de la Dra. Ana López", "del Dr. Juan Ruiz", "de Sam Ruiz"; "esperando
respuesta de la doctora", "del doctor", "del consultorio" (neutral, for gender `x`).
The articles and nouns are catalogue entries (`grammar.*`); the contractions are
Spanish's own rules. English needs none of it: "Dr. Ana López", "the doctor".

A title is used as given (`doctor_title`) or found at the start of the name, where
demo files put it ("Dra. Ana López"): a word ending in a full stop. The article goes
only with a title: "la Dra. Ana López", but plain "Ana López".
"""

from __future__ import annotations

from collections.abc import Callable

CONTRACTIONS = {("de", "el"): "del", ("a", "el"): "al"}
# Every fill site gives all of them; each language's sentences use the ones they need.
DOCTOR_PLACEHOLDERS = (
    "doctor",
    "of_doctor",
    "to_doctor",
    "with_doctor",
    "the_doctor",
    "of_the_doctor",
)

Catalogue = Callable[[str], str]


def titled_name(name: str, title: str | None) -> str:
    """The name with its title in front, once: 'Dra.' + 'Ana López' or 'Dra. Ana López'."""
    name = name.strip()
    if not title or _first_word(name).casefold() == title.strip().casefold():
        return name
    return f"{title.strip()} {name}"


def doctor_phrases(name: str, title: str | None, gender: str, words: Catalogue) -> dict[str, str]:
    """Every way a sentence names the doctor, by placeholder; `words` reads the catalogue.

    - doctor: "Dra. Ana López" (a label: "*Dra. Ana López:* ...", or English prose);
    - of_doctor, to_doctor, with_doctor: "de la Dra. Ana López", "al Dr. Juan Ruiz",
      "con Sam Ruiz";
    - the_doctor, of_the_doctor: "la doctora", "del doctor", "del consultorio".

    Spanish sentences name the doctor after a preposition or by the noun, so none needs
    a capital article at its start.
    """
    full = titled_name(name, title)
    article = words(f"grammar.article.{gender}") if _first_word(full).endswith(".") else ""
    named = f"{article} {full}" if article else full
    noun = words(f"grammar.the_doctor.{gender}")
    of = words("grammar.of")
    return {
        "doctor": full,
        "of_doctor": with_preposition(of, named),
        "to_doctor": with_preposition(words("grammar.to"), named),
        "with_doctor": with_preposition(words("grammar.with"), named),
        "the_doctor": noun,
        "of_the_doctor": with_preposition(of, noun),
    }


def with_preposition(preposition: str, phrase: str) -> str:
    """'de' + 'el doctor' -> 'del doctor'; 'a' + 'la Dra. Ana' -> 'a la Dra. Ana'."""
    if not preposition:
        return phrase
    first, _, rest = phrase.partition(" ")
    contracted = CONTRACTIONS.get((preposition, first))
    return f"{contracted} {rest}" if contracted else f"{preposition} {phrase}"


def _first_word(name: str) -> str:
    return (name.split() or [""])[0]
