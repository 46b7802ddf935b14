"""Citabot: the WhatsApp appointment-booking backend. `create_app` builds everything."""

from __future__ import annotations

from flask import Flask

from app import logs
from app.config import Config
from app.db import Database


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app from `config` (default: the environment). Connects to nothing yet."""
    config = config or Config.from_env()
    logs.configure(production=config.environment == "production")
    app = Flask(__name__)
    app.config["CITABOT"] = config
    Database(config.database_url).init_app(app)
    logs.init_app(app)

    from app import cli
    from app.background import dispatch
    from app.web import devchat, health, metrics, webhooks

    app.register_blueprint(health.bp)
    metrics.init_app(app)
    webhooks.init_app(app)
    if config.development_mode:
        # The local simulator: never in production, nor wherever a real token is set.
        app.register_blueprint(devchat.bp)
    cli.init_app(app)
    dispatch.init_app(app)
    return app
