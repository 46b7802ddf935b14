"""The settings page's form, translated to and from the practice's clinic file data.

Only translation lives here: the form's fields are laid over the exported clinic
file, and the file's own checks (`read_clinic`) judge the result. Values are passed
on as typed ("abc" minutes stays "abc") so that the file's checks refuse them, and
each problem the checks find is placed next to the field it is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from app.practices.settings import ServiceRow
from app.practices.values import Loc

WHOLE = re.compile(r"\d{1,9}")
DAYS = (1, 2, 3, 4, 5, 6, 0)  # as the page lists them: Monday first; 0 = Sunday
SERVICE_FIELDS = ("name", "duration", "price")
HOURS_FIELDS = {"days": "day", "start": "start", "end": "end", "slot_duration": "slot"}
TOP_FIELDS = ("approval_required", "min_notice_minutes", "booking_horizon_days")


@dataclass
class SettingsForm:
    """What the page shows: the values (as stored, or as typed) and the problems by field."""

    services: list[dict[str, Any]]  # name, duration, price (text), active; the last one is new
    hours: list[dict[str, Any]]  # days (ints), start, end, slot (text), remove; the last is new
    closed: list[str]
    approval_required: bool
    min_notice_minutes: str
    booking_horizon_days: str
    errors: dict[str, str] = field(default_factory=dict)  # field -> catalogue key
    others: list[str] = field(default_factory=list)  # file keys with problems not on the page
    # Where each of the file's services and windows came from: its row on the page.
    service_rows: list[int] = field(default_factory=list)
    hours_rows: list[int] = field(default_factory=list)


def form_of(data: Mapping[str, Any], services: Sequence[ServiceRow]) -> SettingsForm:
    """The page for the practice as it is."""
    return SettingsForm(
        services=[
            {
                "name": row.name,
                "duration": _shown(row.values.get("duration")),
                "price": _shown(row.values.get("price")),
                "active": row.active,
            }
            for row in services
        ]
        + [_new_service()],
        hours=[
            {
                "days": list(window["days"]),
                "start": window["start"],
                "end": window["end"],
                "slot": _shown(window.get("slot_duration", 30)),
                "remove": False,
            }
            for window in data.get("availability", ())
        ]
        + [_new_hours()],
        closed=list(data.get("closed", ())),
        approval_required=bool(data.get("approval_required", True)),
        min_notice_minutes=_shown(data.get("min_notice_minutes")),
        booking_horizon_days=_shown(data.get("booking_horizon_days")),
    )


def read_form(
    posted: MultiDict[str, str], data: Mapping[str, Any], services: Sequence[ServiceRow]
) -> tuple[dict[str, Any], SettingsForm]:
    """The clinic file `data` with the page's changes, and the page as typed (to show again)."""
    changed = dict(data)
    form = SettingsForm(
        services=[],
        hours=[],
        closed=[value.strip() for value in posted.getlist("closed") if value.strip()],
        approval_required="approval_required" in posted,
        min_notice_minutes=posted.get("min_notice_minutes", "").strip(),
        booking_horizon_days=posted.get("booking_horizon_days", "").strip(),
    )
    file_services: list[dict[str, Any]] = []
    for index in range(len(services) + 1):
        typed = {name: posted.get(f"service-{index}-{name}", "").strip() for name in SERVICE_FIELDS}
        new = index == len(services)
        active = new or f"service-{index}-active" in posted
        form.services.append(typed | {"active": active})
        if new and not any(typed.values()):
            continue
        if active:
            base = {} if new else dict(services[index].values)
            base.pop("price", None)
            file_services.append(
                base
                | {"name": typed["name"], "duration": _number(typed["duration"])}
                | ({"price": typed["price"]} if typed["price"] else {})
            )
            form.service_rows.append(index)
    windows = list(data.get("availability", ()))
    file_hours: list[dict[str, Any]] = []
    for index in range(len(windows) + 1):
        days = [_number(day) for day in posted.getlist(f"hours-{index}-day")]
        typed = {name: posted.get(f"hours-{index}-{name}", "").strip() for name in ("start", "end")}
        slot = posted.get(f"hours-{index}-slot", "").strip()
        remove = f"hours-{index}-remove" in posted
        form.hours.append(typed | {"days": days, "slot": slot, "remove": remove})
        new = index == len(windows)
        if remove or (new and not days and not any(typed.values())):
            continue
        base = {} if new else dict(windows[index])
        file_hours.append(
            base
            | {"days": days, "start": typed["start"] or None, "end": typed["end"] or None}
            | ({"slot_duration": _number(slot)} if slot else {})
        )
        form.hours_rows.append(index)
    changed["services"] = file_services
    changed["availability"] = file_hours
    changed["closed"] = form.closed
    changed["approval_required"] = form.approval_required
    changed["min_notice_minutes"] = _number(form.min_notice_minutes)
    changed["booking_horizon_days"] = _number(form.booking_horizon_days)
    return changed, form


def place_problems(form: SettingsForm, located: Sequence[tuple[Loc, str]]) -> None:
    """Put each problem the file's checks found next to its field on the page."""
    for loc, _ in located:
        placed = _place(form, loc)
        if placed is None:
            name = str(loc[0]) if loc else "?"
            if name not in form.others:
                form.others.append(name)
        else:
            form.errors.setdefault(*placed)


def _place(form: SettingsForm, loc: Loc) -> tuple[str, str] | None:
    """(The page's field, the catalogue key saying what it needs) for a problem at `loc`."""
    match loc:
        case ("services",):
            return "services", "desk.settings.error.services"
        case ("services", int(index), *rest):
            part = rest[0] if rest and rest[0] in SERVICE_FIELDS else "name"
            row = form.service_rows[index]
            return f"service-{row}-{part}", f"desk.settings.error.service.{part}"
        case ("availability", int(index), *rest):
            part = HOURS_FIELDS.get(str(rest[0]), "window") if rest else "window"
            row = form.hours_rows[index]
            return f"hours-{row}-{part}", f"desk.settings.error.hours.{part}"
        case ("availability", *_):
            return "hours", "desk.settings.error.hours.window"
        case ("closed", *_):
            return "closed", "desk.settings.error.closed"
        case (str(name), *_) if name in TOP_FIELDS:
            return name, f"desk.settings.error.{name}"
    return None


def _number(typed: str) -> int | str | None:
    """A whole number as a number; anything else as typed, for the file's checks to refuse."""
    typed = typed.strip()
    if not typed:
        return None
    return int(typed) if WHOLE.fullmatch(typed) else typed


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _new_service() -> dict[str, Any]:
    return {"name": "", "duration": "", "price": "", "active": True}


def _new_hours() -> dict[str, Any]:
    return {"days": [], "start": "", "end": "", "slot": "30", "remove": False}
