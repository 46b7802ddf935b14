"""Only Twilio may call the webhooks: every request must carry a valid signature."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from twilio.request_validator import RequestValidator

from app.config import Config


def signed_url() -> str:
    """The URL Twilio signed: the public base URL plus the path and query it called."""
    config: Config = current_app.config["CITABOT"]
    query = request.query_string.decode()
    return config.public_base_url + request.path + (f"?{query}" if query else "")


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse (403, nothing read or written) a request whose X-Twilio-Signature is not valid."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        token = current_app.config["CITABOT"].webhook_token
        signature = request.headers.get("X-Twilio-Signature", "")
        if not token or not signature:
            abort(403)
        if not RequestValidator(token).validate(signed_url(), request.form, signature):
            abort(403)
        return view(*args, **kwargs)

    return checked
