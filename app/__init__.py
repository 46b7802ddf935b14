"""Citabot: the WhatsApp appointment-booking backend. `create_app` builds everything."""

from __future__ import annotations

import gc
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from app import logs, sealed
from app.config import ROOT, Config
from app.db import Database
from app.sealed import Keyring

DEVELOPMENT_SECRET = ROOT / "instance" / "secret_key"


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app from `config` (default: the environment). Connects to nothing yet."""
    config = config or Config.from_env()
    logs.configure(production=config.environment == "production")
    app = Flask(__name__)
    app.config["CITABOT"] = config
    app.secret_key = config.secret_key or _development_secret(DEVELOPMENT_SECRET)
    sealed.install(
        Keyring.from_text(config.data_keys or sealed.development_keys(sealed.DEVELOPMENT_KEYS))
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.environment == "production",
        WTF_CSRF_TIME_LIMIT=None,  # as long as the page's session: a form left open still posts
        # Only the desk's forms carry a token; Twilio's webhooks are signed instead.
        WTF_CSRF_CHECK_DEFAULT=False,
    )
    Database(config.database_url).init_app(app)
    logs.init_app(app)

    from app import cli
    from app.background import dispatch
    from app.web import desk, devchat, health, metrics, webhooks

    CSRFProtect(app)  # checked by the desk's forms (app/web/desk.py), which are sessions
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    webhooks.init_app(app)
    desk.init_app(app)
    if config.development_mode:
        # The local simulator: never in production, nor wherever a real token is set.
        app.register_blueprint(devchat.bp)
    cli.init_app(app)
    dispatch.init_app(app)
    if config.environment != "testing":
        # What is loaded by now (modules, mappers, catalogues) lives as long as the
        # process: a full garbage collection need not walk it again and again. On the
        # desk's week page (bench/desk_agenda.py) each full collection took ~90 ms.
        # Tests build an app per test, and would keep each one's leftovers frozen.
        gc.collect()
        gc.freeze()
    return app


def _development_secret(path: Path) -> str:
    """A secret for development, made once and kept, so sessions outlive a restart."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
