"""Twilio's WhatsApp webhooks: inbound messages (answered with TwiML) and delivery status."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from redis import Redis
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.exceptions import HTTPException

from app import logs, metrics
from app.background.runtime import get_runtime
from app.config import Config
from app.conversation.calendar_links import linking_calendar_files
from app.conversation.choices import render_notice
from app.conversation.deferred_inbox import (
    DATABASE_DOWN,
    DeferredInbox,
    JournalUnavailable,
    KeptMessage,
    Replayer,
)
from app.conversation.inbox import (
    Answer,
    InboundMessage,
    InboxSettings,
    Tappable,
    UnknownPractice,
    receive,
)
from app.db import get_database
from app.messaging.content_pool import PoolIndex
from app.messaging.status import record_status
from app.phones import InvalidPhoneNumber, to_e164
from app.web.metrics import register_gauge_callback
from app.web.twilio_auth import signed_url, twilio_signed
from bot_flows import texts
from bot_flows.engine import clean_text

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
MAX_BODY = 2000  # characters of a message the bot reads; longer text is capped, not refused
MAX_CHOICE_ID = 200  # Twilio's limit on a list item's or a button's id
# Twilio's ids are letters and digits ("SM" + 32 hex); anything else (a NUL, which
# PostgreSQL refuses, or a huge number) is a malformed request, answered 400.
SID = re.compile(r"[A-Za-z0-9]{1,64}")
# The id of our own message a WhatsApp reply quotes: Twilio's, or the console's "CONSOLE-<uuid>".
REPLIED_SID = re.compile(r"[A-Za-z0-9-]{1,64}")
MEDIA_COUNT = re.compile(r"[0-9]{1,3}")
# Who writes: a WhatsApp address or, for SMS, a bare international number. Nothing
# else (spaces, dashes, a name) identifies a sender, however a phone parser reads it.
# What a webhook that ended without saying its outcome is counted as.
STATUS_OUTCOMES = {400: "rejected", 403: "rejected", 404: "unknown_practice"}
SENDER = re.compile(r"(whatsapp:)?\+[0-9]{6,15}")
DEFERRED_KEY = "citabot.deferred_inbox"
TAPPABLE_KEY = "citabot.tappable"
# The language each practice number last answered in, for the one message an
# outage allows: its profile row cannot be read then.
PRACTICE_LANGUAGES: dict[str, str] = {}
_building = threading.Lock()
log = logging.getLogger(__name__)


def now() -> datetime:
    """The moment a webhook is handled: the runtime's clock (tests freeze it)."""
    return get_runtime().clock()


def timed(view: Callable[..., Response]) -> Callable[..., Response]:
    """Observe each webhook's latency by its outcome (`g.outcome`, else its status code)."""

    @wraps(view)
    def observed(*args: Any, **kwargs: Any) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = view(*args, **kwargs)
            status = response.status_code
            return response
        except HTTPException as error:
            status = error.code or 500
            raise
        finally:
            outcome = g.get("outcome") or STATUS_OUTCOMES.get(status, "failed")
            metrics.observe_webhook(outcome, time.perf_counter() - started)

    return observed


@bp.post("/whatsapp")
@timed
@twilio_signed
def inbound() -> Response:
    """A patient's or doctor's message: processed once, answered with TwiML.

    With the database unreachable it is kept instead (app.conversation.deferred_inbox) and
    answered 200 all the same: Twilio never sends an inbound message again.
    """
    message = read_message(request.form)
    deferred = get_deferred(current_app._get_current_object())  # type: ignore[attr-defined]
    if not current_app.testing:
        # Also after a restart that left kept messages on disk (tests replay by hand).
        deferred.replayer.start()
    if deferred.inbox.pending():
        # Older messages wait to be replayed: this one must not overtake them.
        return _keep(message, deferred)
    try:
        answer = _receive(message)
    except UnknownPractice:
        abort(404, "no practice uses this WhatsApp number")
    except DATABASE_DOWN:
        return _keep(message, deferred)
    logs.bind(practice_id=answer.practice_id)
    if answer.practice_language:
        PRACTICE_LANGUAGES[message.practice_number] = answer.practice_language
    g.outcome = (
        "duplicate" if answer.duplicate else "throttled" if answer.throttled else "processed"
    )
    return twiml([] if answer.queued else answer.replies)


def _receive(message: InboundMessage, *, replies_to_outbox: bool = False) -> Answer:
    """Run the inbox, once more after a transient database error (a deadlock, a dropped link)."""
    config: Config = current_app.config["CITABOT"]
    settings = InboxSettings(
        render=linking_calendar_files(render_notice, config.public_base_url),
        hold_minutes=config.hold_minutes,
        public_base_url=config.public_base_url,
        tappable=_tappable(current_app._get_current_object()),  # type: ignore[attr-defined]
    )
    sessions = get_database().sessions
    try:
        return receive(sessions, message, now(), settings, replies_to_outbox=replies_to_outbox)
    except DATABASE_DOWN:
        return receive(sessions, message, now(), settings, replies_to_outbox=replies_to_outbox)


def _tappable(app: Flask) -> Tappable | None:
    """Whether a reply's choices can go as a list or buttons (None: never), built once."""
    if TAPPABLE_KEY not in app.extensions:
        config: Config = app.config["CITABOT"]
        tappable: Tappable | None = None
        if config.interactive_replies == "auto":
            if config.messaging_backend == "console":
                tappable = _always
            elif config.twilio_account_sid:
                tappable = PoolIndex(get_database(app).sessions, config.twilio_account_sid)
        app.extensions[TAPPABLE_KEY] = tappable
    return app.extensions[TAPPABLE_KEY]


def _always(kind: str, count: int, language: str) -> bool:
    return True


def _keep(message: InboundMessage, deferred: Deferred) -> Response:
    """Keep `message` for the replayer; tell its sender why the answer waits, once an outage."""
    kept = KeptMessage(
        received_at=time.time(),
        url=signed_url(),
        signature=request.headers.get("X-Twilio-Signature", ""),
        form=request.form.to_dict(),
    )
    try:
        first = deferred.inbox.keep(kept, message.sender)
    except JournalUnavailable:
        log.exception("inbound message %s could not be kept anywhere", message.sid)
        abort(503)
    g.outcome = "deferred"
    deferred.replayer.nudge()
    if not first:
        return twiml([])
    # The practice's language as last seen by this process: its row is out of reach.
    language = PRACTICE_LANGUAGES.get(message.practice_number, texts.DEFAULT_LANGUAGE)
    return twiml([texts.text("inbox_deferred", language)])


@dataclass(frozen=True)
class Deferred:
    inbox: DeferredInbox
    replayer: Replayer


def init_app(app: Flask) -> None:
    """Register the webhooks, with their deferred inbox (whose gauge a scrape shows)."""
    app.register_blueprint(bp)
    get_deferred(app)


def get_deferred(app: Flask) -> Deferred:
    """The app's deferred inbox and its replayer, built on first use."""
    deferred = app.extensions.get(DEFERRED_KEY)
    if deferred is None:
        with _building:
            deferred = app.extensions.get(DEFERRED_KEY)
            if deferred is None:
                deferred = app.extensions[DEFERRED_KEY] = _build_deferred(app)
    return deferred


def _build_deferred(app: Flask) -> Deferred:
    config: Config = app.config["CITABOT"]
    redis = (
        Redis.from_url(config.redis_url, socket_connect_timeout=0.5, socket_timeout=1)
        if config.redis_url
        else None
    )
    inbox = DeferredInbox(redis, config.deferred_inbox_dir)

    def process(kept: KeptMessage) -> None:
        with app.app_context(), logs.bound(message_id=kept.form.get("MessageSid")):
            token = config.webhook_token
            valid = token and RequestValidator(token).validate(kept.url, kept.form, kept.signature)
            if not valid:
                log.warning("a kept message no longer carries a valid signature; dropped")
                return
            message = read_message(kept.form)
            try:
                answer = _receive(message, replies_to_outbox=True)
            except UnknownPractice:
                log.warning("a kept message was sent to a number no practice uses; dropped")
                return
            logs.bind(practice_id=answer.practice_id)
            metrics.message_in("duplicate" if answer.duplicate else "processed")

    register_gauge_callback(
        app,
        "citabot_inbound_backlog",
        "Inbound messages kept while the database was unreachable, not replayed yet.",
        lambda: inbox.backlog()[0],
    )
    return Deferred(inbox, Replayer(inbox, process))


@bp.post("/whatsapp/status")
@timed
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
    g.outcome = "status"
    return Response(status=204)


def twiml(replies: list[str]) -> Response:
    response = MessagingResponse()
    for reply in replies:
        response.message(reply)
    return Response(str(response), mimetype="application/xml")


def read_message(form: Mapping[str, str]) -> InboundMessage:
    """The message of a webhook's form, or 400 for one Twilio would never send."""
    sid, sender, to = form.get("MessageSid"), form.get("From"), form.get("To")
    if not sid or not sender or not to or not SID.fullmatch(sid):
        abort(400, "MessageSid, From and To are required")
    if not SENDER.fullmatch(sender) or not SENDER.fullmatch(to):
        abort(400, "From and To must be whatsapp:+<digits> or +<digits>")
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
        button_payload=clean_text(form.get("ButtonPayload", ""), MAX_CHOICE_ID) or None,
        list_id=clean_text(form.get("ListId", ""), MAX_CHOICE_ID) or None,
        replied_to=_replied_to(form.get("OriginalRepliedMessageSid", "")),
    )


def _replied_to(sid: str) -> str | None:
    """The message a reply quotes; one no id of ours could have is simply no reply."""
    return sid if REPLIED_SID.fullmatch(sid) else None
