"""What a claimed message becomes at the provider: who sends it, and a body or a template.

WhatsApp's rule: a business may write freely to someone who wrote to it in the
last 24 hours; otherwise only an approved template. The window is judged when the
message is claimed (each retry judges again), a few minutes short of 24 hours so a
message does not reach WhatsApp just after the window closed.

A reply with a list or buttons (`variables["interactive"]`) goes, inside the
window, as the content pool's resource for its kind, size and language; without
one (no sync yet, or a sync that dropped it) as its numbered text, said once in
the log per process and resource.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.messaging import interactive, templates
from app.messaging.content_pool import PoolIndex
from app.messaging.interactive import Interactive
from app.messaging.outbox import Claim
from app.messaging.port import Outbound
from app.messaging.settings import MessagingSettings
from app.models.content import ContentResource

WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=5)
log = logging.getLogger(__name__)
_told_missing: set[str] = set()  # pool keys already logged as missing by this process


@dataclass(frozen=True)
class Recipient:
    """What planning needs to know about a message's practice and the person it goes to."""

    sender: str | None
    language: str
    last_inbound_at: datetime | None
    content_sids: templates.ContentSids | None


@dataclass(frozen=True)
class Unsendable:
    """Why a message cannot go at all (`error_code`), e.g. no template outside the window."""

    code: str


def plan_claims(
    session: Session,
    claims: Sequence[Claim],
    settings: MessagingSettings,
    now: datetime,
    requires_templates: bool,
    pool_index: PoolIndex | None = None,
) -> tuple[list[tuple[Claim, Outbound]], list[tuple[Claim, str]]]:
    """Plan every claim: those that can go, and those that cannot with the reason.

    The pool's SIDs come from `pool_index` (read once a minute) when given, else
    from the database.
    """
    recipients = {claim.id: recipient_of(claim) for claim in claims}
    shown = {c.id: tapped for c in claims if (tapped := _interactive(c)) is not None}
    pool = (
        _pool_sids(session, settings.content_account, shown.values(), recipients, pool_index)
        if shown and requires_templates
        else {}
    )
    planned, refused = [], []
    for claim in claims:
        result = plan(claim, recipients[claim.id], settings, now, requires_templates)
        if claim.id in shown and isinstance(result, Outbound):
            language = recipients[claim.id].language
            result = _as_interactive(result, shown[claim.id], language, pool, requires_templates)
        if isinstance(result, Unsendable):
            refused.append((claim, result.code))
        else:
            planned.append((claim, result))
    return planned, refused


def recipient_of(claim: Claim) -> Recipient:
    """The claim's recipient: the doctor reads the practice's language, a patient their own."""
    to = claim.to
    chosen = None if claim.phone == to.doctor_phone else to.contact_language
    return Recipient(
        sender=to.sender,
        language=chosen or to.practice_language,
        last_inbound_at=to.last_inbound_at,
        content_sids=to.content_sids,
    )


def in_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True while the recipient's last message is recent enough for a free-form body."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW - WINDOW_MARGIN


def plan(
    claim: Claim,
    recipient: Recipient,
    settings: MessagingSettings,
    now: datetime,
    requires_templates: bool,
) -> Outbound | Unsendable:
    """The message as the provider gets it, or why it cannot be sent."""
    if not recipient.sender:
        return Unsendable("no_sender")
    sid = templates.content_sid(
        claim.purpose, recipient.language, recipient.content_sids, settings.content_sids
    )
    open_window = in_window(recipient.last_inbound_at, now)
    if not open_window and sid is None and requires_templates:
        return Unsendable("no_template")
    as_template = sid is not None and (not open_window or claim.purpose in templates.INTERACTIVE)
    return Outbound(
        message_id=claim.id,
        sender=recipient.sender,
        recipient=claim.phone,
        body=claim.body,
        purpose=claim.purpose,
        content_sid=sid if as_template else None,
        content_variables=(
            templates.content_variables(
                claim.purpose, claim.variables, recipient.language, settings.template_value
            )
            if as_template
            else {}
        ),
        status_callback=settings.status_callback(claim.id),
    )


def _interactive(claim: Claim) -> tuple[str, Interactive] | None:
    return interactive.from_json((claim.variables or {}).get("interactive"))


def _pool_sids(
    session: Session,
    account: str | None,
    shown: Iterable[tuple[str, Interactive]],
    recipients: Mapping[uuid.UUID, Recipient],
    index: PoolIndex | None,
) -> dict[str, str]:
    """The pool's SIDs of every key these messages may need, by key, in one query at most."""
    if account is None:
        return {}
    languages = {r.language for r in recipients.values()}
    keys = {
        interactive.pool_key(kind, len(message.items), language)
        for kind, message in shown
        for language in languages
    }
    if index is not None:
        return {key: sid for key in keys if (sid := index.sid(key)) is not None}
    rows = session.execute(
        select(ContentResource.key, ContentResource.sid).where(
            ContentResource.account_sid == account, ContentResource.key.in_(keys)
        )
    )
    return {key: sid for key, sid in rows}


def _as_interactive(
    message: Outbound,
    shown: tuple[str, Interactive],
    language: str,
    pool: Mapping[str, str],
    requires_templates: bool,
) -> Outbound:
    """`message` with its list or buttons: the pool's content at Twilio; the console prints it."""
    if message.content_sid:  # outside the window: an approved template, or nothing
        return message
    if not requires_templates:
        return replace(message, interactive=shown)
    kind, tapped = shown
    key = interactive.pool_key(kind, len(tapped.items), language)
    sid = pool.get(key)
    if sid is None:
        if key not in _told_missing:
            _told_missing.add(key)
            log.warning(
                "no content %s in the pool: lists and buttons go as numbered text"
                " until `flask content sync` makes it",
                key,
            )
        return message
    return replace(
        message,
        content_sid=sid,
        content_variables=interactive.variables(kind, tapped),
        interactive=shown,
    )
