"""`GET /metrics`: Prometheus' text format, for a bearer of METRICS_TOKEN only.

Without METRICS_TOKEN the route is not registered (404). A scrape shows the
counters (`app.metrics`: this process's, or every process's files under
PROMETHEUS_MULTIPROC_DIR) and gauges read now: RQ's queues with REDIS_URL, and
whatever the app registered with `register_gauge_callback`. A gauge that cannot
be read is left out of that scrape; the scrape itself still answers.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from app import metrics
from app.background.queues import QUEUE_NAMES
from app.config import Config

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)
EXTENSION_KEY = "citabot.metrics"
# A scrape waits this long for Redis at most, to connect and then for the answer.
REDIS_TIMEOUT = 0.5
GAUGE_NAME = re.compile(r"citabot_[a-z0-9_]+")
QUEUE_STATES = ("queued", "started", "scheduled", "failed")

GaugeRead = Callable[[], float | None]


@dataclass
class Scrape:
    """What a scrape of one app shows: the counters, then the gauges read now."""

    redis_url: str | None
    multiprocess_dir: Path | None
    gauges: dict[str, tuple[str, GaugeRead]] = field(default_factory=dict)
    redis: Redis | None = None

    def collect(self) -> Iterator[Metric]:
        if self.multiprocess_dir is not None:
            yield from MultiProcessCollector(None, path=str(self.multiprocess_dir)).collect()
        else:
            yield from metrics.REGISTRY.collect()
        if self.redis_url:
            yield from self._queue_depths(self.redis_url)
        for name, (documentation, read) in self.gauges.items():
            yield from _read_gauge(name, documentation, read)

    def _queue_depths(self, redis_url: str) -> Iterable[Metric]:
        """RQ's queues: jobs waiting, running, scheduled and failed; none if Redis is away."""
        if self.redis is None:
            self.redis = Redis.from_url(
                redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
            )
        queues = [Queue(name, connection=self.redis) for name in QUEUE_NAMES]
        try:
            with self.redis.pipeline(transaction=False) as pipeline:
                for queue in queues:
                    pipeline.llen(queue.key)
                    pipeline.zcard(queue.started_job_registry.key)
                    pipeline.zcard(queue.scheduled_job_registry.key)
                    pipeline.zcard(queue.failed_job_registry.key)
                counts = iter(pipeline.execute())
        except (RedisError, OSError) as error:
            log.warning("queue depths left out of the scrape: Redis %s", type(error).__name__)
            return []
        family = GaugeMetricFamily(
            "citabot_queue_jobs",
            "RQ jobs per queue and state, read from Redis at scrape time.",
            labels=["queue", "state"],
        )
        for queue in queues:
            for state in QUEUE_STATES:
                family.add_metric([queue.name, state], next(counts))
        return [family]


def _read_gauge(name: str, documentation: str, read: GaugeRead) -> Iterable[Metric]:
    try:
        value = read()
    except Exception:
        log.exception("gauge %s left out of the scrape: it could not be read", name)
        return []
    return [] if value is None else [GaugeMetricFamily(name, documentation, value=value)]


def init_app(app: Flask) -> None:
    """Give `app` its scrape, and the route when METRICS_TOKEN is set."""
    config: Config = app.config["CITABOT"]
    app.extensions[EXTENSION_KEY] = Scrape(config.redis_url, config.prometheus_multiproc_dir)
    if config.metrics_token:
        app.register_blueprint(bp)


def register_gauge_callback(app: Flask, name: str, documentation: str, read: GaugeRead) -> None:
    """Show `read()` as the gauge `name` (e.g. citabot_inbound_backlog) in every scrape of `app`.

    `read` runs in the scraping web process, inside the request: keep it quick.
    None, or an exception (logged), leaves the gauge out of that scrape.
    Registering a name again replaces its callback.
    """
    if not GAUGE_NAME.fullmatch(name):
        raise ValueError(f"a gauge's name is citabot_ and lower-case words, not {name!r}")
    app.extensions[EXTENSION_KEY].gauges[name] = (documentation, read)


@bp.get("/metrics")
def scrape() -> Response:
    """The metrics, for a request bearing METRICS_TOKEN (compared in constant time)."""
    config: Config = current_app.config["CITABOT"]
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not _same(supplied.strip(), config.metrics_token or ""):
        return Response("unauthorized\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'})
    body = generate_latest(current_app.extensions[EXTENSION_KEY])
    return Response(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)


def _same(supplied: str, token: str) -> bool:
    # Digests first: equal lengths, so not even the token's length shows in the timing.
    return hmac.compare_digest(
        hashlib.sha256(supplied.encode()).digest(), hashlib.sha256(token.encode()).digest()
    )
