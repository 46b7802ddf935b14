"""What a transaction owes once it commits: background jobs, and counts for the metrics.

Services call `run_after_commit(session, ...)` ("deliver message 42", "expire
request 7 at 10:30"); nothing leaves the process then. When the session's
outermost transaction commits, the listener installed by `dispatch_after_commit`
passes the jobs to a `Dispatcher` (RQ in production, a thread in the embedded
mode, a list in tests). A rolled-back transaction dispatches nothing. A
dispatcher that fails (Redis down) loses nothing either: the database still says
what is due, and the periodic duties (`jobs tick`) pick it up.

Use cases may run as savepoints of a webhook's transaction (`app.db.Savepoints`).
What a savepoint owes moves to its parent when it is released and is dropped if
it rolls back; only the outermost commit pays. (SQLAlchemy fires `after_commit`
when a savepoint is released too: a job handed over then could run before its
rows are visible, find nothing and end.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class OwedJob:
    """A job to run: its name in `app.background.jobs`, plain arguments (ids only), when."""

    job: str
    args: tuple[str, ...]
    at: datetime | None = None


class Dispatcher(Protocol):
    def dispatch(self, jobs: list[OwedJob]) -> None: ...


class Owed(Generic[T]):
    """Things owed at the outermost commit, kept per transaction under `key` in session.info."""

    def __init__(self, key: str) -> None:
        self.key = key

    def add(self, session: Session, item: T) -> None:
        """Owe `item` for the innermost transaction open now."""
        owed = session.info.setdefault(self.key, {})
        transaction = session.get_nested_transaction() or session.get_transaction()
        owed.setdefault(transaction, []).append(item)

    def committed(self, session: Session) -> list[T]:
        """On `after_commit`: everything owed if the outermost transaction committed, else []."""
        owed: dict[SessionTransaction | None, list[T]] = session.info.get(self.key, {})
        savepoint = session.get_nested_transaction()
        if savepoint is not None:
            # Released, not committed: its items now wait on the enclosing transaction.
            items = owed.pop(savepoint, [])
            if items and savepoint.parent is not None:
                owed.setdefault(savepoint.parent, []).extend(items)
            return []
        return [item for items in session.info.pop(self.key, {}).values() for item in items]

    def rolled_back(self, session: Session, transaction: SessionTransaction) -> None:
        """On `after_soft_rollback`: drop what `transaction` and those inside it owed."""
        owed: dict[SessionTransaction | None, list[T]] = session.info.get(self.key, {})
        if not transaction.nested:
            owed.clear()
            return
        for owner in list(owed):
            if _within(owner, transaction):
                del owed[owner]

    def listen(self, target: Any, pay: Callable[[list[T]], None]) -> None:
        """Call `pay` with what a commit of `target`'s sessions owed (a sessionmaker or Session)."""

        def after_commit(session: Session) -> None:
            items = self.committed(session)
            if items:
                pay(items)

        event.listen(target, "after_commit", after_commit)
        event.listen(target, "after_soft_rollback", self.rolled_back)


JOBS: Owed[OwedJob] = Owed("citabot.owed_jobs")


def run_after_commit(session: Session, job: str, *args: object, at: datetime | None = None) -> None:
    """Ask for `job(*args)` to run (at `at`, or as soon as possible) once `session` commits."""
    JOBS.add(session, OwedJob(job, tuple(str(a) for a in args), at))


def dispatch_after_commit(sessions: sessionmaker[Session], dispatcher: Dispatcher) -> None:
    """Hand every committed transaction's jobs from `sessions` to `dispatcher`."""

    def dispatch(jobs: list[OwedJob]) -> None:
        try:
            dispatcher.dispatch(jobs)
        except Exception:
            # The rows are committed; `jobs tick` will find what is due.
            log.exception("could not dispatch %d jobs; tick will catch up", len(jobs))

    JOBS.listen(sessions, dispatch)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
