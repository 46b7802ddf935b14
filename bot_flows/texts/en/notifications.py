"""Notices: messages the booking engine queues for patients and doctors."""

TEXTS: dict[str, str] = {
    "notice.approve": "Approve",  # the notice's buttons (≤ 20 characters)
    "notice.reject": "Reject",  # the notice's buttons (≤ 20 characters)
    "urgency.low": "low",
    "urgency.normal": "normal",
    "urgency.high": "high",
    "urgency.urgent": "URGENT",
    "notification.doctor_new_request": (
        "🩺 New request {code}{urgent_mark}\n"
        "Patient: {patient_name}, {age_text}\n"
        "Service: {service}\n"
        "When: {when}\n"
        "Reason: {reason}\n"
        "Urgency: {urgency_text}\n"
        "Answer before {deadline}:\n"
        "APPROVE {code}  or  REJECT {code} [reason]"
    ),
    "notification.doctor_new_booking": (
        "📅 New confirmed appointment {code}{urgent_mark}\n"
        "Patient: {patient_name}, {age_text}\n"
        "Service: {service}\n"
        "When: {when}\n"
        "Reason: {reason}\n"
        "Urgency: {urgency_text}"
    ),
    "notification.patient_approved": (
        "✅ Your appointment is confirmed!\n{service} with {doctor}\n{when}\nCode: {code}"
        "{details}\n"
        "We will remind you one day and two hours before."
    ),
    "notification.patient_rejected": (
        "Sorry, {doctor} cannot see you on {when}.{reason_text}\n{alternatives_text}"
    ),
    "alternatives": "Free times nearby:\n{times}\nWrite *menu* to book one.",
    # When the patient's next message can pick one by its number (app/conversation/rebooking.py).
    "alternatives_numbered": (
        "Free times nearby:\n{times}\n"
        "Reply with a number and we send your request with the same details, or write *menu*."
    ),
    "alternatives_none": "Write *menu* to choose another.",
    "notification.patient_expired": (
        "⌛ {doctor} could not answer your request for {when} in time, so the time was "
        "released.\n{alternatives_text}"
    ),
    "notification.doctor_released": (
        "🔓 I freed appointment {code} of {patient_name} ({when}, {service}): they did "
        "not confirm. The time is free for the waiting list."
    ),
    # The morning agenda: its lines are AGENDA's ("doctor.booking_line").
    "notification.doctor_morning_agenda": (
        "☀️ Good morning. 📅 Your agenda for today, {agenda_day}:\n{agenda_lines}{agenda_attending}"
    ),
    "agenda.attending": "\n✅ Said they'll come: {attending} of {appointments} appointments.",
    "notification.patient_waitlist_offer": (
        "🔔 A place opened up {with_doctor}: {service}, {when}.\n"
        "You're on the waiting list: do you want it? Reply *1* to take it, *2* if not or "
        "*3* to leave the list. "
        "We offer it to a few people at once and the first to answer gets it; the offer "
        "lasts {minutes} minutes."
    ),
    "notification.patient_waitlist_gone": (
        "Someone else took that place {with_doctor} 🙏 You're still on the waiting list: "
        "we'll let you know if another one opens up."
    ),
    "notification.patient_cancelled_by_doctor": (
        "Your appointment on {when} ({service}) was cancelled by the practice.{reason_text}\n"
        "Write *menu* to choose another time."
    ),
    "notification.doctor_cancelled_by_patient": (
        "❌ {patient_name} cancelled appointment {code} on {when} ({service})."
    ),
    "notification.doctor_request_withdrawn": (
        "↩️ {patient_name} withdrew request {code} for {when}. No answer is needed."
    ),
    "notification.doctor_rescheduled": (
        "🔁 {patient_name} moved appointment {code} ({service}) from {old_when} to {when}."
    ),
    "notification.doctor_move_request": (
        "🔁 {patient_name} asks to move appointment {old_code} from {old_when} to {when} "
        "({service}).{urgent_mark}\n"
        "The current appointment stands until you answer, by {deadline}:\n"
        "APPROVE {code}  or  REJECT {code} [reason]"
    ),
    "notification.patient_move_approved": (
        "✅ Done! {doctor} approved the change: your {service} appointment is now on {when} "
        "(was: {old_when}).\nYour new code is {code}.{details}"
    ),
    "notification.patient_move_rejected": (
        "{doctor} cannot move your appointment to {when}.{reason_text}\n"
        "Your appointment stays as it was. Write *menu* to choose another time."
    ),
    "notification.patient_move_expired": (
        "⌛ {doctor} could not answer your change to {when} in time, so your appointment "
        "stays as it was. Write *menu* to choose another time."
    ),
    "notification.doctor_handoff": (
        "🙋 {patient_label} wants to talk to the practice. The assistant will not answer them "
        "for 24 hours. Reply to this message or write REPLY {phone} <text> and it reaches "
        "them from the practice number. To let the assistant answer again sooner: "
        "RESUME {phone}"
    ),
    "notification.doctor_patient_message": (
        "{urgent_text}💬 Message from {patient_label}:\n{body}\n"
        "↩️ Reply to this message or write REPLY {phone} <text>."
    ),
    "notification.doctor_reply": "*{doctor}:* {body}",
    "inbox_deferred": (
        "We are having a technical problem right now 🛠️ We have kept your message and"
        " will answer in a few minutes. No need to send it again."
    ),
    "flood": (
        "You're going too fast 🙏 I didn't read your last message."
        " Wait a few seconds and send it again."
    ),
    "flood_unread": (
        "You're going too fast 🙏 I didn't read “{quote}”. Wait a few seconds and send it again."
    ),
    "forward_urgent": (
        "🚨 URGENT: this may be an emergency; we already asked them to call emergency services.\n"
    ),
    "patient_label": "{patient_name} ({phone})",
    "reason_text": " Reason: {reason}",
    "age": "{age} years old",
    "age_unknown": "age not given",
    # How sentences name the doctor (bot_flows/texts/grammar.py): English needs no article.
    "grammar.article.f": "",
    "grammar.article.m": "",
    "grammar.article.x": "",
    "grammar.the_doctor.f": "the doctor",
    "grammar.the_doctor.m": "the doctor",
    "grammar.the_doctor.x": "the doctor",
    "grammar.of": "from",  # English sentences use it as "an answer from the doctor"
    "grammar.to": "to",
    "grammar.with": "with",
    # What a confirmation adds when the practice set it.
    "details.address": "📍 {address}",
    "details.price": "💵 Price: {price}",
    "details.policy": "📋 {policy}",
    "details.calendar": "📅 Add it to your calendar: {calendar}",
    "not_given": "not given",
}
