"""The options a notice offers to tap: the doctor's Aprobar / Rechazar, the reminder's and
the waitlist offer's answers.

A notice is written whole by its catalogue sentence, which also says what to type
("APROBAR K7M3QX", "Responde 1 para confirmar"); these are the same answers as
buttons, each with its own title, so the sentence stays the message's body. Their
ids are what typing would send: the doctor's command, or the reminder question's
option (`reminder:1`), which `taps.typed_answer` reads as "1".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot_flows.engine import Choice, positions
from bot_flows.patient_states import PatientState
from bot_flows.texts import text

DECISIONS = frozenset({"doctor_new_request", "doctor_move_request"})
REMINDERS = frozenset({"reminder_24h", "reminder_2h", "patient_release_warning"})
REMINDER_ANSWERS = ("notice.attend", "notice.cancel", "notice.change")
OFFERS = frozenset({"patient_waitlist_offer"})
OFFER_ANSWERS = ("notice.take", "notice.pass", "notice.leave")


def notice_choices(purpose: str, facts: Mapping[str, Any], language: str) -> tuple[Choice, ...]:
    """The buttons of a notice, in the recipient's language; none for most notices."""
    if purpose in DECISIONS:
        code = facts["code"]
        return (
            Choice(f"APROBAR {code}", text("notice.approve", language)),
            Choice(f"RECHAZAR {code}", text("notice.reject", language)),
        )
    if purpose in REMINDERS:
        return _answers(PatientState.REMINDER, REMINDER_ANSWERS, language)
    if purpose in OFFERS:
        return _answers(PatientState.WAITLIST_OFFER, OFFER_ANSWERS, language)
    return ()


def _answers(state: PatientState, keys: tuple[str, ...], language: str) -> tuple[Choice, ...]:
    """The question of `state`'s options as buttons: tapped, each is its number typed there."""
    options = positions(state, len(keys))
    return tuple(
        Choice(option.id, text(key, language)) for option, key in zip(options, keys, strict=True)
    )
