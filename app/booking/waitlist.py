"""The waitlist: a freed place is offered to the patients waiting for it, first come first asked.

Choice: a place is offered to up to `FAN_OUT` waiting patients at once, in order of
joining; the first to accept gets the normal hold (`capacity.take` makes it race-free,
also against a direct booking of the same place), the others are told it is gone and
keep their place in the list. An offer not answered in `OFFER_MINUTES` lapses and the
place goes to the next in line. A patient has one offer open at a time.

Offering runs after the transaction that freed the places commits (the
`offer_places` job, with the slot ids only) and again from the tick for offers that
lapsed. Each batch locks its slots in id order, so two runs for the same place
serialise and the second sees the first's offers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session

from app.booking import requests
from app.booking.context import BookingContext, Offered
from app.booking.errors import NotFound, OfferGone, SlotNotBookable, SlotTaken
from app.booking.intake import PatientIntake
from app.booking.notifications import Notification, queue_notifications
from app.db import among, rows_by_id
from app.models import (
    Contact,
    EntryStatus,
    MedicalService,
    OfferStatus,
    Practice,
    SlotStatus,
    TimeSlot,
    WaitlistEntry,
    WaitlistOffer,
)

FAN_OUT = 3
OFFER_MINUTES = 15
BATCH = 200  # places per transaction when many are freed at once
NOON = 12  # a place starting before noon (local) is in the morning
ACTIVE = (EntryStatus.WAITING, EntryStatus.OFFERED)  # on the list: one such entry per service


@dataclass(frozen=True)
class Place:
    """A freed place as the waitlist matches it: its practice, service, local day and part."""

    slot_id: uuid.UUID
    profile_id: uuid.UUID
    service_id: uuid.UUID
    start: datetime
    day: date
    part: str  # "morning" or "afternoon"


def place_of(slot: TimeSlot, timezone: str) -> Place:
    local = slot.start_time.astimezone(ZoneInfo(timezone))
    part = "morning" if local.hour < NOON else "afternoon"
    return Place(slot.id, slot.profile_id, slot.service_id, slot.start_time, local.date(), part)


def join(
    ctx: BookingContext,
    *,
    profile_id: uuid.UUID,
    phone: str,
    service_id: uuid.UUID,
    first_day: date,
    last_day: date,
    day_part: str = "any",
    intake: PatientIntake | None = None,
) -> uuid.UUID:
    """Put the phone on the list for a service; joining again changes the days, not the turn.

    `intake` is kept with the entry, so that taking a place asks nothing again.
    """
    if last_day < first_day:
        raise ValueError("the last day comes before the first")
    if intake is not None and intake.phone != phone:
        raise ValueError("a patient can only join the list for their own phone number")
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        entry = session.scalar(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.profile_id == profile_id,
                WaitlistEntry.phone == phone,
                WaitlistEntry.service_id == service_id,
                WaitlistEntry.status.in_(ACTIVE),
            )
            .with_for_update()
        )
        if entry is None:
            entry = WaitlistEntry(
                profile_id=profile_id, phone=phone, service_id=service_id, created_at=now
            )
            session.add(entry)
        entry.first_day, entry.last_day, entry.day_part = first_day, last_day, day_part
        if intake is not None:
            entry.intake = intake.as_json()
        entry.updated_at = now
        session.flush()
        return entry.id


def leave(ctx: BookingContext, *, profile_id: uuid.UUID, phone: str) -> int:
    """Take the phone off the practice's list; its open offers are declined. How many left."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        left = session.scalars(
            update(WaitlistEntry)
            .where(
                WaitlistEntry.profile_id == profile_id,
                WaitlistEntry.phone == phone,
                WaitlistEntry.status.in_(ACTIVE),
            )
            .values(status=EntryStatus.LEFT, intake=None, updated_at=now)
            .returning(WaitlistEntry.id)
        ).all()
        if left:
            _close_offers(session, WaitlistOffer.entry_id.in_(left), OfferStatus.DECLINED, now)
        return len(left)


def offer_places(ctx: BookingContext, slot_ids: Iterable[uuid.UUID], fan_out: int = FAN_OUT) -> int:
    """Offer each free place of `slot_ids` to its next waiting patients; how many offers."""
    ordered = sorted(set(slot_ids))
    made = 0
    for start in range(0, len(ordered), BATCH):
        with ctx.sessions.begin() as session:
            made += _offer_batch(session, ctx, ordered[start : start + BATCH], fan_out)
    return made


def _offer_batch(
    session: Session, ctx: BookingContext, slot_ids: Sequence[uuid.UUID], fan_out: int
) -> int:
    now = ctx.clock()
    rows = session.execute(
        select(TimeSlot, Practice.timezone)
        .join(Practice, Practice.id == TimeSlot.profile_id)
        .where(
            among(session, TimeSlot.id, slot_ids),
            TimeSlot.status == SlotStatus.AVAILABLE,
            TimeSlot.current_reservations < TimeSlot.max_reservations,
            TimeSlot.start_time > now,
        )
        .order_by(TimeSlot.id)
        .with_for_update(of=TimeSlot)
    ).all()
    if not rows:
        return 0
    places = [place_of(slot, timezone) for slot, timezone in rows]
    open_now = dict(
        session.execute(
            select(WaitlistOffer.slot_id, func.count())
            .where(
                among(session, WaitlistOffer.slot_id, [p.slot_id for p in places]),
                WaitlistOffer.status == OfferStatus.OPEN,
            )
            .group_by(WaitlistOffer.slot_id)
        ).all()
    )
    offers: list[tuple[Place, WaitlistEntry]] = []
    for place in sorted(places, key=lambda p: p.start):
        wanted = fan_out - open_now.get(place.slot_id, 0)
        if wanted <= 0:
            continue
        for entry in _next_in_line(session, place, wanted):
            # Flushed before the next place's query: one offer at a time per patient.
            entry.status, entry.updated_at = EntryStatus.OFFERED, now
            offers.append((place, entry))
    if not offers:
        return 0
    expires = now + timedelta(minutes=OFFER_MINUTES)
    made = []
    for place, entry in offers:
        offer = WaitlistOffer(
            entry_id=entry.id, slot_id=place.slot_id, expires_at=expires, created_at=now
        )
        offer.updated_at = now
        session.add(offer)
        made.append((offer, place, entry))
    session.flush()
    notices = _offer_notices(session, made)
    queue_notifications(session, notices, ctx.render, now)
    offered = [
        Offered(offer.id, place.profile_id, entry.phone, notice.facts["service"], place.start)
        for (offer, place, entry), notice in zip(made, notices, strict=True)
    ]
    ctx.on_offered(session, offered, now)
    return len(made)


def _next_in_line(session: Session, place: Place, limit: int) -> Sequence[WaitlistEntry]:
    """The first `limit` waiting entries this place suits and was never offered to, locked."""
    already = select(WaitlistOffer.id).where(
        WaitlistOffer.entry_id == WaitlistEntry.id, WaitlistOffer.slot_id == place.slot_id
    )
    return session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.profile_id == place.profile_id,
            WaitlistEntry.service_id == place.service_id,
            WaitlistEntry.status == EntryStatus.WAITING,
            WaitlistEntry.first_day <= place.day,
            WaitlistEntry.last_day >= place.day,
            WaitlistEntry.day_part.in_(["any", place.part]),
            ~already.exists(),
        )
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def _offer_notices(
    session: Session, made: Sequence[tuple[WaitlistOffer, Place, WaitlistEntry]]
) -> list[Notification]:
    """One message per offer, in the patient's language, naming the place and the minutes."""
    practices = rows_by_id(session, Practice, {place.profile_id for _, place, _ in made})
    services = rows_by_id(session, MedicalService, {place.service_id for _, place, _ in made})
    languages = {
        (profile_id, phone): language
        for profile_id, phone, language in session.execute(
            select(Contact.profile_id, Contact.phone, Contact.language).where(
                among(session, Contact.profile_id, practices),
                among(session, Contact.phone, {entry.phone for _, _, entry in made}),
            )
        )
    }
    notices = []
    for offer, place, entry in made:
        practice = practices[place.profile_id]
        facts = {
            "service": services[place.service_id].name,
            "doctor": practice.name,
            "doctor_title": practice.doctor_title,
            "doctor_gender": practice.doctor_gender,
            "start": place.start.isoformat(),
            "timezone": practice.timezone,
            "minutes": OFFER_MINUTES,
            "offer": str(offer.id),
        }
        language = languages.get((practice.id, entry.phone)) or practice.language
        notices.append(
            Notification(
                practice.id,
                "patient_waitlist_offer",
                entry.phone,
                language,
                f"waitlist_offer:{offer.id}",
                {name: value for name, value in facts.items() if value is not None},
            )
        )
    return notices


def accept(
    ctx: BookingContext,
    *,
    offer_id: uuid.UUID,
    phone: str,
    intake: PatientIntake | None = None,
    patient_language: str | None = None,
) -> requests.Hold:
    """The patient takes the offered place: the normal hold and request, with their intake
    (`intake`, else the answers they gave on joining).

    Raises `OfferGone` when the offer is not open any more, lapsed, or the place was
    taken meanwhile (by another offer's patient or a direct booking); nothing is held
    then, and the patient stays on the list.
    """
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        offer, entry = _locked_offer(session, offer_id, phone)
        if offer.status != OfferStatus.OPEN or offer.expires_at <= now:
            raise OfferGone(offer_id)
        if intake is None and entry.intake is None:
            raise ValueError("the entry keeps no answers to book with")
        answers = intake or PatientIntake.from_json(entry.intake or {})
        try:
            with session.begin_nested():
                hold = requests.hold_in(
                    session, ctx, entry.profile_id, offer.slot_id, answers, patient_language
                )
        except (SlotTaken, SlotNotBookable):
            offer.status, offer.updated_at = OfferStatus.GONE, now
            entry.status, entry.updated_at = EntryStatus.WAITING, now
            gone = True
        else:
            gone = False
            offer.status, offer.updated_at = OfferStatus.ACCEPTED, now
            entry.status, entry.intake, entry.updated_at = EntryStatus.BOOKED, None, now
            _tell_the_others(session, ctx, offer, now)
    if gone:
        raise OfferGone(offer_id)
    return hold


def decline(ctx: BookingContext, *, offer_id: uuid.UUID, phone: str) -> None:
    """The patient does not want this place; they stay on the list for another."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        offer, entry = _locked_offer(session, offer_id, phone)
        if offer.status != OfferStatus.OPEN:
            raise OfferGone(offer_id)
        offer.status, offer.updated_at = OfferStatus.DECLINED, now
        entry.status, entry.updated_at = EntryStatus.WAITING, now
        slot_id = offer.slot_id
    offer_places(ctx, [slot_id])


def sweep(ctx: BookingContext) -> tuple[int, int]:
    """The tick's duty: lapse unanswered offers (their places go to the next in line) and
    close entries whose last day has passed. Returns (offers lapsed, entries closed)."""
    now = ctx.clock()
    with ctx.sessions.begin() as session:
        lapsed = session.execute(
            update(WaitlistOffer)
            .where(WaitlistOffer.status == OfferStatus.OPEN, WaitlistOffer.expires_at <= now)
            .values(status=OfferStatus.EXPIRED, updated_at=now)
            .returning(WaitlistOffer.entry_id, WaitlistOffer.slot_id)
        ).all()
        if lapsed:
            session.execute(
                update(WaitlistEntry)
                .where(
                    WaitlistEntry.id.in_([entry_id for entry_id, _ in lapsed]),
                    WaitlistEntry.status == EntryStatus.OFFERED,
                )
                .values(status=EntryStatus.WAITING, updated_at=now)
            )
        # A day ends where the practice is; a day's margin keeps it simple and never early.
        closed = session.execute(
            update(WaitlistEntry)
            .where(
                WaitlistEntry.status == EntryStatus.WAITING,
                WaitlistEntry.last_day < (now - timedelta(days=1)).date(),
            )
            .values(status=EntryStatus.EXPIRED, intake=None, updated_at=now)
        ).rowcount
    if lapsed:
        offer_places(ctx, [slot_id for _, slot_id in lapsed])
    return len(lapsed), closed


def _locked_offer(
    session: Session, offer_id: uuid.UUID, phone: str
) -> tuple[WaitlistOffer, WaitlistEntry]:
    """The offer (this phone's only) and its entry, locked.

    Every open offer of the same place is locked first, in id order: patients
    answering offers of one place queue there, so the one who takes it can close
    the others' offers without waiting for them (and no two answers deadlock).
    """
    slot_id = session.scalar(select(WaitlistOffer.slot_id).where(WaitlistOffer.id == offer_id))
    if slot_id is None:
        raise NotFound(str(offer_id))
    session.execute(
        select(WaitlistOffer.id)
        .where(WaitlistOffer.slot_id == slot_id, WaitlistOffer.status == OfferStatus.OPEN)
        .order_by(WaitlistOffer.id)
        .with_for_update()
    ).all()
    found = session.execute(
        select(WaitlistOffer, WaitlistEntry)
        .join(WaitlistEntry, WaitlistEntry.id == WaitlistOffer.entry_id)
        .where(WaitlistOffer.id == offer_id, WaitlistEntry.phone == phone)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        raise NotFound(str(offer_id))
    return found.WaitlistOffer, found.WaitlistEntry


def _tell_the_others(
    session: Session, ctx: BookingContext, taken: WaitlistOffer, now: datetime
) -> None:
    """The place is taken: its other open offers are gone, and their patients told so."""
    others = _close_offers(
        session,
        and_(WaitlistOffer.slot_id == taken.slot_id, WaitlistOffer.id != taken.id),
        OfferStatus.GONE,
        now,
    )
    if not others:
        return
    entries = session.scalars(
        update(WaitlistEntry)
        .where(WaitlistEntry.id.in_(others), WaitlistEntry.status == EntryStatus.OFFERED)
        .values(status=EntryStatus.WAITING, updated_at=now)
        .returning(WaitlistEntry)
    ).all()
    if not entries:
        return
    practice = session.get_one(Practice, entries[0].profile_id)
    facts = {
        "doctor": practice.name,
        "doctor_title": practice.doctor_title,
        "doctor_gender": practice.doctor_gender,
    }
    facts = {name: value for name, value in facts.items() if value is not None}
    notices = [
        Notification(
            practice.id,
            "patient_waitlist_gone",
            entry.phone,
            practice.language,
            f"waitlist_gone:{taken.slot_id}:{entry.id}",
            facts,
        )
        for entry in entries
    ]
    queue_notifications(session, notices, ctx.render, now)


def _close_offers(
    session: Session, which: ColumnElement[bool], status: OfferStatus, now: datetime
) -> list[uuid.UUID]:
    """Close the open offers `which` selects; the ids of their entries."""
    return list(
        session.scalars(
            update(WaitlistOffer)
            .where(which, WaitlistOffer.status == OfferStatus.OPEN)
            .values(status=status, updated_at=now)
            .returning(WaitlistOffer.entry_id)
        )
    )
