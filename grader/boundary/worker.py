"""The worker: the only process that runs student code.

It is started as `python -s -S worker.py` in a scrubbed environment (stdlib only, nothing
from the user, the grader or the submission on its path), or forked from a zygote of the same
program (`--zygote`). It reads requests a line at a time and answers each with one line, in
the messages of grader/boundary/protocol.py. Values cross as plain data: exact builtin
types only, so an object with a lying `__eq__` arrives as a description, never as itself.

This file must stay importable by a bare interpreter: it imports nothing from the grader.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import functools
import gc
import importlib.machinery
import io
import linecache
import math
import operator
import os
import random
import re
import signal
import sys
import time
import traceback
import types
import typing
from collections.abc import Callable
from typing import Any

try:
    from grader.boundary import lockdown, protocol
except ImportError:  # run as a program: this file's folder is still on sys.path
    import lockdown  # type: ignore[no-redef,import-not-found]
    import protocol  # type: ignore[no-redef,import-not-found]

MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_INT_BITS = 4096
MAX_STR = 10_000
REPR_CHARS = 200
# Compiled here, in the zygote: every forked worker has it ready instead of compiling it anew.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
SCRATCH = "/tmp"  # in a jail, its one writable place (jail.SCRATCH)

# Functions the hidden suites may hand to student code (an activation, the f to approximate).
LIBRARY: dict[str, Callable[..., Any]] = {
    "identity": lambda z: z,
    "double": lambda z: 2 * z,
    "square": lambda z: z * z,
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "abs": abs,
    "quarter": lambda z: 0.25,
    "one": lambda z: 1,
}

# Pre-imported so that a forked worker starts warm and student imports of them are free.
_WARM = (math, random, typing)


class CappedOutput(io.TextIOBase):
    """What student code prints: kept up to a cap, the rest counted and dropped."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if type(text) is not str:
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]"
        self.parts, self.kept, self.dropped = [], 0, 0
        return text


class Unencodable(Exception):
    pass


class NameMissing(Exception):
    """args: the module, the name it lacks, and the closest name it has ('' for none)."""


def encode(value: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """Plain JSON data for a value, judged by exact type; anything else is only described."""
    budget = [MAX_ITEMS] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise Unencodable("a value too large or too deeply nested")
    kind = type(value)
    if value is None or kind is bool or (kind is str and len(value) <= MAX_STR):
        return value
    if kind is int:
        if value.bit_length() > MAX_INT_BITS:
            raise Unencodable("an int too large to compare")
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind is list:
        return [encode(item, depth + 1, budget) for item in value]
    if kind is tuple:
        return {"$tuple": [encode(item, depth + 1, budget) for item in value]}
    return {"$other": {"type": describe_type(kind), "repr": safe_repr(value)}}


def describe_type(kind: type) -> str:
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", "?")
    return name if module in ("builtins", None) else f"{module}.{name}"


def safe_repr(value: Any) -> str:
    """A short repr, without the memory address a default repr has (feedback is the same on
    every run)."""
    try:
        text = repr(value)
    except BaseException:
        return "<repr failed>"
    if type(text) is not str:
        return "<repr returned no string>"
    return ADDRESS.sub("", text[: REPR_CHARS * 2])[:REPR_CHARS]


class Submission:
    """The student's sources, and the known-good blocks that may stand in for them."""

    def __init__(self, hello: protocol.Hello) -> None:
        # A module's source comes in chunks: a file is one, a notebook gives one per cell, each
        # under its own name so that tracebacks point at the cell.
        self.sources = hello.sources
        # Working building blocks arrive only for a worker grading exercises built on them,
        # never one that grades the blocks themselves.
        self.known_good = dict(hello.known_good)
        self.names = hello.names
        self.allowed = hello.allowed_imports
        self.output_cap = hello.output_cap
        self.universes: dict[frozenset[str], Universe] = {}
        self.imported: set[str] = set()  # what student modules imported
        for chunks in self.sources.values():
            for filename, text in chunks:
                lines = text.splitlines(keepends=True)
                linecache.cache[filename] = (len(text), None, lines, filename)

    def write_copy(self) -> None:
        """The submission's files in the working folder, for code that reads its own file."""
        for name, chunks in self.sources.items():
            with open(f"{name}.py", "w", encoding="utf-8") as copy:
                copy.write("\n".join(text for _, text in chunks))

    def builtins_for(self, name: str) -> dict[str, Any]:
        """A student module's builtins: the import list of the contract, held at run time."""
        earlier = self.names[: self.names.index(name)] if name in self.names else []
        return lockdown.student_builtins(frozenset([*self.allowed, *earlier]), self.imported)

    def universe(self, substitutes: list[str]) -> Universe:
        key = frozenset(substitutes)
        if key not in self.universes:
            self.universes[key] = Universe(self, key)
        return self.universes[key]

    def student_files(self) -> set[str]:
        return {filename for chunks in self.sources.values() for filename, _ in chunks}


class Universe:
    """One consistent set of modules: the student's, with some replaced by known-good ones."""

    def __init__(self, submission: Submission, substitutes: frozenset[str]) -> None:
        self.submission = submission
        self.substitutes = substitutes
        self.modules: dict[str, types.ModuleType] = {}

    def activate(self) -> None:
        for name in self.submission.names:
            if name in self.modules:
                sys.modules[name] = self.modules[name]
            else:
                sys.modules.pop(name, None)
        FINDER.universe = self

    def load(self, name: str) -> types.ModuleType:
        module = self.modules.get(name)
        if module is not None and FINDER.universe is self:  # most calls: nothing to switch
            return module
        self.activate()
        __import__(name)
        return self.modules[name]

    def source(self, name: str) -> list[tuple[str, str]] | None:
        if name in self.substitutes and name in self.submission.known_good:
            return [(f"<known-good {name}>", self.submission.known_good[name])]
        return self.submission.sources.get(name)

    def execute(self, module: types.ModuleType) -> None:
        name = module.__name__
        chunks = self.source(name)
        assert chunks is not None
        substituted = name in self.substitutes and name in self.submission.known_good
        if substituted:  # the student's builtins all the same: they can reach its globals
            module.__dict__["__builtins__"] = self.submission.builtins_for(name)
        else:
            self.as_students(module)
        self.modules[name] = module
        try:
            for filename, text in chunks:
                exec(compiled(text, filename), module.__dict__)
        except BaseException:
            del self.modules[name]
            raise
        if substituted and name in self.submission.sources:
            module.__getattr__ = self.own_names(name)  # type: ignore[method-assign]
        self.put_in_working_functions(module)

    def put_in_working_functions(self, module: types.ModuleType) -> None:
        """Replace the functions of the module named `module.function` among the substitutes
        (`perceptron.predict`) with working ones: its other functions, which call them, are
        then graded on their own."""
        for entry in sorted(self.substitutes):
            owner, _, function = entry.partition(".")
            if owner != module.__name__ or not function or entry not in self.submission.known_good:
                continue
            # The student's builtins: through the function's globals, nothing more is reachable.
            working: dict[str, Any] = {"__name__": f"<known-good {entry}>",
                                       "__builtins__": self.submission.builtins_for(owner)}
            exec(compiled(self.submission.known_good[entry], f"<known-good {entry}>"), working)
            setattr(module, function, working[function])

    def as_students(self, module: types.ModuleType) -> None:
        name = module.__name__
        module.__file__ = os.path.abspath(f"{name}.py")
        module.__dict__["__builtins__"] = self.submission.builtins_for(name)

    def own_names(self, name: str) -> Callable[[str], Any]:
        """What a working block lacks, its student's module has (PEP 562's module __getattr__):
        a helper of their own that a later exercise imports keeps working. Their module is run
        only when such a name is first asked for."""
        own: list[types.ModuleType] = []

        def lookup(attribute: str) -> Any:
            if attribute.startswith("__"):  # the import system's questions, not a helper
                raise AttributeError(attribute)
            if not own:
                module = types.ModuleType(name)
                self.as_students(module)
                for filename, text in self.submission.sources[name]:
                    exec(compiled(text, filename), module.__dict__)
                own.append(module)
            return getattr(own[0], attribute)

        return lookup


@functools.cache
def compiled(text: str, filename: str) -> types.CodeType:
    """Code for a source (a chunk executed in several universes is compiled once)."""
    return compile(text, filename, "exec", dont_inherit=True)


def warm_up() -> None:
    """What every worker would otherwise do anew: resolve where the standard library is."""
    lockdown.standard_library()


class ContractFinder:
    """Imports of the contract's modules come from the active universe, never from disk."""

    universe: Universe | None = None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if self.universe is None or self.universe.source(fullname) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, origin="submission")  # type: ignore[arg-type]

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        assert self.universe is not None
        self.universe.execute(module)


FINDER = ContractFinder()


class Worker:
    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.output = CappedOutput(submission.output_cap)
        self.kept: dict[int, Any] = {}  # the data of Shared arguments, by key
        self.templates: dict[tuple[int, tuple[str, ...]], Argument] = {}  # by key and universe

    def keep(self, order: protocol.Keep) -> None:
        """Hold a Shared argument's data, and let go of those no call will name again."""
        self.kept = {key: data for key, data in self.kept.items() if key >= order.since}
        self.templates = {key: argument for key, argument in self.templates.items()
                          if key[0] >= order.since}
        self.kept[order.key] = order.data

    def handle(self, request: protocol.Request) -> protocol.Answer:
        # Student code that draws random numbers draws the same ones every run, whatever ran
        # before. Seeding costs more than most calls, and code that never imported `random`
        # drew nothing since lock_down seeded it.
        if "random" in self.submission.imported:
            random.seed(0)
        if isinstance(request, protocol.Load):
            self.submission.known_good.update(request.known_good)
            return self.run(lambda: self.module(request))
        if isinstance(request, protocol.Get):
            return self.run(lambda: self.defined(request, request.name))
        return self.call(request)

    def defined(self, request: protocol.Request, name: str) -> Any:
        """The module's `name`; where it has none, NameMissing (not the AttributeError that
        would read as if the student's code had raised it)."""
        module = self.module(request)
        if not hasattr(module, name):
            names = [n for n in dir(module) if not n.startswith("_")]
            raise NameMissing(request.module, name,
                              next(iter(difflib.get_close_matches(name, names, n=1)), ""))
        return getattr(module, name)

    def module(self, request: protocol.Request) -> types.ModuleType:
        return self.submission.universe(request.substitutes).load(request.module)

    def call(self, request: protocol.Call) -> protocol.Answer:
        sent = [*request.args, *request.kwargs.values()]
        arguments = [self.argument(data, request) for data in sent]
        values = [argument.value for argument in arguments]
        count = len(request.args)
        args, kwargs = values[:count], dict(zip(request.kwargs, values[count:], strict=True))

        def invoke() -> Any:
            return self.defined(request, request.function)(*args, **kwargs)

        answer = self.run(invoke)
        if isinstance(answer, protocol.Missing):
            return answer
        changed = tuple(place for place, argument in enumerate(arguments) if argument.changed())
        if isinstance(answer, protocol.Returned):
            return protocol.Returned(answer.value, answer.output, changed)
        return protocol.Threw(answer.raised, answer.output, changed)

    def argument(self, data: Any, request: protocol.Call) -> Argument:
        """An argument from its data, or from the kept data of a Shared one, decoded once for
        all the calls that name it in one universe (a student's function it holds is that
        universe's) where a copy will do."""
        if type(data) is not dict or protocol.KEPT not in data:
            return Argument(self, data, request)
        key = (data[protocol.KEPT], tuple(request.substitutes))
        if key not in self.templates:  # never itself a call's: the calls get copies
            self.templates[key] = Argument(self, self.kept[key[0]], request)
        return self.templates[key].copy() or Argument(self, self.kept[key[0]], request)

    def decode(self, data: Any, request: protocol.Call, argument: Argument) -> Any:
        kind = type(data)
        if kind is list:
            items = data[:] if numbers(data) else [
                self.decode(item, request, argument) for item in data]
            argument.lists.append((items, tuple(items)))
            return items
        if kind is dict:
            if "$tuple" in data:
                inner = data["$tuple"]
                return tuple(inner) if numbers(inner) else tuple(
                    self.decode(item, request, argument) for item in inner)
            if "$fn" in data:
                argument.regular = False  # a function encodes to its description
                return self.function(data["$fn"], request)
            if "$float" in data:
                number = float(data["$float"])
                argument.regular = argument.regular and repr(number) == data["$float"]
                return number
            argument.regular = argument.identified = False  # not a form the parent sends
        if ((kind is str and len(data) > MAX_STR)
                or (kind is int and data.bit_length() > MAX_INT_BITS)):
            argument.regular = False  # encoded, these become descriptions
        return data

    def function(self, ref: str, request: protocol.Call) -> Callable[..., Any]:
        where, _, name = ref.partition(":")
        if where == "lib":
            return LIBRARY[name]
        module_name, _, function_name = name.partition(".")
        module = self.submission.universe(request.substitutes).load(module_name)
        return getattr(module, function_name)  # type: ignore[no-any-return]

    def run(self, action: Callable[[], Any]) -> protocol.Answer:
        sys.stdout = sys.stderr = self.output
        try:
            value = action()
        except NameMissing as missing:
            self.output.take()
            return protocol.Missing(*missing.args)
        except BaseException as error:  # student code may raise anything, SystemExit included
            return protocol.Threw(self.describe_error(error), self.output.take(), ())
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        try:
            encoded = encode(value)
        except (Unencodable, RecursionError) as problem:
            encoded = {"$other": {"type": describe_type(type(value)), "repr": str(problem)}}
        return protocol.Returned(encoded, self.output.take(), ())

    def describe_error(self, error: BaseException) -> protocol.Raised:
        """The exception as data, with the student's own frames only (their lines come from
        linecache, which holds the sources: no file is read)."""
        kind = type(error)
        builtin_bases = [k.__name__ for k in kind.__mro__ if k.__module__ == "builtins"]
        student = self.submission.student_files()
        frames = []
        for frame, line in traceback.walk_tb(error.__traceback__):
            filename = frame.f_code.co_filename
            if filename in student:
                text = linecache.getline(filename, line).strip()
                frames.append(protocol.Frame(filename, line, frame.f_code.co_name, text))
        return protocol.Raised(describe_type(kind), tuple(builtin_bases), safe_str(error),
                               tuple(frames))


NUMBER_TYPES = frozenset({int, float, bool})


def numbers(items: list[Any]) -> bool:
    """Whether the items are numbers that decode to themselves (most vectors are): checked
    without a Python-level loop, since a vector may be long."""
    return NUMBER_TYPES.issuperset(map(type, items)) and (
        not items or max(map(abs, items)) < 1 << MAX_INT_BITS)


class Argument:
    """An argument of a call, decoded from the data it was sent as, and whether the call changed
    it (the contract says it must not).

    Only its lists can change: everything else the parent sends is immutable. A list whose items
    are still the very objects it was made with is unchanged, so most calls are settled without
    encoding anything; otherwise the argument is encoded again and compared with what it was
    sent as, which is what `encode` gives for it (or, for data that does not encode back to
    itself, what it gave before the call).
    """

    def __init__(self, worker: Worker, data: Any, request: protocol.Call) -> None:
        self.lists: list[tuple[list[Any], tuple[Any, ...]]] = []
        self.regular = True  # whether the data is what `encode` gives for the value
        self.identified = True  # whether its lists are all it holds that could change
        self.value = worker.decode(data, request, self)
        self.before = data if self.regular else encode_quietly(self.value)

    def copy(self) -> Argument | None:
        """The same argument anew, without decoding its data again, where that is only a
        matter of copying one list: a vector, or a list of tuples (100 bumps). None for
        anything else. Its items are shared, which only that they cannot change allows."""
        if not (len(self.lists) == 1 and self.lists[0][0] is self.value):
            return None
        twin = copy.copy(self)
        twin.value = self.value[:]
        twin.lists = [(twin.value, self.lists[0][1])]  # the very items: the same snapshot
        return twin

    def changed(self) -> bool:
        if self.identified and all(
            len(items) == len(kept) and all(map(operator.is_, items, kept))
            for items, kept in self.lists
        ):
            return False
        return bool(encode_quietly(self.value) != self.before)


def encode_quietly(value: Any) -> Any:
    try:
        return encode(value)
    except (Unencodable, RecursionError):
        return {"$other": {"type": describe_type(type(value)), "repr": ""}}


def safe_str(error: BaseException) -> str:
    try:
        text = str(error)
    except BaseException:
        return "<the exception's message could not be shown>"
    return text[:500] if type(text) is str else ""


def lock_down(hello: protocol.Hello) -> Submission:
    """Limits, a user of its own, the submission's copy, then the policy: in that order, since
    each step needs rights that the next one takes away."""
    submission = Submission(hello)
    random.seed(0)
    lockdown.apply_limits(**hello.limits)
    if hello.uid is not None:
        lockdown.drop_privileges(hello.uid)
    submission.write_copy()
    modules = [*hello.allowed_imports, *hello.names]
    sys.addaudithook(lockdown.audit_hook(os.getcwd(), lockdown.standard_library(), modules))
    sys.meta_path.insert(0, FINDER)
    return submission


TIMER = hasattr(signal, "setitimer")  # not on Windows: there each answer goes out at once


def serve(requests: int, responses: int) -> None:
    """Lock this process down, then answer requests until the parent closes the pipe.

    If the lock-down fails, no student code runs: every request is answered with the reason.
    """
    channel = Channel(requests, responses)
    if TIMER:
        signal.signal(signal.SIGALRM, channel.on_time)
    lines = channel.requests()
    worker: Worker | None = None
    try:
        worker = Worker(lock_down(protocol.read_hello(next(lines, b""))))
    except Exception as error:
        failure = protocol.SetupFailed(
            f"the worker could not lock itself down: {type(error).__name__}: {error}")
    for line in lines:
        number, request = protocol.read_request(line)
        if isinstance(request, protocol.Keep):
            if worker:
                worker.keep(request)
            continue
        channel.answer(protocol.answer_line(
            number, worker.handle(request) if worker else failure))


class Channel:
    """Requests read as they come, and answers sent together: when no request is left to
    answer (the parent is waiting for them), or at the latest protocol.SEND_EVERY seconds
    after the first of them was held back, by an alarm that goes off while a later call still
    runs, so that a slow call never holds back the answers before it for long. Requests sent
    together then cost the parent one wake-up instead of one each.

    One case is left: an answer held back when the next call at once holds the interpreter in
    C for longer than the time limit goes out only with that call's, too late: the timeout is
    then reported for the earlier call of the two, in the same test. The test fails either
    way; only the call it names differs."""

    def __init__(self, requests: int, responses: int) -> None:
        self.fd = requests
        self.responses = responses
        self.unsent: list[bytes] = []
        self.sending = False
        self.since = 0.0  # the last read of requests or send of answers

    def requests(self) -> typing.Iterator[bytes]:
        pending, start = b"", 0
        while True:
            end = pending.find(b"\n", start)
            if end >= 0:
                yield pending[start:end + 1]
                start = end + 1
                continue
            self.send()
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return
            self.since = time.monotonic()
            pending, start = pending[start:] + chunk, 0

    def answer(self, line: bytes) -> None:
        self.unsent.append(line)
        # An answer is held back only within SEND_EVERY of the last read or send: the alarm
        # cannot go off while a call runs in C (sum(range(10**9))), and an answer held for
        # the whole of such a call could miss the parent's time limit.
        if not TIMER or time.monotonic() - self.since >= protocol.SEND_EVERY:
            self.send()
        elif len(self.unsent) == 1:
            signal.setitimer(signal.ITIMER_REAL, protocol.SEND_EVERY)

    def on_time(self, signum: int, frame: Any) -> None:
        # The parent gone: the read after the call ends the worker.
        with contextlib.suppress(OSError):
            self.send()

    def send(self) -> None:
        # The alarm's handler runs between any two bytecodes, this method's included: the flag
        # makes it wait for the send under way, which takes every answer held so far.
        if self.sending or not self.unsent:  # nothing held back, no alarm set
            return
        self.sending = True
        try:
            if TIMER:
                signal.setitimer(signal.ITIMER_REAL, 0)
            lines, self.unsent = self.unsent, []
            self.since = time.monotonic()
            data = memoryview(b"".join(lines))
            while data:
                data = data[os.write(self.responses, data):]
        finally:
            self.sending = False


def private_channels() -> tuple[int, int]:
    """Move the protocol off fds 0 and 1, and point 0, 1 and 2 at the null device.

    Student code that reads stdin gets end-of-file, and what it writes below Python's sys.stdout
    (os.write(1, ...)) is discarded instead of corrupting the protocol or filling a pipe.
    """
    requests, responses = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdin = io.TextIOWrapper(io.BytesIO())
    return requests, responses


def zygote(jailed: bool) -> None:
    """Fork one worker per request: each gets the pipe ends the parent passed, and a new session.

    Only this program is in the zygote's memory: a forked worker inherits no test, score or result.
    In a jail (grader/boundary/jail.py) one worker lives at a time: before the next one starts,
    every other process in the jail is killed and the jail's writable folder emptied, so that
    nothing of one submission meets the next (and where that fails, the parent is told, and
    replaces the jail).
    """
    import socket

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    warm_up()
    channel = socket.socket(fileno=os.dup(0))
    # Everything loaded so far is shared with every child until written to; keeping the
    # collector off it spares each child copying those pages.
    gc.freeze()
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 4096, 2)
        if not message:  # the parent is done: no cleaning up, nothing of Python's exit runs
            os._exit(0)
        order = protocol.read_order(message)
        if isinstance(order, protocol.Clear):
            clean = jailed and lockdown.end_the_others(order.scratch)
            channel.sendall(protocol.CLEARED if clean else b"unclean\n")
            continue
        if jailed:
            if not lockdown.end_the_others(SCRATCH):
                for fd in fds:
                    os.close(fd)
                channel.sendall(b"unclean\n")  # the parent replaces this jail
                continue
            os.mkdir(order.cwd)
        pid = os.fork()
        if pid == 0:
            channel.close()
            os.setsid()
            os.chdir(order.cwd)
            os.dup2(fds[0], 0)
            os.dup2(fds[1], 1)
            for fd in fds:
                os.close(fd)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                serve(*private_channels())
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        channel.sendall(f"{pid}\n".encode())


if __name__ == "__main__":
    # Nothing beside this file (the grader's own modules) may be importable by student code.
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != os.path.dirname(__file__)]
    arguments = sys.argv[1:]
    if arguments[-2:-1] == ["--become"]:  # a root jail's first act: an unprivileged uid
        lockdown.drop_privileges(int(arguments.pop()))
        arguments.pop()
    if arguments[:1] == ["--zygote"]:
        if arguments[1:] == ["--jailed"]:
            lockdown.undumpable()
        zygote(jailed=arguments[1:] == ["--jailed"])
    else:
        try:
            serve(*private_channels())
        finally:
            os._exit(0)  # no atexit handler or finalizer of student code runs after serving
