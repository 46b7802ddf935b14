"""The doctor sentences: answers to the practice's WhatsApp commands."""

TEXTS: dict[str, str] = {
    "doctor.help": (
        "🩺 Commands:\n"
        "• APPROVE <code> — approve a request\n"
        "• REJECT <code> [reason] — decline it\n"
        "• PENDING — requests waiting for your answer\n"
        "• AGENDA [today|tomorrow|YYYY-MM-DD] — the day's appointments\n"
        "• CANCEL <code> [reason] — cancel an appointment\n"
        "• COMPLETED <code> — the patient was seen\n"
        "• NOSHOW <code> — the patient did not come\n"
        "• NOTE <code> <diagnosis|treatment|follow-up|prescription> [private] <text>\n"
        "• BLOCK <YYYY-MM-DD> [HH:MM-HH:MM] — close a day or a time range\n"
        "• UNBLOCK <YYYY-MM-DD> [HH:MM-HH:MM] — open it again\n"
        "• RESUME <phone> — the assistant answers that patient again\n"
        "• FORGIVE <phone> — their no-shows stop counting against the practice's policy\n"
        "• SUMMARY [week|month] — your figures: requests, confirmations, no-shows\n"
        "• REPLY <code|phone> <text> — write to the patient from the practice number "
        "(or reply to their message)\n"
        "• TEAM <phone> <name> — give someone on your team access to the web desk\n"
        "• HELP — this list\n"
        "Dates may also be DD/MM (day/month, 24/12).\n"
        "With a single pending request, YES or NO is enough."
    ),
    "doctor.unknown": "🤔 I did not recognise that message as a command; nothing was changed.",
    "doctor.hint.missing_code": "The code is missing (e.g. K7M3QX); nothing was changed.",
    "doctor.hint.bad_code": (
        "“{value}” is not a code: codes are 4 to 8 letters and digits, like K7M3QX. "
        "Nothing was changed."
    ),
    "doctor.hint.missing_date": (
        "The date is missing, e.g. 2026-12-24 or 24/12 (day/month); nothing was changed."
    ),
    "doctor.hint.bad_date": (
        "“{value}” is not a valid date: write YYYY-MM-DD (like 2026-12-24), DD/MM "
        "(day/month, like 24/12), today or tomorrow. Nothing was changed."
    ),
    "doctor.hint.bad_range": (
        "“{value}” is not a valid time range: write HH:MM-HH:MM, starting before it ends "
        "(like 10:00-12:00). Nothing was changed."
    ),
    "doctor.hint.note_type": (
        "Say the kind of note: diagnosis, treatment, follow-up or prescription. "
        "Nothing was changed."
    ),
    "doctor.hint.missing_note_text": "The text of the note is missing; nothing was changed.",
    "doctor.hint.missing_reply_to": (
        "Say whom to write to: REPLY <code or phone> <text>, like "
        "REPLY K7M3QX See you tomorrow. Nothing was sent."
    ),
    "doctor.hint.bad_reply_to": (
        "“{value}” is neither a code nor a phone: write REPLY <code or phone> <text>, like "
        "REPLY K7M3QX See you tomorrow or REPLY 55 1234 5678 See you tomorrow. "
        "Nothing was sent."
    ),
    "doctor.hint.missing_reply_text": (
        "The text for the patient is missing: REPLY <code or phone> <text>. Nothing was sent."
    ),
    "doctor.reply_sent": "✉️ Sent to {patient} from the practice number.",
    "doctor.reply_window_closed": (
        "⌛ Nothing was sent: {patient} last wrote on {last_wrote}, and WhatsApp only allows "
        "free messages until 24 hours after their last message. Call them or write from "
        "your own WhatsApp."
    ),
    "doctor.reply_unknown_patient": (
        "🔎 {phone} has never written to your practice, so I cannot write to them from here. "
        "Nothing was sent."
    ),
    "doctor.hint.bad_phone": (
        "Write the patient's phone in international format, like +5215512345678. "
        "Nothing was changed."
    ),
    "doctor.approved": (
        "✅ Approved {code}: {patient_name}, {when} ({service}). The patient was told."
    ),
    "doctor.rejected": (
        "❌ Declined {code}: {patient_name}, {when}. The patient was told.{reason_text}"
    ),
    "doctor.cancelled": (
        "🗓️ Cancelled {code}: {patient_name}, {when}. The patient was told.{reason_text}"
    ),
    "doctor.completed": "✔️ {code} completed: {patient_name}, {when}.",
    "doctor.no_show": "🚷 {code} marked as a no-show: {patient_name}, {when}.",
    "doctor.nothing_pending": "You have no pending requests. 🎉",
    "doctor.which_pending": (
        "You have {count} pending requests; which one?\n{lines}\n"
        "Write APPROVE <code> or REJECT <code> [reason]."
    ),
    "doctor.which_pending.line": "• {code}{urgent_mark} — {patient_name}, {when}",
    "doctor.pending": "📋 Pending requests ({count}):\n{lines}",
    "choices.doctor_button": "See requests",  # opens a WhatsApp list (≤ 20 characters)
    "doctor.rights.pending": "🔐 Patients' data requests not answered yet ({count}):\n{lines}",
    "doctor.rights.line": "• {kind} — {phone}, asked {requested}; due {due}",
    "doctor.rights.access": "access",
    "doctor.rights.correction": "correction",
    "doctor.rights.withdrawal": "consent withdrawn",
    "doctor.rights.erasure": "erasure",
    "doctor.pending.approve": "Approve {code}",
    "doctor.pending.line": (
        "• {code}{urgent_mark} — {patient_name}, {age_text}\n"
        "  {service}, {when}\n"
        "  Urgency: {urgency}. Answer before {deadline}."
    ),
    "doctor.pending.move_line": (
        "• {code}{urgent_mark} — {patient_name}, {age_text}: appointment change\n"
        "  {service}, from {old_when} to {when}\n"
        "  Urgency: {urgency}. Answer before {deadline}."
    ),
    "doctor.agenda": "📅 Agenda for {day}:\n{lines}",
    "doctor.agenda.empty": "📅 You have no appointments on {day}.",
    "doctor.booking_line": "• {time} {code}{urgent_mark} — {patient_name}, {service} ({status})",
    "doctor.status.pending": "waiting for your answer",
    "doctor.status.approved": "approved",
    "doctor.status.rejected": "declined",
    "doctor.status.expired": "expired",
    "doctor.status.cancelled": "cancelled",
    "doctor.status.confirmed": "confirmed",
    "doctor.status.completed": "completed",
    "doctor.status.no_show": "marked as a no-show",
    "doctor.status.attending": "confirmed ✅ said they'll come",
    "doctor.note_saved": "📝 Saved the {note_type} note on {code}.",
    "doctor.note_saved_private": (
        "🔒 Saved the private {note_type} note on {code}; the patient will not see it."
    ),
    "doctor.note_type.diagnosis": "diagnosis",
    "doctor.note_type.treatment": "treatment",
    "doctor.note_type.follow_up": "follow-up",
    "doctor.note_type.prescription": "prescription",
    "doctor.blocked": "🚫 Blocked {period}. Times closed: {count}.",
    "doctor.unblocked": (
        "🔓 Unblocked {period}. Times open again: {count}; the free ones are offered to the "
        "waiting list."
    ),
    "doctor.blocked.affected": (
        "These appointments in that period still stand; decide what to do with each "
        "(e.g. CANCEL <code> [reason]):\n{lines}"
    ),
    "doctor.period.day": "all of {day}",
    "doctor.period.range": "{day}, from {start} to {end}",
    "doctor.summary": (
        "📊 Summary from {first} to {last}:\n"
        "• Requests: {requests} (approved {approved}, declined {rejected}, "
        "expired unanswered {expired}, withdrawn {withdrawn})\n"
        "• Approval: {approval_rate}; time to answer (median): {answer_time}\n"
        "• Appointments: {appointments} (confirmed they'd come {confirmed}, "
        "completed {completed})\n"
        "• No-shows: {no_shows} ({no_show_rate})\n"
        "• Cancellations: {cancellations} (at short notice {late})\n"
        "• Messages per request: {per_booking}\n"
        "• Places refilled from the waitlist: {refilled}; time to refill (median): {refill_time}"
    ),
    "doctor.summary.none": "—",
    "doctor.duration.minutes": "{minutes} min",
    "doctor.duration.hours": "{hours} h {minutes} min",
    "doctor.hint.bad_period": (
        "“{value}” is not a period: write SUMMARY, SUMMARY week or SUMMARY month. "
        "Nothing was changed."
    ),
    "doctor.forgiven": (
        "🤝 Done: {phone}'s no-shows ({count}) no longer count; they can book by chat "
        "like any patient."
    ),
    "doctor.resumed": "▶️ Done: the assistant answers {phone} again.",
    "doctor.not_on_hold": (
        "{phone} was not waiting for a person; the assistant already answers them."
    ),
    "doctor.hint.team": (
        "Write TEAM <phone> <name>, with the phone in international format, like "
        "TEAM +5215512345678 Ana. Nothing was changed."
    ),
    "doctor.team_added": (
        "👥 Done: {name} ({phone}) is now on your team. They can sign in to the web desk "
        "with their number; a code will reach them on WhatsApp."
    ),
    "doctor.team_refused.bad_phone": (
        "Write the phone in international format, like +5215512345678. Nothing was changed."
    ),
    "doctor.team_refused.bad_name": (
        "Write a name of up to 120 letters after the phone. Nothing was changed."
    ),
    "doctor.team_refused.is_doctor": "{phone} is your own number; you already have access.",
    "doctor.team_refused.already": "{phone} is already on your team; nothing was changed.",
    "doctor.team_refused.not_found": "That person is not on your team; nothing was changed.",
    "doctor.refused.not_found": (
        "🔎 I found no {code} among your practice's requests and appointments. "
        "Write PENDING or AGENDA to see them."
    ),
    "doctor.refused.illegal": "⚠️ {code} is already {status}; nothing was changed.",
    "doctor.refused.expired": (
        "⌛ {code} expired at {deadline}: the time to answer had passed. The time was released "
        "and the patient was told."
    ),
    "doctor.refused.expired_unknown_time": (
        "⌛ {code} expired: the time to answer had passed. The time was released and the "
        "patient was told."
    ),
    "doctor.refused.not_started": (
        "⏳ Appointment {code} has not started yet; mark it once it has begun."
    ),
    "doctor.refused.already_started": (
        "⏳ Appointment {code} has already started, so it can no longer be cancelled. Mark it "
        "with COMPLETED {code} or NOSHOW {code}."
    ),
    "doctor.refused.slot_not_bookable": (
        "⚠️ That time can no longer be used (it is blocked, past, or outside your "
        "schedule). Nothing was changed."
    ),
    "doctor.refused.other": "⚠️ I could not do that; nothing was changed. Please try again.",
    "doctor.refused.bad_input": "⚠️ Something in the message is not valid; nothing was changed.",
}
