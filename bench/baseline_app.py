"""The floor of bench/webhook_load.py: a webhook that does one 4-statement transaction.

Same stack as Citabot's webhook (gunicorn -> Flask -> SQLAlchemy engine built by
`app.db.make_engine` -> psycopg -> the same PostgreSQL database), with none of the
app's work: no signature check, no conversation, no ORM. Each POST reads the form,
inserts a row, counts the sender's rows, updates the new row and reads it back, in
one transaction, and answers with a one-message TwiML document. Whatever the real
webhook costs beyond this is the app's own.

Served by the benchmark as `gunicorn 'bench.baseline_app:create_app()'`, reading
DATABASE_URL; the table is made by `create_table` before the server starts.
"""

from __future__ import annotations

import os
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

from app.db import make_engine

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
        reply = f"<Response><Message>{escape(f'{seen} {hits}')}</Message></Response>"
        return Response(reply, mimetype="application/xml")

    return app
