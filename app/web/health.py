"""Liveness and readiness probes for the load balancer and the orchestrator."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.config import Config
from app.db import get_database
from app.web.webhooks import get_deferred

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer while the process is alive; touches nothing else."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Answer 200 only when the database (and Redis, if configured) answer too."""
    checks = {"database": _database_ok()}
    config: Config = current_app.config["CITABOT"]
    if config.redis_url:
        checks["redis"] = _redis_ok(config.redis_url)
    ready = all(checks.values())
    # Messages kept while the database was away and not replayed yet; with Redis down,
    # only those on this host's disk can be counted.
    backlog, complete = get_deferred(current_app._get_current_object()).inbox.backlog()
    body = jsonify(
        status="ok" if ready else "unavailable",
        checks=checks,
        inbound_backlog=backlog,
        inbound_backlog_complete=complete,
    )
    return body, 200 if ready else 503


def _database_ok() -> bool:
    try:
        with get_database().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _redis_ok(url: str) -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as redis:
            return bool(redis.ping())
    except RedisError:
        return False
