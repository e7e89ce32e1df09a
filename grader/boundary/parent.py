"""The parent's side of the worker boundary: a worker that holds one submission, asked and
answered in the messages of grader/boundary/protocol.py, timed out, ended and restarted; and the
pool its processes come from (grader/boundary/launch.py starts and ends them). Student code never
runs in this process.
"""

from __future__ import annotations

import collections
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from grader.boundary import jail, lockdown, protocol
from grader.boundary.launch import (
    MAX_ANSWER_BYTES,
    SERIALS,
    AnswerTimeout,
    Launcher,
    Process,
)
from grader.boundary.launch import WorkerDied as WorkerDied
from grader.boundary.protocol import (
    Answer,
    Call,
    Hello,
    Load,
    Request,
    SetupFailed,
    Shared,
    Unreadable,
)

# Workers' private folders: in memory where the system has a tmpfs for it (each worker's
# folder is made, filled and removed in a few milliseconds), else the usual temporary folder.
HOST_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# Bytes of requests sent ahead of their answers: far below any pipe's buffer (64 KiB on Linux,
# 16 KiB at least on macOS), so that writing them never blocks.
PIPELINE_BYTES = 12 * 1024


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerBroken(Exception):
    """The worker answered something that is not the protocol; it has been killed."""


class AnswersTooLarge(WorkerBroken):
    """The answers to requests sent together came to more than one answer may be: kept, they
    could take the grading process's memory (a line of nested empty lists is 8 MiB of text
    and 200 MB of objects). The worker has been killed."""


class WorkerSetupFailed(Exception):
    """The worker could not lock itself down, so it runs no student code: a fault of the
    grading machine, never of the submission."""


def missing_protections() -> list[str]:
    """What this machine cannot give the worker (Linux with bubblewrap gives it everything)."""
    missing = [] if jail.find() else [jail.WHY_MISSING]
    try:
        import resource  # noqa: F401 (only whether it exists matters)
    except ImportError:
        missing.append("memory, CPU-time and file-size limits")
    else:
        if sys.platform == "darwin":
            missing.append("the memory limit")
    if os.name != "posix":
        missing.append("ending every process a submission starts (only the worker is ended)")
    return missing


@dataclass
class Started:
    """A worker process in its private folder, waiting for its submission or serving it."""

    process: Process
    workdir: str
    uid: int | None
    jailed: bool = False  # its folder is in its jail, and goes with it
    kept: set[int] = field(default_factory=set)  # the keys of the Shared arguments it holds

    def stop(self) -> None:
        self.process.kill()
        self.process.close()
        if not self.jailed:
            shutil.rmtree(self.workdir, ignore_errors=True)


class Pool:
    """Workers started ahead of need. A pooled worker is blank: it holds no submission until
    one is sent, so it serves the next exercise or the next submission alike, and taking one
    costs no wait for an interpreter or a fork."""

    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher
        # A jail holds one worker at a time, so that no submission meets another there.
        self.size = 0 if launcher.jail else 1
        self.ready: list[Started] = []
        launcher.warm()

    def take(self) -> Started:
        taken = self.ready.pop(0) if self.ready else self.start()
        while len(self.ready) < self.size:
            self.ready.append(self.start())
        return taken

    def start(self) -> Started:
        """A worker in a fresh private folder; as root, under a uid of its own."""
        if self.launcher.jail:  # the folder is made in the jail, the uid is the jail's
            workdir = self.launcher.jailed_workdir
            return Started(self.launcher.launch(workdir), workdir, None, jailed=True)
        workdir = tempfile.mkdtemp(prefix="neuron-kit-", dir=HOST_SCRATCH)
        uid = None
        if lockdown.running_as_root():
            uid = lockdown.sandbox_uid(next(SERIALS))
            os.chown(workdir, uid, uid)
        return Started(self.launcher.launch(workdir), workdir, uid)

    def close(self) -> None:
        for started in self.ready:
            started.stop()
        self.ready = []
        self.launcher.close()


class Worker:
    """A worker that holds one submission, restarted on demand after a timeout or a crash.

    Every request is answered by a fresh or a healthy worker; the submission is sent again to
    each new one, so a restart loses only what student code kept in memory.
    """

    def __init__(self, pool: Pool, hello: Hello) -> None:
        self.pool = pool
        self.hello = hello
        self.current: Started | None = None
        # The working building blocks this worker was given, given again to a worker that
        # replaces it after a timeout or a crash.
        self.given: dict[str, str] = {}
        self.starts = 0
        self.requests = itertools.count()
        self.received = 0  # bytes of answers read

    @property
    def process(self) -> Process | None:
        return self.current.process if self.current else None

    @property
    def workdir(self) -> str | None:
        return self.current.workdir if self.current else None

    def ask(self, request: Request, timeout: float) -> Answer:
        """The worker's answer to `request`. Each answer must carry its request's id, so that a
        line written by student code can never pass for the answer to a later request."""
        return self.receive(self.send(request), timeout)

    def ask_many(self, requests: Sequence[Request], timeout: float,
                 budget: int | None = None) -> Iterator[Answer]:
        """The answers to `requests`, in order, each within `timeout` of the one before.

        Requests go out ahead of their answers, so that many calls cost one round trip; at most
        PIPELINE_BYTES of them are unanswered at a time, so a write never waits on a worker that
        is itself waiting to write an answer. The worker sends its answers together, each at
        the latest protocol.SEND_EVERY after its call (grader/boundary/worker.py, Channel), so
        an answer that does not come in time is that call's. When the worker ends or sends
        something unreadable with several unanswered, which call did it is not known: those
        are asked again one at a time, in a fresh worker, and the first that fails alone
        raises, as it would have if sent alone. At a failure the worker is stopped, and the
        requests after the one that failed are not asked.
        """
        in_flight: collections.deque[tuple[int, int]] = collections.deque()  # number, size
        sent = unanswered = 0
        if budget is None:  # the answers' bytes in all, kept across the asking again
            budget = self.received + MAX_ANSWER_BYTES

        def within_budget(answer: Answer) -> Answer:
            if self.received > budget:
                self.stop()
                raise AnswersTooLarge(f"answers of over {MAX_ANSWER_BYTES} bytes in all")
            return answer

        def oldest() -> Answer:
            nonlocal unanswered
            patience = timeout + (protocol.SEND_EVERY if len(in_flight) > 1 else 0.0)
            answer = self.receive(in_flight[0][0], patience)
            unanswered -= in_flight.popleft()[1]
            return within_budget(answer)

        try:
            for request in requests:
                number, data = self.numbered(request)
                shared = protocol.shared_in(request)
                size = len(data) + sum(map(len, map(protocol.keep_line, self.unsent(shared))))
                while in_flight and unanswered + size > PIPELINE_BYTES:
                    yield oldest()
                self.write(data, shared)
                in_flight.append((number, size))
                unanswered += size
                sent += 1
            while in_flight:
                yield oldest()
        except (WorkerDied, WorkerBroken) as failure:
            if len(in_flight) <= 1 or isinstance(failure, AnswersTooLarge):
                raise
            unanswered_requests = requests[sent - len(in_flight):sent]
            self.reload(unanswered_requests, timeout)
            for request in unanswered_requests:
                yield within_budget(self.ask(request, timeout))
            yield from self.ask_many(requests[sent:], timeout, budget)

    def reload(self, requests: Sequence[Request], timeout: float) -> None:
        """Import the modules that `requests` call in a fresh worker, each under its own time
        limit as when first imported, so that the calls asked again are not charged for it.
        What an import raises is the calls' to report."""
        for module, substitutes in dict.fromkeys(
                (r.module, tuple(r.substitutes)) for r in requests if isinstance(r, Call)):
            self.ask(Load(module, list(substitutes), {}), timeout)

    def send(self, request: Request) -> int:
        """Write a request (flushed by the next `receive`); its number, for the answer."""
        number, data = self.numbered(request)
        self.write(data, protocol.shared_in(request))
        return number

    def numbered(self, request: Request) -> tuple[int, bytes]:
        """The request's number, and the line that sends it."""
        number = next(self.requests)
        return number, protocol.request_line(number, request)

    def unsent(self, shared: Sequence[Shared]) -> list[Shared]:
        """The Shared arguments the worker process does not hold (a new one holds none)."""
        kept = self.current.kept if self.current else set()
        return [argument for argument in shared if argument.key not in kept]

    def write(self, data: bytes, shared: Sequence[Shared] = ()) -> None:
        """Write a request's line, after a Keep for each Shared argument it names that the
        worker process does not hold yet."""
        unsent = self.unsent(shared)
        process = self.process or self.start()
        assert self.current is not None
        try:
            for argument in unsent:
                process.requests.write(protocol.keep_line(argument))
                self.current.kept.add(argument.key)
            process.requests.write(data)
        except (BrokenPipeError, OSError):
            self.stop()
            raise WorkerDied("the worker had ended before it was asked") from None

    def receive(self, number: int, timeout: float) -> Answer:
        """The answer to request `number`, the oldest one unanswered."""
        process = self.process
        if process is None:
            raise WorkerDied("the worker had ended before it answered")
        try:
            process.requests.flush()
        except (BrokenPipeError, OSError):
            self.stop()
            raise WorkerDied("the worker had ended before it was asked") from None
        try:
            line = process.answer(timeout)
        except AnswerTimeout:
            self.stop()
            raise WorkerTimeout(f"no answer within {timeout:g} s") from None
        if line is None:
            self.stop()
            raise WorkerDied("the worker ended before it answered")
        self.received += len(line)
        answer = protocol.read_answer(line, number, self.hello.output_cap)
        if isinstance(answer, SetupFailed):
            self.stop()
            raise WorkerSetupFailed(answer.message)
        if isinstance(answer, Unreadable):
            self.stop()
            raise WorkerBroken(f"the worker's answer was not readable: {answer.why}")
        return answer

    def start(self) -> Process:
        """A pooled worker, sent the submission: it locks itself down, then answers."""
        self.current = self.pool.take()
        self.starts += 1
        hello = self.hello._replace(uid=self.current.uid, known_good=self.given)
        self.current.process.requests.write(protocol.hello_line(hello))
        return self.current.process

    def stop(self) -> None:
        """End the current worker (and everything it started)."""
        if self.current is not None:
            self.current.stop()
            self.current = None

    def renew(self) -> None:
        """End the current worker; the next one has seen nothing of the submission but its
        sources, not even the building blocks this one was given."""
        self.stop()
        self.given = {}

    close = stop
