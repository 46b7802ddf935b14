"""Carrying out a doctor's command with the services, and saying what happened.

Each handler takes the parsed arguments and the turn, makes at most the one
change the command names, and returns what to say. Refusals are left to raise:
`bot_flows.doctor` turns them into sentences. Every value is written here, in
the practice's language and time zone, so a `Said` is ready to render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from app.booking.blocking import AffectedBooking
from app.booking.figures import local_period
from app.booking.queries import Booking, PendingRequest
from app.phones import InvalidPhoneNumber, region_of, to_e164
from app.practices.members import MemberRefused
from bot_flows import texts
from bot_flows.doctor_parsing import (
    MAX_ECHO,
    BlockArgs,
    CodeArgs,
    Day,
    DayArgs,
    Decision,
    MemberArgs,
    MonthDay,
    NoArgs,
    NoteArgs,
    PeriodArgs,
    PhoneArgs,
    ReplyArgs,
)
from bot_flows.engine import Choice, Said
from bot_flows.ports import DoctorServices, PracticeDetails

URGENT_MARK = " ‼️"
Listed = TypeVar("Listed", Booking, AffectedBooking)


@dataclass(frozen=True)
class DoctorTurn:
    """One doctor message being answered: the moment, the services, and how to write for them."""

    now: datetime
    services: DoctorServices
    practice: PracticeDetails

    def text(self, key: str, **values: Any) -> str:
        """A fragment from the catalogue, for values that are sentences themselves."""
        return texts.text(key, self.practice.language, **values)

    def when(self, instant: datetime) -> str:
        return texts.when(instant, self.practice.timezone, self.practice.language)

    def clock(self, instant: datetime) -> str:
        return texts.clock_time(instant, self.practice.timezone, self.practice.language)

    def wall_clock(self, day: date, moment: time) -> str:
        """A local time of `day`, as the doctor typed it ("10:00", or "10:00 AM" in English)."""
        return self.clock(datetime.combine(day, moment, tzinfo=ZoneInfo(self.practice.timezone)))

    def local_date(self, day: Day) -> date:
        """`day` as a date; days counted from today where the practice is, not in UTC."""
        if isinstance(day, date):
            return day
        today = self.now.astimezone(ZoneInfo(self.practice.timezone)).date()
        if isinstance(day, MonthDay):
            return day.near(today)
        return today + timedelta(days=day)

    def day_name(self, day: date) -> str:
        return format_date(day, "full", locale=self.practice.language)


def approve(args: Decision, turn: DoctorTurn) -> list[Said]:
    if args.code is None:
        return only_pending(turn, lambda code: approve(Decision(code), turn))
    booking = turn.services.approve(args.code)
    return [Said("doctor.approved", _booking_values(booking, turn))]


def reject(args: Decision, turn: DoctorTurn) -> list[Said]:
    if args.code is None:
        return only_pending(turn, lambda code: reject(Decision(code, args.reason), turn))
    booking = turn.services.reject(args.code, args.reason)
    return [Said("doctor.rejected", _booking_values(booking, turn, args.reason))]


def only_pending(turn: DoctorTurn, act: Callable[[str], list[Said]]) -> list[Said]:
    """SI / NO without a code: act on the one waiting request, or say why not."""
    waiting = turn.services.pending()
    if len(waiting) == 1:
        return act(waiting[0].code)
    if not waiting:
        return [Said("doctor.nothing_pending")]
    lines = [
        turn.text(
            "doctor.which_pending.line",
            code=request.code,
            urgent_mark=_urgent_mark(request.urgency),
            patient_name=request.patient_name,
            when=turn.when(request.start),
        )
        for request in waiting
    ]
    return [Said("doctor.which_pending", {"count": len(waiting), "lines": "\n".join(lines)})]


def list_pending(args: NoArgs, turn: DoctorTurn) -> list[Said]:
    """The requests waiting for an answer, then the patients' data-rights requests still open."""
    waiting = turn.services.pending()
    rights = _open_rights(turn)
    if not waiting:
        return rights or [Said("doctor.nothing_pending")]
    lines = "\n".join(_pending_line(request, turn) for request in waiting)
    # Tapping one approves it: its id is the command, as the notice's Aprobar button.
    choices = tuple(
        Choice(
            f"APROBAR {request.code}",
            turn.text("doctor.pending.approve", code=request.code),
            f"{request.patient_name} · {turn.when(request.start)}",
        )
        for request in waiting
    )
    return [Said("doctor.pending", {"count": len(waiting), "lines": lines}, choices), *rights]


RIGHTS_KIND = {
    "access": "doctor.rights.access",
    "correction": "doctor.rights.correction",
    "withdrawal": "doctor.rights.withdrawal",
    "erasure": "doctor.rights.erasure",
}


def _open_rights(turn: DoctorTurn) -> list[Said]:
    """Open data-rights requests, each with the law's deadline (no health data in them)."""
    open_requests = turn.services.open_rights_requests()
    if not open_requests:
        return []
    lines = "\n".join(
        turn.text(
            "doctor.rights.line",
            kind=turn.text(RIGHTS_KIND[request.kind]),
            phone=request.phone,
            requested=turn.when(request.requested_at),
            due=turn.when(request.due_at),
        )
        for request in open_requests
    )
    return [Said("doctor.rights.pending", {"count": len(open_requests), "lines": lines})]


def show_agenda(args: DayArgs, turn: DoctorTurn) -> list[Said]:
    day = turn.local_date(args.day)
    bookings = _in_time_order(turn.services.agenda(day))
    if not bookings:
        return [Said("doctor.agenda.empty", {"day": turn.day_name(day)})]
    lines = "\n".join(_booking_line(booking, turn, booking.urgency) for booking in bookings)
    return [Said("doctor.agenda", {"day": turn.day_name(day), "lines": lines})]


def cancel(args: CodeArgs, turn: DoctorTurn) -> list[Said]:
    booking = turn.services.cancel(args.code, args.reason)
    return [Said("doctor.cancelled", _booking_values(booking, turn, args.reason))]


def complete(args: CodeArgs, turn: DoctorTurn) -> list[Said]:
    return [Said("doctor.completed", _booking_values(turn.services.complete(args.code), turn))]


def no_show(args: CodeArgs, turn: DoctorTurn) -> list[Said]:
    return [Said("doctor.no_show", _booking_values(turn.services.no_show(args.code), turn))]


def save_note(args: NoteArgs, turn: DoctorTurn) -> list[Said]:
    turn.services.note(args.code, args.note_type, args.private, args.text)
    key = "doctor.note_saved_private" if args.private else "doctor.note_saved"
    note_type = turn.text(f"doctor.note_type.{args.note_type}")
    return [Said(key, {"code": args.code, "note_type": note_type})]


def block(args: BlockArgs, turn: DoctorTurn) -> list[Said]:
    """Close a day or a range; bookings inside it stay, listed so the doctor can act on each."""
    day = turn.local_date(args.day)
    report = turn.services.block(day, args.start, args.end)
    period = _period(args, day, turn)
    said = [Said("doctor.blocked", {"period": period, "count": report.blocked_slots})]
    if report.affected:
        lines = "\n".join(
            _booking_line(booking, turn) for booking in _in_time_order(report.affected)
        )
        said.append(Said("doctor.blocked.affected", {"lines": lines}))
    return said


def unblock(args: BlockArgs, turn: DoctorTurn) -> list[Said]:
    """Open again what BLOQUEAR closed; the free times go to the waitlist."""
    day = turn.local_date(args.day)
    opened = turn.services.unblock(day, args.start, args.end)
    return [Said("doctor.unblocked", {"period": _period(args, day, turn), "count": opened})]


def resume(args: PhoneArgs, turn: DoctorTurn) -> list[Said]:
    key = "doctor.resumed" if turn.services.resume_bot(args.phone) else "doctor.not_on_hold"
    return [Said(key, {"phone": args.phone})]


def forgive(args: PhoneArgs, turn: DoctorTurn) -> list[Said]:
    """PERDONAR: the patient's no-shows so far no longer count against the practice's policy."""
    forgiven = turn.services.forgive(args.phone)
    return [Said("doctor.forgiven", {"phone": args.phone, "count": forgiven})]


def summary(args: PeriodArgs, turn: DoctorTurn) -> list[Said]:
    """RESUMEN: the practice's figures over the last week or month, today included."""
    last = turn.local_date(0)
    first = last - timedelta(days=args.days - 1)
    since, until = local_period(first, last, turn.practice.timezone)
    shown = turn.services.figures(since, until)
    language = turn.practice.language
    return [
        Said(
            "doctor.summary",
            {
                "first": format_date(first, "d MMM", locale=language),
                "last": format_date(last, "d MMM", locale=language),
                "requests": shown.requests,
                "approved": shown.approved,
                "rejected": shown.rejected,
                "expired": shown.expired,
                "withdrawn": shown.withdrawn,
                "approval_rate": _percent(shown.approval_rate, turn),
                "answer_time": _minutes(shown.median_minutes_to_answer, turn),
                "appointments": shown.appointments,
                "confirmed": shown.confirmed_attendance,
                "completed": shown.completed,
                "no_shows": shown.no_shows,
                "no_show_rate": _percent(shown.no_show_rate, turn),
                "cancellations": shown.cancellations,
                "late": shown.late_cancellations,
                "per_booking": _decimal(shown.messages_per_booking, turn),
                "refilled": shown.refilled_from_waitlist,
                "refill_time": _minutes(shown.median_minutes_to_refill, turn),
            },
        )
    ]


def _percent(rate: float | None, turn: DoctorTurn) -> str:
    if rate is None:
        return turn.text("doctor.summary.none")
    return format_percent(rate, locale=turn.practice.language)


def _decimal(value: float | None, turn: DoctorTurn) -> str:
    if value is None:
        return turn.text("doctor.summary.none")
    return format_decimal(round(value, 1), locale=turn.practice.language)


def _minutes(minutes: float | None, turn: DoctorTurn) -> str:
    if minutes is None:
        return turn.text("doctor.summary.none")
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return turn.text("doctor.duration.minutes", minutes=rest)
    return turn.text("doctor.duration.hours", hours=hours, minutes=rest)


def reply(args: ReplyArgs, turn: DoctorTurn) -> list[Said]:
    """RESPONDER: a code names its patient; a phone is read in the practice's country."""
    if args.code is not None:
        return write_to_patient(turn.services.phone_of(args.code), args.text, turn)
    country = region_of(turn.practice.doctor_phone or "")
    for written, text in args.phones:
        with suppress(InvalidPhoneNumber):
            return write_to_patient(to_e164(written, country), text, turn)
    return [Said("doctor.hint.bad_reply_to", {"value": args.phones[0][0][:MAX_ECHO]})]


def write_to_patient(phone: str, text: str, turn: DoctorTurn) -> list[Said]:
    """Pass the doctor's words to the patient from the practice number, or say why not."""
    if not text.strip():
        return [Said("doctor.hint.missing_reply_text")]
    sent = turn.services.reply_to_patient(phone, text.strip())
    label = (
        turn.text("patient_label", patient_name=sent.patient_name, phone=phone)
        if sent.patient_name
        else phone
    )
    if sent.outcome == "sent":
        return [Said("doctor.reply_sent", {"patient": label})]
    if sent.outcome == "window_closed" and sent.last_wrote is not None:
        return [
            Said(
                "doctor.reply_window_closed",
                {"patient": label, "last_wrote": turn.when(sent.last_wrote)},
            )
        ]
    return [Said("doctor.reply_unknown_patient", {"phone": phone})]


def add_member(args: MemberArgs, turn: DoctorTurn) -> list[Said]:
    """EQUIPO: the new staff member may sign in to the desk with their WhatsApp."""
    try:
        member = turn.services.add_member(args.phone, args.name)
    except MemberRefused as refused:
        return [Said(f"doctor.team_refused.{refused.reason}", {"phone": args.phone})]
    return [Said("doctor.team_added", {"name": member.name, "phone": member.phone})]


def show_help(args: NoArgs, turn: DoctorTurn) -> list[Said]:
    return [Said("doctor.help")]


def _booking_values(
    booking: Booking, turn: DoctorTurn, reason: str | None = None
) -> dict[str, str]:
    return {
        "code": booking.code,
        "patient_name": booking.patient_name,
        "service": booking.service,
        "when": turn.when(booking.start),
        "reason_text": turn.text("reason_text", reason=reason) if reason else "",
    }


def _pending_line(request: PendingRequest, turn: DoctorTurn) -> str:
    """A request as PENDIENTES lists it; a move shows the time it would replace."""
    moving = request.moving_from is not None
    return turn.text(
        "doctor.pending.move_line" if moving else "doctor.pending.line",
        old_when=turn.when(request.moving_from) if moving else "",
        code=request.code,
        urgent_mark=_urgent_mark(request.urgency),
        patient_name=request.patient_name,
        age_text=_age_text(request.age, turn),
        service=request.service,
        when=turn.when(request.start),
        urgency=turn.text(f"urgency.{request.urgency or 'normal'}"),
        deadline=turn.clock(request.expires_at),
    )


def _age_text(age: int | None, turn: DoctorTurn) -> str:
    return turn.text("age", age=age) if age is not None else turn.text("age_unknown")


def _booking_line(
    booking: Booking | AffectedBooking, turn: DoctorTurn, urgency: str | None = None
) -> str:
    return turn.text(
        "doctor.booking_line",
        time=turn.clock(booking.start),
        code=booking.code,
        patient_name=booking.patient_name,
        service=booking.service,
        status=turn.text(f"doctor.status.{_status(booking)}"),
        urgent_mark=_urgent_mark(urgency),
    )


def _status(booking: Booking | AffectedBooking) -> str:
    """A confirmed appointment whose patient said they will come shows it."""
    attending = isinstance(booking, Booking) and booking.attendance_confirmed_at is not None
    return "attending" if attending and booking.status == "confirmed" else booking.status


def _period(args: BlockArgs, day: date, turn: DoctorTurn) -> str:
    if args.start is None or args.end is None:
        return turn.text("doctor.period.day", day=turn.day_name(day))
    return turn.text(
        "doctor.period.range",
        day=turn.day_name(day),
        start=turn.wall_clock(day, args.start),
        end=turn.wall_clock(day, args.end),
    )


def _in_time_order(bookings: Sequence[Listed]) -> list[Listed]:
    """The services' lists promise no order; the doctor reads them as a day, earliest first."""
    return sorted(bookings, key=lambda booking: (booking.start, booking.code))


def _urgent_mark(urgency: str | None) -> str:
    return URGENT_MARK if urgency == "urgent" else ""
