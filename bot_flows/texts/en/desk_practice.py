"""The desk's practice settings, blocks, waitlist, team, audit pages (English)."""

TEXTS: dict[str, str] = {
    # Settings
    "desk.settings.title": "Practice settings",
    "desk.settings.explain": (
        "Changes are checked exactly as the practice's clinic file is. Once saved, the free "
        "times patients see are worked out again."
    ),
    "desk.settings.refused": "Nothing was saved: check what is marked.",
    "desk.settings.saved": "Changes saved; the free times already follow the new settings.",
    "desk.settings.unchanged": "There was nothing to change.",
    "desk.settings.services": "Services",
    "desk.settings.service.name": "Name",
    "desk.settings.service.duration": "Length (minutes)",
    "desk.settings.service.price": "Price",
    "desk.settings.service.active": "Offered to patients",
    "desk.settings.service.new": "Add a service",
    "desk.settings.hours": "Weekly hours",
    "desk.settings.hours.window": "Hours {number}",
    "desk.settings.hours.new": "Add hours",
    "desk.settings.hours.days": "Days",
    "desk.settings.hours.start": "From",
    "desk.settings.hours.end": "To",
    "desk.settings.hours.slot": "An appointment every (minutes)",
    "desk.settings.hours.remove": "Remove these hours",
    "desk.settings.day.0": "Sun",
    "desk.settings.day.1": "Mon",
    "desk.settings.day.2": "Tue",
    "desk.settings.day.3": "Wed",
    "desk.settings.day.4": "Thu",
    "desk.settings.day.5": "Fri",
    "desk.settings.day.6": "Sat",
    "desk.settings.closed": "Closed days",
    "desk.settings.closed.explain": (
        "Clear a date to open that day again; type a new one in the last field."
    ),
    "desk.settings.booking": "Bookings",
    "desk.settings.approval_required": "Approve each appointment before it is confirmed",
    "desk.settings.min_notice_minutes": "Minimum notice to book (minutes)",
    "desk.settings.booking_horizon_days": "Patients may book up to this many days ahead",
    "desk.settings.save": "Save",
    "desk.settings.error.services": "Keep at least one service offered to patients.",
    "desk.settings.error.service.name": (
        "Write a name (up to 255 letters) different from the other services' names."
    ),
    "desk.settings.error.service.duration": (
        "The length is a whole number from 1 to 480 minutes, and must fit in some hours."
    ),
    "desk.settings.error.service.price": (
        "Write a price of 0 or more, with at most 2 decimals, like 500.00."
    ),
    "desk.settings.error.hours.day": "Tick at least one day.",
    "desk.settings.error.hours.start": "Write the start time, like 09:00.",
    "desk.settings.error.hours.end": "Write the end time, after the start time.",
    "desk.settings.error.hours.slot": "An appointment every 5 to 480 minutes, a whole number.",
    "desk.settings.error.hours.window": (
        "These hours overlap others on the same day, or not even one appointment fits in them."
    ),
    "desk.settings.error.closed": "Write each date like 2026-12-25.",
    "desk.settings.error.approval_required": "Choose whether you approve each appointment.",
    "desk.settings.error.min_notice_minutes": (
        "The minimum notice is a whole number of minutes, shorter than how far ahead patients "
        "may book."
    ),
    "desk.settings.error.booking_horizon_days": "Patients may book 1 to 365 days ahead.",
    "desk.settings.error.other": (
        "Some of the practice's details do not pass the checks ({fields}); correct them in "
        "the practice's clinic file."
    ),
    # Blocks
    "desk.block.title": "Block a day or a time range",
    "desk.block.explain": (
        "Nobody can book in that period. Appointments already there stay: before blocking "
        "you will see which."
    ),
    "desk.block.day": "Day",
    "desk.block.start": "From (optional)",
    "desk.block.end": "To (optional)",
    "desk.block.preview": "See what it affects",
    "desk.block.preview.title": "Block {period}",
    "desk.block.preview.none": "There are no appointments or requests in that period.",
    "desk.block.preview.some": (
        "These appointments and requests stay if you block; then decide what to do with each:"
    ),
    "desk.block.confirm": "Block",
    "desk.block.done": (
        "Blocked {period}. Times closed: {count}. Appointments and requests still standing: "
        "{bookings}."
    ),
    "desk.block.reopened": (
        "Unblocked {period}. Times open again: {count}; the free ones are offered to the waitlist."
    ),
    "desk.block.list": "Closed days and times",
    "desk.block.list.none": "Nothing is closed from today on.",
    "desk.block.unblock": "Unblock",
    "desk.block.period.day": "all of {day}",
    "desk.block.period.range": "{day}, {start} to {end}",
    "desk.block.error.day": "Choose the day, like 2026-12-24.",
    "desk.block.error.range": (
        "Write both times, the start before the end (like 10:00 and 12:00), or neither for "
        "the whole day."
    ),
    # The waitlist
    "desk.waitlist.title": "Waitlist",
    "desk.waitlist.explain": (
        "When a time frees up, it is offered to those waiting for that service, first come "
        "first asked."
    ),
    "desk.waitlist.empty": "Nobody is waiting.",
    "desk.waitlist.unnamed": "No name",
    "desk.waitlist.phone_end": "phone ending in {digits}",
    "desk.waitlist.days": "{first} to {last}",
    "desk.waitlist.part.any": "any time of day",
    "desk.waitlist.part.morning": "mornings",
    "desk.waitlist.part.afternoon": "afternoons",
    "desk.waitlist.status.waiting": "waiting",
    "desk.waitlist.status.offered": "offered a time",
    "desk.waitlist.offer": "Offered {when}; the offer ends at {expires}.",
    # The team
    "desk.team.title": "Team",
    "desk.team.explain": (
        "The people here sign in to the desk with their WhatsApp. Staff see the agenda, "
        "requests and blocks, but not clinical or private notes."
    ),
    "desk.team.role.doctor": "Doctor",
    "desk.team.role.staff": "Staff",
    "desk.team.remove": "Remove",
    "desk.team.add": "Add someone",
    "desk.team.phone": "Their WhatsApp number",
    "desk.team.name": "Their name",
    "desk.team.submit": "Add",
    "desk.team.tip": "You can also write on WhatsApp: TEAM +1 415 555 0100 Name.",
    "desk.team.added": "{name} is now on the team: they can sign in with their number.",
    "desk.team.removed": "{name} is no longer on the team; their session has ended.",
    "desk.team.error.bad_phone": (
        "Write the number in international format, with + and the country code, like "
        "+52 55 1234 5678."
    ),
    "desk.team.error.bad_name": "Write their name (up to 120 letters).",
    "desk.team.error.is_doctor": "That is the doctor's number; they already have access.",
    "desk.team.error.already": "That number is already on the team.",
    "desk.team.error.not_found": "That person is not on the team.",
    # The audit log
    "desk.audit.title": "Activity log",
    "desk.audit.explain": "Who read patients' details or changed something, and when.",
    "desk.audit.empty": "Nothing has been recorded yet.",
    "desk.audit.who": "Who",
    "desk.audit.action": "Did",
    "desk.audit.subject": "To what",
    "desk.audit.when": "When",
    "desk.audit.nobody": "—",
    "desk.audit.newer": "← Newer",
    "desk.audit.older": "Older →",
    "desk.audit.action.settings": "changed the settings",
    "desk.audit.field.services": "services",
    "desk.audit.field.availability": "weekly hours",
    "desk.audit.field.closed": "closed days",
    "desk.audit.field.approval_required": "approval",
    "desk.audit.field.min_notice_minutes": "minimum notice",
    "desk.audit.field.booking_horizon_days": "booking horizon",
    "desk.audit.action.block": "blocked",
    "desk.audit.action.unblock": "unblocked",
    "desk.audit.action.add_member": "added to the team",
    "desk.audit.action.remove_member": "removed from the team",
}
