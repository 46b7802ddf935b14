"""The database: engine, sessions, the declarative base, and the app's handle on them.

The same models run on PostgreSQL (production, tests) and SQLite (the embedded
default of `make run`), so the few types that differ are smoothed over here.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Engine,
    MetaData,
    String,
    Uuid,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

if TYPE_CHECKING:
    from flask import Flask

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
    if engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", _binary_lists)
    return engine


def _binary_lists(dbapi_connection: Any, _record: Any) -> None:
    # Lists (the arrays of `among` and bulk inserts) go in PostgreSQL's binary format:
    # several times faster to build than the text one, which quotes and escapes each item.
    from psycopg.types.array import ListBinaryDumper

    dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)


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


def among(
    session: Session, column: ColumnElement[Any], values: Collection[Any]
) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter however many.

    A list of thousands of ids as thousands of placeholders is slow to build and to
    convert, and no two such statements are alike; as one array the statement stays
    short and the same, so psycopg caches (and PostgreSQL prepares) it.
    """
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=_array_of(column.type)))
    return column.in_(values)


def rows_by_id(session: Session, model: type[Any], ids: Collection[Any]) -> dict[Any, Any]:
    """The rows of `model` whose id is among `ids`, by id, in one query."""
    query = select(model).where(among(session, model.id, ids))
    return {row.id: row for row in session.scalars(query)}


def _array_of(type_: TypeEngine[Any]) -> ARRAY[Any]:
    """An array of `type_`, without a length: a cast to `varchar(n)[]` would silently cut
    longer values (the column itself refuses them, and `IN` compares them whole)."""
    if isinstance(type_, String) and type_.length is not None:
        type_ = copy.copy(type_)
        type_.length = None
    return ARRAY(type_)


def dialect_insert(session: Session) -> Any:
    """The `insert` of the session's database, which knows `ON CONFLICT` (PostgreSQL, SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_dialect.insert
    return sqlite_dialect.insert


def insert_ignoring_conflicts(
    session: Session, table: Any, rows: list[dict[str, Any]], conflict_columns: list[str]
) -> list[Any]:
    """Insert `rows`, skipping those that clash on `conflict_columns`; return the new ids.

    Written for PostgreSQL and SQLite, the two databases Citabot runs on. Every row
    names the same columns. On PostgreSQL several rows go as one array per column
    (`INSERT ... SELECT * FROM unnest(...)`): one short statement, not one
    placeholder per value.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    insert = dialect_insert(session)
    # Not as arrays if a column left out has a Python function default (uuid4): the
    # SELECT would call it once, for all the rows.
    if (
        not postgresql
        or len(rows) < 2
        or any(
            c.default is not None and c.default.is_callable and c.name not in rows[0]
            for c in table.c
        )
    ):
        statement = _insert_or_skip(insert, table, tuple(conflict_columns))
        return list(session.scalars(statement, rows))
    values = {name: [row[name] for row in rows] for name in rows[0]}
    # A column with one value in every row (a status, a timestamp) goes once, not as an array.
    same = {
        name: column[0]
        for name, column in values.items()
        if name not in conflict_columns and column.count(column[0]) == len(column)
    }
    varying = [name for name in values if name not in same]
    columns = (
        func.unnest(
            *(
                bindparam(None, values[name], type_=_array_of(table.c[name].type))
                for name in varying
            )
        )
        .table_valued(*varying)
        .render_derived()
    )
    constants = [bindparam(None, value, type_=table.c[name].type) for name, value in same.items()]
    statement = (
        insert(table)
        .from_select([*varying, *same], select(*columns.c, *constants))
        .on_conflict_do_nothing(index_elements=conflict_columns)
    )
    return list(session.scalars(statement.returning(table.c.id)).all())


@cache
def _insert_or_skip(insert: Any, table: Any, conflict_columns: tuple[str, ...]) -> Any:
    """The row-by-row statement, built once per database kind and table (it is the same)."""
    statement = insert(table).on_conflict_do_nothing(index_elements=list(conflict_columns))
    return statement.returning(table.c.id)


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


DATABASE_KEY = "citabot.database"


class Database:
    """The app's engine plus session factory. Engines connect lazily, so building one is free."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)

    def init_app(self, app: Flask) -> None:
        app.extensions[DATABASE_KEY] = self


def get_database(app: Flask | None = None) -> Database:
    """The database of `app`, or of the app handling the current request or command."""
    from flask import current_app  # the models and migrations need no Flask

    return (app or current_app).extensions[DATABASE_KEY]
