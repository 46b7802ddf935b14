"""The practice's web desk: sign-in by WhatsApp code, then the agenda and the practice's pages.

Server-rendered pages, one small script at most, no build step; readable on a 360-px
phone. Every action calls the same use cases the doctor's WhatsApp commands call
(`SqlDoctorServices`, `app.booking`, `app.practices`): one rule, two doors. Every
object is looked up within the signed-in member's practice, so another practice's
code or id is a 404. Forms carry flask-wtf's CSRF token; pages send a strict
Content-Security-Policy and may not be framed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from app.background.runtime import get_runtime
from app.booking import queries
from app.booking.context import BookingContext
from app.config import Config
from app.conversation.services import SqlDoctorServices, practice_details
from app.db import Savepoints
from app.desk import access
from app.desk.access import SignInRefused
from app.rights import register
from app.rights.register import masked
from bot_flows.ports import PracticeDetails
from bot_flows.texts import clock_time, day_name, text

bp = Blueprint(
    "desk",
    __name__,
    url_prefix="/desk",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
COOKIE = "citabot_desk"
LANGUAGE_COOKIE = "citabot_desk_lang"
LANGUAGES = ("es", "en")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
View = TypeVar("View", bound=Callable[..., ResponseReturnValue])


def init_app(app: Flask) -> None:
    # The pages of each part of the desk add their routes to `bp` when imported.
    from app.web import desk_calendar, desk_practice, desk_requests  # noqa: F401

    app.register_blueprint(bp)
    app.jinja_env.globals["t"] = _t


def signed_in(view: View) -> View:
    """Only for a signed-in member: anyone else goes to the sign-in page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        token = request.cookies.get(COOKIE)
        who = access.current(desk_context(), desk_secret(), token) if token else None
        if who is None:
            return redirect(url_for("desk.login"))
        g.who = who
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def doctor_only(view: View) -> View:
    """Clinical notes, private notes, the team and the audit log: the doctor's alone."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not g.who.is_doctor:
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@bp.before_request
def _forms_carry_their_token() -> None:
    """Every form the desk receives carries its CSRF token (400 otherwise)."""
    if request.method == "POST":
        current_app.extensions["csrf"].protect()


@bp.after_request
def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- sign-in ------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The phone number a practice knows; a code goes to its WhatsApp."""
    error = None
    if request.method == "POST":
        phone = request.form.get("phone", "").strip()[:40]
        try:
            access.request_code(desk_context(), desk_secret(), phone, _address())
        except SignInRefused as refused:
            error = f"desk.login.{refused.reason}"
        else:
            session["desk_phone"] = phone
            return redirect(url_for("desk.code"))
    return render_template("desk/login.html", error=error, lang=page_language(None))


@bp.route("/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    """The 6 digits from WhatsApp: a session cookie follows."""
    phone = session.get("desk_phone")
    if not phone:
        return redirect(url_for("desk.login"))
    error = None
    if request.method == "POST":
        typed = request.form.get("code", "")[:20]
        try:
            token, who = access.verify_code(desk_context(), desk_secret(), phone, typed, _address())
        except SignInRefused as refused:
            error = f"desk.code.{refused.reason}"
        else:
            session.pop("desk_phone", None)
            response = redirect(url_for("desk.agenda"))
            _set_cookie(response, token)
            g.who = who
            return response
    return render_template("desk/code.html", error=error, phone=phone, lang=page_language(None))


@bp.post("/logout")
@signed_in
def logout() -> ResponseReturnValue:
    access.sign_out(desk_context(), desk_secret(), request.cookies.get(COOKIE, ""))
    response = redirect(url_for("desk.login"))
    response.delete_cookie(COOKIE, path="/desk")
    return response


@bp.post("/language")
def language() -> ResponseReturnValue:
    chosen = request.form.get("lang", "")
    response = redirect(request.referrer or url_for("desk.agenda"))
    if chosen in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 86400, samesite="Lax", path="/desk"
        )
    return response


# --- the agenda ---------------------------------------------------------------------------


@bp.get("/")
@signed_in
def agenda() -> ResponseReturnValue:
    """A day (default today) or its week; the requests waiting for an answer on top."""
    with practice_session() as (practice, db):
        zone = ZoneInfo(practice.timezone)
        today = desk_now().astimezone(zone).date()
        day = _day(request.args.get("day"), today)
        week = request.args.get("view") == "week"
        first = day - timedelta(days=day.weekday()) if week else day
        last = first + timedelta(days=6) if week else day
        sessions = Savepoints(db)  # one connection: SQLite (`make run`) allows one writer
        bookings = queries.agenda_between(
            sessions, profile_id=practice.id, first_day=first, last_day=last
        )
        pending = queries.pending_requests(sessions, profile_id=practice.id)
        rights = [
            OpenRight(row.kind, masked(row.phone), row.due_at, row.due_at < desk_now())
            for row in register.open_requests(db, practice.id)
        ]
    lang = page_language(practice)
    return render_template(
        "desk/agenda.html",
        lang=lang,
        practice=practice,
        who=g.who,
        days=_agenda_rows(bookings, first, last, zone, lang),
        pending=pending,
        rights=rights,
        week=week,
        day=day,
        today=today,
        step=timedelta(days=7 if week else 1),
        zone=zone,
        at=lambda instant: clock_time(instant, practice.timezone, lang),
        day_name=lambda d: day_name(d, lang),
    )


@dataclass(frozen=True)
class OpenRight:
    """A patient's data-rights request the practice still owes an answer to."""

    kind: str
    phone: str  # masked to its last 4 digits
    due: datetime
    overdue: bool


@dataclass(frozen=True)
class AgendaRow:
    """One line of the agenda, written out once: a busy week has thousands."""

    href: str
    time: str
    patient: str
    service: str
    status: str
    state: str  # the status in words, and "said they're coming" where they did


def _agenda_rows(
    bookings: list[queries.Booking], first: date, last: date, zone: ZoneInfo, lang: str
) -> dict[date, list[AgendaRow]]:
    """The bookings by local day, each line's words and link made once per distinct value.

    A week of 2,000 appointments has a few hundred distinct times and a handful of
    statuses: formatting each once keeps the week page well under 100 ms.
    """
    links = {
        "request": url_for("desk.request_page", code="CODE"),
        "reservation": url_for("desk.appointment_page", code="CODE"),
    }
    times: dict[datetime, tuple[date, str]] = {}
    states: dict[tuple[str, bool], str] = {}
    days: dict[date, list[AgendaRow]] = {
        first + timedelta(days=n): [] for n in range((last - first).days + 1)
    }
    for booking in bookings:
        if booking.start not in times:
            local = booking.start.astimezone(zone)
            times[booking.start] = local.date(), clock_time(booking.start, zone.key, lang)
        local_day, clock = times[booking.start]
        confirmed = booking.attendance_confirmed_at is not None
        if (booking.status, confirmed) not in states:
            state = text(f"desk.status.{booking.status}", lang)
            if confirmed:
                state += " · " + text("desk.agenda.confirmed", lang)
            states[booking.status, confirmed] = state
        days.setdefault(local_day, []).append(
            AgendaRow(
                links[booking.kind].replace("CODE", booking.code),
                clock,
                booking.patient_name,
                booking.service,
                booking.status,
                states[booking.status, confirmed],
            )
        )
    return days


# --- helpers ------------------------------------------------------------------------------


@contextmanager
def practice_session() -> Iterator[tuple[PracticeDetails, Session]]:
    """The signed-in member's practice, and a transaction for the page's reads and writes."""
    with desk_context().sessions.begin() as db:
        details = practice_details(db, g.who.profile_id)
        if details is None:
            abort(404)
        yield details, db


def doctor_services(db: Session, practice: PracticeDetails) -> SqlDoctorServices:
    """The doctor's WhatsApp commands' services, bound to the page's transaction."""
    runtime = get_runtime()
    return SqlDoctorServices(
        db,
        practice,
        desk_now(),
        runtime.booking.render,
        runtime.booking.hold_minutes,
        f"desk:{g.who.session_id}",
    )


def desk_context() -> BookingContext:
    return get_runtime().booking


def desk_now() -> datetime:
    return desk_context().clock()


def desk_config() -> Config:
    return current_app.config["CITABOT"]


def desk_secret() -> bytes:
    return str(current_app.secret_key).encode()


def _address() -> str:
    return (request.remote_addr or "unknown")[:45]


def _set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(access.IDLE_LIMIT.total_seconds()),
        httponly=True,
        secure=desk_config().environment == "production",
        samesite="Lax",
        path="/desk",
    )


def page_language(practice: PracticeDetails | None) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return practice.language if practice is not None else "es"


def _t(key: str, lang: str, **values: Any) -> str:
    return text(key, lang, **values)


def _day(written: str | None, today: date) -> date:
    if not written:
        return today
    try:
        return date.fromisoformat(written)
    except ValueError:
        abort(400)
