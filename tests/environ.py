"""The environment a test gives the processes it starts, whichever clock the run has.

`make test` runs the date-sensitive tests a second time a year ahead, under
Debian's faketime (Makefile, tests/faketime/sitecustomize.py). The test's Python
subprocesses (ticks, workers, web servers) must then agree with it on the day, so
they keep libfaketime's variables; the servers it starts keep the real clock, as
the shared PostgreSQL does.
"""

from __future__ import annotations

import os

KEPT = {"PATH", "HOME", "LANG", "TMPDIR"}
# The preload, its settings, and the PYTHONPATH that brings tests/faketime along.
FAKETIME = {"LD_PRELOAD", "PYTHONPATH"}


def python_env() -> dict[str, str]:
    """PATH, HOME, LANG and TMPDIR, with libfaketime's variables when the run has them."""
    return {
        name: value
        for name, value in os.environ.items()
        if name in KEPT | FAKETIME or name.startswith("FAKETIME")
    }


def server_env() -> dict[str, str]:
    """This environment without libfaketime's preload (redis-server hangs under it)."""
    return {name: value for name, value in os.environ.items() if name != "LD_PRELOAD"}
