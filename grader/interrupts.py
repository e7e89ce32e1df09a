"""How grading ends when it is told to: SIGTERM is taken as Ctrl-C is, and a bulk job ends with
the process that started it. Either way the same clean-up runs: every worker ended (in a jail,
the jail and every copy of student code in it), and no half-written file."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

PR_SET_PDEATHSIG = 1


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises KeyboardInterrupt (a signal handler needs the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def end_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGTERM when `parent` ends (Linux): a job whose main
    process was killed outright then still ends its workers. Here, not in a worker: ctypes is
    safe in the grader's own processes, never where student code runs."""
    signal.signal(signal.SIGTERM, interrupt)
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the request took effect
        raise KeyboardInterrupt
