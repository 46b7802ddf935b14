"""Twilio's Content API in the fake, reached through the real twilio SDK (issue 12).

The fake refuses what Twilio refuses (tests/fake_twilio.py cites the limits), so a
content sync or an interactive reply that passes here is not refused at Twilio for
a title one character too long.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList

from tests.conftest import FrozenClock
from tests.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CONTENT_API,
    LIST_PICKER,
    QUICK_REPLY,
    TEXT,
    Choice,
    FakeTwilio,
)

FROM = "whatsapp:+14155238886"
TO = "whatsapp:+5215512345678"


@pytest.fixture
def fake(fake_twilio: FakeTwilio, clock: FrozenClock) -> FakeTwilio:
    fake_twilio.clock = clock
    return fake_twilio


@pytest.fixture
def client(fake: FakeTwilio) -> Client:
    return Client(ACCOUNT_SID, AUTH_TOKEN, http_client=fake.http_client())


def list_picker(count: int, language: str = "es") -> dict[str, Any]:
    """A pool-style list picker: every text a variable (1 body, 2 button, then 3 per item)."""
    items = [
        {
            "id": f"{{{{{3 * n + 3}}}}}",
            "item": f"{{{{{3 * n + 4}}}}}",
            "description": f"{{{{{3 * n + 5}}}}}",
        }
        for n in range(count)
    ]
    names = range(1, 3 * count + 3)
    return {
        "friendly_name": f"citabot_list_{count}_{language}",
        "language": language,
        "variables": {str(n): f"sample {n}" for n in names},
        "types": {LIST_PICKER: {"body": "{{1}}", "button": "{{2}}", "items": items}},
    }


def create(client: Client, definition: dict[str, Any]) -> Any:
    return client.content.v1.contents.create(ContentList.ContentCreateRequest(definition))


def send(client: Client, content_sid: str, variables: dict[str, Any] | str) -> Any:
    return client.messages.create(
        from_=FROM,
        to=TO,
        content_sid=content_sid,
        content_variables=variables if isinstance(variables, str) else json.dumps(variables),
    )


def refused(call: Any, status: int, code: int) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as raised:
        call()
    assert (raised.value.status, raised.value.code) == (status, code), raised.value.msg
    return raised.value


def test_create_fetch_list_update_delete(fake: FakeTwilio, client: Client, clock: FrozenClock):
    contents = client.content.v1.contents
    created = create(client, list_picker(2))

    assert re.fullmatch(r"HX[0-9a-f]{32}", created.sid)
    assert created.account_sid == ACCOUNT_SID
    assert created.friendly_name == "citabot_list_2_es" and created.language == "es"
    assert created.types == {LIST_PICKER: list_picker(2)["types"][LIST_PICKER]}
    assert created.date_created == created.date_updated == clock.now
    assert created.url == f"{CONTENT_API}/v1/Content/{created.sid}"
    assert contents(created.sid).fetch().types == created.types

    clock.advance(minutes=5)
    changed = list_picker(2) | {"variables": list_picker(2)["variables"] | {"2": "Ver horarios"}}
    updated = contents(created.sid).update(ContentList.ContentUpdateRequest(changed))
    assert updated.sid == created.sid and updated.variables["2"] == "Ver horarios"
    assert (updated.date_created, updated.date_updated) == (created.date_created, clock.now)
    # Fields the SDK sends as null keep their value.
    renamed = contents(created.sid).update(ContentList.ContentUpdateRequest({"friendly_name": "x"}))
    assert renamed.friendly_name == "x" and renamed.types == created.types

    others = [create(client, list_picker(n)) for n in (1, 3)]
    listed = contents.list(page_size=2)  # two pages: the SDK follows `meta.next_page_url`
    assert [c.sid for c in listed] == [created.sid] + [c.sid for c in others]
    assert [c.sid for c in contents.page(page_size=2)] == [created.sid, others[0].sid]

    assert contents(created.sid).delete() is True
    refused(contents(created.sid).fetch, 404, 20404)
    refused(contents(created.sid).delete, 404, 20404)
    assert list(fake.contents) == [c.sid for c in others]
    assert (fake.content_creates, fake.content_updates, fake.content_deletes) == (3, 2, 1)


def test_update_by_post_as_twilio_announced_it(fake: FakeTwilio, client: Client):
    """twilio 9.x updates with PUT; Twilio's announcement says POST: the fake takes both."""
    sid = create(client, list_picker(1)).sid
    definition = list_picker(1) | {"language": "en"}
    response = client.http_client.request(
        "POST",
        f"{CONTENT_API}/v1/Content/{sid}",
        data=definition,
        headers={"Content-Type": "application/json"},
        auth=(ACCOUNT_SID, AUTH_TOKEN),
    )
    assert response.status_code == 200 and json.loads(response.text)["language"] == "en"
    assert fake.contents[sid].language == "en" and fake.content_updates == 1


def test_content_needs_the_account_credentials(fake: FakeTwilio):
    stranger = Client(ACCOUNT_SID, "wrong-token", http_client=fake.http_client())
    refused(lambda: create(stranger, list_picker(1)), 401, 20003)
    refused(stranger.content.v1.contents("HX" + "0" * 32).fetch, 401, 20003)
    with pytest.raises(TwilioException) as raised:  # the SDK's pages raise the plain kind
        stranger.content.v1.contents.list()
    assert raised.value.args[1].status_code == 401
    assert fake.contents == {} and fake.content_creates == 0


def picker(item: dict[str, Any] | None = None, **fields: Any) -> tuple[str, dict[str, Any]]:
    """A list picker valid but for `item`'s and `fields`' changes."""
    one = {"id": "a", "item": "x", "description": "d"} | (item or {})
    return LIST_PICKER, {"body": "Elige", "button": "Ver", "items": [one]} | fields


def buttons(*titles: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    actions = [{"id": str(n), "title": title} for n, title in enumerate(titles)]
    return QUICK_REPLY, {"body": "¿Confirmas?", "actions": actions} | fields


@pytest.mark.parametrize(
    ("kind_spec", "why"),
    [
        (picker({"item": "x" * 25}), "item"),
        (picker({"description": "d" * 73}), "description"),
        (picker({"id": "a" * 201}), "id"),
        (picker(button="Ver horarios libres ya"), "button"),
        (picker(body="b" * 1025), "body"),
        (
            picker(items=[{"id": str(n), "item": "x", "description": "d"} for n in range(11)]),
            "items",
        ),
        (picker(items=[]), "items"),
        (picker(items=[{"id": "a", "item": "x"}]), "description"),
        (picker(items=[{"id": "a", "item": "x", "description": "d"}] * 2), "ids"),
        (buttons("Sí, confirmo mi cita ya"), "title"),
        (buttons("1", "2", "3", "4"), "actions"),
        (buttons("Sí", "Sí"), "titles"),
        (buttons("Sí", body=None), "body"),
        ((TEXT, {"body": "t" * 1601}), "body"),
        ((TEXT, {}), "body"),
        (("twilio/card", {"title": "Hola"}), "not twilio/card"),
    ],
)
def test_create_refuses_what_twilio_refuses(
    fake: FakeTwilio, client: Client, kind_spec: tuple[str, dict[str, Any]], why: str
):
    kind, spec = kind_spec
    definition = {"friendly_name": "bad", "language": "es", "types": {kind: spec}}
    error = refused(lambda: create(client, definition), 400, 70002)
    assert why in error.msg
    assert fake.contents == {} and fake.content_creates == 0


def test_limits_are_inclusive(client: Client):
    """Exactly at each limit is fine: 24-character titles, 3 buttons, 10 items."""
    items = [{"id": f"{n:i>200}", "item": f"{n:0>24}", "description": "d" * 72} for n in range(10)]
    picker = {"body": "b" * 1024, "button": "B" * 20, "items": items}
    buttons = {
        "body": "¿Confirmas?",
        "actions": [{"id": str(n), "title": f"{n:0>20}"} for n in range(3)],
    }
    for kind, spec in ((LIST_PICKER, picker), (QUICK_REPLY, buttons), (TEXT, {"body": "t" * 1600})):
        assert create(client, {"language": "es", "types": {kind: spec}}).sid


def test_placeholders_must_be_declared_and_are_measured_at_send(fake: FakeTwilio, client: Client):
    undeclared = list_picker(1) | {"variables": {"1": "Elige", "2": "Ver"}}
    error = refused(lambda: create(client, undeclared), 400, 70002)
    assert "'3'" in error.msg and fake.contents == {}

    spaced = {
        "language": "es",
        "variables": {"id name": "x"},
        "types": {TEXT: {"body": "{{id name}}"}},
    }
    refused(lambda: create(client, spaced), 400, 70002)

    # A 30-character default for a title is no reason to refuse the content...
    definition = list_picker(1)
    definition["variables"]["4"] = "t" * 30
    sid = create(client, definition).sid
    # ...but sent without a value of its own, the default is what Twilio would show.
    values = {"1": "Elige una hora", "2": "Ver horas", "3": "slot:1", "5": "lunes"}
    refused(lambda: send(client, sid, values), 400, 21656)
    assert fake.created == []


def test_a_list_picker_send_is_stored_and_rendered(fake: FakeTwilio, client: Client):
    sid = create(client, list_picker(2)).sid
    values = {
        "1": "Elige una hora para Ultrasonido obstétrico:",
        "2": "Ver horas",
        "3": "slot:0b7e6c1e-0c55-4a8e-9f3e-2f1c3c9a0d11",
        "4": "10:30",
        "5": "miércoles 30 de diciembre",
        "6": "more:2",
        "7": "Más horarios",
        "8": "Otros días y horas",
    }
    message = send(client, sid, values)

    assert message.status == "queued" and message.body == values["1"]
    [created] = fake.created
    assert (created.sid, created.content_sid, created.variables) == (message.sid, sid, values)
    rendered = created.rendered
    assert rendered is not None
    assert (rendered.kind, rendered.body, rendered.button) == (
        LIST_PICKER,
        values["1"],
        "Ver horas",
    )
    assert rendered.choices == (
        Choice(values["3"], "10:30", "miércoles 30 de diciembre"),
        Choice("more:2", "Más horarios", "Otros días y horas"),
    )
    assert rendered.choice("10:30").id == values["3"]  # what a test "taps"
    assert rendered.choice("more:2").title == "Más horarios"
    with pytest.raises(KeyError):
        rendered.choice("11:00")


def test_a_quick_reply_send_is_rendered(fake: FakeTwilio, client: Client):
    definition = {
        "language": "es",
        "variables": {"1": "¿Confirmas?", "2": "yes", "3": "Confirmar", "4": "no", "5": "Cancelar"},
        "types": {
            QUICK_REPLY: {
                "body": "{{1}}",
                "actions": [{"id": "{{2}}", "title": "{{3}}"}, {"id": "{{4}}", "title": "{{5}}"}],
            },
            TEXT: {"body": "{{1}} (sí / no)"},
        },
    }
    sid = create(client, definition).sid
    send(client, sid, {"1": "¿Confirmas tu cita del lunes?", "2": "confirm:K7M3QX"})

    rendered = fake.created[0].rendered
    assert rendered is not None and rendered.kind == QUICK_REPLY  # the richest type WhatsApp takes
    assert rendered.body == "¿Confirmas tu cita del lunes?"
    assert rendered.choices == (Choice("confirm:K7M3QX", "Confirmar"), Choice("no", "Cancelar"))


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ({"4": "Lunes 30 de diciembre 10:30"}, "has 27 characters"),  # a 25+ character title
        ({"4": "x" * 25}, "at most 24"),
        ({"5": "d" * 73}, "at most 72"),
        ({"2": "Ver todos los horarios"}, "button"),
        ({"3": "same", "6": "same"}, "ids"),
        ({"4": ""}, "empty"),
        ({"4": None}, "null"),
        ({"4": 10}, "not text"),
        ("not json", "not JSON"),
        ('["a list"]', "not a JSON object"),
    ],
)
def test_a_send_is_refused_after_rendering(
    fake: FakeTwilio, client: Client, values: dict[str, Any] | str, why: str
):
    sid = create(client, list_picker(2)).sid
    error = refused(lambda: send(client, sid, values), 400, 21656)
    assert why in error.msg
    assert fake.created == []


def test_an_unknown_content_sid_is_refused(fake: FakeTwilio, client: Client):
    deleted = create(client, list_picker(1)).sid
    client.content.v1.contents(deleted).delete()
    refused(lambda: send(client, deleted, {}), 400, 21655)

    never = "HX" + "f" * 32
    fake.strict_content = True
    refused(lambda: send(client, never, {"1": "x"}), 400, 21655)
    assert fake.created == []


def test_stand_in_template_sids_still_pass_unrendered(fake: FakeTwilio, client: Client):
    """Older tests send approved templates by made-up sids; only `strict_content` refuses them."""
    message = send(client, "HXapproved_es", {"1": "K7M3QX"})
    [created] = fake.created
    assert created.sid == message.sid and created.rendered is None
    assert created.variables == {"1": "K7M3QX"}


def test_content_variables_need_a_content_sid(fake: FakeTwilio, client: Client):
    call = lambda: client.messages.create(  # noqa: E731
        from_=FROM, to=TO, body="Hola", content_variables=json.dumps({"1": "x"})
    )
    refused(call, 400, 21654)
    assert fake.created == []


def test_scripted_failures_apply_to_content_calls(fake: FakeTwilio, client: Client):
    fake.fail_next(status=500)
    refused(lambda: create(client, list_picker(1)), 500, 20500)
    assert fake.contents == {} and fake.content_creates == 0

    fake.fail_next(status=503, keep=True)  # done at Twilio, the answer lost on the way
    refused(lambda: create(client, list_picker(1)), 503, 20503)
    assert len(fake.contents) == 1 and fake.content_creates == 1
    assert [status for _, status in fake.requests] == [500, 503]
