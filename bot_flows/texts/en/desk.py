"""The web desk, in English: pages for the doctor and their staff, and the sign-in code."""

TEXTS: dict[str, str] = {
    "notification.desk_code": (
        "🔐 Your code to sign in to {doctor}'s Citabot desk: *{code}*. It expires in "
        "{minutes} minutes. If you didn't ask for it, ignore this message."
    ),
    "desk.title": "Desk",
    "desk.nav.agenda": "Agenda",
    "desk.nav.block": "Block",
    "desk.nav.waitlist": "Waiting list",
    "desk.nav.calendar": "Calendar",
    "desk.nav.settings": "Settings",
    "desk.nav.team": "Team",
    "desk.nav.audit": "Audit log",
    "desk.logout": "Sign out",
    # Sign-in
    "desk.login.title": "Sign in",
    "desk.login.explain": (
        "Type the WhatsApp number the practice registered you with: we'll send you a 6-digit code."
    ),
    "desk.login.phone": "Your WhatsApp number",
    "desk.login.send": "Send me the code",
    "desk.login.too_many": "You asked for too many codes. Wait a while and try again.",
    "desk.login.locked": (
        "For your safety, this number can't sign in for a few minutes (too many wrong codes)."
    ),
    "desk.code.title": "Your code",
    "desk.code.explain": (
        "If {phone} is registered with a practice, we sent it a code on WhatsApp. It "
        "expires in 10 minutes."
    ),
    "desk.code.label": "6-digit code",
    "desk.code.enter": "Sign in",
    "desk.code.again": "Ask for another code",
    "desk.code.wrong": "That code isn't right. Check it and type it again.",
    "desk.code.expired": "That code no longer works (it expired or was used). Ask for another.",
    "desk.code.locked": "Too many wrong tries: for your safety, wait a few minutes and ask again.",
    # The agenda
    "desk.agenda.pending": "Requests to answer: {count}",
    "desk.agenda.rights": "Personal data rights to attend to: {count}",
    "desk.rights.access": "Access to their data",
    "desk.rights.correction": "Correction of data",
    "desk.rights.withdrawal": "Consent withdrawn",
    "desk.rights.erasure": "Erasure of data",
    "desk.rights.due": "legal deadline: {day}",
    "desk.rights.overdue": "legal deadline passed on {day}",
    "desk.agenda.answer_by": "Answer by {time}",
    "desk.agenda.today": "Today",
    "desk.agenda.show_day": "Show the day",
    "desk.agenda.show_week": "Show the week",
    "desk.agenda.empty": "No appointments.",
    "desk.agenda.confirmed": "said they're coming ✅",
    "desk.status.pending": "request to answer",
    "desk.status.confirmed": "confirmed",
    "desk.status.completed": "seen",
    "desk.status.no_show": "no-show",
    "desk.status.cancelled": "cancelled",
    "desk.status.approved": "approved",
    "desk.status.rejected": "rejected",
    "desk.status.expired": "expired",
}
