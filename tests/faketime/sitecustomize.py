"""Put on PYTHONPATH by the runs under faketime (see the Makefile), and by them only.

Debian's libfaketime (0.9.10) fakes the monotonic clock too, and Python's lock
and event waits with a timeout then hang (sem_clockwait is not intercepted): those
runs set FAKETIME_DONT_FAKE_MONOTONIC=1, with FAKETIME_FORCE_MONOTONIC_FIX=0 so
that the GIL's timed waits get their deadline untouched (or every thread spins).
That version then turns the absolute monotonic deadline of Python 3.11's
`time.sleep` into a negative one, and the sleep fails with EINVAL
(wolfcw/libfaketime#426); `select` takes a relative timeout, which it leaves alone.
"""

from __future__ import annotations

import os
import select
import time


def _sleep(seconds: float) -> None:
    """`time.sleep` without clock_nanosleep: the same wait, EINTR retried by Python."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    select.select([], [], [], seconds)


if os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1":
    time.sleep = _sleep
