"""Student code as the hidden suites see it: remote functions whose calls come back as data.

`student.dot([1, 2], [3, 4])` asks the worker to make that call and returns an `Outcome`: what
was called, what came back (checked plain data) or what was raised, what was printed, and
whether the arguments were changed. Timeouts and crashes are raised here as `StudentError`s,
since there is nothing to compare.
"""

from __future__ import annotations

import builtins
import contextlib
import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.boundary import protocol
from grader.boundary.parent import Worker, WorkerBroken, WorkerDied, WorkerTimeout
from grader.boundary.protocol import Answer, Get, Load, Missing, Request, Shared, Threw
from grader.boundary.wire import FunctionRef, decode, encode, show
from grader.catalog import known_good_source

BUILTIN_EXCEPTIONS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException))
# After this many timeouts of one function, its remaining calls are not made: an endless
# loop then costs seconds, not a minute, and the same calls are skipped on every run.
TIMEOUTS_BEFORE_GIVING_UP = 2
SHARED_KEYS = itertools.count()  # a Shared argument's key, unique in this process


class Raised(protocol.Raised):
    """An exception student code raised, as the parent read it (checked and capped)."""

    __slots__ = ()

    def is_a(self, name: str) -> bool:
        return name in self.bases

    @property
    def not_written(self) -> bool:
        return self.is_a("NotImplementedError")

    @property
    def builtin_name(self) -> str:
        """The name of the nearest builtin exception it is (a name no student chose), or a
        fixed phrase: what a hidden test may show."""
        return next((name for name in self.bases if name in BUILTIN_EXCEPTIONS),
                    "an exception")

    def headline(self) -> str:
        return f"{self.type_name}: {self.message}" if self.message else self.type_name

    def where(self) -> str:
        """The student's own frames, innermost last."""
        return "\n".join(
            f'{frame.filename}, line {frame.line}, in {frame.function}: {frame.text}'
            for frame in self.frames
        )


@dataclass(frozen=True, eq=False)
class Call:
    """A call as the feedback shows it; written out only when a failure needs it, since most
    calls succeed and some carry long vectors."""

    function: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] | None = None  # None: reading a constant, not a call

    def __str__(self) -> str:
        if self.kwargs is None:
            return self.function
        shown = [show(arg) for arg in self.args]
        shown += [f"{key}={show(value)}" for key, value in self.kwargs.items()]
        return f"{self.function}({', '.join(shown)})"


@dataclass(frozen=True)
class Outcome:
    """What one call of student code did."""

    call: Call
    returned: Any = None
    raised: Raised | None = None
    output: str = ""
    mutated: tuple[int, ...] = ()  # the places of the arguments it changed

    @property
    def value(self) -> Any:
        """What came back; a raised exception becomes a StudentRaised (the test errors)."""
        if self.raised is not None:
            raise StudentRaised(self.raised, self.call, self.output)
        return self.returned


class StudentError(Exception):
    """Student code could not give an answer to compare."""

    status = "error"

    def __init__(self, message: str, call: Call | str = "", output: str = "",
                 hint: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.call = str(call)
        self.output = output
        self.hint = hint  # the lesson's idea behind the call, where the test knows it
        self.detail = detail  # more of the message, for a public test only (it quotes a call)


class StudentRaised(StudentError):
    def __init__(self, raised: Raised, call: Call | str = "", output: str = "",
                 hint: str = "") -> None:
        if raised.not_written:
            message = "not written yet: it still raises NotImplementedError"
        elif raised.is_a("SystemExit") or raised.is_a("KeyboardInterrupt"):
            message = f"raised {raised.type_name}, which ends a program; a function should return"
        else:
            message = f"raised {raised.headline()}"
        super().__init__(message, call, output, hint if not raised.not_written else "")
        self.raised = raised


class StudentTimeout(StudentError):
    status = "timeout"


class StudentCrashed(StudentError):
    pass


@dataclass
class Session:
    """One submission being graded: its worker, and what each exercise is graded against."""

    worker: Worker
    call_timeout: float
    timeouts: Counter[str] = field(default_factory=Counter)
    metered: bool = True  # whether a timeout counts towards giving up on that function
    hidden: bool = False  # whether the calls now are a hidden test's (their text is not shown)
    slow: dict[str, str] = field(default_factory=dict)  # a call of each function that timed out

    @contextlib.contextmanager
    def unmetered(self) -> Iterator[None]:
        """Calls made only to draw a picture: a timeout among them is no reason to give up
        on the function's remaining tests."""
        self.metered, before = False, self.metered
        try:
            yield
        finally:
            self.metered = before

    def ask(self, what: Call | str, request: Load | Get) -> Answer:
        key = f"{request.module}.{request.name if isinstance(request, Get) else ''}"
        return self.answer(what, key, lambda: self.worker.ask(request, self.call_timeout))

    def ask_many(self, key: str, asked: Sequence[tuple[Call, Request]]) -> list[
            Answer | StudentError]:
        """The answers to requests of one function (`module.function`) sent together, in
        order; where one could not be answered, its error, and nothing after it (the worker
        went down with the requests it held)."""
        answers: list[Answer | StudentError] = []
        pending = self.worker.ask_many([request for _, request in asked], self.call_timeout)
        for what, _ in asked:
            try:
                answers.append(self.answer(what, key, pending.__next__))
            except StudentError as error:
                answers.append(error)
                break
        return answers

    def answer(self, what: Call | str, key: str, answered: Callable[[], Answer]) -> Answer:
        """The worker's answer to a request for `key` (`module.function`), from `answered`;
        its failures to answer, as the student's errors. (A plain call, not a context manager:
        it wraps every call of student code.)"""
        if self.timeouts[key] >= TIMEOUTS_BEFORE_GIVING_UP:
            raise StudentTimeout(
                f"not run: {key.partition('.')[2] or 'the import'} already ran out of time "
                f"{self.timeouts[key]} times (limit {self.call_timeout:g} s a call)",
                what,
                detail=f", first on {self.slow[key]}" if key in self.slow else "",
            )
        try:
            return answered()
        except WorkerTimeout:
            self.timeouts[key] += self.metered
            if self.metered and not self.hidden:
                self.slow.setdefault(key, str(what))
            raise StudentTimeout(
                f"did not finish within {self.call_timeout:g} s: an endless loop, or far too "
                "much work",
                what,
            ) from None
        except WorkerDied:
            raise StudentCrashed(
                "ended the grading process before returning (os._exit, a crash, or running "
                "out of memory)",
                what,
            ) from None
        except WorkerBroken:
            raise StudentCrashed("sent back something that is not an answer", what) from None
        except BaseException:
            self.worker.stop()  # interrupted mid-request: its answer must not reach the next one
            raise

    def load(self, module: str, substitutes: list[str]) -> Raised | None:
        """Import a module in the worker; what it raised, if anything."""
        known_good = {name: known_good_source(name)
                      for name in substitutes if name not in self.worker.given}
        self.worker.given.update(known_good)
        answer = self.ask(f"import {module}", Load(module, substitutes, known_good))
        return Raised(*answer.raised) if isinstance(answer, Threw) else None

    def outcome(self, what: Call, answer: Answer) -> Outcome:
        if isinstance(answer, Missing):
            closest = f"; did you mean {answer.closest}?" if answer.closest else ""
            raise StudentError(f"{answer.module}.py defines no {answer.name}{closest}", what)
        if isinstance(answer, Threw):
            return Outcome(what, raised=Raised(*answer.raised), output=answer.output,
                           mutated=answer.mutated)
        return Outcome(what, returned=decode(answer.value), output=answer.output,
                       mutated=answer.mutated)


class Student:
    """One exercise's module in the worker: `student.dot(...)`, `student.constant("GATES")`."""

    def __init__(self, session: Session, module: str, substitutes: list[str]) -> None:
        self.session = session
        self.module = module
        self.substitutes = substitutes

    def __getattr__(self, function: str) -> RemoteFunction:
        if function.startswith("_"):
            raise AttributeError(function)
        return RemoteFunction(self, function)

    def constant(self, name: str) -> Outcome:
        request = Get(self.module, name, self.substitutes)
        return self.session.outcome(Call(name), self.session.ask(name, request))

    def own(self, qualified: str) -> FunctionRef:
        """The student's own function, to pass as an argument (`activations.sigmoid`)."""
        return FunctionRef(f"student:{qualified}", f"your {qualified.split('.')[-1]}")


@dataclass(frozen=True)
class RemoteFunction:
    student: Student
    name: str

    def __call__(self, *args: Any, **kwargs: Any) -> Outcome:
        return next(self.each([Args(*args, **kwargs)]))

    def each(self, calls: Iterable[Sequence[Any] | Args]) -> Iterator[Outcome]:
        """The function called once per sequence of arguments (or `Args`, for some given by
        name), the calls sent together: one round trip instead of one per call. Their outcomes
        come in order, and a call that timed out or crashed raises when its turn comes, as it
        would have called alone."""
        session = self.student.session
        arguments = [call if isinstance(call, Args) else Args(*call) for call in calls]
        # An argument passed to several calls (the same 100 bumps) is written and read once;
        # the arguments stay alive throughout, so their ids are theirs.
        uses = Counter(id(arg) for call in arguments for arg in call.args)
        written: dict[int, Shared] = {}
        since = next(SHARED_KEYS)  # below every key of these calls, above every earlier one

        def sent(value: Any) -> Any:
            if uses[id(value)] < 2:
                return encode(value)
            if id(value) not in written:
                text = json.dumps(encode(value))
                written[id(value)] = Shared(next(SHARED_KEYS), text, since)
            return written[id(value)]

        module, substitutes = self.student.module, self.student.substitutes
        asked = [
            (Call(self.name, call.args, call.kwargs), protocol.Call(
                module, self.name, substitutes, [sent(arg) for arg in call.args],
                {key: encode(value) for key, value in call.kwargs.items()}))
            for call in arguments
        ]
        key = f"{module}.{self.name}"
        for (what, _), answer in zip(asked, session.ask_many(key, asked), strict=False):
            if isinstance(answer, StudentError):
                raise answer
            yield session.outcome(what, answer)

@dataclass(frozen=True)
class Args:
    """One call's arguments for `each`, some of them given by name: `Args(0.0, 0, 1, k=5.0)`."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "kwargs", kwargs)


def library(name: str) -> FunctionRef:
    """A plain function of the worker's (identity, square, sin, ...) to pass to student code."""
    return FunctionRef(f"lib:{name}", name)
