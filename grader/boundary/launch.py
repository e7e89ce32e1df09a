"""Starting and ending worker processes: in a jail where there is one, by either start method.

Two start methods. `spawn` starts a fresh isolated interpreter per worker and works everywhere.
`fork` starts one zygote (the worker program and nothing else) and forks each worker from it,
which is much cheaper; it needs `os.fork` and file-descriptor passing, so POSIX only. The
zygote never holds a test, a score or a result.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from grader.boundary import lockdown, protocol
from grader.boundary.jail import KIT, SCRATCH, Jail, interpreter
from grader.boundary.protocol import Order

StartMethod = Literal["spawn", "fork"]
SERIALS = itertools.count()  # numbers each worker of this process, for a uid of its own
START_METHODS: tuple[StartMethod, ...] = ("spawn", "fork")
WORKER_PROGRAM = Path(__file__).with_name("worker.py")
MAX_ANSWER_BYTES = 8 * 1024 * 1024
# What the worker is started with: no user site and no site-packages (it needs only the standard
# library). Not -I: that would ignore PYTHONHASHSEED, and string hashing must not vary between
# runs. The environment is scrubbed instead, and the worker drops its own folder from sys.path.
INTERPRETER = [sys.executable, "-s", "-S"]
INTERPRETER_IN_JAIL = [interpreter(), "-s", "-S"]
ZYGOTE_ANSWERS_WITHIN = 5.0  # seconds; a zygote slower than this is stopped, and replaced



class WorkerDied(Exception):
    """The worker ended (os._exit, a crash, a kill) before it answered."""


def available_start_methods() -> tuple[StartMethod, ...]:
    """`fork` needs os.fork and passing file descriptors over a socket (POSIX)."""
    forks = hasattr(os, "fork") and hasattr(socket, "send_fds")
    return START_METHODS if forks else ("spawn",)


def default_start_method() -> StartMethod:
    return "fork" if "fork" in available_start_methods() else "spawn"


def scrubbed_environment() -> dict[str, str]:
    """Nothing of the grader's environment but what an interpreter needs to start."""
    keep = ("SYSTEMROOT", "SystemRoot")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(LC_ALL="C.UTF-8", PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", TZ="UTC")
    return env


class AnswerTimeout(Exception):
    pass


@dataclass
class Process:
    """One running worker: a pipe to write requests to, and its answers, a line at a time.

    On POSIX the answers are read with select() in this thread; elsewhere (Windows cannot
    select on a pipe) a reader thread queues them.
    """

    requests: IO[bytes]
    kill: Callable[[], None]
    responses: IO[bytes] | None = None
    # Answers read and not yet taken: those before `taken` were, and no newline is in those
    # after `taken` before `searched`. Batches of answers come together: each is taken by
    # moving `taken`, not by copying what is left.
    buffer: bytearray = field(default_factory=bytearray)
    taken: int = 0
    answers: queue.Queue[bytes | None] = field(default_factory=queue.Queue)

    def start_reading(self, responses: IO[bytes]) -> None:
        if os.name == "posix":
            self.responses = responses
            return

        def pump() -> None:
            with responses:
                while line := responses.readline(MAX_ANSWER_BYTES):
                    self.answers.put(line)
            self.answers.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def answer(self, timeout: float) -> bytes | None:
        """The next line (at most MAX_ANSWER_BYTES), or None when the worker has ended."""
        if self.responses is None:
            try:
                return self.answers.get(timeout=timeout)
            except queue.Empty:
                raise AnswerTimeout from None
        deadline = time.monotonic() + timeout
        fd = self.responses.fileno()
        searched = self.taken
        while (end := self.buffer.find(b"\n", searched)) < 0:
            if self.taken:  # only the start of an answer is left: keep just that
                del self.buffer[:self.taken]
                self.taken = 0
            if len(self.buffer) >= MAX_ANSWER_BYTES:
                end = len(self.buffer)  # no answer is this long: what came is returned as one
                break
            searched = len(self.buffer)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise AnswerTimeout
            chunk = os.read(fd, min(1 << 16, MAX_ANSWER_BYTES - len(self.buffer)))
            if not chunk:
                return None
            self.buffer += chunk
        line = bytes(self.buffer[self.taken:end])
        self.taken = end + 1
        return line

    def closed(self, deadline: float) -> None:
        """Wait (until `deadline`) for end-of-file on the answers: the worker has exited."""
        if self.responses is None:
            return
        fd = self.responses.fileno()
        with contextlib.suppress(OSError):
            while (left := deadline - time.monotonic()) > 0:
                if select.select([fd], [], [], left)[0] and not os.read(fd, 1 << 16):
                    return

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.requests.close()
        if self.responses is not None:
            self.responses.close()


GONE_WITHIN = 2.0  # seconds to wait for a killed worker's processes to be gone


def kill_group(pid: int, process: Process | None,
               reap: Callable[[], object] = lambda: None) -> None:
    """Kill a worker and every process it started (it leads its own session and process
    group), and return once none of them is left, so that no process of a submission outlives
    its grading. `reap` collects the worker when it is our own child (a zombie still counts)."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(OSError):  # already gone, or not yet a group leader
            kill(pid, signal.SIGKILL)
    reap()
    deadline = time.monotonic() + GONE_WITHIN
    if process is not None:
        process.closed(deadline)  # the worker itself is gone; anything else of its group?
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except OSError:  # no process is left in the group
            return
        time.sleep(0.0005)


@dataclass
class JailInit:
    """The init of a jail's PID namespace, seen from the host. bwrap may end before it does,
    but it ends only once every other process of the jail has: waiting for it waits for them."""

    pidfd: int | None  # None where the kernel or Python has no pidfd: nothing to wait for

    @classmethod
    def read(cls, fd: int) -> JailInit:
        """From bwrap's --info-fd: a JSON object with the init's `child-pid`."""
        data, info = b"", None
        deadline = time.monotonic() + ZYGOTE_ANSWERS_WITHIN
        while info is None and select.select([fd], [], [], max(0, deadline - time.monotonic()))[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
            with contextlib.suppress(ValueError):
                info = json.loads(data)
        pid = info.get("child-pid") if type(info) is dict else None
        if type(pid) is not int or not hasattr(os, "pidfd_open"):
            return cls(None)
        try:
            return cls(os.pidfd_open(pid))
        except OSError:  # already gone
            return cls(None)

    def gone(self, deadline: float) -> None:
        """Wait (until `deadline`) for the init to end, then let go of it."""
        if self.pidfd is None:
            return
        select.select([self.pidfd], [], [], max(0, deadline - time.monotonic()))
        os.close(self.pidfd)
        self.pidfd = None


def start(jail: Jail | None, *options: str, **popen: Any) -> tuple[
        subprocess.Popen[bytes], JailInit]:
    """Start the worker program, in a jail when there is one."""
    if jail is None:
        return subprocess.Popen([*INTERPRETER, str(WORKER_PROGRAM), *options], **popen), \
            JailInit(None)
    uid = lockdown.sandbox_uid(next(SERIALS)) if jail.as_root else None
    info_read, info_write = os.pipe()
    try:
        command = jail.command([*INTERPRETER_IN_JAIL, f"{KIT}/worker.py", *options], uid,
                               info_write)
        process = subprocess.Popen(command, pass_fds=(info_write,), **popen)
    finally:
        os.close(info_write)
    try:
        return process, JailInit.read(info_read)
    finally:
        os.close(info_read)


class SpawnLauncher:
    """A fresh interpreter per worker (in a jail of its own, where there is one)."""

    jailed_workdir = SCRATCH  # the jail is the worker's own

    def __init__(self, jail: Jail | None) -> None:
        self.jail = jail

    def warm(self) -> None:
        """Nothing to start ahead: each worker is an interpreter of its own."""

    def launch(self, workdir: str) -> Process:
        posix = os.name == "posix"
        proc, init = start(
            self.jail,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=None if self.jail else workdir,
            env=scrubbed_environment(),
            start_new_session=posix,
        )
        assert proc.stdin is not None and proc.stdout is not None

        def kill() -> None:
            # In a jail, ending bwrap ends its PID namespace, and with it every process there.
            if posix:
                kill_group(proc.pid, process, reap=proc.wait)
                init.gone(time.monotonic() + GONE_WITHIN)
            else:
                proc.kill()
                proc.wait()

        process = Process(requests=proc.stdin, kill=kill)
        process.start_reading(proc.stdout)
        return process

    def close(self) -> None:
        pass


class ForkLauncher:
    """Workers forked from a zygote, over a socket that carries each worker's pipe ends.

    In a jail, the zygote and its workers share it, one worker at a time: before it forks the
    next worker, the zygote ends the last one and anything else in the jail. A zygote that is
    gone, does not answer (student code can signal it, nothing more) or could not clear the
    jail is replaced, jail and all.
    """

    jailed_workdir = f"{SCRATCH}/work"  # made afresh by the zygote for each worker

    def __init__(self, jail: Jail | None) -> None:
        self.jail = jail
        self.zygote: subprocess.Popen[bytes] | None = None
        self.clearing = 0  # clearings sent whose answers are still to be read

    def warm(self) -> None:
        """Start the zygote now, so that it loads while the grading process does (pytest
        collects the suites in the meantime) instead of when the first worker is needed."""
        if self.zygote is None:
            self.start_zygote()

    def start_zygote(self) -> None:
        self.control, theirs = socket.socketpair()
        self.control.settimeout(ZYGOTE_ANSWERS_WITHIN)
        self.zygote, self.init = start(
            self.jail, "--zygote", *(["--jailed"] if self.jail else []),
            stdin=theirs.fileno(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=scrubbed_environment(),
            start_new_session=True,
        )
        theirs.close()
        self.pids = self.control.makefile("rb")

    def order(self, order: Order, fds: Sequence[int] = ()) -> bytes:
        """Send the zygote an order; its one-line answer (empty when it is gone or silent, and
        then it is stopped, so that the next order starts a new one)."""
        if self.zygote is None or self.zygote.poll() is not None:
            self.close()
            self.start_zygote()
        try:
            while self.clearing:  # the answers to the clearings sent as workers were let go
                self.clearing -= 1
                if self.pids.readline(protocol.ANSWER_BYTES) != protocol.CLEARED:
                    raise OSError("the jail was not cleared")
            socket.send_fds(self.control, [protocol.order_message(order)], list(fds))
            line = self.pids.readline(protocol.ANSWER_BYTES)
        except OSError:  # socket.timeout is an OSError
            line = b""
        if not line.endswith(b"\n"):
            self.close()
            return b""
        return line

    def fork(self, workdir: str, fds: list[int]) -> int | None:
        """A new worker's pid. A zygote that is gone, silent or could not clear its jail of
        what the last worker left is replaced, jail and all, and asked once more."""
        for _ in range(2):
            pid = protocol.read_pid(self.order(protocol.Fork(workdir), fds))
            if pid is not None:
                return pid
            self.close()
        return None

    def launch(self, workdir: str) -> Process:
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        try:
            pid = self.fork(workdir, [request_read, answer_write])
        finally:
            os.close(request_read)
            os.close(answer_write)
        if pid is None:
            os.close(request_write)
            os.close(answer_read)
            raise WorkerDied("the worker zygote is gone")

        def kill() -> None:
            # In a jail, the zygote ends the worker (and whatever it left) while this process
            # goes on, and the next order waits for its answer; the jail ends with the zygote.
            if self.jail is None:
                kill_group(pid, process)
            elif self.zygote is not None:
                try:
                    socket.send_fds(self.control, [protocol.order_message(
                        protocol.Clear(SCRATCH))], [])
                    self.clearing += 1
                except OSError:
                    self.close()

        process = Process(requests=os.fdopen(request_write, "wb"), kill=kill)
        process.start_reading(os.fdopen(answer_read, "rb"))
        return process

    def close(self) -> None:
        self.clearing = 0
        if self.zygote is None:
            return
        # The zygote exits at the end of its orders, and with it the jail. A zygote that does not
        # (student code can stop it) is killed.
        self.control.close()
        self.pids.close()
        try:
            self.zygote.wait(GONE_WITHIN)
        except subprocess.TimeoutExpired:
            kill_group(self.zygote.pid, None, reap=self.zygote.wait)
        self.init.gone(time.monotonic() + GONE_WITHIN)
        self.zygote = None


Launcher = SpawnLauncher | ForkLauncher


def make_launcher(method: StartMethod, jail: Jail | None) -> Launcher:
    return ForkLauncher(jail) if method == "fork" else SpawnLauncher(jail)
