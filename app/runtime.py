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

from flask import Flask, current_app
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker
from twilio.http.http_client import TwilioHttpClient

from app.booking.context import BookingContext
from app.clock import Clock, utc_now
from app.config import Config
from app.database import get_database
from app.messaging.delivery import DeliveryContext, build_delivery_context
from bot_flows.texts import render_notice

EXTENSION_KEY = "citabot.runtime"
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
    # With Redis, every worker process shares one per-sender rate limit.
    redis = Redis.from_url(config.redis_url) if config.redis_url else None
    return Runtime(
        config=config,
        sessions=sessions,
        clock=clock,
        booking=BookingContext(
            sessions=sessions, clock=clock, render=render_notice, hold_minutes=config.hold_minutes
        ),
        delivery=build_delivery_context(config, sessions, clock, http_client, redis),
    )


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
