"""The patient conversation's states: readable names stored with the conversation."""

from __future__ import annotations

from enum import StrEnum

from bot_flows.engine import Turn
from bot_flows.ports import PatientServices

PatientTurn = Turn[PatientServices]
# The privacy notice the patient answered; a new wording gets a new version.
CONSENT_VERSION = "privacy-2026-11"


class PatientState(StrEnum):
    """Where a patient's conversation stands; each value is at most 40 characters."""

    NEW = "new"
    CONSENT = "consent"
    DECLINED = "declined"
    MENU = "menu"
    HANDOFF = "handoff"
    # Booking
    SERVICE = "booking_service"
    DAY = "booking_day"
    TIME = "booking_time"
    NAME = "intake_name"
    AGE = "intake_age"
    SEX = "intake_sex"
    REASON = "intake_reason"
    SYMPTOMS = "intake_symptoms"
    HEALTH = "intake_health"  # history, medications and allergies in one question
    HISTORY = "intake_history"
    MEDICATIONS = "intake_medications"
    ALLERGIES = "intake_allergies"
    URGENCY = "intake_urgency"
    CONTACT = "intake_contact"
    EMAIL = "intake_email"
    SUMMARY = "booking_summary"
    TAKEN = "booking_taken"
    # Another time after a rejection or an expiry, with the same answers
    REBOOK = "booking_rebook"
    REBOOK_CONFIRM = "booking_rebook_confirm"
    # Managing what is booked
    PICK = "manage_pick"
    ACTION = "manage_action"
    CANCEL = "manage_cancel"
    MOVE_DAY = "manage_move_day"
    MOVE_TIME = "manage_move_time"
    MOVE_CONFIRM = "manage_move_confirm"
    REMINDER = "reminder"
    # The waitlist: joining it when no time suits, and a freed place offered
    WAITLIST_JOIN = "waitlist_join"
    WAITLIST_OFFER = "waitlist_offer"
    # MIS DATOS: what is held about this phone; correct it, withdraw consent, ask for erasure
    MY_DATA = "my_data"
    MY_DATA_FIX = "my_data_fix"
    MY_DATA_NAME = "my_data_name"
    MY_DATA_AGE = "my_data_age"
    MY_DATA_SEX = "my_data_sex"
    MY_DATA_WITHDRAW = "my_data_withdraw"
    MY_DATA_ERASE = "my_data_erase"


S = PatientState

BEFORE_CONSENT = frozenset({S.NEW, S.CONSENT, S.DECLINED})
# States a message may open afresh whatever it says: the first message, and the
# first one after a hand-off ended.
OPENINGS = frozenset({S.NEW, S.HANDOFF})
# States holding answers half given: after 24 h of silence they start over. Times offered
# after a rejection are no answer half given: a day later any message is the menu's.
AT_REST = BEFORE_CONSENT | {S.MENU, S.HANDOFF, S.REMINDER, S.REBOOK}
