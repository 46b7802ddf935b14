"""What a claimed message becomes at the provider: who sends it, and a body or a template.

WhatsApp's rule: a business may write freely to someone who wrote to it in the
last 24 hours; otherwise only an approved template. The window is judged when the
message is claimed (each retry judges again), a few minutes short of 24 hours so a
message does not reach WhatsApp just after the window closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.messaging import templates
from app.messaging.outbox import Claim
from app.messaging.port import Outbound
from app.messaging.settings import MessagingSettings
from app.models import Contact, Practice

WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=5)


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
) -> tuple[list[tuple[Claim, Outbound]], list[tuple[Claim, str]]]:
    """Plan every claim: those that can go, and those that cannot with the reason."""
    recipients = load_recipients(session, claims) if claims else {}
    planned, refused = [], []
    for claim in claims:
        result = plan(claim, recipients[claim.id], settings, now, requires_templates)
        if isinstance(result, Unsendable):
            refused.append((claim, result.code))
        else:
            planned.append((claim, result))
    return planned, refused


def load_recipients(session: Session, claims: Sequence[Claim]) -> dict[uuid.UUID, Recipient]:
    """The recipient of each claim, by claim id, in two queries."""
    profiles = {
        p.id: p
        for p in session.scalars(
            select(Practice).where(Practice.id.in_({c.profile_id for c in claims}))
        )
    }
    contacts = {
        (c.profile_id, c.phone): c
        for c in session.scalars(
            select(Contact).where(
                tuple_(Contact.profile_id, Contact.phone).in_(
                    {(c.profile_id, c.phone) for c in claims}
                )
            )
        )
    }
    recipients = {}
    for claim in claims:
        practice = profiles[claim.profile_id]
        contact = contacts.get((claim.profile_id, claim.phone))
        # The doctor reads the practice's language; a patient the one they chose.
        chosen = (
            None if claim.phone == practice.doctor_phone or contact is None else contact.language
        )
        recipients[claim.id] = Recipient(
            sender=practice.whatsapp_number,
            language=chosen or practice.language,
            last_inbound_at=contact.last_inbound_at if contact else None,
            content_sids=practice.content_sids,
        )
    return recipients


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
