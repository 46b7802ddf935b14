"""The Twilio adapter: WhatsApp messages through the Programmable Messaging API."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from typing import Any

from requests import ConnectTimeout, RequestException
from requests.utils import get_environ_proxies
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from app.messaging.port import (
    FailureKind,
    Outbound,
    ProviderMessage,
    ProviderUnavailable,
    SendFailed,
)
from app.phones import WHATSAPP_PREFIX

log = logging.getLogger(__name__)
TWILIO_API = "https://api.twilio.com"
# Looking for a half-sent message: a few recent messages to one person are plenty.
RECENT_LIMIT = 50
# Not about the message but about our credentials or account: nothing went out.
ACCOUNT_REFUSED = frozenset({401, 403})
# The ContentSid is unknown (a pool resource re-made by `content sync`, a SID cached a
# moment too long): retried, by when the pool has been read again.
CONTENT_GONE = "21655"


class TwilioMessenger:
    """Send through `client` (its http_client decides where requests really go)."""

    requires_templates = True

    def __init__(self, client: Client) -> None:
        self.client = client

    def send(self, message: Outbound) -> str:
        fields: dict[str, Any] = {
            "to": WHATSAPP_PREFIX + message.recipient,
            "from_": WHATSAPP_PREFIX + message.sender,
        }
        if message.status_callback:
            fields["status_callback"] = message.status_callback
        if message.content_sid:
            fields["content_sid"] = message.content_sid
            fields["content_variables"] = json.dumps(dict(message.content_variables))
        else:
            fields["body"] = message.body
        try:
            sid = self.client.messages.create(**fields).sid
        except TwilioRestException as error:
            raise _failure(error) from None
        except ConnectTimeout:
            raise SendFailed("network", FailureKind.TRANSIENT) from None
        except (RequestException, TwilioException):
            # The request may have arrived: the connection broke or the answer was garbled.
            raise SendFailed("network", FailureKind.UNCERTAIN) from None
        if not sid:
            raise SendFailed("no_sid", FailureKind.UNCERTAIN)
        return str(sid)

    def sent_since(self, sender: str, recipient: str, since: datetime) -> list[ProviderMessage]:
        # No DateSent filter: Twilio matches it by day against the *sent* date, which a
        # message still queued at Twilio does not have yet (the very one looked for).
        # The list comes newest first; `since` is applied to the creation dates here.
        try:
            found = self.client.messages.list(
                to=WHATSAPP_PREFIX + recipient, from_=WHATSAPP_PREFIX + sender, limit=RECENT_LIMIT
            )
        except (RequestException, TwilioException):
            raise ProviderUnavailable("could not list recent messages") from None
        # Replies in TwiML answers are "outbound-reply"; only API sends can be ours.
        mine = [
            ProviderMessage(str(m.sid), m.body or "", m.date_created)
            for m in found
            if m.direction == "outbound-api"
            and m.sid
            and (m.date_created is None or m.date_created >= since)
        ]
        return sorted(mine, key=lambda m: m.created_at or since)


def settled(http_client: TwilioHttpClient) -> TwilioHttpClient:
    """`http_client` with the environment's proxy and CA settings read now, once.

    `requests` reads them again on every request the SDK makes (`trust_env`): a
    third of the CPU of a send, for settings that do not change while a worker runs.
    Its connection pool is kept: one session per process, as the SDK intends.
    """
    session = http_client.session
    if session is None or not session.trust_env:
        return http_client
    http_client.proxy = http_client.proxy or get_environ_proxies(TWILIO_API)
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
    return http_client


def _failure(error: TwilioRestException) -> SendFailed:
    """Classify Twilio's answer; only its numeric code is kept (its text may quote numbers).

    401 and 403 (a wrong or rotated token, a suspended account: Twilio's 20003) say
    nothing about the message, and every message would fail alike: they are retried
    with the backoff, and logged as the operator's problem they are.
    """
    code = str(error.code or error.status)
    if error.status == 429 or code == CONTENT_GONE:
        return SendFailed(code, FailureKind.TRANSIENT)
    if error.status in ACCOUNT_REFUSED:
        log.error(
            "Twilio refused the account (HTTP %s, error %s): check TWILIO_ACCOUNT_SID,"
            " TWILIO_AUTH_TOKEN and the account's status; messages wait and are retried",
            error.status, code,
        )  # fmt: skip
        return SendFailed(code, FailureKind.TRANSIENT)
    if error.status >= 500:
        return SendFailed(code, FailureKind.UNCERTAIN)
    return SendFailed(code, FailureKind.PERMANENT)
