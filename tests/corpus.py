"""Runs the corpus of how patients write (tests/data/patient_corpus) through the real flow.

Each message is said at its question, in the scenario its README states (Monday
30 November 2026, 09:00 in Mexico City; four services; December open), through
`answer_patient` with the in-memory services, and what the bot did is compared
with what the entry expects. A verdict is "ok", "asked" (the bot asked again where
it should have understood: a miss, but nothing wrong was kept) or "wrong" (the
bot understood something else, or guessed where it should have asked).
`bench/understanding.py` prints the figures; tests/unit/test_understanding_corpus.py
holds the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot_flows.patient import PatientState
from tests.unit.fake_patient_services import NOW, FakePatientServices, Patient

S = PatientState
CORPUS = Path(__file__).resolve().parent / "data" / "patient_corpus"
ZONE = ZoneInfo("America/Mexico_City")
SERVICES = ("Consulta general", "Control prenatal", "Ultrasonido obstétrico", "Certificado médico")
DURATIONS = (30, 45, 30, 15)
MORNING = ((9, 0), (9, 30), (10, 30), (11, 0), (11, 30), (12, 0), (12, 30))  # 10:00 taken
AFTERNOON = ((16, 0), (16, 30), (17, 0), (17, 30), (18, 0), (18, 30))
WEEKDAY_TIMES = [time(h, m) for h, m in (*MORNING, *AFTERNOON)]
SATURDAY_TIMES = [time(9 + n // 2, 30 * (n % 2)) for n in range(8)]  # 09:00 to 12:30
PHONES = {"us": "+12125550123", "co": "+573001234567", "ar": "+5491123456789", "cl": "+56912345678"}
ASKED = {"patient.not_understood", "patient.which_one", "patient.answer_needed"}
ASKED_PREFIXES = ("patient.bad_", "patient.help", "patient.reason_needed")


@dataclass(frozen=True)
class Entry:
    file: str
    text: str
    lang: str
    region: str
    expect: dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    entry: Entry
    outcome: str  # "ok" | "asked" | "wrong"
    detail: str


def entries() -> Iterator[Entry]:
    for path in sorted(CORPUS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text()):
            yield Entry(path.stem, item["text"], item["lang"], item["region"], item["expect"])


def scenario(consented: bool, region: str) -> FakePatientServices:
    """The corpus's practice: December's Monday-to-Saturday times, 25 December closed."""
    services = FakePatientServices(consented=consented)
    services.phone = PHONES.get(region, services.phone)
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(31)]
    open_days = [d for d in days if d.weekday() != 6 and d != date(2026, 12, 25)]
    for name, duration in zip(SERVICES, DURATIONS, strict=True):
        weekdays = [d for d in open_days if d.weekday() < 5]
        service = services.add_service(name, weekdays, WEEKDAY_TIMES, duration=duration)
        for saturday in (d for d in open_days if d.weekday() == 5):
            for at in SATURDAY_TIMES:
                services.add_slot(service, datetime.combine(saturday, at, tzinfo=ZONE))
        services.free[service.id].sort(key=lambda slot: slot.start)
    services.add_booking("K7M3QX", services.service_list[0], NOW + timedelta(days=3, hours=1))
    return services


def _patient(entry: Entry, path: tuple[str, ...], consented: bool = True) -> Patient:
    patient = Patient(scenario(consented, entry.region), language=entry.lang)
    patient.chat.language = entry.lang
    for message in path:
        patient.send(message)
    patient.chat.language = entry.lang
    return patient


TO_TIME = ("hola", "1", "1", "1")
TO_NAME = (*TO_TIME, "1")
REACH: dict[str, Callable[[Entry], Patient]] = {
    "first": lambda e: _patient(e, (), consented=False),
    "consent": lambda e: _patient(e, ("hola",), consented=False),
    "menu": lambda e: _patient(e, ("hola",)),
    "service": lambda e: _patient(e, ("hola", "1")),
    "day": lambda e: _patient(e, ("hola", "1", "1")),
    "time": lambda e: _patient(e, TO_TIME),
    "name": lambda e: _patient(e, TO_NAME),
    "age": lambda e: _patient(e, (*TO_NAME, "Ana Pérez")),
    "urgency": lambda e: _patient(e, (*TO_NAME, "Ana Pérez", "34", "dolor de garganta", "no")),
    "summary": lambda e: _patient(e, (*TO_NAME, "Ana Pérez", "34", "dolor de garganta", "no", "2")),
    "reminder": lambda e: _reminded(_patient(e, ("hola",))),
}
STATES = {
    "first": S.NEW, "consent": S.CONSENT, "menu": S.MENU, "service": S.SERVICE, "day": S.DAY,
    "time": S.TIME, "name": S.NAME, "age": S.AGE, "urgency": S.URGENCY,
    "summary": S.SUMMARY, "reminder": S.REMINDER,
}  # fmt: skip


def _reminded(patient: Patient) -> Patient:
    patient.chat.state, patient.chat.data = S.REMINDER, {"code": "K7M3QX"}
    return patient


def judge(entry: Entry) -> Verdict:
    patient = REACH[entry.file](entry)
    assert patient.state == STATES[entry.file], (entry.file, patient.state)
    before = dict(patient.chat.data, _state=patient.state)
    keys = patient.send(entry.text).keys
    if entry.file == "first" and patient.state == S.CONSENT:
        language = patient.chat.language
        keys += patient.send("1").keys  # what it carried is used after the consent
        patient.chat.language = language
    misses = [
        f"{key}={value!r}: {found!r}"
        for key, value in entry.expect.items()
        if (found := _check(key, value, patient, keys, before)) is not True
    ]
    if not misses:
        return Verdict(entry, "ok", "")
    asked = patient.state == STATES[entry.file] and _asked(keys)
    outcome = "asked" if asked and "ask" not in entry.expect else "wrong"
    return Verdict(entry, outcome, f"{'; '.join(misses)} (state {patient.state}, {keys})")


def _asked(keys: list[str]) -> bool:
    return any(key in ASKED or key.startswith(ASKED_PREFIXES) for key in keys)


def _check(
    key: str, value: Any, patient: Patient, keys: list[str], before: dict[str, Any]
) -> bool | str:
    """True when the bot did what `key: value` expects, else what it did instead."""
    data, state = patient.chat.data, patient.state
    wanted = data.get("wanted") or {}
    match key:
        case "ask":
            return (before.get("_state") == state and _asked(keys)) or f"{state} {keys}"
        case "lang":
            return patient.chat.language == value or patient.chat.language
        case "reply":
            said = {"thanks": "patient.you_are_welcome", "greeting": "patient.greeted"}[value]
            return (said in keys and state == S.MENU) or str(keys)
        case "intent":
            return _intent(value, state, keys) or f"{state} {keys}"
        case "service":
            return data.get("service") == value or data.get("service", state)
        case "day":
            chosen = data.get("day") or wanted.get("day")
            return chosen == value.isoformat() or f"{chosen} {state}"
        case "week":
            shown = data.get("days_shown") or []
            week = {(value + timedelta(days=n)).isoformat() for n in range(7)}
            ok = (shown and set(shown) <= week) or wanted.get("week") == value.isoformat()
            return bool(ok) or str(shown)
        case "more_days":
            shown = data.get("days_shown") or []
            return (bool(shown) and shown[0] > "2026-12-08") or str(shown)
        case "unavailable":
            told = {"patient.day_unavailable", "patient.week_unavailable"} & set(keys)
            return bool(told) or str(keys)
        case "time":
            return _time_kept(patient) == value or _time_kept(patient)
        case "part":
            if "times_shown" in data:
                parts = {_part(start) for _, start in data["times_shown"]}
                return parts == {value} or str(parts)
            return wanted.get("part") == value or str(wanted or state)
        case "earliest":
            return _time_kept(patient) == "09:00" or bool(wanted.get("earliest")) or "no"
        case "more_times":
            return (state == S.TIME and data.get("times_from", 0) > 0) or str(keys)
        case "not_free":
            return "patient.time_not_free" in keys or str(keys)
        case "name" | "age" | "urgency":
            return data.get(key) == value or data.get(key, state)
        case "consent":
            return (patient.services.consented == (value == "yes") and state != S.CONSENT) or state
        case "summary":
            done = {
                "send": state == S.MENU and "patient.requested" in keys,
                "restart": state == S.SERVICE,
                "discard": "patient.discarded" in keys,
            }
            return done[value] or f"{state} {keys}"
        case "reminder":
            done = {
                "confirm": "patient.attendance_thanks" in keys,
                "cancel": state == S.CANCEL,
                "change": state in (S.MOVE_DAY, S.MOVE_TIME),
            }
            return done[value] or f"{state} {keys}"
    raise ValueError(f"unknown expectation {key!r}")


def _intent(intent: str, state: str, keys: list[str]) -> bool:
    return {
        "book": state in (S.SERVICE, S.DAY),
        "bookings": "patient.bookings" in keys,
        "change": state in (S.PICK, S.ACTION),
        "person": state == S.HANDOFF,
    }[intent]


def _time_kept(patient: Patient) -> str | None:
    """The time kept, or the one time shown for the patient to take (asked with the day)."""
    data = patient.chat.data
    start = data.get("start")
    if start is None and len(data.get("times_shown") or []) == 1:
        start = data["times_shown"][0][1]
    wanted = data.get("wanted") or {}
    if start is None and wanted.get("clock"):
        return "{:02d}:{:02d}".format(*wanted["clock"])
    if start is None and wanted.get("hour"):  # offered with the day: 4 is 16:00 here
        hour = wanted["hour"]
        return f"{hour + 12 if hour <= 7 else hour:02d}:00"
    if start is None:
        return None
    return datetime.fromisoformat(start).astimezone(ZONE).strftime("%H:%M")


def _part(start: str) -> str:
    return "morning" if datetime.fromisoformat(start).astimezone(ZONE).hour < 12 else "afternoon"


def run() -> list[Verdict]:
    return [judge(entry) for entry in entries()]
