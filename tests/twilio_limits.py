"""What Twilio would make of a list or buttons we send, and its limits, for the tests."""

from __future__ import annotations

import re

from app.messaging.interactive import (
    BODY_LIMIT,
    ID_LIMIT,
    LIST_BUTTON_LIMIT,
    LIST_DESCRIPTION_LIMIT,
    LIST_PICKER,
    LIST_TITLE_LIMIT,
    QUICK_REPLY_TITLE_LIMIT,
    Interactive,
    definition,
    twilio_length,
    variables,
)

PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


def render(kind: str, count: int, language: str, values: dict[str, str]) -> dict[str, object]:
    """The content as Twilio fills it in for a send."""
    content = definition(kind, count, language)["types"][kind]  # type: ignore[index]

    def fill(node: object) -> object:
        if isinstance(node, str):
            return PLACEHOLDER.sub(lambda match: values[match.group(1)], node)
        if isinstance(node, list):
            return [fill(element) for element in node]
        if isinstance(node, dict):
            return {name: fill(element) for name, element in node.items()}
        return node

    return fill(content)  # type: ignore[return-value]


def assert_sendable(kind: str, interactive: Interactive, language: str) -> dict[str, object]:
    """Send `interactive` as `kind` through the pool's definition; every field within limits."""
    sent = render(kind, len(interactive.items), language, variables(kind, interactive))
    assert 0 < twilio_length(str(sent["body"])) <= BODY_LIMIT
    if kind == LIST_PICKER:
        assert 0 < twilio_length(str(sent["button"])) <= LIST_BUTTON_LIMIT
        for item in sent["items"]:  # type: ignore[attr-defined]
            assert 0 < twilio_length(item["item"]) <= LIST_TITLE_LIMIT
            assert 0 < twilio_length(item["description"]) <= LIST_DESCRIPTION_LIMIT
            assert 0 < twilio_length(item["id"]) <= ID_LIMIT
    else:
        for action in sent["actions"]:  # type: ignore[attr-defined]
            assert 0 < twilio_length(action["title"]) <= QUICK_REPLY_TITLE_LIMIT
            assert 0 < twilio_length(action["id"]) <= ID_LIMIT
    return sent
