"""The doctor's WhatsApp commands: one word (and a code) to run the practice from the phone.

A message is routed by `COMMANDS`, read top to bottom: the first word (or two, as
in "no asistió") names the command, its parser reads the arguments
(`doctor_parsing`), its handler asks the services and says what happened
(`doctor_answers`). The diagram is `doctor.mmd`.

- Matching forgives capitals, accents, extra spaces and punctuation around words;
  a command's words are the catalogue's ("command.approve": "aprobar", "approve",
  ...), every language's understood whatever the practice's language.
- A message that is no command, or whose arguments cannot be read, gets a short
  hint plus the help text, and the services are not touched (hard guarantee 6).
- A refusal from the services (`app.booking.errors`) or a `ValueError` becomes one
  sentence. A code that is not this practice's is simply "not found": another
  practice's data is never revealed (hard guarantee 5).

WhatsApp's reply gesture on a message that passed a patient on (a relayed message,
the hand-off notice) answers that patient: the doctor's words go to them from the
practice number, as `RESPONDER` does, even when they start with "sí" or "no". Only
a reply that is itself a RESPONDER or REANUDAR command is read as one. A reply to
any other message is read as a command, as if it were no reply.

Quick-reply buttons on the new-request notification carry the payload
``APROBAR <code>`` or ``RECHAZAR <code>`` (see `button_payloads`), whatever the
practice's language. A payload wins over the message text; anything else in a
payload is answered as an unknown command, never guessed from the button's text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from app.booking.errors import (
    AlreadyStarted,
    BookingError,
    IllegalTransition,
    NotFound,
    NotStarted,
    RequestExpired,
    SlotNotBookable,
)
from bot_flows import doctor_answers as answers
from bot_flows import doctor_parsing as parsing
from bot_flows.doctor_answers import DoctorTurn
from bot_flows.doctor_parsing import Decision, Hint, Rest
from bot_flows.engine import Said
from bot_flows.ports import DoctorServices
from bot_flows.texts import recognised

Args = TypeVar("Args")


@dataclass(frozen=True)
class Command(Generic[Args]):
    """What names a command (a catalogue key of folded words), its parser and handler."""

    meaning: str
    parse: Callable[[Rest], Args | Hint]
    handle: Callable[[Args, DoctorTurn], list[Said]]


APPROVE = Command("command.approve", parsing.parse_decision, answers.approve)
REJECT = Command("command.reject", parsing.parse_decision, answers.reject)
COMMANDS: tuple[Command[Any], ...] = (
    APPROVE,
    REJECT,
    Command("command.pending", parsing.no_arguments, answers.list_pending),
    Command("command.agenda", parsing.parse_agenda, answers.show_agenda),
    Command("command.cancel", parsing.parse_code_and_reason, answers.cancel),
    Command("command.complete", parsing.parse_code, answers.complete),
    Command("command.no_show", parsing.parse_code, answers.no_show),
    Command("command.note", parsing.parse_note, answers.save_note),
    Command("command.block", parsing.parse_block, answers.block),
    Command("command.unblock", parsing.parse_block, answers.unblock),
    Command("command.resume", parsing.parse_phone, answers.resume),
    Command("command.forgive", parsing.parse_phone, answers.forgive),
    Command("command.summary", parsing.parse_period, answers.summary),
    Command("command.reply", parsing.parse_reply, answers.reply),
    Command("command.team", parsing.parse_member, answers.add_member),
    Command("command.help", parsing.no_arguments, answers.show_help),
)
BY_WORD: dict[str, Command[Any]] = {
    word: command for command in COMMANDS for word in recognised(command.meaning)
}
# Payloads are written by `button_payloads`, not typed: they stay the same in every language.
BUTTONS: dict[str, Command[Decision]] = {"APROBAR": APPROVE, "RECHAZAR": REJECT}
# Commands still read as commands in a reply to a relayed message (see above).
IN_A_REPLY = frozenset(recognised("command.reply") | recognised("command.resume"))

HELP = Said("doctor.help")


def answer_doctor(
    text: str,
    button_payload: str | None,
    now: datetime,
    services: DoctorServices,
    replied_to: str | None = None,
) -> list[Said]:
    """What to answer the practice's doctor; the services changes only what the command names.

    `replied_to` is the provider's id of our message the doctor replied to, if any.
    """
    turn = DoctorTurn(now, services, services.practice)
    if replied_to and not button_payload and not parsing.split_command(text, IN_A_REPLY):
        patient = services.relayed_patient(replied_to)
        if patient is not None:
            return answers.write_to_patient(patient, text, turn)
    routed = read_button(button_payload) if button_payload else read_text(text)
    if routed is None:
        return [Said("doctor.unknown"), HELP]
    command, args = routed
    if isinstance(args, Hint):
        return [Said(args.key, args.values), HELP]
    try:
        return command.handle(args, turn)
    except (BookingError, ValueError) as error:
        return refusal(error, turn)


def read_text(text: str) -> tuple[Command[Any], object] | None:
    """The command a message names and its parsed arguments (or a `Hint`), if any."""
    found = parsing.split_command(text, BY_WORD)
    if found is None:
        return None
    phrase, rest = found
    command = BY_WORD[phrase]
    return command, command.parse(rest)


def read_button(payload: str) -> tuple[Command[Decision], Decision] | None:
    """A button payload, exactly as `button_payloads` wrote it: never a shortcut or a guess."""
    word, _, written = payload.strip().partition(" ")
    command = BUTTONS.get(word)
    code = parsing.read_code(written)
    return (command, Decision(code)) if command and code else None


def button_payloads(code: str) -> tuple[str, str]:
    """The approve and reject payloads for the quick-reply buttons of request `code`."""
    return f"APROBAR {code}", f"RECHAZAR {code}"


def refusal(error: BookingError | ValueError, turn: DoctorTurn) -> list[Said]:
    """Why the services said no, as one sentence; the services changed nothing."""
    match error:
        case NotFound(code=code):
            return [Said("doctor.refused.not_found", {"code": code})]
        case IllegalTransition(code=code, current=current):
            status = turn.text(f"doctor.status.{current}")
            return [Said("doctor.refused.illegal", {"code": code, "status": status})]
        case RequestExpired(code=code, expires_at=deadline) if deadline is not None:
            return [
                Said("doctor.refused.expired", {"code": code, "deadline": turn.clock(deadline)})
            ]
        case RequestExpired(code=code):
            return [Said("doctor.refused.expired_unknown_time", {"code": code})]
        case NotStarted(code=code):
            return [Said("doctor.refused.not_started", {"code": code})]
        case AlreadyStarted(code=code):
            return [Said("doctor.refused.already_started", {"code": code})]
        case SlotNotBookable():
            return [Said("doctor.refused.slot_not_bookable")]
        case BookingError():
            return [Said("doctor.refused.other")]
    return [Said("doctor.refused.bad_input"), HELP]
