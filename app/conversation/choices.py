"""A reply's numbered options as WhatsApp buttons or a list, when they fit.

The catalogue writes every question with its options as numbered lines ("1. Sí,
acepto"), which is what a patient reads when the reply goes as text. The flows
say what each option means (`Said.choices`, in the same order). Together they
make the interactive message: the question without the numbered lines, and one
item per option whose id is the option's meaning and whose title is its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.booking.notifications import Notification, Written
from app.messaging.interactive import Interactive, Item, fitted, kind_for, to_json
from bot_flows.engine import Choice
from bot_flows.notices import notice_choices
from bot_flows.texts import render_notification, text

NUMBERED = re.compile(r"(\d+)\. (.+)")


def as_interactive(
    text: str, choices: Sequence[Choice], button: str
) -> tuple[str, Interactive] | None:
    """The kind and fitted message of `text` with `choices`; None when they are not tappable.

    Choices that all bring their own title (the doctor's PENDIENTES) leave `text`
    whole. Otherwise `text` must show its last numbered run with exactly one line
    per choice (a catalogue sentence and its flow that disagree are sent as text
    rather than guessed at). None too when there are more choices than a list holds.
    """
    if not choices:
        return None
    lines = text.split("\n")
    run = _last_run(lines)
    if run is not None and run[1] - run[0] == len(choices):
        start, end = run
        titles = [NUMBERED.fullmatch(line).group(2) for line in lines[start:end]]  # type: ignore[union-attr]
    elif all(choice.title for choice in choices):
        start = end = len(lines)
        titles = [""] * len(choices)
    else:
        return None
    items = tuple(
        Item(choice.id, choice.title or title, choice.description or "")
        for choice, title in zip(choices, titles, strict=True)
    )
    kind = kind_for(len(items), items)
    if kind is None:
        return None
    body = "\n".join(lines[:start] + lines[end:]).strip()
    if not body:
        return None
    return kind, fitted(Interactive(body, items, button), kind)


def _last_run(lines: list[str]) -> tuple[int, int] | None:
    """Where the last run of lines numbered 1, 2, 3... starts and ends (exclusive)."""
    found = None
    index = 0
    while index < len(lines):
        match = NUMBERED.fullmatch(lines[index])
        if match and match.group(1) == "1":
            end = index + 1
            while end < len(lines):
                following = NUMBERED.fullmatch(lines[end])
                if not following or int(following.group(1)) != end - index + 1:
                    break
                end += 1
            found = (index, end)
            index = end
        else:
            index += 1
    return found


def render_notice(notification: Notification) -> Written:
    """A notice's body, and its buttons when it offers some (the doctor's, the reminder's).

    Delivery sends them as the pool's buttons inside the 24-hour window and as the
    purpose's approved template outside it; the body alone names the typed answers.
    """
    body = render_notification(notification)
    language = notification.language
    choices = notice_choices(notification.purpose, notification.facts, language)
    made = as_interactive(body, choices, text("choices.button", language)) if choices else None
    return Written(body, to_json(*made) if made else None)
