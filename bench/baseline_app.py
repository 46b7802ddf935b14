"""The floor of bench/webhook_load.py: a webhook that does one 4-statement transaction.

Same stack as Citabot's webhook (gunicorn -> Flask -> SQLAlchemy engine built by
`app.db.make_engine` -> psycopg -> the same PostgreSQL database), with none of the
app's work: no signature check, no conversation, no ORM. Each POST reads the form,
inserts a row, counts the sender's rows, updates the new row and reads it back, in
one transaction, and answers with a one-message TwiML document. Whatever the real
webhook costs beyond this is the app's own.

Served by the benchmark as `gunicorn 'bench.baseline_app:create_app()'`, reading
DATABASE_URL; the table is made by `create_table` before the server starts.

With FLOOR_CONTENT_SID set (the benchmark's `--interactive`), the reply is not TwiML
but what the app's list and button replies cost at the least: after the commit, a
thread of the process sends it through the twilio SDK as that content resource with
three buttons, to the API at TWILIO_API_BASE_URL (the benchmark's fake Twilio), and
the POST is answered with an empty TwiML document.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask import Flask, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from twilio.rest import Client

from app.background.runtime import RedirectedHttpClient
from app.db import make_engine
from app.messaging.twilio_messenger import settled

METADATA = MetaData()
FLOOR = Table(
    "bench_floor",
    METADATA,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("sid", Text, nullable=False, unique=True),
    Column("phone", Text, nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("hits", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def create_table(engine: Engine) -> None:
    """Make the floor's table (the benchmark calls this once, before serving)."""
    METADATA.create_all(engine)


def create_app(database_url: str | None = None) -> Flask:
    """The baseline WSGI app; connects to nothing until the first request."""
    engine = make_engine(database_url or os.environ["DATABASE_URL"])
    app = Flask(__name__)
    content_sid = os.environ.get("FLOOR_CONTENT_SID")
    if content_sid:
        send = _rest_sender(content_sid)

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        return jsonify(status="ok")

    @app.post("/floor")
    def floor() -> Response:
        form = request.form
        sid, phone, body = form.get("MessageSid"), form.get("From"), form.get("Body", "")
        if not sid or not phone:
            abort(400, "MessageSid and From are required")
        with engine.begin() as connection:
            row_id = connection.scalar(
                insert(FLOOR)
                .values(sid=sid, phone=phone, body=body, created_at=datetime.now(UTC))
                .returning(FLOOR.c.id)
            )
            seen = connection.scalar(
                select(func.count()).select_from(FLOOR).where(FLOOR.c.phone == phone)
            )
            connection.execute(
                update(FLOOR).where(FLOOR.c.id == row_id).values(hits=FLOOR.c.hits + 1)
            )
            hits = connection.scalar(select(FLOOR.c.hits).where(FLOOR.c.id == row_id))
        if content_sid:
            send(phone, form.get("To", ""), f"{seen} {hits}")
            return Response("<Response/>", mimetype="application/xml")
        reply = f"<Response><Message>{escape(f'{seen} {hits}')}</Message></Response>"
        return Response(reply, mimetype="application/xml")

    return app


def _rest_sender(content_sid: str) -> Callable[[str, str, str], None]:
    """A function that sends a three-button reply from a thread of this process."""
    client = Client(
        os.environ["TWILIO_ACCOUNT_SID"],
        os.environ["TWILIO_AUTH_TOKEN"],
        http_client=settled(RedirectedHttpClient(os.environ["TWILIO_API_BASE_URL"])),
    )
    sender = ThreadPoolExecutor(1, "floor-send")

    def create(to: str, from_: str, body: str) -> None:
        buttons = {"2": "yes", "3": "Sí", "4": "no", "5": "No", "6": "other", "7": "Otro"}
        client.messages.create(
            to=to,
            from_=from_,
            content_sid=content_sid,
            content_variables=json.dumps({"1": body} | buttons),
        )

    def send(to: str, from_: str, body: str) -> None:
        sender.submit(create, to, from_, body)

    return send
