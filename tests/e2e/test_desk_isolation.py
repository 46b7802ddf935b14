"""Every desk route that names an object, given another practice's object: 404, nothing changed.

The routes are read from the app's URL map, so a new route that takes an id or a code
fails here until it is in `OBJECTS`. The clock is the e2e clock (2026-12-01 15:00 UTC);
the other practice's request, appointment and block are on 2 and 3 December 2026.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.booking.requests import approve_request, hold_slot
from app.models import ClosedDate, PracticeMember
from tests.desk_helpers import csrf_token, sign_in
from tests.e2e.conftest import DAY_1, DAY_2, World, make_practice_setup
from tests.factories import context, intake

pytestmark = pytest.mark.postgres

# What each route's argument names: an object of the other practice stands in for it.
OBJECTS = {
    ("desk.request_page", "code"): "request",
    ("desk.approve_request", "code"): "request",
    ("desk.reject_request", "code"): "request",
    ("desk.appointment_page", "code"): "appointment",
    ("desk.cancel_appointment", "code"): "appointment",
    ("desk.complete_appointment", "code"): "appointment",
    ("desk.no_show_appointment", "code"): "appointment",
    ("desk.add_note", "code"): "appointment",
    ("desk.unblock", "block_id"): "block",
    ("desk.remove_member", "member_id"): "member",
}
FORMS = {"desk.reject_request": {"reason": "x"}, "desk.add_note": {"note_type": "diagnosis",
         "content": "nota"}, "desk.cancel_appointment": {"reason": "x"}}  # fmt: skip


def test_every_route_with_an_object_refuses_another_practices_with_a_404(world: World) -> None:
    other = make_practice_setup(world.sessions, [DAY_1, DAY_2], appointment_approval_required=True)
    ctx = context(world.sessions, world.clock)
    pid = other.profile.id
    request_code = hold_slot(ctx, profile_id=pid, slot_id=other.slots[0].id, intake=intake()).code
    appointment_code = hold_slot(
        ctx, profile_id=pid, slot_id=other.slots[1].id, intake=intake()
    ).code
    approve_request(ctx, profile_id=pid, code=appointment_code)
    with world.sessions.begin() as session:
        block = ClosedDate(profile_id=pid, day=date(2026, 12, 3), source="doctor")
        member = PracticeMember(
            profile_id=pid,
            phone="+525599998888",
            name="Otro",
            role="staff",
            created_at=world.clock.now,
        )
        session.add_all([block, member])
        session.flush()
        ids = {
            "request": request_code,
            "appointment": appointment_code,
            "block": str(block.id),
            "member": str(member.id),
        }
    world.clock.now = DAY_2 + timedelta(hours=1)  # both appointments have started: all may act

    client = world.app.test_client()
    sign_in(client, world.sessions, world.practice.doctor_phone)
    token = csrf_token(client, "/desk/")
    before = world.row_counts()
    checked = set()
    for rule in world.app.url_map.iter_rules():
        if (
            not rule.arguments
            or not rule.endpoint.startswith("desk.")
            or rule.endpoint == "desk.static"
        ):
            continue
        [argument] = rule.arguments
        kind = OBJECTS.get((rule.endpoint, argument))
        assert kind is not None, f"{rule.rule}: add it to OBJECTS"
        path = rule.rule.replace(f"<{argument}>", ids[kind]).replace(
            f"<uuid:{argument}>", ids[kind]
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            form = {"csrf_token": token} | FORMS.get(rule.endpoint, {})
            answer = client.open(path, method=method, data=form if method == "POST" else None)
            assert answer.status_code == 404, (method, path, answer.status_code)
            checked.add((rule.endpoint, method))
    assert len(checked) == len(OBJECTS)
    assert world.row_counts() == before  # nothing written, not even the audit log
    with world.sessions() as session:
        assert session.get_one(PracticeMember, member.id).removed_at is None
        assert session.scalar(select(ClosedDate.id).where(ClosedDate.profile_id == pid))
