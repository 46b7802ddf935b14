"""What a clinic file may say that still leaves patients nothing to book, said at import."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.practices.clinic_file_models import ClinicFile


def nothing_bookable(clinic: ClinicFile, now: datetime) -> str | None:
    """Why the practice will offer no time at all from `now` on, if it will not.

    A warning rather than a refusal: hours may be left empty on purpose (a practice
    being set up, a doctor on leave), but whoever imports the file must hear it.
    """
    if not clinic.availability:
        return (
            "availability: no opening hours, so patients cannot book anything until some are added"
        )
    today = now.astimezone(ZoneInfo(clinic.timezone)).date()
    ends = [hours.effective_to for hours in clinic.availability]
    ended = [end for end in ends if end is not None and end < today]
    if len(ended) < len(ends):
        return None
    return (
        f"availability: every entry has ended (effective_to, the last {max(ended).isoformat()}),"
        " so patients cannot book anything"
    )
