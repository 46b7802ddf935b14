"""Logging: one JSON object per line in production, readable text elsewhere; ids, never people.

Each production line carries the time, level, logger and message and, when known,
the ids of what is being handled: the request id (the caller's `X-Request-Id`, or
one made up, and sent back), Twilio's `I-Twilio-Idempotency-Token`, the practice
id, Twilio's MessageSid, the job. Code adds ids with `bind(...)`; the request
hooks below bind the request's own and clear them at its end.

Log calls name rows by id, never by what they hold: no message body, no name, no
full phone number (`mask_phone` when a number must be told apart). As a last
guard the JSON lines mask anything shaped like a phone number.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TextIO

from flask import Flask, Response, request

# The ids a line may carry, in the order they are written.
FIELDS = ("request_id", "idempotency_token", "practice_id", "message_id", "job", "job_id")
# What a caller's request id or Twilio's token may look like (anything else: made up anew).
TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
SID = re.compile(r"[A-Za-z0-9]{1,64}")
# A phone number as it may appear in text: optional +, 8 to 15 digits, not part of
# a longer word, id or number (a UUID's all-digit group is bounded by dashes).
PHONE = re.compile(r"(?<![\w.\-+])\+?[0-9]{8,15}(?![\w.\-])")
# Libraries that log people's data at INFO: the Twilio SDK writes each request's
# query (recipients' numbers when listing messages).
QUIET = {"twilio.http_client": logging.WARNING}

NOTHING: Mapping[str, str] = MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "citabot_log_context", default=NOTHING
)


def mask_phone(phone: str) -> str:
    """`+5215512345678` -> `+52******5678`: enough to tell numbers apart, not to dial one."""
    digits = phone.lstrip("+")
    if len(digits) <= 6:
        return "******"
    return f"{'+' if phone.startswith('+') else ''}{digits[:2]}******{digits[-4:]}"


def scrub(text: str) -> str:
    """`text` with everything shaped like a phone number masked."""
    return PHONE.sub(lambda match: mask_phone(match.group()), text)


def bind(**ids: object) -> None:
    """Add ids (see FIELDS) to every line logged from here to the end of the request."""
    unknown = ids.keys() - set(FIELDS)
    if unknown:
        raise ValueError(f"log lines carry ids only ({', '.join(FIELDS)}), not {sorted(unknown)}")
    _context.set({**_context.get(), **{k: str(v) for k, v in ids.items() if v is not None}})


@contextmanager
def bound(**ids: object) -> Iterator[None]:
    """Add ids to the lines logged inside the block only (a job, a replayed message)."""
    token = _context.set(_context.get())
    try:
        bind(**ids)
        yield
    finally:
        _context.reset(token)


def clear() -> None:
    """Forget the ids bound so far (a request is over)."""
    _context.set(NOTHING)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the bound ids, the error."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        bound = _context.get()
        for name in FIELDS:
            value = getattr(record, name, None) or bound.get(name)  # `extra=` wins
            if value:
                line[name] = scrub(str(value))
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False)


def configure(production: bool, stream: TextIO | None = None) -> logging.Handler | None:
    """Set up the root logger: JSON lines in production, else text; returns the handler added.

    Logging someone already set up (pytest, `gunicorn --log-config`, a second app
    in this process) is left as it is: None. Call before anything logs.
    """
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    root = logging.getLogger()
    if root.handlers:
        return None
    handler = logging.StreamHandler(stream or sys.stderr)
    if production:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def init_app(app: Flask) -> None:
    """Bind each request's ids for its log lines, and answer with its request id."""

    @app.before_request
    def identify_request() -> None:
        # Read from the WSGI environ: this runs before every webhook, and Werkzeug's
        # header lookups cost more than the rest of it together.
        environ = request.environ
        given = environ.get("HTTP_X_REQUEST_ID", "")
        token = environ.get("HTTP_I_TWILIO_IDEMPOTENCY_TOKEN", "")
        ids = {"request_id": given if TOKEN.fullmatch(given) else os.urandom(16).hex()}
        if TOKEN.fullmatch(token):
            ids["idempotency_token"] = token
        if "HTTP_X_TWILIO_SIGNATURE" in environ and request.path.startswith("/webhooks/"):
            sid = request.form.get("MessageSid", "")  # inbound messages and status callbacks
            if SID.fullmatch(sid):
                ids["message_id"] = sid
        _context.set(ids)

    @app.after_request
    def tell_request_id(response: Response) -> Response:
        request_id = _context.get().get("request_id")
        if request_id:
            response.headers["X-Request-Id"] = request_id
        return response

    @app.teardown_request
    def forget_request(_error: BaseException | None) -> None:
        clear()
