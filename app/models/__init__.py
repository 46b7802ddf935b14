"""All models, imported together so the metadata is complete."""

from app.models.booking import (
    AppointmentNote,
    RequestStatus,
    Reservation,
    ReservationRequest,
    ReservationStatus,
)
from app.models.contacts import Contact
from app.models.content import ContentResource
from app.models.conversation import Consent, Conversation
from app.models.desk import AuditEntry, DeskCode, DeskSession, PracticeMember, Role
from app.models.legacy import AppointmentSourceTracking, PatientAssessment
from app.models.messaging import MessageLog, MessageStatus
from app.models.practice import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.models.rights import BlockedRecord, RightsRequest
from app.models.slots import SlotStatus, TimeSlot
from app.models.waitlist import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer

__all__ = [
    "AppointmentNote",
    "AppointmentSourceTracking",
    "AuditEntry",
    "AvailabilityRule",
    "BlockedRecord",
    "ClosedDate",
    "Consent",
    "Contact",
    "ContentResource",
    "Conversation",
    "DeskCode",
    "DeskSession",
    "EntryStatus",
    "MedicalService",
    "MessageLog",
    "MessageStatus",
    "OfferStatus",
    "PatientAssessment",
    "Practice",
    "PracticeMember",
    "RequestStatus",
    "Reservation",
    "ReservationRequest",
    "ReservationStatus",
    "RightsRequest",
    "Role",
    "SlotStatus",
    "TimeSlot",
    "WaitlistEntry",
    "WaitlistOffer",
]
