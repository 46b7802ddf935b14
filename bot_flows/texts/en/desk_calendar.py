"""The desk's calendar feeds pages (English), and the calendar files' words."""

TEXTS: dict[str, str] = {
    "desk.calendar.title": "Your calendar",
    "desk.calendar.explain": (
        "See the practice's appointments in Google Calendar, Outlook or Apple Calendar: "
        "subscribe with a private address. It shows the time, the service, the patient's first "
        "name and the code; nothing clinical. Requests waiting for an answer show as tentative."
    ),
    "desk.calendar.your_url": "Your private calendar address",
    "desk.calendar.shown_once": (
        "Copy it now: for safety it is shown this once only. If you lose it, make another."
    ),
    "desk.calendar.how_to": (
        "In your calendar, look for “Add calendar” → “From URL” (or “Subscribe”) and paste "
        "the address. It refreshes by itself every few minutes or hours, depending on the app."
    ),
    "desk.calendar.active": (
        "You have an active calendar address. For safety it is shown only once, when made: if "
        "you lost it, make a new one and the old one stops working."
    ),
    "desk.calendar.none": "You have no calendar address yet.",
    "desk.calendar.private": (
        "Anyone with the address sees the practice's agenda: do not share it. You can turn it "
        "off at any time."
    ),
    "desk.calendar.create": "Make my address",
    "desk.calendar.replace": "Make a new address",
    "desk.calendar.revoke": "Turn the address off",
    "desk.calendar.revoked": "Done: your calendar address no longer works.",
    # In the files themselves
    "desk.calendar.feed_name": "Appointments · {practice}",
    "desk.calendar.file_code": "Your appointment's code: {code}",
}
