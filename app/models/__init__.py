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
from app.models.legacy import AppointmentSourceTracking, PatientAssessment
from app.models.messaging import MessageLog, MessageStatus
from app.models.practice import AvailabilityRule, ClosedDate, MedicalService, Practice
from app.models.slots import SlotStatus, TimeSlot

__all__ = [
    "AppointmentNote",
    "AppointmentSourceTracking",
    "AvailabilityRule",
    "ClosedDate",
    "Consent",
    "Contact",
    "ContentResource",
    "Conversation",
    "MedicalService",
    "MessageLog",
    "MessageStatus",
    "PatientAssessment",
    "Practice",
    "RequestStatus",
    "Reservation",
    "ReservationRequest",
    "ReservationStatus",
    "SlotStatus",
    "TimeSlot",
]
