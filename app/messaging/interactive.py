"""Lists and buttons a patient or doctor taps: their shape, Twilio's limits, the content pool.

A choice goes out as a `twilio/quick-reply` (up to 3 buttons) or a
`twilio/list-picker` (up to 10 items); both are sent inside the 24-hour window
without WhatsApp's approval. Twilio fixes a Content resource's number of items
when it is created, so a pool holds one resource per (kind, number of items,
language) in which every body, button, title, id and description is a variable:
`definition` is the resource, `variables` fills it for one send, both numbered
by the same `_fields`.

Twilio refuses a send whose variable is empty (error 21656) and a field over its
limit, so `fitted` makes every field fit before anything is sent. Pure: no Flask,
no database, no wording (the caller brings the sentences from the catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

QUICK_REPLY = "twilio/quick-reply"
LIST_PICKER = "twilio/list-picker"

# Twilio's limits, from its twilio/list-picker and twilio/quick-reply pages. The two
# button labels (a list's button, a quick reply's title) are WhatsApp's 20 characters.
BODY_LIMIT = 1024
LIST_BUTTON_LIMIT = 20
LIST_TITLE_LIMIT = 24
LIST_DESCRIPTION_LIMIT = 72
QUICK_REPLY_TITLE_LIMIT = 20
ID_LIMIT = 200
LIST_MAX_ITEMS = 10
# Twilio allows more buttons in an approved template; a session message has three.
QUICK_REPLY_MAX_BUTTONS = 3

# Each kind of the pool and its largest number of items (the pool has 1..n of each).
POOL_KINDS: dict[str, int] = {QUICK_REPLY: QUICK_REPLY_MAX_BUTTONS, LIST_PICKER: LIST_MAX_ITEMS}
_FRIENDLY = {QUICK_REPLY: "buttons", LIST_PICKER: "list"}

ELLIPSIS = "…"
# Not left dangling before the ellipsis: "Consulta general…", not "Consulta general,…".
_BREAKS = ",;:.-\u2013\u2014(/[{¿¡"  # en and em dashes too
_SPACE = re.compile(r"\s")
_DANGLING = re.compile(r"[\s" + re.escape(_BREAKS) + "]+$")


@dataclass(frozen=True)
class Item:
    """One choice: `id` comes back when it is tapped, so it says what the choice means."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Interactive:
    """A question with its choices; `button` opens a list ("Ver opciones")."""

    body: str
    items: tuple[Item, ...]
    button: str


def kind_for(count: int, items: Sequence[Item] = ()) -> str | None:
    """The content type for `count` choices, or None: more than 10 go as numbered text.

    Up to 3 are buttons, up to 10 a list. Given the `items`, buttons also need every
    title to fit a button whole and no description (a button shows none): three long
    service names read better whole in a list than cut to 20 characters on buttons.
    """
    if items and len(items) != count:
        raise ValueError(f"{len(items)} items given for {count} choices")
    if count < 1:
        return None
    if count <= QUICK_REPLY_MAX_BUTTONS and all(_fits_a_button(item) for item in items):
        return QUICK_REPLY
    if count <= LIST_MAX_ITEMS:
        return LIST_PICKER
    return None


def twilio_length(text: str) -> int:
    """The length Twilio may count: UTF-16 units, so an emoji counts 2, never less than it is."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut after a whole word and ended with "…" when cut.

    A first word longer than the limit is cut inside, with the ellipsis too; an
    unclosed parenthesis is dropped with what it opened ("… de control (45…" would
    read as a broken duration).
    """
    if limit < 1:
        raise ValueError("a limit of at least one character")
    text = text.strip()
    if twilio_length(text) <= limit:
        return text
    end = _prefix_within(text, limit - twilio_length(ELLIPSIS))
    if end < len(text) and (text[end].isspace() or text[end] in _BREAKS):
        head = text[:end]
    else:
        spaces = [match.start() for match in _SPACE.finditer(text, 0, end)]
        head = text[: spaces[-1]] if spaces else text[:end]
    head = _DANGLING.sub("", head) or text[:end].rstrip()
    if head.count("(") > head.count(")"):
        head = _DANGLING.sub("", head[: head.rfind("(")]) or head
    return head + ELLIPSIS


def fitted(interactive: Interactive, kind: str | None = None) -> Interactive:
    """`interactive` with every field within Twilio's limits for `kind` (default: `kind_for`).

    Titles, descriptions, the body and the button are shortened readably. A list
    item without a description is described by its whole title: Twilio requires
    one, and refuses an empty variable. Ids are never shortened (a cut id would
    mean something else): an empty, repeated or too long id is a programming error.
    """
    items = interactive.items
    kind = kind or kind_for(len(items), items)
    if kind not in POOL_KINDS:
        raise ValueError(f"{len(items)} choices fit neither buttons nor a list: send them as text")
    if not 1 <= len(items) <= POOL_KINDS[kind]:
        raise ValueError(f"{kind} takes 1 to {POOL_KINDS[kind]} choices, not {len(items)}")
    _check_ids(items)
    body = shorten(interactive.body, BODY_LIMIT)
    button = shorten(_one_line(interactive.button), LIST_BUTTON_LIMIT)
    if not body or (kind == LIST_PICKER and not button):
        raise ValueError("an interactive message needs a body, and a list its button")
    if kind == QUICK_REPLY:
        fitted_items = tuple(Item(item.id, _title(item, QUICK_REPLY_TITLE_LIMIT)) for item in items)
    else:
        fitted_items = tuple(
            Item(item.id, _title(item, LIST_TITLE_LIMIT), _description(item)) for item in items
        )
    return Interactive(body, fitted_items, button)


def pool(languages: Iterable[str]) -> Iterator[tuple[str, int, str]]:
    """Every (kind, count, language) the pool holds, in a stable order."""
    for language in languages:
        for kind, largest in POOL_KINDS.items():
            for count in range(1, largest + 1):
                yield kind, count, language


def pool_key(kind: str, count: int, language: str) -> str:
    """How the pool names a resource: ``list-picker:7:es``."""
    return f"{kind.removeprefix('twilio/')}:{count}:{language}"


def definition(kind: str, count: int, language: str) -> dict[str, object]:
    """The Content API's create payload for `count` choices of `kind` in `language`.

    Every field is a numbered variable; `variables` holds a sample of each, which
    Twilio requires. The same arguments always give the same dict, so a sync can
    tell a changed definition by its hash.
    """
    fields = _fields(kind, count)
    content: dict[str, object] = {}
    items: list[dict[str, str]] = [{} for _ in range(count)]
    for number, (index, name) in enumerate(fields, start=1):
        target = content if index is None else items[index]
        target[name] = "{{" + str(number) + "}}"
    content["items" if kind == LIST_PICKER else "actions"] = items
    return {
        "friendly_name": f"citabot_{_FRIENDLY[kind]}_{count}_{language}",
        "language": language,
        "variables": {
            str(number): _sample(index, name) for number, (index, name) in enumerate(fields, 1)
        },
        "types": {kind: content},
    }


def variables(kind: str, interactive: Interactive) -> dict[str, str]:
    """The ContentVariables of one send of `interactive` as `kind`, numbered as `definition`."""
    fit = fitted(interactive, kind)
    head = {"body": fit.body, "button": fit.button}
    return {
        str(number): head[name] if index is None else _item_value(fit.items[index], name)
        for number, (index, name) in enumerate(_fields(kind, len(fit.items)), start=1)
    }


def _fields(kind: str, count: int) -> list[tuple[int | None, str]]:
    """The variables of a resource in the order of their numbers: (item index or None, field)."""
    if kind not in POOL_KINDS or not 1 <= count <= POOL_KINDS[kind]:
        raise ValueError(f"the pool has no {kind} of {count} choices")
    if kind == LIST_PICKER:
        head: list[tuple[int | None, str]] = [(None, "body"), (None, "button")]
        per_item = ("id", "item", "description")
    else:
        head, per_item = [(None, "body")], ("id", "title")
    return head + [(index, name) for index in range(count) for name in per_item]


def _item_value(item: Item, name: str) -> str:
    return {"id": item.id, "item": item.title, "title": item.title}.get(name, item.description)


def _sample(index: int | None, name: str) -> str:
    if index is None:
        return name
    return f"option-{index + 1}" if name == "id" else f"{name} {index + 1}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _title(item: Item, limit: int) -> str:
    title = shorten(_one_line(item.title), limit)
    if not title:
        raise ValueError(f"the choice {item.id!r} has no title")
    return title


def _description(item: Item) -> str:
    described = _one_line(item.description) or _one_line(item.title)
    return shorten(described, LIST_DESCRIPTION_LIMIT)


def _fits_a_button(item: Item) -> bool:
    return not item.description.strip() and (
        twilio_length(_one_line(item.title)) <= QUICK_REPLY_TITLE_LIMIT
    )


def _check_ids(items: Sequence[Item]) -> None:
    for item in items:
        if not item.id or item.id != item.id.strip():
            raise ValueError(f"an item id must be set, without spaces around: {item.id!r}")
        if twilio_length(item.id) > ID_LIMIT:
            raise ValueError(f"an item id over {ID_LIMIT} characters: {item.id[:40]!r}…")
    if len({item.id for item in items}) != len(items):
        raise ValueError("two choices share an id: a tap could not tell them apart")


def _prefix_within(text: str, room: int) -> int:
    """How many characters of `text` fit in `room` UTF-16 units."""
    used = 0
    for position, character in enumerate(text):
        used += twilio_length(character)
        if used > room:
            return position
    return len(text)


def to_json(kind: str, message: Interactive) -> dict[str, object]:
    """How a fitted message is kept in `message_log.variables["interactive"]`."""
    return {
        "kind": kind,
        "body": message.body,
        "button": message.button,
        "items": [
            {"id": item.id, "title": item.title, "description": item.description}
            for item in message.items
        ],
    }


def from_json(kept: object) -> tuple[str, Interactive] | None:
    """The kind and message `to_json` kept; None for anything else (a row of another shape)."""
    if not isinstance(kept, dict) or kept.get("kind") not in POOL_KINDS:
        return None
    body, button, items = kept.get("body"), kept.get("button"), kept.get("items")
    if not isinstance(body, str) or not isinstance(button, str) or not isinstance(items, list):
        return None
    parsed = []
    for item in items:
        if not isinstance(item, dict):
            return None
        fields = [item.get(name, "") for name in ("id", "title", "description")]
        if not all(isinstance(value, str) for value in fields):
            return None
        parsed.append(Item(*fields))
    if not 1 <= len(parsed) <= POOL_KINDS[kept["kind"]]:
        return None
    return kept["kind"], Interactive(body, tuple(parsed), button)
