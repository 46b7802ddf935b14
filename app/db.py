"""Engine, sessions and the declarative base shared by every model.

The same models run on PostgreSQL (production, tests) and SQLite (the embedded
default of `make run`), so the few types that differ are smoothed over here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import DateTime, Engine, MetaData, Uuid, create_engine, event
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

# Every constraint gets a stable, predictable name so migrations can refer to it.
# CHECK constraints must always be named explicitly (the seed names them all).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: `timestamptz` on PostgreSQL, always an aware UTC datetime in Python.

    Naive datetimes are refused so that local wall-clock times can never be stored
    by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware instant is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class gen_random_uuid(FunctionElement[uuid.UUID]):
    """Server-side UUID default: PostgreSQL's `gen_random_uuid()`, random hex on SQLite."""

    type = Uuid()
    inherit_cache = True


@compiles(gen_random_uuid)
def _gen_random_uuid_default(element: gen_random_uuid, compiler: Any, **kw: Any) -> str:
    return "gen_random_uuid()"


@compiles(gen_random_uuid, "sqlite")
def _gen_random_uuid_sqlite(element: gen_random_uuid, compiler: Any, **kw: Any) -> str:
    return "(lower(hex(randomblob(16))))"


class Base(DeclarativeBase):
    """Declarative base: naming convention plus the project's column types."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}  # noqa: RUF012


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite enforce foreign keys and wait instead of failing on locks.

    Database errors must not carry health data into logs: statement parameters are
    hidden, and PostgreSQL's DETAIL ("Failing row contains (...)") is dropped from
    the message (`diag` keeps the SQLSTATE and the constraint's name).
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "handle_error", _drop_error_detail)
    return engine


def _drop_error_detail(context: ExceptionContext) -> None:
    for error in (context.original_exception, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (error.args[0].split("\nDETAIL:", 1)[0], *error.args[1:])


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so that BEGIN below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # SQLite has one writer at a time; taking the write lock at BEGIN makes every
    # transaction serializable, which is what the booking rules assume.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def insert_ignoring_conflicts(
    session: Session, table: Any, rows: list[dict[str, Any]], conflict_columns: list[str]
) -> list[Any]:
    """Insert `rows`, skipping those that clash on `conflict_columns`; return the new ids.

    Written for PostgreSQL and SQLite, the two databases Citabot runs on.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(table).on_conflict_do_nothing(index_elements=conflict_columns).returning(table.c.id)
    )
    return list(session.scalars(statement, rows))


class SessionSource(Protocol):
    """Where a use case gets its transaction: a `sessionmaker`, or `Savepoints`."""

    def begin(self) -> AbstractContextManager[Session]: ...
    def __call__(self) -> AbstractContextManager[Session]: ...


class Savepoints:
    """Run use cases inside one outer transaction, each in a savepoint of its own.

    The webhook processes a message in one transaction (the conversation row is
    locked, the reply logged); booking use cases called meanwhile become
    savepoints, so a refused hold rolls back alone and the conversation goes on.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def begin(self) -> Iterator[Session]:
        with self.session.begin_nested():
            yield self.session

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        yield self.session


def upsert(
    session: Session,
    table: Any,
    row: dict[str, Any],
    conflict_columns: list[str],
    update_columns: list[str],
) -> Any:
    """Insert `row`, or update `update_columns` of the row it clashes with; return its id."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=conflict_columns,
        set_={column: statement.excluded[column] for column in update_columns},
    ).returning(table.c.id)
    return session.scalar(statement)
