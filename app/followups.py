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
from sqlalchemy.orm import Session, sessionmaker

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
    """Ask for `job(*args)` to run (at `at`, or as soon as possible) once `session` commits."""
    session.info.setdefault(KEY, []).append(FollowUp(job, tuple(str(a) for a in args), at))


def dispatch_after_commit(sessions: sessionmaker[Session], dispatcher: Dispatcher) -> None:
    """Hand every committed transaction's follow-ups from `sessions` to `dispatcher`."""

    def after_commit(session: Session) -> None:
        followups = session.info.pop(KEY, [])
        if not followups:
            return
        try:
            dispatcher.dispatch(followups)
        except Exception:
            # The rows are committed; `jobs tick` will find what is due.
            log.exception("could not dispatch %d follow-ups; tick will catch up", len(followups))

    def after_rollback(session: Session) -> None:
        if not session.in_transaction():
            session.info.pop(KEY, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_soft_rollback", lambda session, _: after_rollback(session))
