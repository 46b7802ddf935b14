"""Simulated patients for bench/webhook_load.py: whole bookings over signed HTTP webhooks.

A patient is a script that answers the bot the way a person would: "hola", accept
the notification, book, pick a service, find *their* day and time in the lists the bot
sends (each patient is given a free time no other patient is given, so they rarely
collide), answer the intake and confirm. It waits for each reply before it writes
again. A "seat" is one thread with one keep-alive HTTP connection that plays
patient after patient (a fresh phone number each time) until its phase ends:

- open loop: each seat writes at moments drawn from a Poisson process, so N seats
  together offer the target rate whatever the server does; a reply that comes back
  after the next moment delays that send, and the delay is recorded (`lags`), so
  latency measured from the planned moment is free of coordinated omission;
- closed loop: each seat writes again as soon as it has the reply: the most the
  server can take with that many patients at once.

With interactive replies (`--interactive`), a turn that offers choices comes through
Twilio's REST API instead of the webhook's TwiML: the patient waits for it at the
local fake Twilio (its `Mailbox`), reads the list or buttons as numbered lines, and
answers a number by tapping that option (ListId / ButtonPayload, as WhatsApp posts).
"""

from __future__ import annotations

import http.client
import itertools
import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

from app.config import DEVELOPMENT_TOKEN
from bot_flows.patient_answers import day_label
from bot_flows.texts import CATALOGUES

WEBHOOK_PATH = "/webhooks/whatsapp"
FLOOR_PATH = "/floor"
TIMES_PER_DAY = 9  # the bot lists a day's free times 9 at a time
DAYS_AHEAD = 6  # tomorrow .. tomorrow + 5: always among the 7 soonest days the bot lists
STEPS = (
    "hola", "consent", "book", "service", "day", "time", "name", "age", "reason", "health",
    "urgency", "confirm",
)  # fmt: skip
# Age, reason, the health question (history, medications, allergies: none), urgency:
# the clinic file's default intake.
INTAKE = ("34", "Dolor de cabeza", "no", "2")
# Names as patients write them (a name with digits is asked again).
FIRST_NAMES = ("Ana", "Luis", "María", "José", "Carmen", "Jorge", "Lucía", "Pedro")
SURNAMES = ("Pérez", "García", "López", "Martínez", "Rodríguez", "Hernández", "Gómez", "Díaz")
OPTION = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)
SIGNER = RequestValidator(DEVELOPMENT_TOKEN)
REST_WAIT = 30.0  # s: a reply queued for the REST API that has not reached the fake by then is lost
_phones = itertools.count(1)


def _start_of(key: str) -> str:
    """The fixed opening of a Spanish sentence, to recognise it among the replies."""
    return CATALOGUES["es"][key].split("{", 1)[0]


NOT_UNDERSTOOD = _start_of("patient.not_understood")
BOOKED = (_start_of("patient.requested"), _start_of("patient.booked"))
COLLIDED = _start_of("patient.slot_taken")
OPEN_REQUEST = _start_of("patient.open_request")


@dataclass(frozen=True)
class Target:
    """The free time a patient means to book, as the bot will list it."""

    practice_number: str
    service: int  # its number in the bot's list of services
    day: str  # as the bot writes it: "miércoles 2 de diciembre"
    time: str  # "09:30"
    reused: bool  # every target was handed out already: this one may collide


class Targets:
    """Hands each patient a (practice, day, time) no other patient holds, spread across practices.

    `start` is the practices' first bookable hour; every practice opens at that hour
    every day, with at least `TIMES_PER_DAY` half-hour slots.
    """

    def __init__(self, practice_numbers: list[str], tomorrow: date, start_hour: int) -> None:
        self.numbers = practice_numbers
        self.tomorrow, self.start_hour = tomorrow, start_hour
        self.days = [day_label(date.fromordinal(tomorrow.toordinal() + n), "es")
                     for n in range(DAYS_AHEAD)]  # fmt: skip
        self.times = [f"{start_hour + n // 2:02d}:{30 * (n % 2):02d}" for n in range(TIMES_PER_DAY)]
        self._next = itertools.count()

    def twin(self) -> Targets:
        """The same targets counted apart: for the floor's patients, who book nothing."""
        return Targets(self.numbers, self.tomorrow, self.start_hour)

    @property
    def capacity(self) -> int:
        return len(self.numbers) * DAYS_AHEAD * TIMES_PER_DAY

    def take(self) -> Target:
        index = next(self._next)  # atomic under the GIL
        practice, rest = index % len(self.numbers), index // len(self.numbers)
        day, hour = divmod(rest % (DAYS_AHEAD * TIMES_PER_DAY), TIMES_PER_DAY)
        return Target(
            self.numbers[practice],
            service=1 + index % 3,
            day=self.days[day],
            time=self.times[hour],
            reused=index >= self.capacity,
        )


@dataclass
class Tally:
    """One seat's record; seats never share one, so no locks (merged after the phase)."""

    latencies: list[float] = field(default_factory=list)  # s, send -> whole reply read
    lags: list[float] = field(default_factory=list)  # s, planned moment -> send (open loop)
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    first_send: float = float("inf")
    last_reply: float = 0.0

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.lags += other.lags
        self.errors += other.errors
        self.outcomes += other.outcomes
        self.first_send = min(self.first_send, other.first_send)
        self.last_reply = max(self.last_reply, other.last_reply)


Conversation = Generator[str, list[str], None]


def booking(target: Target, tally: Tally, rng: random.Random) -> Conversation:
    """A new patient's whole booking; each `yield` sends a message and gets the replies."""
    yield "hola"
    yield "1"  # accept the privacy notice
    yield "1"  # book
    days = yield str(target.service)
    times = yield _pick(days, target.day, tally, rng)
    yield _pick(times, target.time, tally, rng)
    yield f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
    # Not `yield from`: a tuple's iterator cannot take the replies `seat` sends in.
    for answer in INTAKE[:-1]:  # noqa: UP028
        yield answer
    summary = yield INTAKE[-1]
    if not any(reply.startswith("📋") for reply in summary):
        tally.outcomes["no summary"] += 1
    tally.outcomes[_outcome((yield "1"))] += 1


def chatter(target: Target, tally: Tally, rng: random.Random) -> Conversation:
    """The same 12 messages for the floor, which reads none of them."""
    for body in ("hola", "1", "1", str(target.service), "1", "1", "Ana Pérez", *INTAKE, "1"):  # noqa: UP028
        yield body


def _pick(replies: list[str], label: str, tally: Tally, rng: random.Random) -> str:
    """The number of `label` in the list the bot sent; another one if it is not there."""
    options = [match.groups() for reply in replies for match in OPTION.finditer(reply)]
    for number, text in options:
        if text == label:
            return number
    tally.outcomes["retargeted"] += 1
    return rng.choice(options)[0] if options else "1"


def _outcome(replies: list[str]) -> str:
    first = replies[0] if replies else ""
    if first.startswith(BOOKED):
        return "booked"
    if first.startswith(COLLIDED):
        return "collision"
    return "open request" if first.startswith(OPEN_REQUEST) else "unexpected answer"


@dataclass(frozen=True)
class Option:
    """A button or list item a patient can tap."""

    id: str
    title: str


@dataclass(frozen=True)
class Sent:
    """One message that reached a patient through the REST API (at the fake Twilio)."""

    text: str
    options: tuple[Option, ...]  # empty for plain text
    is_list: bool


class Mailbox:
    """The messages the fake Twilio took, by recipient, for the patients to wait on."""

    def __init__(self) -> None:
        self._received: defaultdict[str, list[Sent]] = defaultdict(list)
        self._arrived = threading.Condition()

    def put(self, phone: str, message: Sent) -> None:
        with self._arrived:
            self._received[phone].append(message)
            self._arrived.notify_all()

    def wait(self, phone: str, seen: int, timeout: float) -> list[Sent] | None:
        """The messages after the first `seen`, once one offers options; None at timeout."""
        deadline = time.perf_counter() + timeout
        with self._arrived:
            while True:
                new = self._received[phone][seen:]
                if any(message.options for message in new):
                    return list(new)
                left = deadline - time.perf_counter()
                if left <= 0 or not self._arrived.wait(left):
                    return None

    def count(self, phone: str) -> int:
        with self._arrived:
            return len(self._received[phone])


@dataclass(frozen=True)
class Endpoint:
    """Where a seat posts, and which conversation its patients hold."""

    host: str
    port: int
    path: str
    base_url: str  # what the server believes its public URL is (signatures use it)
    conversation: Callable[[Target, Tally, random.Random], Conversation]
    reads_replies: bool
    signer: RequestValidator = SIGNER
    mailbox: Mailbox | None = None  # interactive replies: where REST-sent ones arrive


@dataclass
class Replies:
    """What came back for one message: its texts, and the options the last one offered."""

    texts: list[str]
    options: tuple[Option, ...] = ()
    is_list: bool = False


@dataclass(frozen=True)
class Phase:
    start: float  # time.perf_counter() values
    end: float
    interval: float  # mean seconds between one seat's sends; 0: closed loop


def seat(endpoint: Endpoint, phase: Phase, targets: Targets, seed: int, tally: Tally) -> None:
    """Play patients one after another until the phase ends (a thread's body)."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=60)
    due = phase.start + (rng.expovariate(1 / phase.interval) if phase.interval else 0.0)
    replies = Replies([])
    try:
        while True:
            target = targets.take()
            phone = f"+5233{next(_phones):08d}"
            conversation = endpoint.conversation(target, tally, rng)
            body: str | None = next(conversation)
            while body is not None:
                if phase.interval:
                    time.sleep(max(0.0, due - time.perf_counter()))
                sent = time.perf_counter()
                if sent >= phase.end:
                    return
                if phase.interval:
                    tally.lags.append(sent - due)
                    due += rng.expovariate(1 / phase.interval)
                form = message_form(phone, target, body) | _tap(replies, body)
                replies = _exchange(connection, endpoint, phone, form, tally, sent)
                if replies is None:
                    break  # the error is counted; this patient gives up
                if NOT_UNDERSTOOD in "".join(replies.texts):
                    tally.outcomes["not understood"] += 1
                    break
                try:
                    body = conversation.send(replies.texts)
                except StopIteration:
                    body = None
            conversation.close()
    finally:
        connection.close()


def _tap(replies: Replies, body: str) -> dict[str, str]:
    """The fields of a tap when `body` is the number of an option the last reply offered.

    WhatsApp posts the option's title as the Body, with its id apart.
    """
    if not (body.isdigit() and 1 <= int(body) <= len(replies.options)):
        return {}
    option = replies.options[int(body) - 1]
    if replies.is_list:
        return {"Body": option.title, "ListId": option.id, "ListTitle": option.title}
    return {"Body": option.title, "ButtonPayload": option.id, "ButtonText": option.title}


def message_form(phone: str, target: Target, body: str) -> dict[str, str]:
    """The fields Twilio posts for a WhatsApp text message."""
    sid = f"SM{random.getrandbits(128):032x}"
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Paciente",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": phone.removeprefix("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": f"whatsapp:{target.practice_number}",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
    }


def _exchange(
    connection: http.client.HTTPConnection,
    endpoint: Endpoint,
    phone: str,
    form: dict[str, str],
    tally: Tally,
    sent: float,
) -> Replies | None:
    """POST one signed message; the replies, or None after counting what went wrong.

    Replies come in the TwiML answer, or (interactive) through the REST API: then the
    message's latency runs until the last of them reached the fake Twilio.
    """
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": endpoint.signer.compute_signature(
            endpoint.base_url + endpoint.path, form
        ),
    }
    body = urlencode(form)
    tally.first_send = min(tally.first_send, sent)
    seen = endpoint.mailbox.count(phone) if endpoint.mailbox else 0
    try:
        status, data = _post(connection, endpoint.path, body, headers)
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        tally.errors[type(error).__name__] += 1
        return None
    if status != 200:
        _answered(tally, sent)
        tally.errors[f"HTTP {status}"] += 1
        return None
    if not endpoint.reads_replies and endpoint.mailbox is None:
        _answered(tally, sent)
        return Replies([])
    texts = [message.text or "" for message in ElementTree.fromstring(data).iter("Message")]
    if texts or endpoint.mailbox is None:
        _answered(tally, sent)
        return Replies(texts)
    arrived = endpoint.mailbox.wait(phone, seen, REST_WAIT)
    _answered(tally, sent)
    if arrived is None:
        tally.errors["REST reply lost"] += 1
        return None
    return _read(arrived)


def _answered(tally: Tally, sent: float) -> None:
    done = time.perf_counter()
    tally.last_reply = done
    tally.latencies.append(done - sent)


def _read(messages: Sequence[Sent]) -> Replies:
    """Messages as the patient reads them: options as numbered lines, the last ones tappable."""
    texts, offered = [], messages[-1]
    for message in messages:
        lines = [f"{n}. {option.title}" for n, option in enumerate(message.options, start=1)]
        texts.append("\n".join([message.text, *lines]))
        if message.options:
            offered = message
    return Replies(texts, offered.options, offered.is_list)


def _post(
    connection: http.client.HTTPConnection, path: str, body: str, headers: dict[str, str]
) -> tuple[int, bytes]:
    """One request; a keep-alive connection the server closed while idle is reopened once.

    The server closes idle connections (gunicorn's keep-alive timeout) without having
    read anything from them, so sending again cannot deliver a message twice.
    """
    reused = connection.sock is not None
    try:
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        if not reused:
            raise
        connection.close()
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
    return response.status, response.read()
