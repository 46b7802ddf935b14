"""A clinic file (JSON or YAML) read into a checked `ClinicFile`, every problem reported at once.

What the file may hold is `app.practices.clinic_file_models.ClinicFile`;
`CLINIC_FILE.json_schema()` says the same as a JSON Schema. A file is written by
hand, often by a doctor's assistant, so one run names everything that is wrong, one
line each, by where it is (`availability[1].end: ...`) and in the file's words rather
than pydantic's. The lines leave out the file's name: the command line puts it in front.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_type_hints

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from app.practices.clinic_file_models import ClinicFile
from app.practices.values import Loc, Problems, describe

CLINIC_FILE = TypeAdapter(ClinicFile)
UNKNOWN_KEY = frozenset({"unexpected_keyword_argument", "invalid_key"})
DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FORMATS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}


class ClinicFileError(Exception):
    """The clinic file cannot be imported; `problems` lists every reason, one line each."""

    def __init__(
        self, problems: Collection[str], located: Collection[tuple[Loc, str]] = ()
    ) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        # The same problems by where they are, for a form that shows each next to its field.
        self.located = tuple(located)


def load_clinic_file(path: Path) -> ClinicFile:
    """The clinic in the file at `path`, or `ClinicFileError` listing every problem."""
    return read_clinic(read_document(path))


def read_clinic(data: object) -> ClinicFile:
    """The clinic described by already-parsed `data`, or `ClinicFileError`."""
    if data is None:
        raise ClinicFileError(["the file is empty; start from examples/demo_clinic.yaml"])
    try:
        return CLINIC_FILE.validate_python(data)
    except ValidationError as error:
        located = _located(error)
        raise ClinicFileError([_line(*problem) for problem in located], located) from None


def _located(error: ValidationError) -> list[tuple[Loc, str]]:
    # A misspelt key often explains the problems after it ("name: is required").
    details = sorted(error.errors(include_url=False), key=lambda d: d["type"] not in UNKNOWN_KEY)
    problems: list[tuple[Loc, str]] = []
    for detail in details:
        loc, cause = detail["loc"], detail.get("ctx", {}).get("error")
        if detail["type"] == "invalid_key":  # a key that is not text, such as 2026
            loc = (*loc[:-1], repr(loc[-1]))
        found = cause.found if isinstance(cause, Problems) else [((), _in_words(detail))]
        problems.extend((loc + at, message) for at, message in found)
    return problems


def _line(loc: Loc, message: str) -> str:
    path = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in loc)
    return f"{path.lstrip('.')}: {message}" if path else f"the top level {message}"


def _in_words(detail: ErrorDetails) -> str:
    """Pydantic's complaint about a value, said as the file's own checks say theirs."""
    value, context = detail["input"], detail.get("ctx", {})
    match detail["type"]:
        case "value_error":
            return str(context["error"])
        case "missing":
            return "is required"
        case "unexpected_keyword_argument" | "invalid_key":
            return _unknown_key(detail["loc"])
        case "string_type":
            return f"must be text, not {describe(value)}"
        case "string_too_long":
            length, most = len(value.strip()), context["max_length"]
            return f"is {length} characters long; at most {most} fit"
        case "bool_type":
            return f"must be true or false, not {describe(value)}"
        case "literal_error":  # pydantic lists them as "'a', 'b' or 'c'"
            choices = context["expected"].replace(" or ", ", ")
            return f"must be one of {choices}, not {describe(value)}"
        case "tuple_type":
            return f"must be a list, not {describe(value)}"
        case "dataclass_type":
            return f"must be a set of fields (key: value), not {describe(value)}"
    return detail["msg"]


def _unknown_key(loc: Loc) -> str:
    """Say a key is unknown, suggesting the allowed one it is most likely a typo of."""
    *parents, key = loc
    section: Any = ClinicFile
    for step in parents:
        if isinstance(step, str):  # services or availability: a tuple of sections
            section = get_args(get_type_hints(section)[step])[0]
    allowed = [field.name for field in dataclasses.fields(section)]
    guesses = difflib.get_close_matches(str(key), allowed, n=1)
    return f"unknown key (did you mean '{guesses[0]}'?)" if guesses else "unknown key"


def read_document(path: Path) -> object:
    """The data in the JSON (.json) or YAML (.yaml, .yml) file at `path`."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        shown = f"'{path.suffix}'" if path.suffix else "without an extension"
        raise ClinicFileError([f"unsupported file type {shown}: use .json, .yaml or .yml"])
    text = _decode(_read(path))
    return _parse_json(text) if kind == "JSON" else _parse_yaml(text)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = "file not found"
    except IsADirectoryError:
        problem = "is a folder, not a file"
    except PermissionError:
        problem = "cannot be read: permission denied"
    except OSError as error:
        problem = f"cannot be read: {error.strerror or error}"
    raise ClinicFileError([problem])


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig: editors on Windows often start UTF-8 files with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = (
            f"is not UTF-8 text (line {line} has the byte 0x{data[error.start]:02x});"
            " save it again as UTF-8"
        )
    raise ClinicFileError([problem])


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    raise ClinicFileError([problem])


def _parse_yaml(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        where = error.problem_mark or error.context_mark
        place = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = f"is not valid YAML: {error.problem or error.context}{place}"
    except yaml.YAMLError as error:
        problem = f"is not valid YAML: {' '.join(str(error).split())}"
    except ValueError as error:
        # PyYAML builds unquoted dates itself and fails on impossible ones (2026-02-30)
        # with a bare ValueError that does not say where.
        problem = _impossible_date(text) or f"is not valid YAML: {error}"
    raise ClinicFileError([problem])


def _impossible_date(text: str) -> str | None:
    for number, line in enumerate(text.splitlines(), start=1):
        for written in DATE_LIKE.findall(line):
            try:
                date.fromisoformat(written)
            except ValueError:
                return f"line {number}: {written} is not a date in the calendar"
    return None
