"""Reminders: the day before and two hours before an appointment, answered with 1, 2 or 3."""

TEXTS: dict[str, str] = {
    "notice.attend": "I'll be there",  # the reminder's buttons (≤ 20 characters)
    "notice.cancel": "Cancel",  # the reminder's buttons (≤ 20 characters)
    "notice.change": "Change day or time",  # the reminder's buttons (≤ 20 characters)
    "notice.take": "I want it",  # the waitlist offer's buttons (≤ 20 characters)
    "notice.pass": "Not this one",
    "notice.leave": "Leave the list",
    "notification.reminder_24h": (
        "⏰ A reminder of your appointment:\n{service} with {doctor}\n{when}\nCode: {code}\n"
        "Reply 1 to confirm, 2 to cancel, 3 to change the time."
    ),
    "notification.reminder_2h": (
        "⏰ Your appointment is in 2 hours:\n{service} with {doctor}\n{when}\nCode: {code}\n"
        "Reply 1 to confirm, 2 to cancel, 3 to change the time."
    ),
    "notification.patient_release_warning": (
        "⏰ You haven't confirmed your appointment yet:\n{service} {with_doctor}\n{when}\n"
        "Code: {code}\nIf you don't confirm it by {deadline}, we'll free the time for "
        "someone else. Reply 1 to confirm, 2 to cancel, 3 to change the time."
    ),
    "notification.patient_released": (
        "We freed your appointment on {when} ({service}) because we didn't get your "
        "confirmation. If you'd still like to come, write *menu* to book again."
    ),
}
