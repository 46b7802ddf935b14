"""Twilio's WhatsApp webhooks: inbound messages (answered with TwiML) and delivery status."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from app.config import Config
from app.database import get_database
from app.messaging.status import record_status
from app.phones import InvalidPhoneNumber, to_e164
from app.runtime import get_runtime
from app.web.twilio_auth import twilio_signed
from bot_flows.engine import clean_text
from bot_flows.inbox import InboundMessage, InboxSettings, UnknownPractice, receive
from bot_flows.texts import render_notice

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
MAX_BODY = 2000  # characters of a message the bot reads; longer text is capped, not refused
# Twilio's ids are letters and digits ("SM" + 32 hex); anything else (a NUL, which
# PostgreSQL refuses, or a huge number) is a malformed request, answered 400.
SID = re.compile(r"[A-Za-z0-9]{1,64}")
MEDIA_COUNT = re.compile(r"[0-9]{1,3}")


def now() -> datetime:
    """The moment a webhook is handled: the runtime's clock (tests freeze it)."""
    return get_runtime().clock()


@bp.post("/whatsapp")
@twilio_signed
def inbound() -> Response:
    """A patient's or doctor's message: processed once, answered with TwiML."""
    message = _read_message()
    config: Config = current_app.config["CITABOT"]
    settings = InboxSettings(render=render_notice, hold_minutes=config.hold_minutes)
    try:
        answer = receive(get_database().sessions, message, now(), settings)
    except UnknownPractice:
        abort(404, "no practice uses this WhatsApp number")
    return twiml(answer.replies)


@bp.post("/whatsapp/status")
@twilio_signed
def delivery_status() -> Response:
    """Twilio reports how far an outbound message got; the status only moves forward."""
    form = request.form
    sid, status = form.get("MessageSid"), form.get("MessageStatus")
    if not sid or not status or not SID.fullmatch(sid):
        abort(400, "MessageSid and MessageStatus are required")
    try:
        message_id = uuid.UUID(request.args["m"]) if "m" in request.args else None
    except ValueError:
        abort(400, "m must be a message id")
    with get_database().sessions.begin() as session:
        error_code = clean_text(form.get("ErrorCode", ""), 16) or None
        record_status(session, sid, status.lower(), error_code, now(), message_id)
    return Response(status=204)


def twiml(replies: list[str]) -> Response:
    response = MessagingResponse()
    for reply in replies:
        response.message(reply)
    return Response(str(response), mimetype="application/xml")


def _read_message() -> InboundMessage:
    form = request.form
    sid, sender, to = form.get("MessageSid"), form.get("From"), form.get("To")
    if not sid or not sender or not to or not SID.fullmatch(sid):
        abort(400, "MessageSid, From and To are required")
    try:
        sender_e164, practice_e164 = to_e164(sender), to_e164(to)
    except InvalidPhoneNumber:
        abort(400, "From and To must be WhatsApp phone numbers")
    media = form.get("NumMedia", "0")
    if not MEDIA_COUNT.fullmatch(media):
        abort(400, "NumMedia must be a number")
    return InboundMessage(
        sid=sid,
        sender=sender_e164,
        practice_number=practice_e164,
        body=clean_text(form.get("Body", ""), MAX_BODY),
        has_media=int(media) > 0,
        button_payload=clean_text(form.get("ButtonPayload", ""), 100) or None,
    )
