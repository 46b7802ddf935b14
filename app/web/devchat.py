"""The local simulator: the patient's and the doctor's WhatsApp side by side, in development only.

`create_app` registers this blueprint only in development mode (not production, and
no TWILIO_AUTH_TOKEN: see `Config.development_mode`). Every message goes through the
real webhook, signed the way Twilio signs it, and both transcripts are read back
from message_log: the bot's replies, and the outbox's queued messages (the doctor's
new-request notification, the patient's approval) as they are sent. A reply with choices
(`variables["interactive"]`: a list or quick-reply buttons) is shown as WhatsApp shows it,
and a tap is posted with the fields Twilio posts (ListId / ButtonPayload). The page is a
template with its own script and style files, so its Content-Security-Policy allows no
inline code.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from app.config import Config
from app.db import get_database
from app.messaging.interactive import (
    ID_LIMIT,
    LIST_MAX_ITEMS,
    LIST_PICKER,
    QUICK_REPLY,
    QUICK_REPLY_MAX_BUTTONS,
)
from app.messaging.templates import INTERACTIVE
from app.models import MessageLog, Practice
from app.phones import WHATSAPP_PREFIX, InvalidPhoneNumber, to_e164
from bot_flows.doctor import button_payloads

# The page is templates/devchat.html; its script and style are static/devchat.{js,css},
# served by this blueprint under /dev/chat/static/.
bp = Blueprint(
    "devchat",
    __name__,
    url_prefix="/dev/chat",
    template_folder="templates",
    static_folder="static",
)
# The quick-reply titles of the doctor_new_request template (app/messaging/templates.py).
BUTTON_TITLES = ("Aprobar", "Rechazar")
# The page only talks to this server, and runs no inline script or style: its own files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
# The most items each kind of choice may carry; a row claiming more is not shown as one.
MAX_ITEMS = {QUICK_REPLY: QUICK_REPLY_MAX_BUTTONS, LIST_PICKER: LIST_MAX_ITEMS}


@bp.get("")
def page() -> Response:
    """The simulator page: the practices to pick from, and the endpoints its script calls."""
    with get_database().sessions() as session:
        practices = session.scalars(
            select(Practice).where(Practice.whatsapp_number.is_not(None)).order_by(Practice.name)
        ).all()
        response = make_response(render_template("devchat.html", practices=practices))
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@bp.post("/send")
def send() -> ResponseReturnValue:
    """Deliver one message from `phone` to the practice, as Twilio would, through the webhook.

    Signed here, with the development token (the only one this blueprint exists
    with), rather than in the browser: the signed URL is exactly the one the
    webhook checks (PUBLIC_BASE_URL may point elsewhere, e.g. a tunnel), and
    WebCrypto would need a secure context. The request still goes through the
    whole stack (routing, signature check, webhook) via the app's own WSGI client;
    a real HTTP call to ourselves could deadlock a single-threaded server.
    """
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "send a JSON object: practice, phone, body and optionally payload or list_id")
    practice_id, phone = _practice_id(data.get("practice")), _phone(data.get("phone"))
    body = data.get("body", "")
    payload, list_id = data.get("payload") or "", data.get("list_id") or ""
    if not isinstance(body, str) or not isinstance(payload, str) or not isinstance(list_id, str):
        abort(400, "body, payload and list_id must be text")
    if payload and list_id:
        abort(400, "a tap is on a button (payload) or on a list item (list_id), not both")
    if len(payload) > ID_LIMIT or len(list_id) > ID_LIMIT:
        abort(400, f"payload and list_id are at most {ID_LIMIT} characters")
    with get_database().sessions() as session:
        practice_number = session.scalar(
            select(Practice.whatsapp_number).where(Practice.id == practice_id)
        )
    if practice_number is None:
        abort(404, "no practice with this id and a WhatsApp number")
    form = {
        "MessageSid": f"SM{uuid.uuid4().hex}",
        "From": WHATSAPP_PREFIX + phone,
        "To": WHATSAPP_PREFIX + practice_number,
        "Body": body,
        "NumMedia": "0",
    }
    # What Twilio posts for a tap: the body is the title shown, and the id comes apart.
    if payload:
        form |= {"ButtonPayload": payload, "ButtonText": body}
    if list_id:
        form |= {"ListId": list_id, "ListTitle": body}
    path = url_for("webhooks.inbound")
    config: Config = current_app.config["CITABOT"]
    signature = RequestValidator(config.webhook_token).compute_signature(
        config.public_base_url + path, form
    )
    answer = current_app.test_client().post(
        path, data=form, headers={"X-Twilio-Signature": signature}
    )
    if answer.status_code != 200:
        abort(502, f"the webhook answered {answer.status}")
    return jsonify(webhook_status=answer.status_code)


@bp.get("/messages")
def messages() -> ResponseReturnValue:
    """One conversation's messages, in and out, oldest first (from `after`, inclusive, if given).

    The page polls with `after` a little before the newest (or oldest still
    moving) row it has, so a row committed late or a status that changed is seen.
    """
    practice_id, phone = (
        _practice_id(request.args.get("practice")),
        _phone(request.args.get("phone")),
    )
    after = _instant(request.args.get("after"))
    with get_database().sessions() as session:
        query = select(MessageLog).where(
            MessageLog.profile_id == practice_id, MessageLog.phone == phone
        )
        if after is not None:
            query = query.where(MessageLog.created_at >= after)
        order = (MessageLog.created_at, MessageLog.direction)
        rows = session.scalars(query.order_by(*order)).all()
        return jsonify(messages=[_row(row) for row in rows])


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    """The endpoints answer their errors as JSON the page can show."""
    return jsonify(error=error.description or error.name), error.code or 500


def _practice_id(raw: Any) -> uuid.UUID:
    try:
        return uuid.UUID(raw if isinstance(raw, str) else "")
    except ValueError:
        abort(400, "practice must be a practice id (a UUID)")


def _phone(raw: Any) -> str:
    try:
        return to_e164(raw if isinstance(raw, str) else "")
    except InvalidPhoneNumber:
        abort(400, "phone must be an international number, e.g. +5215512345678")


def _instant(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        abort(400, "after must be an ISO 8601 instant, e.g. 2026-12-01T15:00:00Z")
    if instant.utcoffset() is None:
        abort(400, "after must carry its UTC offset, e.g. 2026-12-01T15:00:00Z")
    return instant


def _row(row: MessageLog) -> dict[str, Any]:
    """A transcript line; a new-request notification carries its quick-reply buttons, and a
    reply with choices its list or buttons (`interactive`, else None)."""
    variables = row.variables if isinstance(row.variables, dict) else {}
    code = variables.get("code")
    buttons = []
    if row.purpose in INTERACTIVE and isinstance(code, str):
        payloads = button_payloads(code)
        buttons = [{"title": t, "payload": p} for t, p in zip(BUTTON_TITLES, payloads, strict=True)]
    return {
        "id": str(row.id),
        "direction": row.direction,
        "body": row.body,
        "status": row.status,
        "purpose": row.purpose,
        "created_at": _iso(row.created_at),
        "buttons": buttons,
        "interactive": _interactive(variables.get("interactive")),
    }


def _interactive(raw: Any) -> dict[str, Any] | None:
    """The list or buttons a row's variables hold, checked field by field; None for anything
    else (an older row, a kind the page cannot show, a field of the wrong type or empty)."""
    if not isinstance(raw, dict):
        return None
    kind, body, button, raw_items = (
        raw.get("kind"),
        raw.get("body"),
        raw.get("button") or "",  # a quick reply has none
        raw.get("items"),
    )
    if kind not in MAX_ITEMS or not _text(body) or not isinstance(button, str):
        return None
    if kind == LIST_PICKER and not button.strip():
        return None  # a list opens with its button: nothing to show without it
    if not isinstance(raw_items, list) or not 1 <= len(raw_items) <= MAX_ITEMS[kind]:
        return None
    items = []
    for item in raw_items:
        if not isinstance(item, dict):
            return None
        choice, title = item.get("id"), item.get("title")
        description = item.get("description") or ""
        if not _text(choice) or len(choice) > ID_LIMIT or not _text(title):
            return None
        if not isinstance(description, str):
            return None
        items.append({"id": choice, "title": title, "description": description})
    return {"kind": kind, "body": body, "button": button, "items": items}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")
