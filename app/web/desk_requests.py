"""The desk's request and appointment pages: the intake, approve or reject, complete, notes.

Every change goes through the doctor's WhatsApp services (`doctor_services`), in the
page's one transaction with its audit entry; a refusal from them (`BookingError`)
comes back as a message on the page and changes nothing but what the rule itself
does (an answer past the deadline expires the hold, as on WhatsApp). A code that is
not the signed-in member's practice's is a 404 on every route, read or write.

Moving an appointment is not offered: the only move use case is the patient's
(`moves.move_appointment`), which tells the doctor; there is no doctor-side one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.booking import queries
from app.booking.appointments import NOTE_TYPES
from app.booking.errors import (
    AlreadyStarted,
    BookingError,
    IllegalTransition,
    NotFound,
    NotStarted,
    RequestExpired,
)
from app.conversation.services import SqlDoctorServices
from app.desk import audit
from app.web.desk import (
    bp,
    desk_now,
    doctor_only,
    doctor_services,
    page_language,
    practice_session,
    signed_in,
)
from bot_flows.ports import PracticeDetails
from bot_flows.texts import text, when

__all__ = ["bp"]

Found = TypeVar("Found")
REASON_LIMIT = 300
NOTE_LIMIT = 4000


# --- a request ----------------------------------------------------------------------------


@bp.get("/requests/<code>")
@signed_in
def request_page(code: str) -> ResponseReturnValue:
    """The request's patient and intake, its deadline, approve or reject, other free times."""
    return _request_view(code)


@bp.post("/requests/<code>/approve")
@signed_in
def approve_request(code: str) -> ResponseReturnValue:
    with practice_session() as (practice, db):
        lang = page_language(practice)
        try:
            doctor_services(db, practice).approve(code)
        except NotFound:
            abort(404)
        except BookingError as refused:
            flash(_refusal("desk.request", refused, code, practice, lang))
        else:
            audit.record(db, g.who, "approve", f"request {code}", desk_now())
            flash(text("desk.request.approved", lang, code=code))
    return redirect(url_for("desk.request_page", code=code))


@bp.post("/requests/<code>/reject")
@signed_in
def reject_request(code: str) -> ResponseReturnValue:
    reason = request.form.get("reason", "").strip()
    if len(reason) > REASON_LIMIT:
        return _request_view(code, reason=reason, error="desk.request.reason_too_long")
    with practice_session() as (practice, db):
        lang = page_language(practice)
        try:
            doctor_services(db, practice).reject(code, reason or None)
        except NotFound:
            abort(404)
        except BookingError as refused:
            flash(_refusal("desk.request", refused, code, practice, lang))
        else:
            # Which fields were written, never what: a reason may name the patient's health.
            detail = {"fields": ["reason"]} if reason else None
            audit.record(db, g.who, "reject", f"request {code}", desk_now(), detail)
            flash(text("desk.request.rejected", lang, code=code))
    return redirect(url_for("desk.request_page", code=code))


def _request_view(code: str, reason: str = "", error: str | None = None) -> ResponseReturnValue:
    """The request page; with `error`, a form sent back with what was typed (status 400)."""
    now = desk_now()
    with practice_session() as (practice, db):
        found = _found(lambda: queries.request_intake(db, profile_id=practice.id, code=code))
        alternatives = queries.request_alternatives(db, profile_id=practice.id, code=code, now=now)
        audit.record(db, g.who, "read_intake", f"request {code}", now)
    lang = page_language(practice)
    page = render_template(
        "desk/request.html",
        lang=lang,
        practice=practice,
        who=g.who,
        found=found,
        alternatives=alternatives,
        reason=reason,
        error=error,
        limit=REASON_LIMIT,
        when=lambda instant: when(instant, practice.timezone, lang),
    )
    return (page, 400) if error else page


# --- an appointment -----------------------------------------------------------------------


@bp.get("/appointments/<code>")
@signed_in
def appointment_page(code: str) -> ResponseReturnValue:
    """Status, attendance, the patient's earlier visits, actions; the doctor's notes for them."""
    return _appointment_view(code)


@bp.post("/appointments/<code>/complete")
@signed_in
def complete_appointment(code: str) -> ResponseReturnValue:
    return _change_appointment(
        code, "complete", "desk.appointment.completed", lambda services: services.complete(code)
    )


@bp.post("/appointments/<code>/no-show")
@signed_in
def no_show_appointment(code: str) -> ResponseReturnValue:
    return _change_appointment(
        code, "no_show", "desk.appointment.no_show_marked", lambda services: services.no_show(code)
    )


@bp.post("/appointments/<code>/cancel")
@signed_in
def cancel_appointment(code: str) -> ResponseReturnValue:
    reason = request.form.get("reason", "").strip()
    if len(reason) > REASON_LIMIT:
        typed = {"reason": reason}
        return _appointment_view(code, typed=typed, error="desk.appointment.reason_too_long")
    return _change_appointment(
        code,
        "cancel",
        "desk.appointment.cancelled",
        lambda services: services.cancel(code, reason or None),
        {"fields": ["reason"]} if reason else None,
    )


@bp.post("/appointments/<code>/notes")
@signed_in
@doctor_only
def add_note(code: str) -> ResponseReturnValue:
    note_type = request.form.get("note_type", "")
    private = request.form.get("private") == "1"
    content = request.form.get("content", "").strip()
    if note_type not in NOTE_TYPES:
        abort(400)
    if not content or len(content) > NOTE_LIMIT:
        error = "desk.appointment.note_empty" if not content else "desk.appointment.note_too_long"
        typed = {"note_type": note_type, "private": private, "content": content}
        return _appointment_view(code, typed=typed, error=error)
    with practice_session() as (practice, db):
        _found(lambda: queries.appointment(db, profile_id=practice.id, code=code))
        doctor_services(db, practice).note(code, note_type, private, content)
        detail = {"note_type": note_type, "private": private}
        audit.record(db, g.who, "note", f"appointment {code}", desk_now(), detail)
        key = "desk.appointment.note_saved_private" if private else "desk.appointment.note_saved"
        flash(text(key, page_language(practice), code=code))
    return redirect(url_for("desk.appointment_page", code=code, _anchor="notes"))


def _change_appointment(
    code: str,
    action: str,
    done: str,
    change: Callable[[SqlDoctorServices], object],
    detail: dict[str, object] | None = None,
) -> ResponseReturnValue:
    """Run `change` on appointment `code` through the doctor's services; audit it or say why not."""
    with practice_session() as (practice, db):
        lang = page_language(practice)
        # Only an appointment's code: the services' `cancel` of a request's would reject it.
        _found(lambda: queries.appointment(db, profile_id=practice.id, code=code))
        try:
            change(doctor_services(db, practice))
        except NotFound:
            abort(404)
        except BookingError as refused:
            flash(_refusal("desk.appointment", refused, code, practice, lang))
        else:
            audit.record(db, g.who, action, f"appointment {code}", desk_now(), detail)
            flash(text(done, lang, code=code))
    return redirect(url_for("desk.appointment_page", code=code))


def _appointment_view(
    code: str, typed: dict[str, object] | None = None, error: str | None = None
) -> ResponseReturnValue:
    """The appointment page; with `error`, a form sent back with what was typed (status 400)."""
    now = desk_now()
    with practice_session() as (practice, db):
        found = _found(lambda: queries.appointment(db, profile_id=practice.id, code=code))
        earlier = queries.earlier_appointments(
            db, profile_id=practice.id, phone=found.patient_phone, before=found.start
        )
        notes: list[queries.Note] = []
        if g.who.is_doctor:
            notes = queries.appointment_notes(db, profile_id=practice.id, code=code)
            audit.record(db, g.who, "read_notes", f"appointment {code}", now)
    lang = page_language(practice)
    page = render_template(
        "desk/appointment.html",
        lang=lang,
        practice=practice,
        who=g.who,
        found=found,
        day=found.start.astimezone(ZoneInfo(practice.timezone)).date(),
        started=found.start <= now,
        earlier=earlier,
        notes=notes,
        note_types=NOTE_TYPES,
        typed=typed or {},
        error=error,
        limit=REASON_LIMIT,
        note_limit=NOTE_LIMIT,
        when=lambda instant: when(instant, practice.timezone, lang),
    )
    return (page, 400) if error else page


# --- helpers ------------------------------------------------------------------------------


def _found(read: Callable[[], Found]) -> Found:
    """What `read` finds in the practice; not found (or another practice's) is a 404."""
    try:
        return read()
    except NotFound:
        abort(404)


def _refusal(
    prefix: str, refused: BookingError, code: str, practice: PracticeDetails, lang: str
) -> str:
    """Why the rule said no, as one sentence: codes and statuses only, never patient data."""
    match refused:
        case RequestExpired(expires_at=datetime() as deadline):
            return text(
                f"{prefix}.refused.expired",
                lang,
                code=code,
                time=when(deadline, practice.timezone, lang),
            )
        case RequestExpired():
            return text(f"{prefix}.refused.expired_unknown_time", lang, code=code)
        case IllegalTransition(current=current):
            status = text(f"desk.status.{current}", lang)
            return text(f"{prefix}.refused.illegal", lang, code=code, status=status)
        case NotStarted():
            return text("desk.appointment.refused.not_started", lang, code=code)
        case AlreadyStarted():
            return text("desk.appointment.refused.already_started", lang, code=code)
    return text(f"{prefix}.refused.other", lang, code=code)
