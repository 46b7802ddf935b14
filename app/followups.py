"""Work a transaction leaves for later, handed over only once the transaction commits.

Services call `follow_up(session, ...)` ("deliver message 42", "expire request 7
at 10:30"); nothing leaves the process then. When the session commits, the
listener installed by `dispatch_after_commit` passes the follow-ups to a
`Dispatcher` (RQ in production, a thread in the embedded mode, a list in tests).
A rolled-back transaction dispatches nothing. A dispatcher that fails (Redis
down) loses nothing either: the database still says what is due, and the
periodic duties (`jobs tick`) pick it up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

log = logging.getLogger(__name__)
KEY = "citabot.followups"


@dataclass(frozen=True)
class FollowUp:
    """A job to run: its name in `app.jobs`, plain arguments (ids, never health data), when."""

    job: str
    args: tuple[str, ...]
    at: datetime | None = None


class Dispatcher(Protocol):
    def dispatch(self, followups: list[FollowUp]) -> None: ...


def follow_up(session: Session, job: str, *args: object, at: datetime | None = None) -> None:
    """Ask for `job(*args)` to run (at `at`, or as soon as possible) once `session` commits.

    The job belongs to the innermost transaction open now: a savepoint that rolls
    back takes its jobs with it; one that is released hands them to its parent.
    """
    owed = session.info.setdefault(KEY, {})
    owed.setdefault(_innermost(session), []).append(
        FollowUp(job, tuple(str(a) for a in args), at)
    )


def dispatch_after_commit(sessions: sessionmaker[Session], dispatcher: Dispatcher) -> None:
    """Hand every committed transaction's follow-ups from `sessions` to `dispatcher`.

    Only the outermost commit hands anything over. SQLAlchemy fires `after_commit`
    when a savepoint is released too, and a job handed over then may run before
    the outer transaction commits: it would find its rows invisible and end.
    """

    def after_commit(session: Session) -> None:
        owed: dict[SessionTransaction, list[FollowUp]] = session.info.get(KEY, {})
        savepoint = session.get_nested_transaction()
        if savepoint is not None:
            # Released, not committed: the jobs now wait on the enclosing transaction.
            jobs = owed.pop(savepoint, [])
            if jobs and savepoint.parent is not None:
                owed.setdefault(savepoint.parent, []).extend(jobs)
            return
        followups = [job for jobs in session.info.pop(KEY, {}).values() for job in jobs]
        if not followups:
            return
        try:
            dispatcher.dispatch(followups)
        except Exception:
            # The rows are committed; `jobs tick` will find what is due.
            log.exception("could not dispatch %d follow-ups; tick will catch up", len(followups))

    def after_soft_rollback(session: Session, rolled_back: SessionTransaction) -> None:
        owed: dict[SessionTransaction, list[FollowUp]] = session.info.get(KEY, {})
        if not rolled_back.nested:
            owed.clear()
            return
        for transaction in list(owed):
            if _within(transaction, rolled_back):
                del owed[transaction]

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_soft_rollback", after_soft_rollback)


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
