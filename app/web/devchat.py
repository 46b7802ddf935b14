"""The local simulator: the patient's and the doctor's WhatsApp side by side, in development only.

`create_app` registers this blueprint only in development mode (not production, and
no TWILIO_AUTH_TOKEN: see `Config.development_mode`). Every message goes through the
real webhook, signed the way Twilio signs it, and both transcripts are read back
from message_log: the bot's replies, and the outbox's queued messages (the doctor's
new-request notice, the patient's approval) as they are sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from jinja2.utils import htmlsafe_json_dumps
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.exceptions import HTTPException

from app.config import Config
from app.database import get_database
from app.messaging.templates import INTERACTIVE
from app.models import MessageLog, Profile
from app.phones import WHATSAPP_PREFIX, InvalidPhoneNumber, to_e164
from bot_flows.doctor import button_payloads

bp = Blueprint("devchat", __name__, url_prefix="/dev/chat")
# The quick-reply titles of the doctor_new_request template (app/messaging/templates.py).
BUTTON_TITLES = ("Aprobar", "Rechazar")
# The page only talks to this server: no outside script, style, image or connection.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


@bp.get("")
def page() -> Response:
    """The simulator page, with the practices to pick from and the endpoints it calls."""
    with get_database().sessions() as session:
        profiles = session.scalars(
            select(Profile).where(Profile.whatsapp_number.is_not(None)).order_by(Profile.name)
        ).all()
        setup = {
            "practices": [
                {
                    "id": str(p.id),
                    "name": p.name,
                    "whatsapp_number": p.whatsapp_number,
                    "doctor_phone": p.doctor_phone or "",
                }
                for p in profiles
            ],
            "send": url_for("devchat.send"),
            "messages": url_for("devchat.messages"),
        }
    html = PAGE.replace("__SETUP__", htmlsafe_json_dumps(setup))
    response = Response(html, mimetype="text/html")
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
        abort(400, "send a JSON object: profile, phone, body and optionally payload")
    profile_id, phone = _profile_id(data.get("profile")), _phone(data.get("phone"))
    body, payload = data.get("body", ""), data.get("payload") or ""
    if not isinstance(body, str) or not isinstance(payload, str):
        abort(400, "body and payload must be text")
    with get_database().sessions() as session:
        practice_number = session.scalar(
            select(Profile.whatsapp_number).where(Profile.id == profile_id)
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
    if payload:
        form |= {"ButtonPayload": payload, "ButtonText": body}
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
    profile_id, phone = _profile_id(request.args.get("profile")), _phone(request.args.get("phone"))
    after = _instant(request.args.get("after"))
    with get_database().sessions() as session:
        query = select(MessageLog).where(
            MessageLog.profile_id == profile_id, MessageLog.phone == phone
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


def _profile_id(raw: Any) -> uuid.UUID:
    try:
        return uuid.UUID(raw if isinstance(raw, str) else "")
    except ValueError:
        abort(400, "profile must be a practice id (a UUID)")


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
    """A transcript line; a new-request notice carries its quick-reply buttons."""
    code = (row.variables or {}).get("code")
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
    }


def _iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


PAGE = """<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Citabot: simulador</title>
<style>
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #eef0f2; color: #111; }
  header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding: .6rem 1rem;
           background: #075e54; color: #fff; }
  header h1 { font-size: 1.05rem; margin: 0; }
  #notice { color: #ffd7d7; }
  main { display: flex; gap: 1.5rem; justify-content: center; flex-wrap: wrap; padding: 1rem; }
  .phone { width: 380px; height: calc(100vh - 7rem); min-height: 420px; display: flex;
           flex-direction: column; border: 8px solid #222; border-radius: 24px;
           background: #e5ddd5; overflow: hidden; }
  .phone h2 { margin: 0; padding: .5rem .8rem; font-size: .95rem; background: #128c7e;
              color: #fff; display: flex; gap: .5rem; align-items: center; }
  .phone h2 input { flex: 1; min-width: 0; font: inherit; border: 0; border-radius: 4px;
                    padding: .15rem .3rem; }
  .log { flex: 1; overflow-y: auto; padding: .6rem; display: flex; flex-direction: column;
         gap: .35rem; }
  .msg { max-width: 82%; padding: .35rem .55rem; border-radius: 8px; background: #fff;
         white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px #0002; }
  .msg.in { align-self: flex-end; background: #dcf8c6; }
  .msg.out { align-self: flex-start; }
  .meta { font-size: .72rem; color: #667; text-align: right; }
  .msg button { display: block; width: 100%; margin-top: .3rem; padding: .3rem; border: 0;
                border-top: 1px solid #ddd; background: none; color: #0a7cff; font: inherit;
                cursor: pointer; }
  form { display: flex; gap: .4rem; padding: .5rem; background: #f0f0f0; }
  form input { flex: 1; min-width: 0; font: inherit; padding: .4rem .6rem; border: 1px solid #ccc;
               border-radius: 18px; }
  form button { font: inherit; border: 0; border-radius: 18px; padding: .4rem .9rem;
                background: #128c7e; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<header>
  <h1>Citabot: simulador local</h1>
  <label>Consultorio <select id="practice"></select></label>
  <span id="notice" role="status"></span>
</header>
<main>
  <section class="phone" id="patient">
    <h2>Paciente <input name="phone" value="+5215512345678" aria-label="Teléfono del paciente"></h2>
    <div class="log" aria-live="polite"></div>
    <form><input name="text" placeholder="Mensaje" autocomplete="off"><button>Enviar</button></form>
  </section>
  <section class="phone" id="doctor">
    <h2>Doctor(a) <input name="phone" readonly aria-label="Teléfono del doctor"></h2>
    <div class="log" aria-live="polite"></div>
    <form><input name="text" placeholder="Mensaje" autocomplete="off"><button>Enviar</button></form>
  </section>
</main>
<script id="setup" type="application/json">__SETUP__</script>
<script>
"use strict";
const setup = JSON.parse(document.getElementById("setup").textContent);
const picker = document.getElementById("practice");
const POLL_MS = 1500;
// Rows are fetched again from a little before the newest one: a row committed late,
// or an outbound status still moving, is not missed.
const MARGIN_MS = 10000;

const panes = ["patient", "doctor"].map((id) => {
  const root = document.getElementById(id);
  return {
    phone: root.querySelector("input[name=phone]"),
    text: root.querySelector("input[name=text]"),
    form: root.querySelector("form"),
    log: root.querySelector(".log"),
    rows: [],
    shown: "",
  };
});
const [patient, doctor] = panes;

function practice() {
  return setup.practices.find((p) => p.id === picker.value);
}

function notice(message) {
  document.getElementById("notice").textContent = message;
}

function clear(pane) {
  pane.rows = [];
  pane.shown = "";
  pane.log.replaceChildren();
}

function choosePractice() {
  doctor.phone.value = practice()?.doctor_phone ?? "";
  panes.forEach(clear);
  refreshAll();
}

async function send(pane, body, payload) {
  const chosen = practice();
  if (!chosen) return;
  const response = await fetch(setup.send, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ profile: chosen.id, phone: pane.phone.value.trim(), body, payload }),
  });
  notice(response.ok ? "" : (await response.json().catch(() => ({}))).error ?? response.statusText);
  refreshAll();
}

function refreshAll() {
  for (const pane of panes) refresh(pane).catch(() => notice("Sin conexión con el servidor"));
}

async function refresh(pane) {
  const chosen = practice();
  const phone = pane.phone.value.trim();
  if (!chosen || !phone) return;
  const from = pane.rows.find((r) => r.status === "queued" || r.status === "sending")
    ?? pane.rows[pane.rows.length - 1];
  const after = from ? new Date(Date.parse(from.created_at) - MARGIN_MS) : null;
  const query = new URLSearchParams({ profile: chosen.id, phone });
  if (after) query.set("after", after.toISOString());
  const response = await fetch(`${setup.messages}?${query}`);
  if (practice() !== chosen || pane.phone.value.trim() !== phone) return;
  if (!response.ok) {
    notice((await response.json().catch(() => ({}))).error ?? response.statusText);
    return;
  }
  const { messages } = await response.json();
  const fresh = new Set(messages.map((m) => m.id));
  const cut = after ? after.getTime() : -Infinity;
  const kept = pane.rows.filter((r) => !fresh.has(r.id) && Date.parse(r.created_at) < cut);
  pane.rows = kept.concat(messages);
  render(pane);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bubble(pane, row) {
  const node = element("div", `msg ${row.direction}`, row.body);
  const details = [new Date(row.created_at).toLocaleTimeString()];
  if (row.direction === "out") details.push(row.status);
  if (row.purpose && row.purpose !== "reply") details.push(row.purpose);
  node.append(element("div", "meta", details.join(" · ")));
  for (const button of row.buttons) {
    const tap = element("button", "", button.title);
    tap.type = "button";
    tap.addEventListener("click", () => {
      send(pane, button.title, button.payload).catch(() => notice("Sin conexión con el servidor"));
    });
    node.append(tap);
  }
  return node;
}

function render(pane) {
  const shown = JSON.stringify(pane.rows);
  if (shown === pane.shown) return;
  pane.shown = shown;
  const log = pane.log;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...pane.rows.map((row) => bubble(pane, row)));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

for (const pane of panes) {
  pane.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = pane.text.value;
    if (!body.trim()) return;
    pane.text.value = "";
    send(pane, body, null).catch(() => notice("Sin conexión con el servidor"));
  });
  pane.phone.addEventListener("change", () => { clear(pane); refreshAll(); });
}
for (const p of setup.practices) {
  picker.append(new Option(`${p.name} (${p.whatsapp_number})`, p.id));
}
picker.addEventListener("change", choosePractice);
if (setup.practices.length) {
  choosePractice();
} else {
  notice("No hay consultorios: flask --app app clinic import examples/demo_clinic.yaml");
}
setInterval(refreshAll, POLL_MS);
</script>
</body>
</html>
"""
