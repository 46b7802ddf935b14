"""The desk's practice pages: settings, blocks, the waitlist, the team, the audit log.

Each page only translates: the form in, one use case called, the page out. Settings
go through the clinic file's checks and import (`app.practices.settings`), blocks
through the doctor's BLOQUEAR and DESBLOQUEAR services, the team through
`app.practices.members`, as `EQUIPO` does. Every change is audited in its own
transaction; another practice's id is a 404 and changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.booking.blocking import block_by_id, blocks_from, bookings_in_period
from app.booking.errors import NotFound
from app.booking.waitlist_view import waiting_list
from app.db import Savepoints
from app.desk import audit
from app.practices import members
from app.practices.clinic_file import ClinicFileError
from app.practices.settings import change_settings, clinic_data, service_rows
from app.web import desk_settings_form as settings_form
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
from bot_flows.texts import CATALOGUES, clock_time, day_name, text, when

__all__ = ["bp"]


# --- settings -----------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@signed_in
@doctor_only
def settings() -> ResponseReturnValue:
    """Services, weekly hours, closed dates, approval, notice and horizon: the clinic file's."""
    with practice_session() as (practice, db):
        data = clinic_data(db, practice.id)
        services = service_rows(db, practice.id)
        if request.method == "GET":
            form = settings_form.form_of(data, services)
        else:
            changed_data, form = settings_form.read_form(request.form, data, services)
            try:
                changed = change_settings(Savepoints(db), practice.id, changed_data, desk_now())
            except ClinicFileError as refused:
                settings_form.place_problems(form, refused.located)
            else:
                if changed:
                    audit.record(
                        db, g.who, "settings", "settings", desk_now(), {"changed": changed}
                    )
                saved = "desk.settings.saved" if changed else "desk.settings.unchanged"
                flash(text(saved, page_language(practice)))
                return redirect(url_for("desk.settings"))
    page = _page("desk/settings.html", practice, form=form, days=settings_form.DAYS)
    return page, 400 if form.errors or form.others else 200


# --- blocks -------------------------------------------------------------------------------


@bp.route("/block", methods=["GET", "POST"])
@signed_in
def block() -> ResponseReturnValue:
    """Close a day or a time range: first what it hits, then the block itself."""
    chosen = {name: request.form.get(name, "").strip()[:10] for name in ("day", "start", "end")}
    preview, period_text, error = None, None, None
    with practice_session() as (practice, db):
        lang = page_language(practice)
        period = _period(chosen) if request.method == "POST" else None
        if isinstance(period, str):
            error = period
        elif period is not None and request.form.get("step") == "confirm":
            report = doctor_services(db, practice).block(*period)
            detail = _block_detail(*period)
            detail |= {"slots": report.blocked_slots, "bookings": len(report.affected)}
            audit.record(db, g.who, "block", _subject(*period), desk_now(), detail)
            flash(
                text(
                    "desk.block.done",
                    lang,
                    period=_period_text(practice, *period),
                    count=report.blocked_slots,
                    bookings=len(report.affected),
                )
            )
            return redirect(url_for("desk.block"))
        elif period is not None:
            day, start, end = period
            preview = bookings_in_period(
                Savepoints(db), profile_id=practice.id, day=day, start=start, end=end
            )
            period_text = _period_text(practice, *period)
        blocks = blocks_from(Savepoints(db), profile_id=practice.id, first_day=_today(practice))
    page = _page(
        "desk/block.html",
        practice,
        chosen=chosen,
        preview=preview,
        period=period_text,
        error=error,
        blocks=blocks,
        block_period=lambda found: _period_text(practice, found.day, found.start, found.end),
    )
    return page, 400 if error else 200


@bp.post("/block/<uuid:block_id>/unblock")
@signed_in
def unblock(block_id: uuid.UUID) -> ResponseReturnValue:
    """DESBLOQUEAR from the list: the free times opened go to the waitlist."""
    with practice_session() as (practice, db):
        try:
            found = block_by_id(Savepoints(db), profile_id=practice.id, block_id=block_id)
        except NotFound:
            abort(404)
        opened = doctor_services(db, practice).unblock(found.day, found.start, found.end)
        detail = _block_detail(found.day, found.start, found.end) | {"slots": opened}
        audit.record(
            db, g.who, "unblock", _subject(found.day, found.start, found.end), desk_now(), detail
        )
    flash(
        text(
            "desk.block.reopened",
            page_language(practice),
            period=_period_text(practice, found.day, found.start, found.end),
            count=opened,
        )
    )
    return redirect(url_for("desk.block"))


# --- the waitlist -------------------------------------------------------------------------


@bp.get("/waitlist")
@signed_in
def waitlist() -> ResponseReturnValue:
    """Who waits for a place, in order of joining, and the places offered to them."""
    with practice_session() as (practice, db):
        entries = waiting_list(Savepoints(db), profile_id=practice.id)
    return _page("desk/waitlist.html", practice, entries=entries)


# --- the team -----------------------------------------------------------------------------


@bp.route("/team", methods=["GET", "POST"])
@signed_in
@doctor_only
def team() -> ResponseReturnValue:
    """The practice's members; the doctor adds staff by phone and name, as EQUIPO does."""
    typed = {"phone": "", "name": ""}
    error = None
    with practice_session() as (practice, db):
        if request.method == "POST":
            typed = {name: request.form.get(name, "").strip()[:160] for name in typed}
            try:
                member = members.add_member(
                    Savepoints(db),
                    profile_id=practice.id,
                    phone=typed["phone"],
                    name=typed["name"],
                    now=desk_now(),
                )
            except members.MemberRefused as refused:
                error = f"desk.team.error.{refused.reason}"
            else:
                audit.record(
                    db, g.who, "add_member", member.name[:80], desk_now(), {"role": member.role}
                )
                flash(text("desk.team.added", page_language(practice), name=member.name))
                return redirect(url_for("desk.team"))
        listed = members.list_members(Savepoints(db), profile_id=practice.id)
    page = _page("desk/team.html", practice, members=listed, typed=typed, error=error)
    return page, 400 if error else 200


@bp.post("/team/<uuid:member_id>/remove")
@signed_in
@doctor_only
def remove_member(member_id: uuid.UUID) -> ResponseReturnValue:
    """Remove a staff member: their desk sessions stop working at once."""
    with practice_session() as (practice, db):
        try:
            member = members.remove_member(
                Savepoints(db), profile_id=practice.id, member_id=member_id, now=desk_now()
            )
        except members.MemberRefused:
            abort(404)
        audit.record(
            db, g.who, "remove_member", member.name[:80], desk_now(), {"role": member.role}
        )
    flash(text("desk.team.removed", page_language(practice), name=member.name))
    return redirect(url_for("desk.team"))


# --- the audit log ------------------------------------------------------------------------


@bp.get("/audit")
@signed_in
@doctor_only
def audit_log() -> ResponseReturnValue:
    """Who read or changed what, newest first, 100 a page."""
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    with practice_session() as (practice, db):
        lines, more = audit.audit_page(Savepoints(db), profile_id=practice.id, page=number)
    lang = page_language(practice)
    return _page(
        "desk/audit.html",
        practice,
        lines=lines,
        page=number,
        more=more,
        action=lambda code: _words("desk.audit.action", code, lang),
        subject=lambda line: _subject_of(line, lang),
        at=lambda instant: when(instant, practice.timezone, lang),
    )


# --- helpers ------------------------------------------------------------------------------


def _page(template: str, practice: PracticeDetails, **values: Any) -> str:
    lang = page_language(practice)
    return render_template(
        template,
        lang=lang,
        who=g.who,
        practice=practice,
        zone=ZoneInfo(practice.timezone),
        day_name=lambda day: day_name(day, lang),
        clock=lambda moment: clock_time(moment, practice.timezone, lang),
        **values,
    )


def _today(practice: PracticeDetails) -> date:
    return desk_now().astimezone(ZoneInfo(practice.timezone)).date()


def _period(chosen: dict[str, str]) -> tuple[date, time | None, time | None] | str:
    """The day and optional range typed, or the catalogue key of what is wrong with them."""
    try:
        day = date.fromisoformat(chosen["day"])
    except ValueError:
        return "desk.block.error.day"
    if not chosen["start"] and not chosen["end"]:
        return day, None, None
    try:
        start, end = time.fromisoformat(chosen["start"]), time.fromisoformat(chosen["end"])
    except ValueError:
        return "desk.block.error.range"
    return (day, start, end) if start < end else "desk.block.error.range"


def _period_text(practice: PracticeDetails, day: date, start: time | None, end: time | None) -> str:
    lang = page_language(practice)
    if start is None or end is None:
        return text("desk.block.period.day", lang, day=day_name(day, lang))
    zone = ZoneInfo(practice.timezone)
    return text(
        "desk.block.period.range",
        lang,
        day=day_name(day, lang),
        start=clock_time(datetime.combine(day, start, tzinfo=zone), practice.timezone, lang),
        end=clock_time(datetime.combine(day, end, tzinfo=zone), practice.timezone, lang),
    )


def _block_detail(day: date, start: time | None, end: time | None) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "start": f"{start:%H:%M}" if start else None,
        "end": f"{end:%H:%M}" if end else None,
    }


def _subject(day: date, start: time | None, end: time | None) -> str:
    return f"{day.isoformat()} {start:%H:%M}-{end:%H:%M}" if start and end else day.isoformat()


def _words(prefix: str, code: str, lang: str) -> str:
    """The catalogue's words for an audited code; the code itself for one it lacks."""
    key = f"{prefix}.{code}"
    return text(key, lang) if key in CATALOGUES.get(lang, {}) else code


def _subject_of(line: audit.AuditLine, lang: str) -> str:
    """What an entry is about; for settings, the names of the ones that changed."""
    if line.action == "settings" and line.detail and isinstance(line.detail.get("changed"), list):
        return ", ".join(
            _words("desk.audit.field", str(name), lang) for name in line.detail["changed"]
        )
    return line.subject or ""
