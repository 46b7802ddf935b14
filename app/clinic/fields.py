"""Reading one mapping of a clinic file key by key, collecting every problem on the way.

A clinic file is written by hand, often by a doctor's assistant, so a single run
should report everything that is wrong, each problem named by where it is
(`availability[1].end: ...`), instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from typing import TypeVar

T = TypeVar("T")
D = TypeVar("D")

Convert = Callable[[object], T]


class Invalid(ValueError):
    """A value cannot be used; the message says why, without the field's name."""


class ClinicFileError(Exception):
    """The clinic file cannot be imported; `problems` lists every reason, one line each."""

    def __init__(self, problems: Collection[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


class Problems:
    """Every problem found so far, each as `path: message`."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.lines.append(f"{path}: {message}" if path else message)

    def raise_if_any(self) -> None:
        if self.lines:
            raise ClinicFileError(self.lines)


def key_path(parent: str, key: object) -> str:
    """`services[0]` + `name` -> `services[0].name`."""
    name = key if isinstance(key, str) else repr(key)
    return f"{parent}.{name}" if parent else name


def unknown_key(key: object, allowed: Collection[str]) -> str:
    """Say a key is unknown, suggesting the allowed one it is most likely a typo of."""
    guesses = difflib.get_close_matches(str(key), list(allowed), n=1) if allowed else []
    return f"unknown key (did you mean '{guesses[0]}'?)" if guesses else "unknown key"


def convert_at(path: str, value: object, convert: Convert[T], problems: Problems) -> T | None:
    """`convert(value)`, or None after recording at `path` why it cannot be used."""
    try:
        return convert(value)
    except Invalid as error:
        problems.add(path, str(error))
        return None


def is_blank(value: object) -> bool:
    """A value left out: missing, `null`, or an empty string in a filled-in template."""
    return value is None or (isinstance(value, str) and not value.strip())


class Fields:
    """The keys of one mapping, read one at a time; unknown keys are problems too."""

    def __init__(
        self,
        raw: Mapping[object, object],
        path: str,
        allowed: Collection[str],
        problems: Problems,
    ) -> None:
        self.raw = raw
        self.path = path
        self.problems = problems
        for key in raw:
            if key not in allowed:
                problems.add(key_path(path, key), unknown_key(key, allowed))

    def at(self, key: str) -> str:
        """The path of `key` in this mapping, for messages."""
        return key_path(self.path, key)

    def required(self, key: str, convert: Convert[T]) -> T | None:
        """The converted value of `key`, or None after recording why there is none."""
        value = self.raw.get(key)
        if is_blank(value):
            self.problems.add(self.at(key), "is required")
            return None
        return convert_at(self.at(key), value, convert, self.problems)

    def optional(self, key: str, convert: Convert[T], default: D) -> T | D:
        """The converted value of `key`, or `default` when it is left out or invalid."""
        value = self.raw.get(key)
        if is_blank(value):
            return default
        converted = convert_at(self.at(key), value, convert, self.problems)
        return default if converted is None else converted
