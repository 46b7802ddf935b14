"""Calendar feeds: a private iCalendar URL per member, and the patient's "add to calendar" file.

The desk's calendar page makes and revokes the member's feed. The files themselves
are served outside /desk (`files`): a calendar app fetching them has no cookie, so
the unguessable token in the URL is the only key, and an unknown or revoked one is
a 404.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue

from app.booking import queries
from app.conversation.calendar_links import APPOINTMENT_PATH, FEED_PATH, feed_url
from app.conversation.services import practice_details
from app.desk import calendar_feed
from app.web import calendar_files
from app.web.desk import (
    bp,
    desk_config,
    desk_context,
    desk_now,
    desk_secret,
    page_language,
    practice_session,
    signed_in,
)
from bot_flows.ports import PracticeDetails
from bot_flows.texts import text

PAST_DAYS = 30  # how far back the feed goes; ahead, as far as the practice books
MAX_TOKEN = 64  # longer than any token made: not worth a query
ICALENDAR = "text/calendar; charset=utf-8"

files = Blueprint("calendar_files", __name__)


def init_app(app: Flask) -> None:
    """Serve the calendar files (called when the desk is registered; twice is harmless)."""
    if files.name not in app.blueprints:
        app.register_blueprint(files)


bp.record_once(lambda state: init_app(state.app))


# --- the desk's page ----------------------------------------------------------------------


@bp.get("/calendar")
@signed_in
def calendar_page() -> ResponseReturnValue:
    """The member's feed: whether they have one, and how to make or stop it."""
    with practice_session() as (practice, db):
        active = calendar_feed.has_feed(db, g.who)
    return _page(practice, active, new_url=None)


@bp.post("/calendar/new")
@signed_in
def new_calendar_feed() -> ResponseReturnValue:
    """A fresh private URL, shown in this answer only; the old one stops working."""
    with practice_session() as (practice, db):
        token = calendar_feed.new_feed(db, desk_secret(), g.who, desk_now())
    return _page(practice, True, new_url=feed_url(desk_config().public_base_url, token))


@bp.post("/calendar/revoke")
@signed_in
def revoke_calendar_feed() -> ResponseReturnValue:
    with practice_session() as (practice, db):
        if calendar_feed.revoke_feed(db, g.who, desk_now()):
            flash(text("desk.calendar.revoked", page_language(practice)))
    return redirect(url_for("desk.calendar_page"))


def _page(practice: PracticeDetails, active: bool, new_url: str | None) -> str:
    return render_template(
        "desk/calendar.html",
        lang=page_language(practice),
        practice=practice,
        who=g.who,
        active=active,
        new_url=new_url,
    )


# --- the files ----------------------------------------------------------------------------


@files.get(FEED_PATH.format(token="<token>"))
def feed(token: str) -> ResponseReturnValue:
    """The practice's agenda, from a month back to its booking horizon."""
    if len(token) > MAX_TOKEN:
        abort(404)
    sessions = desk_context().sessions
    with sessions() as session:
        profile_id = calendar_feed.practice_of_feed(session, desk_secret(), token)
        practice = practice_details(session, profile_id) if profile_id else None
    if practice is None:
        abort(404)
    now = desk_now()
    entries = queries.calendar_entries(
        sessions,
        profile_id=practice.id,
        since=now - timedelta(days=PAST_DAYS),
        until=now + timedelta(days=practice.booking_horizon_days),
    )
    body = calendar_files.feed(practice.name, practice.timezone, practice.language, entries, now)
    return _calendar_response(body)


@files.get(APPOINTMENT_PATH.format(token="<token>"))
def appointment(token: str) -> ResponseReturnValue:
    """One appointment for the patient's calendar (the link in their confirmation)."""
    if len(token) > MAX_TOKEN:
        abort(404)
    found = queries.appointment_file(desk_context().sessions, token=token)
    if found is None:
        abort(404)
    response = _calendar_response(calendar_files.appointment(found, desk_now()))
    response.headers["Content-Disposition"] = f'attachment; filename="{found.code}.ics"'
    return response


def _calendar_response(body: bytes) -> Response:
    response = Response(body, content_type=ICALENDAR)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
