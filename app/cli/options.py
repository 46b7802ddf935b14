"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def batch_option(default: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--batch`: rows per transaction, for the commands that work through a table in batches."""
    return click.option(
        "--batch",
        type=click.IntRange(1, 100_000),
        default=default,
        show_default=True,
        help="Rows per transaction.",
    )
