"""A local stand-in for Twilio's Messages API, so tests drive the real twilio SDK offline.

`FakeTwilio` is a real HTTP server on 127.0.0.1 (a thread) that answers the two
calls Citabot makes, like Twilio does:

- ``POST /2010-04-01/Accounts/{AC}/Messages.json`` (create): records From, To, Body,
  ContentSid, ContentVariables and StatusCallback, answers 201 with a fresh
  ``SM...`` sid and status ``queued``;
- ``GET  /2010-04-01/Accounts/{AC}/Messages.json`` (list, used by reconciliation):
  filters on To, From and ``DateSent>``, newest first, one page of ``PageSize``.

Use it through `FakeTwilio.http_client()`, a `TwilioHttpClient` that rewrites
``https://api.twilio.com`` to the fake, passed as `Client(..., http_client=...)`
(or `build_delivery_context(..., http_client=...)`). Another process can build
the same client from the URL alone: ``FakeTwilioHttpClient(fake.base_url)``.

Scripting (each applies to the next requests, in order, creates and lists alike):

    fake.fail_next(status=500)                 # one 500 (code 20500), nothing stored
    fake.fail_next(2, status=429)              # two "Too Many Requests" (code 20429)
    fake.fail_next(status=400, code=63016)     # outside the 24 h window, permanent
    fake.fail_next(status=400, code=21211)     # invalid 'To' number
    fake.fail_next(status=500, keep=True)      # stored, but the answer is an error
    fake.drop_next(keep=True)                  # stored, then the connection is cut

Inspection: `fake.created` (every stored `Created`, oldest first),
`fake.sends_for(message_id)` (the creates whose StatusCallback names ``m=<id>``),
`fake.requests` (every request's method and status). `fake.set_status(sid, "sent")`
moves a stored message on (it has a `date_sent` only once sent, like Twilio's).
Dates come from `clock` (default: the real time), so reconciliation compares
like with like under a test's frozen clock. `python -m tests.fake_twilio` serves
one in a process of its own and prints its URL (benchmarks).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"
ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"
MESSAGES_PATH = "/2010-04-01/Accounts/{account}/Messages.json"


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
            "body": self.body or "",
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
    """Twilio's Messages API on loopback. Start with `start()` (or the `fake_twilio` fixture)."""

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    created: list[Created] = field(default_factory=list)
    requests: list[tuple[str, int | None]] = field(default_factory=list)
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
        threading.Thread(target=self._server.serve_forever, name="fake-twilio", daemon=True).start()
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
        `keep`: a create is stored all the same (the request arrived, the answer failed).
        """
        with self._lock:
            self._script.extend([_Script(status, code or 20000 + status, keep)] * times)

    def drop_next(self, times: int = 1, *, keep: bool = False) -> None:
        """Close the next `times` connections without an answer (`keep`: store the create)."""
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
        """Forget what was recorded and scripted."""
        with self._lock:
            self.created.clear()
            self.requests.clear()
            self._script.clear()

    # What the handler thread calls.

    def _next_script(self) -> _Script | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def _store(self, form: dict[str, str]) -> Created:
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the SDK's pooled session expects
    disable_nagle_algorithm = True  # headers and body go as two writes: no 40 ms delayed ACK
    twilio: FakeTwilio

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: test output is not the place for request lines."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if not self._authorized():
            return
        script = self.twilio._next_script()
        if script is not None:
            if script.keep:
                self.twilio._store(form)
            self._scripted(script)
            return
        missing = [name for name in ("To", "From") if not form.get(name)]
        if missing or not (form.get("Body") or form.get("ContentSid")):
            self._error(400, 21602 if not missing else 21604)
            return
        created = self.twilio._store(form)
        self._answer(201, created.resource(self.twilio.account_sid))

    def do_GET(self) -> None:
        if not self._authorized():
            return
        script = self.twilio._next_script()
        if script is not None:
            self._scripted(script)
            return
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        path = urlsplit(self.path).path
        page = self.twilio._list(query)
        self._answer(
            200,
            {
                "messages": [m.resource(self.twilio.account_sid) for m in page],
                "end": max(len(page) - 1, 0),
                "first_page_uri": path,
                "next_page_uri": None,
                "previous_page_uri": None,
                "page": 0,
                "page_size": int(query.get("PageSize", "50")),
                "start": 0,
                "uri": path,
            },
        )

    def _authorized(self) -> bool:
        expected = MESSAGES_PATH.format(account=self.twilio.account_sid)
        if urlsplit(self.path).path != expected:
            self._error(404, 20404)
            return False
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
        self._answer(
            status,
            {
                "code": code,
                "message": f"Fake Twilio error {code}",
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
        )

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        self.twilio.requests.append((self.command, status))
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeTwilioHttpClient(TwilioHttpClient):
    """The SDK's own HTTP client, with requests for api.twilio.com sent to `base_url`."""

    def __init__(self, base_url: str, timeout: float | None = 5.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
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
