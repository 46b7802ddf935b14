"""Database errors reach logs and tracebacks without the health data of the row."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

SECRET = "dolor torácico desde ayer"


def test_a_refused_row_leaves_its_values_out_of_the_error(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE intake (note text, age int CHECK (age >= 0))"))
        with pytest.raises(DBAPIError) as caught:
            connection.execute(
                text("INSERT INTO intake VALUES (:note, :age)"), {"note": SECRET, "age": -1}
            )
    message = str(caught.value)
    assert "violates check constraint" in message
    assert SECRET not in message
    assert caught.value.orig.diag.constraint_name == "intake_age_check"  # type: ignore[union-attr]
