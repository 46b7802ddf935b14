"""Signing in to the desk in tests, as a person does: the phone, then the code from WhatsApp.

The code is read from the outbox (message_log), where the desk queued it for the
member's WhatsApp; nothing is faked on the way.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import MessageLog

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/desk/login") -> str:
    """The CSRF token of the form at `path` (bound to the client's session cookie)."""
    page = client.get(path)
    found = CSRF.search(page.get_data(as_text=True))
    assert found is not None, f"no form with a CSRF token at {path} ({page.status_code})"
    return found.group(1)


def last_code(sessions: sessionmaker[Session], phone: str) -> str:
    """The latest sign-in code queued for `phone`'s WhatsApp."""
    with sessions() as session:
        message = session.scalars(
            select(MessageLog)
            .where(MessageLog.purpose == "desk_code", MessageLog.phone == phone)
            .order_by(MessageLog.created_at.desc(), MessageLog.id.desc())
        ).first()
    assert message is not None and message.variables is not None, f"no code sent to {phone}"
    return str(message.variables["code"])


def ask_for_code(client: FlaskClient, phone: str) -> str:
    """Type `phone` on the sign-in page; the form's CSRF token, for the code's form."""
    token = csrf_token(client)
    answer = client.post("/desk/login", data={"phone": phone, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return token


def sign_in(client: FlaskClient, sessions: sessionmaker[Session], phone: str) -> None:
    """Sign `phone` in on `client`: the desk's session cookie is set."""
    token = ask_for_code(client, phone)
    answer = client.post(
        "/desk/code", data={"code": last_code(sessions, phone), "csrf_token": token}
    )
    assert answer.status_code == 302 and answer.location.endswith("/desk/"), answer.location
