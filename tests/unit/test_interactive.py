"""Lists and buttons within Twilio's limits, shortened readably; a pool whose numbers line up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.messaging.interactive import (
    ELLIPSIS,
    ID_LIMIT,
    LIST_BUTTON_LIMIT,
    LIST_PICKER,
    POOL_KINDS,
    QUICK_REPLY,
    QUICK_REPLY_TITLE_LIMIT,
    Interactive,
    Item,
    definition,
    fitted,
    kind_for,
    pool,
    pool_key,
    shorten,
    twilio_length,
    variables,
)
from bot_flows.texts import CATALOGUES, when
from tests.twilio_limits import PLACEHOLDER, assert_sendable, render

LANGUAGES = tuple(CATALOGUES)
ZONE = "America/Mexico_City"
BREAKS = ",;:.-\u2013\u2014(/[{¿¡"

LONG_SERVICES = (
    "Ultrasonido obstétrico de control (45 min)",
    "Consulta de primera vez con revisión de estudios previos",
    "Colocación y retiro de dispositivo intrauterino (DIU) de cobre",
    "Otorrinolaringología pediátrica",
    "Follow-up visit after laparoscopic gallbladder surgery",
)
DOCTORS = ("Dra. María Guadalupe Fernández de la Garza", "Dr. Juan Carlos Hernández-Villanueva")
BUTTONS = {"es": "Ver todas las opciones", "en": "See all the options"}
# Days and times as the flows write them (Babel, the practice's time zone): the longest
# Spanish weekday and month, an evening time in English.
INSTANTS = [datetime(2026, 12, 30, 17, 30, tzinfo=UTC), datetime(2026, 9, 23, 1, 45, tzinfo=UTC)]


def choices(language: str) -> list[Interactive]:
    """Realistic long choices of the flows, in `language`."""
    button = BUTTONS[language]
    services = Interactive(
        "¿Qué servicio necesitas? " * 3,
        tuple(
            Item(f"service:{n:032x}", name, f"45 min · $1,250.00 MXN · {DOCTORS[n % 2]}")
            for n, name in enumerate(LONG_SERVICES)
        ),
        button,
    )
    stamps = [when(instant, ZONE, language) for instant in INSTANTS * 5]
    times = Interactive(
        "🕐 " + "¿A qué hora? " * 100,  # over the body limit
        tuple(
            Item(f"slot:{n:08d}-0000-0000-0000-000000000000", stamp, f"{DOCTORS[0]}, {stamp}")
            for n, stamp in enumerate(stamps)
        ),
        button,
    )
    pending = Interactive(
        "PENDIENTES",
        tuple(
            Item(f"request:K7M3Q{n}", f"K7M3Q{n} · {DOCTORS[1]}", f"{LONG_SERVICES[n]} — {s}")
            for n, s in enumerate(stamps[:5])
        ),
        button,
    )
    confirm = Interactive(
        "¿Confirmas?",
        (Item("confirm", "Confirmar"), Item("restart", "Empezar de nuevo"), Item("no", "Cancelar")),
        button,
    )
    return [services, times, pending, confirm]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_of_every_choice_is_within_twilios_limits(language: str) -> None:
    for interactive in choices(language):
        kind = kind_for(len(interactive.items), interactive.items)
        assert kind is not None
        assert_sendable(kind, interactive, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_shortened_field_keeps_whole_words_and_says_so(language: str) -> None:
    for interactive in choices(language):
        original = {item.id: item for item in interactive.items}
        for item in fitted(interactive).items:
            whole = original[item.id]
            for short, full in ((item.title, whole.title), (item.description, whole.description)):
                if short != " ".join(full.split()) and short != whole.title:
                    assert short.endswith(ELLIPSIS), (short, full)
                    assert _cut_between_words(short, " ".join(full.split())), (short, full)


def test_a_long_service_name_reads_whole_words_and_its_description_the_whole_name() -> None:
    item = Item("service:1", "Ultrasonido obstétrico de control (45 min)")
    choice = Interactive("¿Qué servicio?", (item, Item("service:2", "Consulta")), "Ver opciones")

    fit = fitted(choice)

    assert fit.items[0] == Item("service:1", "Ultrasonido obstétrico…", item.title)
    assert fit.items[1] == Item("service:2", "Consulta", "Consulta")  # Twilio wants one


def test_spanish_dates_are_shortened_after_a_word() -> None:
    assert shorten("miércoles 30 de diciembre, 17:30", 24) == "miércoles 30 de…"
    assert shorten("miércoles 30 de diciembre", 24) == "miércoles 30 de…"
    assert shorten("miércoles 30 de diciembre", 25) == "miércoles 30 de diciembre"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Consulta general", 24, "Consulta general"),
        ("  Consulta  ", 8, "Consulta"),
        ("Consulta general, primera vez", 18, "Consulta general…"),
        ("Ultrasonido obstétrico de control (45 min)", 40, "Ultrasonido obstétrico de control…"),
        ("Otorrinolaringología pediátrica", 12, "Otorrinolar…"),
        ("Otorrinolaringología", 20, "Otorrinolaringología"),
        ("Ver todas las opciones", LIST_BUTTON_LIMIT, "Ver todas las…"),
        ("👶 Pediatría 👶 general", 13, "👶 Pediatría…"),
        ("👶 Pediatría 👶 general", 12, "👶…"),
        ("👶👶👶👶👶👶", 5, "👶👶…"),
        ("abc", 1, ELLIPSIS),
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


WORDS = st.lists(
    st.text(alphabet="aeiouñéáxyz👶,.(", min_size=1, max_size=14), min_size=1, max_size=12
).map(" ".join)


@example(": 000", 4)  # punctuation, then a first word too long: cut inside it
@given(st.one_of(st.text(max_size=120), WORDS), st.integers(min_value=1, max_value=60))
def test_shorten_fits_and_never_cuts_a_word_without_saying_so(text: str, limit: int) -> None:
    short = shorten(text, limit)

    assert twilio_length(short) <= limit
    if short != text.strip():
        assert short.endswith(ELLIPSIS)
        assert text.strip().startswith(short.removesuffix(ELLIPSIS))
        assert _cut_between_words(short, text.strip())


def _cut_between_words(short: str, whole: str) -> bool:
    """After a word (a space or a break follows), or inside a first word too long to fit.

    The first word is the first with a letter or digit: in ": 000" it is "000".
    """
    head = short.removesuffix(ELLIPSIS)
    rest = whole[len(head) :]
    if not rest or rest[0].isspace() or rest[0] in BREAKS:
        return True
    spaces = [position for position, character in enumerate(head) if character.isspace()]
    before = head[: spaces[-1]] if spaces else ""
    return all(character.isspace() or character in BREAKS for character in before)


def test_buttons_up_to_three_a_list_up_to_ten_then_numbered_text() -> None:
    kinds = {count: kind_for(count) for count in range(12)}

    assert kinds == {
        0: None,
        **dict.fromkeys(range(1, 4), QUICK_REPLY),
        **dict.fromkeys(range(4, 11), LIST_PICKER),
        11: None,
    }


def test_three_choices_go_as_a_list_when_a_title_would_be_cut_or_a_description_lost() -> None:
    short = (Item("a", "Confirmar"), Item("b", "Cambiar"), Item("c", "Cancelar"))
    long_title = (*short[:2], Item("c", "Cancelar mi cita de mañana"))
    described = (*short[:2], Item("c", "Cancelar", "Libera tu horario"))

    assert kind_for(3, short) == QUICK_REPLY
    assert kind_for(3, long_title) == LIST_PICKER
    assert kind_for(3, described) == LIST_PICKER


def test_an_id_of_200_characters_is_sent_and_one_of_201_refused() -> None:
    ok = Interactive("¿Cuál?", (Item("x" * ID_LIMIT, "Uno"),), "Ver")
    too_long = Interactive("¿Cuál?", (Item("x" * (ID_LIMIT + 1), "Uno"),), "Ver")

    assert fitted(ok).items[0].id == "x" * ID_LIMIT
    with pytest.raises(ValueError, match="over 200"):
        fitted(too_long)
    with pytest.raises(ValueError, match="over 200"):
        variables(LIST_PICKER, too_long)


@pytest.mark.parametrize(
    "items",
    [
        (Item("same", "Uno"), Item("same", "Dos")),
        (Item("", "Uno"),),
        (Item(" padded", "Uno"),),
        (Item("a", "   "),),
        tuple(Item(str(n), f"Opción {n}") for n in range(11)),
    ],
    ids=["repeated id", "empty id", "padded id", "empty title", "eleven items"],
)
def test_what_twilio_would_refuse_is_a_programming_error(items: tuple[Item, ...]) -> None:
    with pytest.raises(ValueError):
        fitted(Interactive("¿Cuál?", items, "Ver"))


def test_an_empty_body_or_list_button_is_refused() -> None:
    items = tuple(Item(str(n), f"Opción {n}") for n in range(5))

    with pytest.raises(ValueError):
        fitted(Interactive("  ", items, "Ver"))
    with pytest.raises(ValueError):
        fitted(Interactive("¿Cuál?", items, ""))
    assert fitted(Interactive("¿Cuál?", items[:2], ""), QUICK_REPLY).button == ""


def test_buttons_forced_on_long_titles_are_shortened_to_a_buttons_limit() -> None:
    items = (Item("a", "Cancelar mi cita de mañana por la tarde"), Item("b", "No"))

    fit = fitted(Interactive("¿Seguro?", items, ""), QUICK_REPLY)

    assert fit.items[0] == Item("a", "Cancelar mi cita de…")
    assert twilio_length(fit.items[0].title) <= QUICK_REPLY_TITLE_LIMIT


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("kind", "count"), [(k, n) for k, m in POOL_KINDS.items() for n in (1, m)])
def test_a_definitions_placeholders_and_a_sends_variables_line_up(
    kind: str, count: int, language: str
) -> None:
    made = definition(kind, count, language)
    items = tuple(Item(f"id-{n}", f"Choice {n}", f"About {n}") for n in range(count))
    values = variables(kind, Interactive("Pick one", items, "Options"))

    used = PLACEHOLDER.findall(str(made["types"]))
    assert sorted(used, key=int) == [str(n) for n in range(1, len(used) + 1)]  # {{1}}..{{n}}
    assert set(used) == set(made["variables"]) == set(values)  # type: ignore[arg-type]
    assert len(used) == len(set(used))
    sent = render(kind, count, language, values)
    choices_sent = sent["items" if kind == LIST_PICKER else "actions"]
    assert [c["id"] for c in choices_sent] == [item.id for item in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_of_a_definition_is_a_variable_with_a_sample_within_limits(
    language: str,
) -> None:
    for kind, count, _ in pool([language]):
        made = definition(kind, count, language)
        content = made["types"][kind]  # type: ignore[index]
        choices_made = content["items" if kind == LIST_PICKER else "actions"]
        fields = [content["body"], *([content["button"]] if kind == LIST_PICKER else [])]
        fields += [value for choice in choices_made for value in choice.values()]
        assert len(choices_made) == count
        assert all(PLACEHOLDER.fullmatch(value) for value in fields), fields
        samples = made["variables"].values()  # type: ignore[union-attr]
        assert all(0 < twilio_length(sample) <= QUICK_REPLY_TITLE_LIMIT for sample in samples)
        assert made["language"] == language


def test_the_pool_is_every_count_of_every_kind_in_every_language_each_named_once() -> None:
    entries = list(pool(LANGUAGES))
    keys = [pool_key(*entry) for entry in entries]
    names = [definition(*entry)["friendly_name"] for entry in entries]

    assert len(entries) == len(LANGUAGES) * sum(POOL_KINDS.values()) == 26
    assert len(set(keys)) == len(set(names)) == len(entries)
    assert "list-picker:7:es" in keys
    assert "citabot_list_7_es" in names


def test_definitions_are_the_same_every_time() -> None:
    assert [definition(*entry) for entry in pool(LANGUAGES)] == [
        definition(*entry) for entry in pool(LANGUAGES)
    ]


def test_a_count_outside_the_pool_has_no_definition() -> None:
    with pytest.raises(ValueError):
        definition(QUICK_REPLY, 4, "es")
    with pytest.raises(ValueError):
        definition(LIST_PICKER, 0, "es")
    with pytest.raises(ValueError):
        variables(QUICK_REPLY, Interactive("?", tuple(Item(str(n), "x") for n in range(4)), ""))
