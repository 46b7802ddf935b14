"""Settings read from the environment (see the README's configuration table)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.sealed import ENVIRONMENT_VARIABLE, Keyring

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'citabot.db'}"
DEVELOPMENT_TOKEN = "citabot-development-token"
# A send starts no later than 20 s (its HTTP timeout and more) before its lease ends:
# a shorter lease would leave almost no time to start one.
MIN_LEASE_SECONDS = 30
INTERACTIVE_REPLIES = ("auto", "off")


@dataclass(frozen=True)
class Config:
    """Everything the app needs to know about its surroundings, read once at start."""

    database_url: str = EMBEDDED_DATABASE_URL
    redis_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    public_base_url: str = "http://127.0.0.1:5000"
    messaging_backend: str = "console"
    hold_minutes: int = 30
    environment: str = "development"
    extra: dict[str, str] = field(default_factory=dict)
    # WhatsApp template Content SIDs per purpose: {"purpose": "HX..."} or
    # {"purpose": {"es": "HX...", "en": "HX..."}} (see app/messaging/templates.py).
    twilio_content_sids: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    whatsapp_rate_per_second: int = 80
    # How long a claimed message belongs to its worker (app/messaging/settings.py).
    message_lease_seconds: int = 60
    # Where Twilio's REST API is reached instead of https://api.twilio.com: a local
    # fake in end-to-end tests. Refused in production.
    twilio_api_base_url: str | None = None
    # Where inbound messages are kept when neither the database nor Redis answers
    # (app/conversation/deferred_inbox.py): a local directory of each web host.
    deferred_inbox_dir: Path = ROOT / "instance" / "deferred-inbox"
    # The bearer token of GET /metrics; unset, the route does not exist.
    metrics_token: str | None = None
    # PROMETHEUS_MULTIPROC_DIR: where every process of the host writes its metrics
    # (prometheus_client's multiprocess mode); unset, a scrape shows its process alone.
    prometheus_multiproc_dir: Path | None = None
    # Lists and buttons (app/conversation/choices.py): "auto" sends them where they can
    # go (Twilio: once `flask content sync` made the content pool; the console: always),
    # "off" only numbered text. INTERACTIVE_REPLIES defaults to "auto"; a Config built
    # in code (tests, benchmarks) starts from "off" and says when it wants them.
    interactive_replies: str = "off"
    # Signs the desk's CSRF tokens and keys the hashes of its codes and sessions
    # (CITABOT_SECRET_KEY). Required in production; in development one is made once
    # and kept in instance/ (`create_app`).
    secret_key: str | None = None
    # The keys that seal clinical text at rest (CITABOT_DATA_KEYS, newest first; see
    # app/sealed.py). Required in production; in development one is made into instance/.
    data_keys: str | None = None

    @property
    def development_mode(self) -> bool:
        """No Twilio token and not production: the local simulator and its fixed token.

        Only then: the simulator signs whatever it is asked to send and shows any
        transcript, so with a real token (a deployment that forgot CITABOT_ENV) it
        would let anyone pose as a doctor or a patient.
        """
        return self.environment != "production" and not self.twilio_auth_token

    @property
    def webhook_token(self) -> str | None:
        """The token webhook signatures are checked against.

        TWILIO_AUTH_TOKEN when set. In development mode, a fixed development token
        lets the local simulator sign its messages. In production without a token
        every webhook is refused.
        """
        if self.twilio_auth_token:
            return self.twilio_auth_token
        return DEVELOPMENT_TOKEN if self.development_mode else None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """Build the settings from `environ` (default: the process environment)."""
        env = dict(os.environ if environ is None else environ)
        sid = env.get("TWILIO_ACCOUNT_SID") or None
        backend = env.get("MESSAGING_BACKEND") or ("twilio" if sid else "console")
        if backend not in {"twilio", "console"}:
            raise ValueError(f"MESSAGING_BACKEND must be 'twilio' or 'console', not {backend!r}")
        rate = env.get("WHATSAPP_RATE_PER_SECOND", "80")
        if not rate.isdigit() or int(rate) < 1:
            raise ValueError(f"WHATSAPP_RATE_PER_SECOND must be a whole number >= 1, not {rate!r}")
        hold = env.get("HOLD_MINUTES", "30")
        if not hold.isdigit() or not 1 <= int(hold) <= 24 * 60:
            raise ValueError(f"HOLD_MINUTES must be a whole number of minutes, not {hold!r}")
        lease = env.get("MESSAGE_LEASE_SECONDS", "60")
        if not lease.isdigit() or not MIN_LEASE_SECONDS <= int(lease) <= 3600:
            raise ValueError(
                f"MESSAGE_LEASE_SECONDS must be a whole number from {MIN_LEASE_SECONDS} to 3600,"
                f" not {lease!r}"
            )
        environment = env.get("CITABOT_ENV", "development")
        interactive = env.get("INTERACTIVE_REPLIES") or "auto"
        if interactive not in INTERACTIVE_REPLIES:
            raise ValueError(f"INTERACTIVE_REPLIES must be 'auto' or 'off', not {interactive!r}")
        api_base_url = env.get("TWILIO_API_BASE_URL") or None
        if api_base_url and environment == "production":
            raise ValueError("TWILIO_API_BASE_URL is for tests; production talks to Twilio")
        multiproc_dir = env.get("PROMETHEUS_MULTIPROC_DIR") or None
        if multiproc_dir and not Path(multiproc_dir).is_dir():
            # Every count would fail to find its file, in the middle of a webhook.
            raise ValueError(
                f"PROMETHEUS_MULTIPROC_DIR must be an existing directory, not {multiproc_dir!r}"
            )
        if backend == "console" and environment == "production":
            # It prints to stdout, which production logs; doctors' notifications carry the reason
            # for the visit.
            chosen = (
                "MESSAGING_BACKEND=console"
                if env.get("MESSAGING_BACKEND")
                else ("the console backend (the default without TWILIO_ACCOUNT_SID)")
            )
            raise ValueError(
                f"{chosen} prints every message, health data included, instead of sending it;"
                " production needs MESSAGING_BACKEND=twilio with TWILIO_ACCOUNT_SID and"
                " TWILIO_AUTH_TOKEN"
            )
        secret_key = env.get("CITABOT_SECRET_KEY") or None
        if environment == "production" and (secret_key is None or len(secret_key) < 32):
            raise ValueError(
                "production needs CITABOT_SECRET_KEY, 32 characters or more (for example"
                " `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        data_keys = env.get(ENVIRONMENT_VARIABLE) or None
        if environment == "production" and data_keys is None:
            raise ValueError(
                f"production needs {ENVIRONMENT_VARIABLE}: the keys that seal health data at"
                " rest, newest first (`flask --app app keys new` makes one)"
            )
        if data_keys is not None:
            Keyring.from_text(data_keys)  # a malformed key is refused at start, not at a read
        return cls(
            database_url=env.get("DATABASE_URL") or EMBEDDED_DATABASE_URL,
            redis_url=env.get("REDIS_URL") or None,
            twilio_account_sid=sid,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            public_base_url=(env.get("PUBLIC_BASE_URL") or cls.public_base_url).rstrip("/"),
            messaging_backend=backend,
            hold_minutes=int(hold),
            environment=environment,
            twilio_content_sids=_content_sids(env.get("TWILIO_CONTENT_SIDS") or "{}"),
            whatsapp_rate_per_second=int(rate),
            message_lease_seconds=int(lease),
            twilio_api_base_url=api_base_url,
            deferred_inbox_dir=Path(env.get("DEFERRED_INBOX_DIR") or cls.deferred_inbox_dir),
            metrics_token=env.get("METRICS_TOKEN") or None,
            prometheus_multiproc_dir=Path(multiproc_dir) if multiproc_dir else None,
            interactive_replies=interactive,
            secret_key=secret_key,
            data_keys=data_keys,
        )


def _content_sids(raw: str) -> dict[str, str | dict[str, str]]:
    """Read TWILIO_CONTENT_SIDS, refusing at start what would fail at every send."""
    problem = "TWILIO_CONTENT_SIDS must be a JSON object of purpose -> SID or {language: SID}"
    try:
        table = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(problem) from error
    if not isinstance(table, dict):
        raise ValueError(problem)
    for value in table.values():
        by_language = value.values() if isinstance(value, dict) else [value]
        if not all(isinstance(sid, str) and sid for sid in by_language):
            raise ValueError(problem)
    return table
