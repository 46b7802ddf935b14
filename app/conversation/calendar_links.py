"""Where calendar files are served, and the links to them that messages carry.

The booking services know an appointment's calendar token, not where the app is
reached from; the edges that know `Config.public_base_url` turn tokens into links:
the chat's services (`SqlPatientServices.calendar_link`) and the notices' render
(`linking_calendar_files`). The web routes are made from the same paths.
"""

from __future__ import annotations

from dataclasses import replace

from app.booking.notifications import Notification, Render, Written

# A member's private feed of the practice's appointments (the desk's calendar page).
FEED_PATH = "/calendar/{token}.ics"
# One appointment, for the patient's "add to calendar" link.
APPOINTMENT_PATH = "/calendar/appointment/{token}.ics"


def feed_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + FEED_PATH.format(token=token)


def appointment_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + APPOINTMENT_PATH.format(token=token)


def linking_calendar_files(render: Render, base_url: str) -> Render:
    """`render`, with a notice's `calendar_token` fact written as the link `calendar_link`.

    Only the rendering sees the link; the outbox row keeps the facts as queued.
    """

    def rendering(notification: Notification) -> str | Written:
        token = notification.facts.get("calendar_token")
        if token:
            facts = {**notification.facts, "calendar_link": appointment_url(base_url, token)}
            notification = replace(notification, facts=facts)
        return render(notification)

    return rendering
