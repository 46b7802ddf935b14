"""Turning a clinic file on disk into plain data, whatever went wrong said in one line.

The messages leave out the file's name: the command line puts it in front.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml

from app.clinic.fields import ClinicFileError

DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
FORMATS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}


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
