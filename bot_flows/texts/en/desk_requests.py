"""The desk's requests and appointments pages (English)."""

TEXTS: dict[str, str] = {
    # A request
    "desk.request.title": "Request {code}",
    "desk.request.back": "Back to the agenda",
    "desk.request.answer_by": "Answer by {time}. After that it expires and the time is freed.",
    "desk.request.moving_from": "Asks to move their appointment from {time} to this time.",
    "desk.request.urgent": (
        "Marked URGENT: the patient said so or mentioned a warning sign (the bot already gave "
        "them the emergency number)."
    ),
    "desk.request.patient": "Patient",
    "desk.request.name": "Name",
    "desk.request.age": "Age",
    "desk.request.age_value": "{age} years",
    "desk.request.sex": "Sex",
    "desk.request.sex.female": "female",
    "desk.request.sex.male": "male",
    "desk.request.sex.other": "other / prefers not to say",
    "desk.request.phone": "Phone",
    "desk.request.contact": "Prefers to be contacted by",
    "desk.request.contact.whatsapp": "WhatsApp",
    "desk.request.contact.phone": "phone call",
    "desk.request.contact.email": "email ({email})",
    "desk.request.appointment": "Requested appointment",
    "desk.request.service": "Service",
    "desk.request.when": "When",
    "desk.request.urgency": "Urgency",
    "desk.request.urgency.low": "low",
    "desk.request.urgency.normal": "normal",
    "desk.request.urgency.high": "high",
    "desk.request.urgency.urgent": "URGENT",
    "desk.request.intake": "What the patient told us",
    "desk.request.reason": "Reason",
    "desk.request.symptoms": "Symptoms",
    "desk.request.history": "Medical history",
    "desk.request.medications": "Medications",
    "desk.request.allergies": "Allergies",
    "desk.request.not_given": "not given",
    "desk.request.status": "Status: {status}",
    "desk.request.rejection_reason": "Reason for declining: {reason}",
    "desk.request.see_appointment": "See the appointment",
    "desk.request.answer": "Answer",
    "desk.request.approve": "Approve",
    "desk.request.reject": "Decline",
    "desk.request.reject_reason": "Reason for declining (optional; we send it to the patient)",
    "desk.request.alternatives": "Other free times nearby",
    "desk.request.alternatives_offered": (
        "If you decline, we'll offer the patient these times to pick another."
    ),
    "desk.request.no_alternatives": "There are no other free times of this service nearby.",
    "desk.request.approved": "Approved {code}. We told the patient on WhatsApp.",
    "desk.request.rejected": "Declined {code}. We told the patient on WhatsApp.",
    "desk.request.reason_too_long": "The reason can be up to 300 characters.",
    "desk.request.refused.expired": (
        "Request {code} expired ({time}): the time was freed and the patient has been told. "
        "Nothing else changed."
    ),
    "desk.request.refused.expired_unknown_time": (
        "Request {code} expired: the time was freed and the patient has been told."
    ),
    "desk.request.refused.illegal": "Request {code} is already {status}: nothing changed.",
    "desk.request.refused.other": "Request {code} couldn't be answered; nothing changed.",
    # An appointment
    "desk.appointment.title": "Appointment {code}",
    "desk.appointment.status": "Status: {status}",
    "desk.appointment.attendance_confirmed": "The patient confirmed they're coming ({time}).",
    "desk.appointment.attendance_unconfirmed": "The patient hasn't confirmed yet.",
    "desk.appointment.completed_at": "Seen: {time}",
    "desk.appointment.cancelled_at": "Cancelled: {time}",
    "desk.appointment.cancelled_by.patient": "Cancelled by the patient: {time}",
    "desk.appointment.cancelled_by.doctor": "Cancelled by the practice: {time}",
    "desk.appointment.cancelled_by.release": "Freed for lack of confirmation: {time}",
    "desk.appointment.see_request": "See what the patient told us (request {code})",
    "desk.appointment.move_requested": (
        "The patient asked to move this appointment: see request {code}"
    ),
    "desk.appointment.actions": "Actions",
    "desk.appointment.complete": "Seen",
    "desk.appointment.no_show": "No-show",
    "desk.appointment.cancel": "Cancel the appointment",
    "desk.appointment.cancel_reason": "Reason (optional; we send it to the patient)",
    "desk.appointment.not_started_yet": ("You can mark it seen or a no-show once its time comes."),
    "desk.appointment.no_move": (
        "To change the time, cancel the appointment with a reason; the patient can ask for "
        "another time on WhatsApp."
    ),
    "desk.appointment.earlier": "This patient's earlier appointments here",
    "desk.appointment.no_earlier": "Their first appointment at this practice.",
    "desk.appointment.notes": "Notes",
    "desk.appointment.no_notes": "No notes yet.",
    "desk.appointment.private": "private",
    "desk.appointment.add_note": "Add a note",
    "desk.appointment.note_type": "Type",
    "desk.appointment.note_type.diagnosis": "Diagnosis",
    "desk.appointment.note_type.treatment": "Treatment",
    "desk.appointment.note_type.follow_up": "Follow-up",
    "desk.appointment.note_type.prescription": "Prescription",
    "desk.appointment.note_private": "Private (for you only)",
    "desk.appointment.note_text": "Note",
    "desk.appointment.save_note": "Save note",
    "desk.appointment.note_saved": "Note saved on appointment {code}.",
    "desk.appointment.note_saved_private": "Private note saved on appointment {code}.",
    "desk.appointment.note_empty": "Write the note before saving it.",
    "desk.appointment.note_too_long": "A note can be up to 4000 characters.",
    "desk.appointment.reason_too_long": "The reason can be up to 300 characters.",
    "desk.appointment.completed": "Appointment {code} marked as seen.",
    "desk.appointment.no_show_marked": "Appointment {code} marked as a no-show.",
    "desk.appointment.cancelled": "Appointment {code} cancelled. We told the patient on WhatsApp.",
    "desk.appointment.refused.illegal": "Appointment {code} is already {status}: nothing changed.",
    "desk.appointment.refused.not_started": (
        "Appointment {code} hasn't started yet: mark it seen or a no-show from its time on."
    ),
    "desk.appointment.refused.already_started": (
        "Appointment {code} has started: it can't be cancelled; mark it seen or a no-show."
    ),
    "desk.appointment.refused.expired": "Appointment {code} didn't change.",
    "desk.appointment.refused.expired_unknown_time": "Appointment {code} didn't change.",
    "desk.appointment.refused.other": "Appointment {code} couldn't be changed; nothing changed.",
}
