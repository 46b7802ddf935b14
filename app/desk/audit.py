"""The audit log: who read a patient's intake or notes, or changed what, and when.

Written in the same transaction as what it records, so a change and its entry stand
or fall together. `detail` names what changed (codes, fields, times), never health
data itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import SessionSource
from app.desk.access import SignedIn
from app.models import AuditEntry, PracticeMember


def record(
    session: Session,
    who: SignedIn,
    action: str,
    subject: str | None,
    now: datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            profile_id=who.profile_id,
            member_id=who.member_id,
            session_id=who.session_id,
            action=action,
            subject=subject,
            detail=dict(detail) if detail else None,
            at=now,
        )
    )


PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditLine:
    """An entry as the doctor reads the log: who (None: no longer known), what, when."""

    who: str | None
    action: str
    subject: str | None
    at: datetime
    detail: Mapping[str, Any] | None = None


def audit_page(
    sessions: SessionSource, *, profile_id: uuid.UUID, page: int = 1
) -> tuple[list[AuditLine], bool]:
    """The practice's entries, newest first, `PAGE_SIZE` a page; and whether more follow."""
    with sessions() as session:
        rows = session.execute(
            select(
                PracticeMember.name,
                AuditEntry.action,
                AuditEntry.subject,
                AuditEntry.at,
                AuditEntry.detail,
            )
            .outerjoin(PracticeMember, PracticeMember.id == AuditEntry.member_id)
            .where(AuditEntry.profile_id == profile_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((max(page, 1) - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        ).all()
    return [AuditLine(*row) for row in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE
