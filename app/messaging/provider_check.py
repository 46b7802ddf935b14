"""Before sending a message again whose earlier send may have arrived: does the provider have it?

We list what the provider holds from the practice's number to the recipient since
the message was created, and leave out every id we already recorded. A message
with the very same body is ours. One sent as a template shows the template's
text, which we cannot predict, so any unrecorded message is taken as ours: only
one message per recipient is ever in `sending`, and every other one we sent has
its id recorded.

Residual risk (why "at most once" is not absolute): the provider may list a
message some time after accepting it (we look only once the lease has run out,
60 s by default); a message someone sends from the same number outside Citabot
(Twilio console, another app) may be taken for a half-sent template; and for a
template, a late-listed earlier attempt could be taken for a later message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.messaging.outbox import Claim
from app.messaging.port import ProviderMessage
from app.models import MessageLog

CLOCK_SKEW = timedelta(minutes=2)  # between our clock and the provider's


def since(claim: Claim) -> datetime:
    """The earliest time a send of `claim` could have reached the provider."""
    return claim.created_at - CLOCK_SKEW


def already_sent(
    session: Session, claim: Claim, candidates: Sequence[ProviderMessage]
) -> str | None:
    """The provider's id for `claim`'s message if it has it, else None."""
    start = since(claim)
    recent = [c for c in candidates if c.created_at is None or c.created_at >= start]
    if not recent:
        return None
    known = set(
        session.scalars(
            select(MessageLog.provider_sid).where(
                MessageLog.provider_sid.in_([c.sid for c in recent])
            )
        )
    )
    unrecorded = [c for c in recent if c.sid not in known]
    for candidate in unrecorded:
        if candidate.body == claim.body:
            return candidate.sid
    if claim.previous_content_sid and unrecorded:
        return unrecorded[0].sid
    return None
