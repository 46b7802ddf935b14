"""A reminder's answer is the patient's next message: their conversation waits for it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from app.models import Conversation, Reservation
from bot_flows.patient_states import PatientState

# Conversations at rest, which a reminder may take over: nothing half-answered is lost.
IDLE_STATES = (PatientState.NEW, PatientState.MENU, PatientState.REMINDER)
IDLE_AFTER = timedelta(hours=24)


def await_reminder_answers(
    session: Session, reminded: Sequence[Reservation], now: datetime
) -> None:
    """Let the patients' next message answer the reminder, unless they are busy with the bot.

    Called in the reminder's transaction (`BookingContext.on_reminded`). A
    conversation locked right now is a patient writing right now: not idle, and
    skipping it (rather than waiting) means a reminder never waits on, or deadlocks
    with, a message being processed.
    """
    codes = {(r.profile_id, r.patient_phone): r.code for r in reminded}
    if not codes:
        return
    idle = session.scalars(
        select(Conversation)
        .where(
            tuple_(Conversation.profile_id, Conversation.phone).in_(list(codes)),
            or_(Conversation.state.in_(IDLE_STATES), Conversation.updated_at < now - IDLE_AFTER),
        )
        .with_for_update(skip_locked=True)
    )
    for conversation in idle:
        conversation.state = PatientState.REMINDER
        conversation.data = {"code": codes[(conversation.profile_id, conversation.phone)]}
