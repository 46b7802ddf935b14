"""The flood limit: a person tapping through a booking never meets it; a script does.

A token bucket per phone number, kept in the conversation row's two flood columns
(no column of its own). `flood_window_start` holds the moment the number's bucket
is empty again: each message adds one refill interval to it, and time drains it. A
message is read while the bucket has room; past that it is not read, the bucket
stays full (a script that keeps sending keeps it full, up to a penalty), and
`flood_count` counts the messages not read in a row: the first of them is answered
with which one was not read, the rest of that burst are not answered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class FloodLimit:
    """How fast one number may write.

    A person types at most about one message a second, and only for short bursts:
    a whole booking tapped in numbers is 12 to 20 messages in half a minute. A
    script sends hundreds. So `burst` messages at once are always read, then one
    every `refill`; a flood past that waits at most `penalty` more once it stops.
    """

    burst: int = 30
    refill: timedelta = timedelta(seconds=2)
    penalty: timedelta = timedelta(minutes=1)

    def check(self, empty_at: datetime | None, unread: int, now: datetime) -> FloodCheck:
        """Whether the message arriving `now` is read, and the bucket after it."""
        level = max(empty_at or now, now)
        if level <= self.full_after(now):
            return FloodCheck(read=True, tell=False, empty_at=level + self.refill, unread=0)
        ceiling = now + self.burst * self.refill + self.penalty
        kept_full = min(level + self.refill, ceiling)
        return FloodCheck(read=False, tell=unread == 0, empty_at=kept_full, unread=unread + 1)

    def full_after(self, now: datetime) -> datetime:
        """A bucket empty only after this moment is full: the next message is not read.

        The inbox's arrival statement asks this of the stored row, to log such a
        message by its length alone.
        """
        return now + (self.burst - 1) * self.refill


@dataclass(frozen=True)
class FloodCheck:
    """One message against the limit, and what the conversation row keeps after it."""

    read: bool
    tell: bool  # the first message not read in a row: the patient is told which one
    empty_at: datetime  # -> flood_window_start
    unread: int  # -> flood_count
