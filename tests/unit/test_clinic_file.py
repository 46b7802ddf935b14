"""The clinic file: what it accepts, and every problem named by where it is."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.practices.bookability import nothing_bookable
from app.practices.clinic_file import CLINIC_FILE, ClinicFileError, load_clinic_file, read_clinic
from app.practices.clinic_file_models import ClinicFile, OpeningHours, Service, service_key

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_clinic.yaml"
REMOVED = object()

VALID: dict[str, Any] = {
    "name": "Dra. Ana López",
    "specialty": "Medicina general",
    "doctor_phone": "+5215511111111",
    "whatsapp_number": "+14155238886",
    "timezone": "America/Mexico_City",
    "language": "es",
    "approval_required": True,
    "emergency_phone": "911",
    "cancellation_policy": "Cancela con 24 horas de anticipación.",
    "services": [
        {"name": "Consulta general", "duration": 30, "price": "500.00", "category": "consulta"},
        {"name": "Certificado médico", "duration": 15, "requirements": None},
    ],
    "availability": [
        {"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "13:00"},
        {"days": [1, 2, 3, 4, 5], "start": "16:00", "end": "19:00", "slot_duration": 20},
    ],
    "closed": ["2026-12-25"],
}


def changed(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    """A copy of VALID with the value at `path` replaced (or removed)."""
    data = copy.deepcopy(VALID)
    *parents, last = path
    target: Any = data
    for step in parents:
        target = target[step]
    if value is REMOVED:
        del target[last]
    else:
        target[last] = value
    return data


def problems_of(data: object) -> tuple[str, ...]:
    with pytest.raises(ClinicFileError) as raised:
        read_clinic(data)
    return raised.value.problems


def test_a_valid_clinic_is_read_into_typed_values_with_defaults() -> None:
    clinic = read_clinic(VALID)

    assert clinic.name == "Dra. Ana López"
    assert clinic.whatsapp_number == "+14155238886"
    assert clinic.doctor_phone == "+525511111111"  # canonical E.164
    assert clinic.services[0] == Service(
        "Consulta general", 30, Decimal("500.00"), category="consulta"
    )
    assert clinic.services[1] == Service("Certificado médico", 15)
    assert clinic.availability[0] == OpeningHours((1, 2, 3, 4, 5), time(9), time(13))
    assert clinic.availability[1].slot_duration == 20
    assert clinic.closed == (date(2026, 12, 25),)
    assert (clinic.language, clinic.approval_required, clinic.emergency_phone) == (
        "es",
        True,
        "911",
    )
    assert (clinic.practice_type, clinic.min_notice_minutes, clinic.booking_horizon_days) == (
        "general",
        60,
        60,
    )


def test_json_and_yaml_files_give_the_same_clinic(tmp_path: Path) -> None:
    json_file = tmp_path / "clinic.json"
    json_file.write_text(json.dumps(VALID, ensure_ascii=False), encoding="utf-8")
    yaml_file = tmp_path / "clinic.YML"
    yaml_file.write_text(yaml.safe_dump(VALID, allow_unicode=True), encoding="utf-8")

    assert load_clinic_file(json_file) == load_clinic_file(yaml_file) == read_clinic(VALID)


def test_the_demo_clinic_is_valid() -> None:
    clinic = load_clinic_file(DEMO)

    assert clinic.name == "Dra. Ana López"
    assert clinic.whatsapp_number == "+14155238886"
    assert clinic.timezone == "America/Mexico_City"
    assert (clinic.services[0].name, clinic.services[0].price) == (
        "Consulta general",
        Decimal("500.00"),
    )
    assert sorted(day for hours in clinic.availability for day in hours.days) == (
        [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]
    )
    assert clinic.closed == (date(2026, 12, 25), date(2027, 1, 1))


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("availability", 1, "end"), "13:00", "availability[1].end: must be after start (16:00)"),
        (
            ("services", 1, "name"),
            " consulta GENERAL ",
            "services[1].name: duplicate service name 'consulta GENERAL' (as in services[0])",
        ),
        (
            ("services", 1, "name"),
            "Consulta General",
            "services[1].name: duplicate service name 'Consulta General' (as in services[0])",
        ),
        (
            ("timezone",),
            "America/Mexico_Cty",
            "timezone: unknown time zone 'America/Mexico_Cty'"
            " (did you mean 'America/Mexico_City'?)",
        ),
        (
            ("timezone",),
            "localtime",
            "timezone: unknown time zone 'localtime' (e.g. America/Mexico_City)",
        ),
        (
            ("doctor_phone",),
            "5511",
            "doctor_phone: '5511' is not in international format (e.g. +5215511111111)",
        ),
        (
            ("whatsapp_number",),
            "+1 415",
            "whatsapp_number: '+1 415' is not a possible phone number",
        ),
        (
            ("doctor_phone",),
            "whatsapp:+1 415 523 8886",
            "doctor_phone: must be the doctor's own phone, not the practice's number",
        ),
        (
            ("availability", 0, "days", 3),
            7,
            "availability[0].days[3]: 7 is not a day (0 = Sunday ... 6 = Saturday)",
        ),
        (
            ("availability", 0, "days", 0),
            True,
            "availability[0].days[0]: true is not a day (0 = Sunday ... 6 = Saturday)",
        ),
        (
            ("availability", 0, "days", 1),
            1,
            "availability[0].days[1]: 1 (Monday) is listed twice",
        ),
        (
            ("availability", 0, "days"),
            [],
            "availability[0].days: must list at least one day (0 = Sunday ... 6 = Saturday)",
        ),
        (("foo",), 1, "foo: unknown key"),
        (("timzone",), "UTC", "timzone: unknown key (did you mean 'timezone'?)"),
        (("services", 0, "colour"), "red", "services[0].colour: unknown key"),
        (
            (
                "availability",
                0,
                "slot",
            ),
            30,
            "availability[0].slot: unknown key",
        ),
        (("name",), REMOVED, "name: is required"),
        (("name",), "   ", "name: is required"),
        (("name",), "x" * 256, "name: is 256 characters long; at most 255 fit"),
        (("specialty",), "x" * 101, "specialty: is 101 characters long; at most 100 fit"),
        (
            ("services", 0, "category"),
            "x" * 101,
            "services[0].category: is 101 characters long; at most 100 fit",
        ),
        (("medical_license",), "x" * 51, "medical_license: is 51 characters long; at most 50 fit"),
        (("services",), [], "services: must list at least one service"),
        (("services",), {"name": "x"}, "services: must be a list, not a set of fields"),
        (
            ("services", 0),
            "Consulta",
            "services[0]: must be a set of fields (key: value), not 'Consulta'",
        ),
        (("availability",), REMOVED, "availability: is required"),
        (
            ("services", 0, "duration"),
            True,
            "services[0].duration: must be a whole number between 1 and 480 minutes, not true",
        ),
        (
            ("services", 0, "duration"),
            30.5,
            "services[0].duration: must be a whole number between 1 and 480 minutes, not 30.5",
        ),
        (
            ("services", 0, "duration"),
            "30",
            "services[0].duration: must be a whole number between 1 and 480 minutes, not '30'",
        ),
        (
            ("services", 0, "duration"),
            481,
            "services[0].duration: must be between 1 and 480 minutes, not 481",
        ),
        (("services", 0, "price"), -1, "services[0].price: must be an amount of 0 or more, not -1"),
        (
            ("services", 0, "price"),
            "10.005",
            "services[0].price: must have at most 2 decimals, not '10.005'",
        ),
        (
            ("services", 0, "price"),
            "$500",
            "services[0].price: must be an amount like 500.00 (digits only), not '$500'",
        ),
        (
            ("services", 0, "price"),
            True,
            "services[0].price: must be an amount like 500.00, not true",
        ),
        (
            ("availability", 0, "slot_duration"),
            4,
            "availability[0].slot_duration: must be between 5 and 480 minutes, not 4",
        ),
        (
            ("availability", 0, "buffer_time"),
            -5,
            "availability[0].buffer_time: must be between 0 and 480 minutes, not -5",
        ),
        (
            ("availability", 0, "max_appointments_per_slot"),
            51,
            "availability[0].max_appointments_per_slot: must be between 1 and 50, not 51",
        ),
        (
            ("availability", 0, "start"),
            "9am",
            'availability[0].start: must be a time like "09:00" or "16:30" (24-hour clock),'
            " not '9am'",
        ),
        (
            ("availability", 0, "start"),
            540,
            'availability[0].start: write the time in quotes ("09:00");'
            " without them YAML reads it as a number",
        ),
        (
            ("closed", 0),
            "25/12/2026",
            "closed[0]: must be a date like \"2026-12-25\" (year-month-day), not '25/12/2026'",
        ),
        (("closed", 0), "2026-02-30", "closed[0]: '2026-02-30' is not a date in the calendar"),
        (("language",), "fr", "language: must be one of 'es', 'en', not 'fr'"),
        (
            ("practice_type",),
            "hospital",
            "practice_type: must be one of 'general', 'specialist', 'clinic', not 'hospital'",
        ),
        (("approval_required",), "yes", "approval_required: must be true or false, not 'yes'"),
        (("approval_required",), 1, "approval_required: must be true or false, not 1"),
        (
            ("emergency_phone",),
            "1",
            "emergency_phone: '1' must be a short emergency number of 2 to 6 digits"
            ' (such as "911") or an international number (such as "+525555555555")',
        ),
        (("emergency_phone",), 911, 'emergency_phone: write the number in quotes: "911"'),
        (
            ("doctor_phone",),
            5215511111111,
            'doctor_phone: write the number in quotes, with its plus sign: "+5215511111111"',
        ),
        (("email",), "ana.lopez", "email: 'ana.lopez' is not an e-mail address (name@example.com)"),
        (
            ("booking_horizon_days",),
            366,
            "booking_horizon_days: must be between 1 and 365 days, not 366",
        ),
        (
            ("min_notice_minutes",),
            -1,
            "min_notice_minutes: must be between 0 and 525600 minutes, not -1",
        ),
    ],
)
def test_each_problem_names_its_field(
    path: tuple[str | int, ...], value: object, problem: str
) -> None:
    assert problems_of(changed(path, value)) == (problem,)


def test_every_problem_is_reported_at_once() -> None:
    data = changed(("timezone",), "Mars/Olympus")
    data["services"][1]["name"] = "CONSULTA GENERAL"
    data["availability"][0]["end"] = "08:00"
    data["availability"][1]["days"] = [1, 9]
    data["closed"].append("mañana")
    data["color"] = "azul"

    assert problems_of(data) == (
        "color: unknown key",
        "timezone: unknown time zone 'Mars/Olympus' (e.g. America/Mexico_City)",
        "services[1].name: duplicate service name 'CONSULTA GENERAL' (as in services[0])",
        "availability[0].end: must be after start (09:00)",
        "availability[1].days[1]: 9 is not a day (0 = Sunday ... 6 = Saturday)",
        "closed[1]: must be a date like \"2026-12-25\" (year-month-day), not 'mañana'",
    )


def test_lenient_where_nothing_is_lost() -> None:
    data = changed(("closed",), ["2026-12-25", date(2026, 12, 25), "2026-01-06"])
    data["services"][0].update(duration=30.0, price=500, category="  ")
    data["services"][1]["price"] = 99.5
    data["emergency_phone"] = "+52 55 5555 5555"
    data["doctor_phone"] = "whatsapp:+52 1 55 1111 1111"
    data["specialty"] = None

    clinic = read_clinic(data)

    assert clinic.closed == (date(2026, 1, 6), date(2026, 12, 25))
    assert clinic.services[0] == Service("Consulta general", 30, Decimal(500))
    assert clinic.services[1].price == Decimal("99.50")
    assert clinic.emergency_phone == "+525555555555"
    assert clinic.doctor_phone == "+525511111111"
    assert clinic.specialty is None


def test_windows_may_not_overlap_on_a_shared_day() -> None:
    data = changed(("availability", 1), {"days": [5, 6], "start": "12:30", "end": "14:00"})

    assert problems_of(data) == (
        "availability[1]: 12:30-14:00 overlaps availability[0] (09:00-13:00) on Friday",
    )


def test_windows_in_force_on_different_dates_may_overlap() -> None:
    data = copy.deepcopy(VALID)
    data["availability"] = [
        {"days": [1], "start": "09:00", "end": "13:00", "effective_to": "2026-12-31"},
        {"days": [1], "start": "10:00", "end": "14:00", "effective_from": "2027-01-01"},
    ]

    assert [hours.effective_from for hours in read_clinic(data).availability] == [
        None,
        date(2027, 1, 1),
    ]


def test_dates_of_a_window_must_be_in_order() -> None:
    data = changed(("availability", 0, "effective_from"), "2027-01-01")
    data["availability"][0]["effective_to"] = "2026-12-31"

    assert problems_of(data) == (
        "availability[0].effective_to: must not be before effective_from (2027-01-01)",
    )


def test_a_window_shorter_than_a_slot_is_refused() -> None:
    data = changed(("availability", 0, "end"), "09:20")

    assert problems_of(data) == (
        "availability[0]: 09:00-09:20 is shorter than one slot (30 minutes),"
        " so no appointment fits",
    )


def test_a_service_longer_than_every_window_is_refused() -> None:
    data = changed(("services", 1, "duration"), 241)

    assert problems_of(data) == (
        "services[1].duration: 241 minutes is longer than every availability window"
        " (the longest, availability[0], is 240 minutes), so it could never be booked",
    )


def test_a_service_that_fits_one_window_only_is_accepted() -> None:
    clinic = read_clinic(changed(("services", 1, "duration"), 240))

    assert clinic.services[1].duration == 240


def test_a_broken_window_is_blamed_alone_not_the_services_it_would_have_fitted() -> None:
    data = changed(("availability", 0, "end"), "08:00")
    data["services"][1]["duration"] = 200

    assert problems_of(data) == ("availability[0].end: must be after start (09:00)",)


def test_no_opening_hours_at_all_is_allowed() -> None:
    assert read_clinic(changed(("availability",), [])).availability == ()


NOON_IN_MEXICO_CITY = datetime(2026, 12, 1, 18, tzinfo=UTC)


def test_no_opening_hours_is_a_warning() -> None:
    clinic = read_clinic(changed(("availability",), []))

    assert nothing_bookable(clinic, NOON_IN_MEXICO_CITY) == (
        "availability: no opening hours, so patients cannot book anything until some are added"
    )


def test_opening_hours_that_have_all_ended_are_a_warning() -> None:
    data = changed(("availability", 0, "effective_to"), "2026-11-30")
    data["availability"][1]["effective_to"] = "2026-06-30"

    assert nothing_bookable(read_clinic(data), NOON_IN_MEXICO_CITY) == (
        "availability: every entry has ended (effective_to, the last 2026-11-30),"
        " so patients cannot book anything"
    )


def test_hours_still_in_force_on_the_practices_own_date_are_no_warning() -> None:
    # 03:00 UTC on 1 December is still 30 November in Mexico City: its last day.
    data = changed(("availability", 0, "effective_to"), "2026-11-30")
    data["availability"][1]["effective_to"] = "2026-06-30"
    clinic = read_clinic(data)

    assert nothing_bookable(clinic, datetime(2026, 12, 1, 3, tzinfo=UTC)) is None
    assert nothing_bookable(read_clinic(VALID), NOON_IN_MEXICO_CITY) is None


def test_a_minimum_notice_beyond_the_horizon_is_refused() -> None:
    data = changed(("booking_horizon_days",), 1)
    data["min_notice_minutes"] = 1440

    assert problems_of(data) == (
        "min_notice_minutes: 1440 minutes is beyond the booking horizon (booking_horizon_days: 1),"
        " so nothing could ever be booked",
    )


def test_the_file_has_a_json_schema_for_editors() -> None:
    schema = CLINIC_FILE.json_schema()

    assert schema["additionalProperties"] is False
    assert set(VALID) <= set(schema["properties"])
    assert set(schema["required"]) == {
        "name",
        "whatsapp_number",
        "doctor_phone",
        "timezone",
        "services",
        "availability",
    }
    assert schema["$defs"]["OpeningHours"]["properties"]["slot_duration"]["minimum"] == 5


def test_service_names_match_ignoring_accents_capitals_and_spacing() -> None:
    assert service_key("  Análisis  CLÍNICOS ") == service_key("analisis clinicos")
    assert service_key("Consulta general") != service_key("Consulta especial")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("clinic.txt", b"name: x", "unsupported file type '.txt': use .json, .yaml or .yml"),
        (
            "clinic",
            b"name: x",
            "unsupported file type without an extension: use .json, .yaml or .yml",
        ),
        (
            "clinic.yaml",
            b"name: L\xf3pez\n",
            "is not UTF-8 text (line 1 has the byte 0xf3); save it again as UTF-8",
        ),
        (
            "clinic.json",
            b'{"name": "x",\n "timezone": "UTC",}',
            "is not valid JSON: Expecting property name enclosed in double quotes"
            " at line 2, column 20",
        ),
        (
            "clinic.yaml",
            b"name: x\nservices: [a\ntimezone: UTC\n",
            "is not valid YAML: expected ',' or ']', but got ':' at line 3, column 9",
        ),
        (
            "clinic.yml",
            b"name: x\nclosed:\n  - 2026-02-30\n",
            "line 3: 2026-02-30 is not a date in the calendar",
        ),
        (
            "clinic.yaml",
            b"- name: x\n",
            "the top level must be a set of fields (key: value), not a list",
        ),
        ("clinic.json", b"null", "the file is empty; start from examples/demo_clinic.yaml"),
        ("clinic.yaml", b"", "the file is empty; start from examples/demo_clinic.yaml"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_in_one_line(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ClinicFileError) as raised:
        load_clinic_file(path)

    assert raised.value.problems == (problem,)


def test_a_missing_file_or_a_folder_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()

    for name, problem in [
        ("missing.yaml", "file not found"),
        ("folder.yaml", "is a folder, not a file"),
    ]:
        with pytest.raises(ClinicFileError) as raised:
            load_clinic_file(tmp_path / name)
        assert raised.value.problems == (problem,)


def test_unquoted_yaml_times_and_phones_get_a_hint(tmp_path: Path) -> None:
    text = yaml.safe_dump(VALID, allow_unicode=True)
    text = text.replace("'+5215511111111'", "+5215511111111").replace("'16:00'", "16:00")
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ClinicFileError) as raised:
        load_clinic_file(path)

    assert raised.value.problems == (
        'doctor_phone: write the number in quotes, with its plus sign: "+5215511111111"',
        'availability[1].start: write the time in quotes ("16:00");'
        " without them YAML reads it as a number",
    )


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "clinic.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(VALID).encode())

    assert isinstance(load_clinic_file(path), ClinicFile)


# --- second-round keys: how the practice is shown, and what the intake asks --------------------


def test_an_old_file_without_the_new_keys_reads_with_their_defaults() -> None:
    clinic = read_clinic(VALID)

    assert (clinic.address, clinic.doctor_title, clinic.show_prices, clinic.currency) == (
        None,
        None,
        False,
        None,
    )
    assert clinic.doctor_gender == "f"  # from the "Dra." the name starts with
    assert clinic.intake == {
        "name": "required",
        "age": "required",
        "sex": "off",
        "reason": "required",
        "symptoms": "off",
        "history": "optional",
        "medications": "optional",
        "allergies": "optional",
        "urgency": "required",
        "contact": "off",
    }


def test_the_new_keys_are_read() -> None:
    data = VALID | {
        "name": "Juan Ruiz",
        "address": "  Av. Reforma 10, CDMX ",
        "doctor_title": "Dr.",
        "doctor_gender": "x",
        "show_prices": True,
        "currency": "mxn",
        "intake": {"sex": "optional", "history": "off", "contact": "required"},
    }
    clinic = read_clinic(data)

    assert (clinic.address, clinic.doctor_title, clinic.doctor_gender) == (
        "Av. Reforma 10, CDMX",
        "Dr.",
        "x",  # given: the title does not override it
    )
    assert (clinic.show_prices, clinic.currency) == (True, "MXN")
    assert (clinic.intake["sex"], clinic.intake["history"], clinic.intake["contact"]) == (
        "optional",
        "off",
        "required",
    )
    assert clinic.intake["name"] == "required"  # left out: the default


def test_attendance_keys_default_to_a_day_ahead_and_no_policy() -> None:
    clinic = read_clinic(VALID)
    assert (clinic.attendance_ask_hours, clinic.cancellation_window_hours) == (24, 24)
    assert clinic.no_shows is None and clinic.phone is None
    assert clinic.release_unconfirmed_hours is None
    assert read_clinic(VALID | {"release_unconfirmed_hours": 6}).release_unconfirmed_hours == 6
    policy = read_clinic(VALID | {"no_shows": {"limit": 2}, "phone": "+52 55 5550 1234"})
    assert policy.no_shows is not None
    assert (policy.no_shows.limit, policy.no_shows.months, policy.no_shows.then) == (
        2,
        6,
        "approval",
    )
    assert policy.phone == "+525555501234"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"no_shows": {"limit": 0}}, "no_shows.limit:"),
        ({"no_shows": {"limit": 2, "then": "block"}}, "no_shows.then:"),
        ({"no_shows": {"limit": 2, "months": 36}}, "no_shows.months:"),
        ({"no_shows": {"limti": 2}}, "no_shows.limti: unknown key"),
        ({"attendance_ask_hours": 1}, "attendance_ask_hours:"),
        ({"cancellation_window_hours": -1}, "cancellation_window_hours:"),
        ({"release_unconfirmed_hours": 24}, "release_unconfirmed_hours:"),
        ({"attendance_ask_hours": 6, "release_unconfirmed_hours": 8}, "release_unconfirmed_hours:"),
    ],
)
def test_bad_attendance_keys_are_named(changes: dict[str, Any], problem: str) -> None:
    assert any(line.startswith(problem) for line in problems_of(VALID | changes)), problems_of(
        VALID | changes
    )


@pytest.mark.parametrize(
    ("changes", "gender"),
    [
        ({"name": "Ana López", "doctor_title": "Dra."}, "f"),
        ({"name": "Juan Ruiz", "doctor_title": "Dr."}, "m"),
        ({"name": "Dr. Juan Ruiz"}, "m"),
        ({"name": "Dr. Jane Smith", "language": "en"}, "x"),  # "Dr." says nothing in English
        ({"name": "Lic. Sam Ruiz"}, "x"),
        ({"name": "Ana López"}, "x"),
    ],
)
def test_a_gender_left_out_comes_from_a_spanish_title(changes: dict[str, str], gender: str) -> None:
    assert read_clinic(VALID | changes).doctor_gender == gender


def test_yaml_reads_an_unquoted_off_as_false_and_that_means_off(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    data = VALID | {"intake": {"history": "OFF_PLACEHOLDER"}}
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True).replace("OFF_PLACEHOLDER", "off"),
        encoding="utf-8",
    )
    assert load_clinic_file(path).intake["history"] == "off"


def test_problems_with_the_new_keys_are_named_all_at_once() -> None:
    data = VALID | {
        "doctor_gender": "female",
        "show_prices": "yes",
        "currency": "pesos",
        "intake": {"nmae": "required", "age": "sometimes"},
    }
    assert set(problems_of(data)) == {
        "doctor_gender: must be one of 'f', 'm', 'x', not 'female'",
        "show_prices: must be true or false, not 'yes'",
        "currency: unknown currency code 'pesos' (e.g. MXN, USD, COP)",
        "intake.'nmae': unknown question (did you mean 'name'?); known: name, age, sex,"
        " reason, symptoms, history, medications, allergies, urgency, contact",
        "intake.age: must be one of required, optional, off, not 'sometimes'",
    }


def test_showing_prices_needs_a_currency() -> None:
    assert problems_of(VALID | {"show_prices": True}) == (
        "currency: is required when show_prices is true (e.g. MXN)",
    )


def test_intake_must_be_a_set_of_questions() -> None:
    assert problems_of(VALID | {"intake": ["name"]}) == (
        "intake: must give questions their settings (such as sex: optional), not a list",
    )


def test_the_demo_clinic_shows_a_doctora_with_address_and_prices() -> None:
    clinic = load_clinic_file(DEMO)

    assert (clinic.doctor_title, clinic.doctor_gender, clinic.currency) == ("Dra.", "f", "MXN")
    assert clinic.show_prices is True and clinic.address
