"""Reminders: the day before and two hours before an appointment, answered with 1, 2 or 3."""

TEXTS: dict[str, str] = {
    "notice.attend": "I'll be there",  # the reminder's buttons (≤ 20 characters)
    "notice.cancel": "Cancel",  # the reminder's buttons (≤ 20 characters)
    "notice.change": "Change day or time",  # the reminder's buttons (≤ 20 characters)
    "notification.reminder_24h": (
        "⏰ A reminder of your appointment:\n{service} with {doctor}\n{when}\nCode: {code}\n"
        "Reply 1 to confirm, 2 to cancel, 3 to change the time."
    ),
    "notification.reminder_2h": (
        "⏰ Your appointment is in 2 hours:\n{service} with {doctor}\n{when}\nCode: {code}\n"
        "Reply 1 to confirm, 2 to cancel, 3 to change the time."
    ),
}
