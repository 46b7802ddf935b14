"""A place offered from the waitlist is answered by the patient's next message: 1 takes it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from app.booking.context import Offered
from app.models import Conversation
from bot_flows.patient_states import PatientState
from bot_flows.patient_waitlist import offered_place

S = PatientState
# Conversations at rest, which an offer may take over: nothing half-answered is lost.
IDLE_STATES = (S.MENU, S.REMINDER, S.REBOOK, S.WAITLIST_OFFER)
IDLE_AFTER = timedelta(hours=24)


def await_offer_answers(session: Session, offered: Sequence[Offered], now: datetime) -> None:
    """Let each patient's next message answer the place offered to them.

    Called in the offer's transaction (`BookingContext.on_offered`). A conversation
    locked right now is a patient writing right now: skipped, not waited for; the
    offer's message still names the place, and a patient busy with the bot can
    write *menu* and take it from the list's next offer.
    """
    by_phone = {(o.profile_id, o.phone): o for o in offered}
    if not by_phone:
        return
    idle = session.scalars(
        select(Conversation)
        .where(
            tuple_(Conversation.profile_id, Conversation.phone).in_(list(by_phone)),
            or_(Conversation.handoff_until.is_(None), Conversation.handoff_until <= now),
            or_(Conversation.state.in_(IDLE_STATES), Conversation.updated_at < now - IDLE_AFTER),
        )
        .with_for_update(skip_locked=True)
    )
    for conversation in idle:
        place = by_phone[(conversation.profile_id, conversation.phone)]
        conversation.state = S.WAITLIST_OFFER
        conversation.data = offered_place(place.offer_id, place.service, place.start)
        conversation.updated_at = now  # a day's silence from now starts it over
