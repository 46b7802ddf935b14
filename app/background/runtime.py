"""What background jobs need, built once per process from the app.

A worker process runs thousands of jobs; each job takes ids and fetches its
collaborators here instead of building clients, catalogues and contexts anew.
The runtime is built on first use (never at import or in `create_app`, which
connect to nothing), and tests may install their own (a frozen clock, a fake
Twilio) with `set_runtime`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

from app.booking.context import BookingContext
from app.clock import Clock, utc_now
from app.config import Config
from app.conversation.calendar_links import linking_calendar_files
from app.conversation.choices import render_notice
from app.conversation.rebooking import await_choice_of_times
from app.conversation.reminders import await_reminder_answers
from app.conversation.waitlist import await_offer_answers
from app.db import get_database
from app.messaging.delivery import HTTP_TIMEOUT, DeliveryContext, build_delivery_context
from bot_flows.texts import template_value

EXTENSION_KEY = "citabot.runtime"
TWILIO_API = "https://api.twilio.com"
_building = threading.Lock()


@dataclass(frozen=True)
class Runtime:
    config: Config
    sessions: sessionmaker[Session]
    clock: Clock
    booking: BookingContext
    delivery: DeliveryContext


def build_runtime(
    app: Flask, clock: Clock = utc_now, http_client: TwilioHttpClient | None = None
) -> Runtime:
    """Assemble the runtime of `app` (`http_client`: where Twilio requests go, for tests)."""
    config: Config = app.config["CITABOT"]
    sessions = get_database(app).sessions
    if http_client is None and config.twilio_api_base_url:
        http_client = RedirectedHttpClient(config.twilio_api_base_url)
    # With Redis, every worker process shares one per-sender rate limit. Bounded waits:
    # with Redis hung (not refusing), a send must fail soon, not block the tick for ever.
    redis = (
        Redis.from_url(config.redis_url, socket_connect_timeout=2, socket_timeout=5)
        if config.redis_url
        else None
    )
    return Runtime(
        config=config,
        sessions=sessions,
        clock=clock,
        booking=BookingContext(
            sessions=sessions,
            clock=clock,
            render=linking_calendar_files(render_notice, config.public_base_url),
            hold_minutes=config.hold_minutes,
            on_reminded=await_reminder_answers,
            offer_other_times=await_choice_of_times,
            on_offered=await_offer_answers,
        ),
        delivery=build_delivery_context(
            config, sessions, clock, http_client, redis, template_value=template_value
        ),
    )


class RedirectedHttpClient(TwilioHttpClient):
    """The SDK's client, with Twilio's API reached at `base_url` (TWILIO_API_BASE_URL).

    How a worker or `jobs tick` started as a separate process by an end-to-end test
    talks to the test's fake Twilio; `Config` refuses the setting in production.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=HTTP_TIMEOUT)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url.removeprefix(TWILIO_API)
        return super().request(method, url, *args, **kwargs)


def get_runtime(app: Flask | None = None) -> Runtime:
    """The runtime of `app` (default: the current app), built on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    runtime = app.extensions.get(EXTENSION_KEY)
    if runtime is None:
        # The embedded job thread and request threads may ask at the same moment.
        with _building:
            runtime = app.extensions.get(EXTENSION_KEY) or build_runtime(app)
            app.extensions[EXTENSION_KEY] = runtime
    return runtime


def set_runtime(app: Flask, runtime: Runtime) -> None:
    """Make `runtime` the one jobs of `app` use (tests: a controlled clock or messenger)."""
    app.extensions[EXTENSION_KEY] = runtime
