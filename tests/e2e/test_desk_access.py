"""Signing in to the desk: a WhatsApp code, its limits, the session cookie, CSRF, headers.

The clock is the e2e clock (2026-12-01 15:00 UTC) and moves by hand; the practice's
doctor is the world's `doctor_phone`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.background.runtime import build_runtime, set_runtime
from app.config import Config
from app.db import get_database
from app.desk.access import CODE_MINUTES, CODES_PER_ADDRESS, LOCK_MINUTES
from app.models import DeskCode, DeskSession, MessageLog, PracticeMember
from tests.conftest import FrozenClock
from tests.desk_helpers import CSRF, ask_for_code, csrf_token, last_code, sign_in
from tests.e2e.conftest import World

pytestmark = pytest.mark.postgres


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_doctor_signs_in_with_the_code_sent_to_their_whatsapp(world: World) -> None:
    client = world.app.test_client()
    assert client.get("/desk/").location.endswith("/desk/login")  # not signed in yet
    sign_in(client, world.sessions, world.practice.doctor_phone)
    page = client.get("/desk/")
    assert page.status_code == 200 and "Agenda" in page.get_data(as_text=True)
    [sent] = world.outbox(world.practice.doctor_phone, "desk_code")
    assert "Vence en 10 minutos" in sent.body and sent.status == "queued"
    with world.sessions() as session:
        member = session.scalars(select(PracticeMember)).one()
        stored = session.scalars(select(DeskCode)).one()
    assert (member.role, member.phone) == ("doctor", world.practice.doctor_phone)
    assert last_code(world.sessions, member.phone) not in stored.code_hash  # only a keyed hash


def test_a_code_is_refused_when_wrong_expired_or_used_and_the_fifth_wrong_try_locks(
    world: World,
) -> None:
    client = world.app.test_client()
    phone = world.practice.doctor_phone
    token = ask_for_code(client, phone)
    code = last_code(world.sessions, phone)

    def enter(typed: str) -> str:
        return client.post("/desk/code", data={"code": typed, "csrf_token": token}).get_data(
            as_text=True
        )

    for _ in range(4):
        assert "Ese código no es correcto" in enter(wrong(code))
    assert "Demasiados intentos equivocados" in enter(wrong(code))  # the fifth: locked
    assert "Demasiados intentos equivocados" in enter(code)  # even the right one, now
    assert "no puede entrar por unos minutos" in client.post(
        "/desk/login", data={"phone": phone, "csrf_token": token}
    ).get_data(as_text=True)

    world.clock.now += timedelta(minutes=LOCK_MINUTES, seconds=1)
    token = ask_for_code(client, phone)
    fresh = last_code(world.sessions, phone)
    world.clock.now += timedelta(minutes=CODE_MINUTES, seconds=1)
    assert "ya no vale" in enter(fresh)  # expired
    world.clock.now += timedelta(seconds=1)
    token = ask_for_code(client, phone)
    used = last_code(world.sessions, phone)
    answer = client.post("/desk/code", data={"code": used, "csrf_token": token})
    assert answer.status_code == 302
    other = world.app.test_client()
    other_token = csrf_token(other)
    with other.session_transaction() as flask_session:
        flask_session["desk_phone"] = phone
    again = other.post("/desk/code", data={"code": used, "csrf_token": other_token})
    assert "ya no vale" in again.get_data(as_text=True)  # used once


def test_an_unknown_number_looks_the_same_and_gets_nothing(world: World) -> None:
    client = world.app.test_client()
    ask_for_code(client, "+525500000099")  # redirected to the code page all the same
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(MessageLog)) == 0
        assert session.scalar(select(func.count()).select_from(PracticeMember)) == 0


def test_codes_are_limited_per_number_and_per_address(world: World) -> None:
    client = world.app.test_client()
    phone = world.practice.doctor_phone
    for _ in range(5):
        ask_for_code(client, phone)
        world.clock.now += timedelta(minutes=3)
    token = csrf_token(client)
    refused = client.post("/desk/login", data={"phone": phone, "csrf_token": token})
    assert "demasiados códigos" in refused.get_data(as_text=True)  # a sixth within the hour
    assert len(world.outbox(phone, "desk_code")) == 5

    world.clock.now += timedelta(hours=2)
    for n in range(CODES_PER_ADDRESS):
        client.post("/desk/login", data={"phone": f"+5255000001{n:02d}", "csrf_token": token})
    refused = client.post("/desk/login", data={"phone": phone, "csrf_token": token})
    assert "demasiados códigos" in refused.get_data(as_text=True)  # the address, strangers too


def test_a_session_ends_when_signed_out_or_after_12_idle_hours(world: World) -> None:
    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)
    world.clock.now += timedelta(hours=11, minutes=59)
    assert client.get("/desk/").status_code == 200  # used: the idle time starts again
    world.clock.now += timedelta(hours=11, minutes=59)
    assert client.get("/desk/").status_code == 200
    world.clock.now += timedelta(hours=12, minutes=1)
    assert client.get("/desk/").location.endswith("/desk/login")

    sign_in(client, world.sessions, world.practice.doctor_phone)
    token = csrf_token(client, "/desk/")
    assert client.post("/desk/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/desk/").location.endswith("/desk/login")
    with world.sessions() as session:
        ended = session.scalars(select(DeskSession.ended_at)).all()
    assert len(ended) == 2 and ended.count(None) == 1  # the idle one was never ended: it lapsed


def test_a_form_without_its_csrf_token_is_refused(world: World) -> None:
    client = world.app.test_client()
    answer = client.post("/desk/login", data={"phone": world.practice.doctor_phone})
    assert answer.status_code == 400
    assert not world.outbox(world.practice.doctor_phone, "desk_code")


def test_pages_carry_security_headers(world: World) -> None:
    page = world.app.test_client().get("/desk/login")
    headers = page.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_in_production_the_session_cookie_is_secure(
    world: World, config: Config, clock: FrozenClock
) -> None:
    production = Config(
        database_url=config.database_url,
        environment="production",
        messaging_backend="console",
        secret_key=config.secret_key,
    )
    app: Flask = create_app(production)
    app.config["TESTING"] = True  # no embedded job thread
    set_runtime(app, build_runtime(app, clock=clock))
    try:
        client = app.test_client()
        https = "https://desk.example"  # Secure cookies travel over HTTPS only
        # Over HTTPS a form must also come from the desk's own pages (flask-wtf's check).
        same_site = {"Referer": f"{https}/desk/login"}
        page = client.get("/desk/login", base_url=https).get_data(as_text=True)
        token = CSRF.search(page).group(1)  # type: ignore[union-attr]
        phone = world.practice.doctor_phone
        form = {"phone": phone, "csrf_token": token}
        client.post("/desk/login", data=form, base_url=https, headers=same_site)
        answer = client.post(
            "/desk/code",
            data={"code": last_code(world.sessions, phone), "csrf_token": token},
            base_url=https,
            headers=same_site,
        )
        cookie = answer.headers["Set-Cookie"]
        assert cookie.startswith("citabot_desk=")
        for flag in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/desk", "Max-Age=43200"):
            assert flag in cookie, cookie
    finally:
        get_database(app).engine.dispose()
