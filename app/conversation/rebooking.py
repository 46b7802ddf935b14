"""After a rejection or an expiry, the patient's next message may pick one of the times offered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from app.models import Conversation, ReservationRequest
from app.scheduling.search import FreeSlot
from bot_flows.patient_rebook import offer
from bot_flows.patient_states import PatientState
from bot_flows.ports import SlotOption

S = PatientState
# Conversations at rest, which an offer may take over: nothing half-answered is lost.
# A hand-off counts only once it is over: the practice is talking to the patient.
IDLE_STATES = (S.MENU, S.REMINDER, S.REBOOK, S.HANDOFF)
IDLE_AFTER = timedelta(hours=24)


def await_choice_of_times(
    session: Session,
    request: ReservationRequest | Row[Any],
    times: Sequence[FreeSlot],
    now: datetime,
) -> bool:
    """Let the patient's next message pick one of `times` by its number; True if it will.

    Called in the rejection's or expiry's transaction (`BookingContext.offer_other_times`),
    whose notice then numbers the times. A conversation locked right now is a patient
    writing right now: skipped (not waited for), and told to write *menu* instead.
    """
    conversation = session.scalar(
        select(Conversation)
        .where(
            Conversation.profile_id == request.profile_id,
            Conversation.phone == request.patient_phone,
            or_(Conversation.handoff_until.is_(None), Conversation.handoff_until <= now),
            or_(Conversation.state.in_(IDLE_STATES), Conversation.updated_at < now - IDLE_AFTER),
        )
        .with_for_update(skip_locked=True)
    )
    if conversation is None:
        return False
    options = [SlotOption(slot.slot_id, slot.start) for slot in times]
    conversation.state = S.REBOOK
    conversation.data = offer(request.code, request.service_id, options, now)
    # The offer's day of freshness, and the conversation's 24-hour reset, count from now.
    conversation.updated_at = now
    return True
