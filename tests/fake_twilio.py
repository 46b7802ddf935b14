"""A local stand-in for Twilio's Messages and Content APIs, driven offline by the real SDK.

`FakeTwilio` is a real HTTP server on 127.0.0.1 (a thread) that answers the calls
Citabot makes, like Twilio does:

- ``POST /2010-04-01/Accounts/{AC}/Messages.json`` (create): records From, To, Body,
  ContentSid, ContentVariables and StatusCallback, answers 201 with a fresh
  ``SM...`` sid and status ``queued``;
- ``GET  /2010-04-01/Accounts/{AC}/Messages.json`` (list, used by reconciliation):
  filters on To, From and ``DateSent>``, newest first, one page of ``PageSize``;
- the Content API at ``https://content.twilio.com/v1/Content`` (`client.content.v1.contents`):
  create (POST, JSON), fetch (GET ``/{HX...}``), list (GET, paged with ``contents`` +
  ``meta``, oldest first), update (PUT as the SDK sends it, or POST as Twilio announced
  it; fields left null keep their value) and delete (DELETE, 204).

Content is checked like Twilio checks it (limits below, with their sources): at
create/update every literal string is measured, while a string with a ``{{name}}``
placeholder is measured after substitution, at send time; each placeholder must be
declared in ``variables`` (else 400, code 70002). Only ``twilio/text``,
``twilio/quick-reply`` and ``twilio/list-picker`` are implemented; others are refused.

A message with a ContentSid is rendered with its ContentVariables (falling back to the
content's ``variables``) and refused, nothing stored, when Twilio would refuse it:
ContentVariables without ContentSid (21654), a ContentSid deleted here or, with
``strict_content``, never created here (21655), ContentVariables that are not a JSON
object of non-empty strings, or a rendered text over its limit (21656). A ContentSid
the fake never saw is accepted by default, unrendered: older tests send stand-in sids
of approved templates that live outside the fake.

Use it through `FakeTwilio.http_client()`, a `TwilioHttpClient` that rewrites
``https://api.twilio.com`` and ``https://content.twilio.com`` to the fake, passed as
`Client(..., http_client=...)` (or `build_delivery_context(..., http_client=...)`).
Another process can build the same client from the URL alone:
``FakeTwilioHttpClient(fake.base_url)``.

Scripting (each applies to the next requests, in order, Messages and Content alike):

    fake.fail_next(status=500)                 # one 500 (code 20500), nothing stored
    fake.fail_next(2, status=429)              # two "Too Many Requests" (code 20429)
    fake.fail_next(status=400, code=63016)     # outside the 24 h window, permanent
    fake.fail_next(status=400, code=21211)     # invalid 'To' number
    fake.fail_next(status=500, keep=True)      # done (stored), but the answer is an error
    fake.drop_next(keep=True)                  # done, then the connection is cut
    fake.strict_content = True                 # a ContentSid never created here: 21655

Inspection: `fake.created` (every stored `Created`, oldest first; `.rendered` is what
the recipient sees of a content message: kind, body, button and the `Choice`s a test
can "tap", by id or title, with `.rendered.choice(...)`),
`fake.sends_for(message_id)` (the creates whose StatusCallback names ``m=<id>``),
`fake.requests` (every request's method and status), `fake.contents` (the stored
`Content` resources by sid) and `fake.content_creates` / `content_updates` /
`content_deletes` (successful calls, so a sync can show that a second run changed
nothing). `fake.set_status(sid, "sent")` moves a stored message on (it has a
`date_sent` only once sent, like Twilio's). Dates come from `clock` (default: the real
time), so reconciliation compares like with like under a test's frozen clock.
`python -m tests.fake_twilio` serves one in a process of its own and prints its URL
(benchmarks).
"""

from __future__ import annotations

import base64
import functools
import json
import re
import secrets
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"
CONTENT_API = "https://content.twilio.com"
ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"
MESSAGES_PATH = "/2010-04-01/Accounts/{account}/Messages.json"
CONTENT_PATH = "/v1/Content"

TEXT = "twilio/text"
QUICK_REPLY = "twilio/quick-reply"
LIST_PICKER = "twilio/list-picker"
# Twilio sends the richest type of a content the channel (WhatsApp) supports:
# https://www.twilio.com/docs/content/content-types-overview
RENDER_ORDER = (QUICK_REPLY, LIST_PICKER, TEXT)

# Twilio's documented limits, in characters.
# twilio/text: https://www.twilio.com/docs/content/twilio-text (body up to 1,600).
TEXT_BODY_LIMIT = 1600
# twilio/list-picker: https://www.twilio.com/docs/content/twiliolist-picker — body
# 1,024; 1 to 10 items, each `item` 24, `id` 200 and `description` 72 (the page's
# current table marks description required; an older version said optional: the fake
# asks for it). The page gives the button no length: 20 is WhatsApp's limit for a list
# message's button label (WhatsApp Cloud API, interactive list messages).
BODY_LIMIT = 1024
LIST_BUTTON_LIMIT = 20
LIST_ITEMS = 10
ITEM_TITLE_LIMIT = 24
ITEM_DESCRIPTION_LIMIT = 72
ID_LIMIT = 200
# twilio/quick-reply: https://www.twilio.com/docs/content/twilio-quick-reply — body
# 1,024; Twilio takes up to 10 buttons, but "only three buttons are allowed" in a
# WhatsApp session without approval, the only way Citabot sends them: the fake refuses
# a fourth at create already. A button's title is 20 and its id 200 (Twilio's common
# components; WhatsApp's reply buttons: title 20, unique within the message).
QUICK_REPLY_ACTIONS = 3
ACTION_TITLE_LIMIT = 20
# Variables: https://www.twilio.com/docs/content/using-variables-with-content-api —
# names numeric or alphanumeric without spaces, a key up to 16 characters, up to 100
# per content; a variable not given at send falls back to the content's `variables`.
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
VARIABLE_NAME = re.compile(r"[0-9A-Za-z_]{1,16}")
VARIABLES_LIMIT = 100

# Error codes. Twilio documents none for a Content resource that fails validation:
# 70002 ("Bad request": the body does not match the expected schema) is the nearest.
CONTENT_INVALID = 70002
CONTENT_VARIABLES_WITHOUT_SID = 21654  # https://www.twilio.com/docs/api/errors/21654
CONTENT_SID_INVALID = 21655  # https://www.twilio.com/docs/api/errors/21655
# https://www.twilio.com/docs/api/errors/21656: not a JSON string, a variable null or
# empty, "improper formatting at time of send" (a rendered text over its limit).
CONTENT_VARIABLES_INVALID = 21656


class Refused(Exception):
    """A request Twilio would refuse: the status, Twilio's error code and why."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Choice:
    """One button or list item as the recipient sees it; tapping sends its id and title."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Rendered:
    """What the recipient sees of a content message, after its variables were filled in."""

    kind: str  # TEXT, QUICK_REPLY or LIST_PICKER
    body: str
    button: str | None = None  # the list-picker's button label
    choices: tuple[Choice, ...] = ()

    def choice(self, id_or_title: str) -> Choice:
        """The choice a test taps, found by its id or its title."""
        for choice in self.choices:
            if id_or_title in (choice.id, choice.title):
                return choice
        raise KeyError(f"{id_or_title!r} was not among the choices sent")


@dataclass
class Content:
    """One Content resource, with its types as created (null types left out)."""

    sid: str
    friendly_name: str | None
    language: str
    variables: dict[str, str]
    types: dict[str, dict[str, Any]]
    date_created: datetime
    date_updated: datetime

    def resource(self, account: str) -> dict[str, Any]:
        """The JSON Twilio answers for this resource."""
        url = f"{CONTENT_API}{CONTENT_PATH}/{self.sid}"
        return {
            "sid": self.sid,
            "account_sid": account,
            "friendly_name": self.friendly_name,
            "language": self.language,
            "variables": self.variables,
            "types": self.types,
            "url": url,
            "date_created": _iso(self.date_created),
            "date_updated": _iso(self.date_updated),
            "links": {
                "approval_create": f"{url}/ApprovalRequests/whatsapp",
                "approval_fetch": f"{url}/ApprovalRequests",
            },
        }


@dataclass
class Created:
    """One message the fake took, with the form fields as Twilio received them."""

    sid: str
    from_: str
    to: str
    body: str | None
    content_sid: str | None
    content_variables: str | None
    status_callback: str | None
    date_created: datetime
    status: str = "queued"
    date_sent: datetime | None = None
    rendered: Rendered | None = None  # a content message as sent; None for plain text

    @property
    def message_id(self) -> uuid.UUID | None:
        """Our message id, read from the StatusCallback's ``m`` parameter."""
        values = parse_qs(urlsplit(self.status_callback or "").query).get("m")
        return uuid.UUID(values[0]) if values else None

    @property
    def variables(self) -> dict[str, str]:
        return json.loads(self.content_variables) if self.content_variables else {}

    def resource(self, account: str) -> dict[str, Any]:
        """The JSON Twilio answers for this message."""
        return {
            "sid": self.sid,
            "account_sid": account,
            "from": self.from_,
            "to": self.to,
            "body": self.rendered.body if self.rendered else self.body or "",
            "status": self.status,
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": "0",
            "error_code": None,
            "error_message": None,
            "price": None,
            "price_unit": "USD",
            "api_version": "2010-04-01",
            "messaging_service_sid": None,
            "date_created": format_datetime(self.date_created, usegmt=True),
            "date_updated": format_datetime(self.date_created, usegmt=True),
            "date_sent": format_datetime(self.date_sent, usegmt=True) if self.date_sent else None,
            "uri": f"{MESSAGES_PATH.format(account=account)[:-5]}/{self.sid}.json",
            "subresource_uris": {},
        }


@dataclass(frozen=True)
class _Script:
    status: int | None  # None: cut the connection without answering
    code: int | None
    keep: bool


@dataclass
class FakeTwilio:
    """Twilio's Messages and Content APIs on loopback. Start with `start()` (or `fake_twilio`)."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    strict_content: bool = False
    created: list[Created] = field(default_factory=list)
    requests: list[tuple[str, int | None]] = field(default_factory=list)
    contents: dict[str, Content] = field(default_factory=dict)
    content_creates: int = 0
    content_updates: int = 0
    content_deletes: int = 0
    _deleted_contents: set[str] = field(default_factory=set)
    _script: deque[_Script] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(_Handler):
            twilio = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll: `stop()` waits for the loop to notice, once per test.
        threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-twilio", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def http_client(self, timeout: float = 5.0) -> FakeTwilioHttpClient:
        """A twilio SDK http client whose requests reach this fake."""
        return FakeTwilioHttpClient(self.base_url, timeout=timeout)

    def fail_next(
        self, times: int = 1, *, status: int = 500, code: int | None = None, keep: bool = False
    ) -> None:
        """Answer the next `times` requests with `status` and Twilio error `code`.

        `code` defaults to Twilio's generic one for the status (20429, 20500...).
        `keep`: the request is carried out all the same (it arrived, the answer failed).
        """
        with self._lock:
            self._script.extend([_Script(status, code or 20000 + status, keep)] * times)

    def drop_next(self, times: int = 1, *, keep: bool = False) -> None:
        """Close the next `times` connections without an answer (`keep`: carry them out)."""
        with self._lock:
            self._script.extend([_Script(None, None, keep)] * times)

    def sends_for(self, message_id: uuid.UUID) -> list[Created]:
        """Every create for our message `message_id` (found by its StatusCallback)."""
        with self._lock:
            return [c for c in self.created if c.message_id == message_id]

    def set_status(self, sid: str, status: str) -> None:
        """Move a stored message on; from `sent` on it has a `date_sent`, as at Twilio."""
        with self._lock:
            message = next(c for c in self.created if c.sid == sid)
            message.status = status
            if status not in {"queued", "accepted", "sending"} and message.date_sent is None:
                message.date_sent = self.clock()

    def reset(self) -> None:
        """Forget what was recorded, stored and scripted."""
        with self._lock:
            self.created.clear()
            self.requests.clear()
            self.contents.clear()
            self._deleted_contents.clear()
            self._script.clear()
            self.content_creates = self.content_updates = self.content_deletes = 0

    # What the handler thread calls.

    def _next_script(self) -> _Script | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def _store(self, form: Mapping[str, str]) -> Created:
        """Take a message, rendered first when it has a ContentSid (tests wrap this hook)."""
        rendered = self._render(form.get("ContentSid"), form.get("ContentVariables"))
        with self._lock:
            created = Created(
                sid="SM" + secrets.token_hex(16),
                from_=form.get("From", ""),
                to=form.get("To", ""),
                body=form.get("Body"),
                content_sid=form.get("ContentSid"),
                content_variables=form.get("ContentVariables"),
                status_callback=form.get("StatusCallback"),
                date_created=self.clock(),
                rendered=rendered,
            )
            self.created.append(created)
            return created

    def _list(self, query: dict[str, str]) -> list[Created]:
        after = query.get("DateSent>")
        since = date.fromisoformat(after[:10]) if after else None
        with self._lock:
            found = [
                c
                for c in self.created
                if c.to == query.get("To", c.to)
                and c.from_ == query.get("From", c.from_)
                # Twilio filters DateSent by day, and a message not yet sent has no date_sent.
                and (since is None or (c.date_sent is not None and c.date_sent.date() >= since))
            ]
        found.sort(key=lambda c: c.date_created, reverse=True)
        return found[: int(query.get("PageSize", "50"))]

    def _render(self, sid: str | None, content_variables: str | None) -> Rendered | None:
        """The message a ContentSid makes, or Refused as Twilio refuses it."""
        if sid is None:
            if content_variables:
                _refuse_send(CONTENT_VARIABLES_WITHOUT_SID, "ContentVariables needs a ContentSid")
            return None
        values = _send_variables(content_variables)
        with self._lock:  # rendered under the lock: an update changes several fields
            content = self.contents.get(sid)
            if content is not None:
                return render(content, values)
            if sid in self._deleted_contents or self.strict_content:
                _refuse_send(CONTENT_SID_INVALID, f"no Content {sid} in this account")
        return None  # a stand-in for an approved template made outside the fake

    def _create_content(self, payload: Any) -> Content:
        definition = _definition(payload)
        with self._lock:
            now = self.clock()
            content = Content(
                "HX" + secrets.token_hex(16), date_created=now, date_updated=now, **definition
            )
            self.contents[content.sid] = content
            self.content_creates += 1
            return content

    def _update_content(self, sid: str, payload: Any) -> Content:
        with self._lock:
            current = self.contents.get(sid)
        if current is None:
            raise Refused(404, 20404, f"no Content {sid}")
        if not isinstance(payload, dict):
            _refuse_definition("the body is not a JSON object")
        # The SDK sends every field, null for those not given: those keep their value.
        kept = {
            name: getattr(current, name) if payload.get(name) is None else payload[name]
            for name in ("friendly_name", "language", "variables", "types")
        }
        definition = _definition(kept)
        with self._lock:
            if sid not in self.contents:
                raise Refused(404, 20404, f"no Content {sid}")
            for name, value in definition.items():
                setattr(current, name, value)
            current.date_updated = self.clock()
            self.content_updates += 1
            return current

    def _delete_content(self, sid: str) -> None:
        with self._lock:
            if self.contents.pop(sid, None) is None:
                raise Refused(404, 20404, f"no Content {sid}")
            self._deleted_contents.add(sid)
            self.content_deletes += 1

    def _fetch_content(self, sid: str) -> Content:
        with self._lock:
            content = self.contents.get(sid)
        if content is None:
            raise Refused(404, 20404, f"no Content {sid}")
        return content

    def _content_page(self, query: dict[str, str]) -> dict[str, Any]:
        """One page of the stored contents, oldest first, with Twilio's ``meta``."""
        try:
            size = int(query.get("PageSize", "50"))
            page = int(query.get("Page", "0"))
            start = int(query.get("PageToken", "PT0").removeprefix("PT"))
        except ValueError:
            _refuse_definition("PageSize, Page and PageToken are numbers here")
        if not 1 <= size <= 1000:
            _refuse_definition("PageSize is 1 to 1000")
        with self._lock:
            everything = list(self.contents.values())
        shown = everything[start : start + size]

        def url(page: int, start: int) -> str:
            return f"{CONTENT_API}{CONTENT_PATH}?" + urlencode(
                {"PageSize": size, "Page": page, "PageToken": f"PT{start}"}
            )

        more = start + size < len(everything)
        return {
            "contents": [c.resource(self.account_sid) for c in shown],
            "meta": {
                "page": page,
                "page_size": size,
                "first_page_url": f"{CONTENT_API}{CONTENT_PATH}?PageSize={size}&Page=0",
                "previous_page_url": url(page - 1, max(start - size, 0)) if start else None,
                "url": url(page, start),
                "next_page_url": url(page + 1, start + size) if more else None,
                "key": "contents",
            },
        }


def render(content: Content, values: Mapping[str, str]) -> Rendered:
    """`content` with `values` (else its defaults) filled in, checked as Twilio checks a send."""
    known = content.variables | dict(values)
    kind = next(kind for kind in RENDER_ORDER if kind in content.types)

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: lookup(m.group(1)), value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    def lookup(name: str) -> str:
        if name not in known:
            _refuse_send(CONTENT_VARIABLES_INVALID, f"no value for {{{{{name}}}}}")
        return known[name]

    return _read_type(kind, fill(content.types[kind]), _Rules(CONTENT_VARIABLES_INVALID))


@dataclass(frozen=True)
class _Rules:
    """How a content type is read: at send (`templated` False) or at create, where a
    string with a placeholder has no length yet."""

    code: int
    templated: bool = False

    def refuse(self, message: str) -> NoReturn:
        raise Refused(400, self.code, message)

    def text(self, spec: Any, key: str, limit: int, where: str) -> str:
        value = spec.get(key) if isinstance(spec, dict) else None
        if not isinstance(value, str) or not value.strip():
            self.refuse(f"{where}.{key} is required")
        if not self.open(value) and len(value) > limit:
            # Only the length: the app may log this message; patients' words stay out of logs.
            self.refuse(f"{where}.{key} has {len(value)} characters, at most {limit}")
        return value

    def entries(self, spec: dict[str, Any], key: str, most: int, where: str) -> list[Any]:
        value = spec.get(key)
        if not isinstance(value, list) or not 1 <= len(value) <= most:
            self.refuse(f"{where}.{key} takes 1 to {most} entries")
        return value

    def distinct(self, values: list[str], what: str, where: str) -> None:
        known = [value for value in values if not self.open(value)]
        if len(set(known)) < len(known):
            self.refuse(f"{where}: two {what} are the same")

    def open(self, value: str) -> bool:
        """Whether `value` can only be measured once its variables are known."""
        return self.templated and PLACEHOLDER.search(value) is not None


def _read_type(kind: str, spec: Any, rules: _Rules) -> Rendered:
    """One content type, as the recipient would see it once its variables are known."""
    reader = _READERS.get(kind)
    if reader is None:
        rules.refuse(f"the fake implements {', '.join(_READERS)}, not {kind}")
    if not isinstance(spec, dict):
        rules.refuse(f"{kind} is not an object")
    return reader(spec, rules)


def _read_text(spec: dict[str, Any], rules: _Rules) -> Rendered:
    return Rendered(TEXT, rules.text(spec, "body", TEXT_BODY_LIMIT, TEXT))


def _read_quick_reply(spec: dict[str, Any], rules: _Rules) -> Rendered:
    body = rules.text(spec, "body", BODY_LIMIT, QUICK_REPLY)
    actions = rules.entries(spec, "actions", QUICK_REPLY_ACTIONS, QUICK_REPLY)
    choices = tuple(
        Choice(
            id=rules.text(action, "id", ID_LIMIT, f"{QUICK_REPLY}.actions[{n}]"),
            title=rules.text(action, "title", ACTION_TITLE_LIMIT, f"{QUICK_REPLY}.actions[{n}]"),
        )
        for n, action in enumerate(actions)
    )
    rules.distinct([c.id for c in choices], "ids", QUICK_REPLY)
    rules.distinct([c.title for c in choices], "titles", QUICK_REPLY)
    return Rendered(QUICK_REPLY, body, None, choices)


def _read_list_picker(spec: dict[str, Any], rules: _Rules) -> Rendered:
    body = rules.text(spec, "body", BODY_LIMIT, LIST_PICKER)
    button = rules.text(spec, "button", LIST_BUTTON_LIMIT, LIST_PICKER)
    items = rules.entries(spec, "items", LIST_ITEMS, LIST_PICKER)
    choices = tuple(
        Choice(
            id=rules.text(item, "id", ID_LIMIT, f"{LIST_PICKER}.items[{n}]"),
            title=rules.text(item, "item", ITEM_TITLE_LIMIT, f"{LIST_PICKER}.items[{n}]"),
            description=rules.text(
                item, "description", ITEM_DESCRIPTION_LIMIT, f"{LIST_PICKER}.items[{n}]"
            ),
        )
        for n, item in enumerate(items)
    )
    rules.distinct([c.id for c in choices], "ids", LIST_PICKER)
    return Rendered(LIST_PICKER, body, button, choices)


_READERS: dict[str, Callable[[dict[str, Any], _Rules], Rendered]] = {
    TEXT: _read_text,
    QUICK_REPLY: _read_quick_reply,
    LIST_PICKER: _read_list_picker,
}


def _definition(payload: Any) -> dict[str, Any]:
    """The fields of a Content create or update, checked as Twilio checks them."""
    rules = _Rules(CONTENT_INVALID, templated=True)
    if not isinstance(payload, dict):
        rules.refuse("the body is not a JSON object")
    language, friendly_name = payload.get("language"), payload.get("friendly_name")
    if not isinstance(language, str) or not language:
        rules.refuse("language is required")
    if friendly_name is not None and not isinstance(friendly_name, str):
        rules.refuse("friendly_name is a string")
    variables = payload.get("variables") or {}
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        rules.refuse("variables maps names to strings")
    if len(variables) > VARIABLES_LIMIT:
        rules.refuse(f"{len(variables)} variables, at most {VARIABLES_LIMIT}")
    if bad := [name for name in variables if not VARIABLE_NAME.fullmatch(name)]:
        rules.refuse(f"variable names are up to 16 letters, digits or _: {bad}")
    types = payload.get("types")
    if not isinstance(types, dict):
        rules.refuse("types is required")
    types = {kind: spec for kind, spec in types.items() if spec is not None}
    if not types:
        rules.refuse("types needs at least one content type")
    for kind, spec in types.items():
        _read_type(kind, spec, rules)
    undeclared = sorted(set(_placeholders(types)) - variables.keys())
    if undeclared:
        rules.refuse(f"placeholders not declared in variables: {undeclared}")
    return {
        "friendly_name": friendly_name,
        "language": language,
        "variables": dict(variables),
        "types": types,
    }


def _placeholders(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from PLACEHOLDER.findall(value)
    elif isinstance(value, list | dict):
        for inner in value.values() if isinstance(value, dict) else value:
            yield from _placeholders(inner)


def _send_variables(raw: str | None) -> dict[str, str]:
    """ContentVariables as Twilio takes them: a JSON object of non-empty strings."""
    if not raw:
        return {}
    try:
        values = json.loads(raw)
    except ValueError:
        _refuse_send(CONTENT_VARIABLES_INVALID, "ContentVariables is not JSON")
    if not isinstance(values, dict):
        _refuse_send(CONTENT_VARIABLES_INVALID, "ContentVariables is not a JSON object")
    if bad := [k for k, v in values.items() if not isinstance(v, str) or not v]:
        _refuse_send(CONTENT_VARIABLES_INVALID, f"ContentVariables null, empty or not text: {bad}")
    return values


def _refuse_send(code: int, message: str) -> NoReturn:
    raise Refused(400, code, message)


def _refuse_definition(message: str) -> NoReturn:
    raise Refused(400, CONTENT_INVALID, message)


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC, as the Content API dates its resources (and the SDK parses them)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Action = Callable[[bytes, dict[str, str]], tuple[int, dict[str, Any] | None]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the SDK's pooled session expects
    disable_nagle_algorithm = True  # headers and body go as two writes: no 40 ms delayed ACK
    twilio: FakeTwilio

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: test output is not the place for request lines."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        action = self._route(url.path)
        if action is None:
            self._error(404, 20404)
            return
        if not self._authorized():
            return
        script = self.twilio._next_script()
        if script is not None and not script.keep:
            self._scripted(script)
            return
        try:
            status, payload = action(raw, {k: v[-1] for k, v in parse_qs(url.query).items()})
        except Refused as refused:
            status, payload = refused.status, _error_payload(refused)
        if script is not None:
            self._scripted(script)
        else:
            self._answer(status, payload)

    def _route(self, path: str) -> Action | None:
        """What answers `self.command` on `path`, if the fake knows it."""
        if path == MESSAGES_PATH.format(account=self.twilio.account_sid):
            return {"POST": self._create_message, "GET": self._list_messages}.get(self.command)
        if path == CONTENT_PATH:
            return {"POST": self._create_content, "GET": self._list_contents}.get(self.command)
        sid = path.removeprefix(CONTENT_PATH + "/")
        if sid != path and "/" not in sid:
            action = {
                "GET": self._fetch_content,
                "POST": self._update_content,  # as Twilio announced it
                "PUT": self._update_content,  # as twilio 9.x's ContentContext.update sends it
                "DELETE": self._delete_content,
            }.get(self.command)
            return functools.partial(action, sid) if action else None
        return None

    def _create_message(self, raw: bytes, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        missing = [name for name in ("To", "From") if not form.get(name)]
        if missing or not (form.get("Body") or form.get("ContentSid")):
            code = 21602 if not missing else 21604
            raise Refused(400, code, f"Fake Twilio error {code}")
        created = self.twilio._store(form)
        return 201, created.resource(self.twilio.account_sid)

    def _list_messages(self, raw: bytes, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        path = urlsplit(self.path).path
        page = self.twilio._list(query)
        return 200, {
            "messages": [m.resource(self.twilio.account_sid) for m in page],
            "end": max(len(page) - 1, 0),
            "first_page_uri": path,
            "next_page_uri": None,
            "previous_page_uri": None,
            "page": 0,
            "page_size": int(query.get("PageSize", "50")),
            "start": 0,
            "uri": path,
        }

    def _create_content(self, raw: bytes, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        content = self.twilio._create_content(_json(raw))
        return 201, content.resource(self.twilio.account_sid)

    def _list_contents(self, raw: bytes, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        return 200, self.twilio._content_page(query)

    def _fetch_content(
        self, sid: str, raw: bytes, query: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        return 200, self.twilio._fetch_content(sid).resource(self.twilio.account_sid)

    def _update_content(
        self, sid: str, raw: bytes, query: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        content = self.twilio._update_content(sid, _json(raw))
        return 200, content.resource(self.twilio.account_sid)

    def _delete_content(self, sid: str, raw: bytes, query: dict[str, str]) -> tuple[int, None]:
        self.twilio._delete_content(sid)
        return 204, None

    def _authorized(self) -> bool:
        credentials = f"{self.twilio.account_sid}:{self.twilio.auth_token}".encode()
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(credentials).decode():
            self._error(401, 20003)
            return False
        return True

    def _scripted(self, script: _Script) -> None:
        if script.status is None:
            self.twilio.requests.append((self.command, None))
            self.close_connection = True
            self.wfile.flush()
            self.connection.close()
            return
        self._error(script.status, script.code or 20000 + script.status)

    def _error(self, status: int, code: int) -> None:
        self._answer(status, _error_payload(Refused(status, code, f"Fake Twilio error {code}")))

    def _answer(self, status: int, payload: dict[str, Any] | None) -> None:
        self.twilio.requests.append((self.command, status))
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        _refuse_definition("the body is not JSON")


def _error_payload(refused: Refused) -> dict[str, Any]:
    return {
        "code": refused.code,
        "message": refused.message,
        "more_info": f"https://www.twilio.com/docs/errors/{refused.code}",
        "status": refused.status,
    }


class FakeTwilioHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with requests for api.twilio.com and content.twilio.com
    sent to `base_url`."""

    def __init__(self, base_url: str, timeout: float | None = 5.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        for origin in (TWILIO_API, CONTENT_API):
            if url.startswith(origin):
                url = self.base_url + url[len(origin) :]
                break
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A started fake Twilio for one test (real time; set `.clock` for a frozen one)."""
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


if __name__ == "__main__":
    # `python -m tests.fake_twilio`: serve in a process of its own (benchmarks), print the URL.
    server = FakeTwilio().start()
    print(server.base_url, flush=True)
    threading.Event().wait()
