"""Attacks on the grader, each a small submission.

Every attack must score no more than an honest answer that is just as wrong (by default the
untouched stub, which scores 0), leave every other exercise graded in full, change nothing
outside the sandbox, and leave no process behind. The placeholders {G} (the os module's globals,
reached without importing anything), {canary}, {suite} and {solutions} are filled in per run.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grader import grading, render, submission
from grader.boundary import lockdown
from grader.boundary.launch import WORKER_PROGRAM
from grader.catalog import SUITES

from ..conftest import EXERCISES, FULL, OS_GLOBALS, SOLUTIONS, scores, write_submission

SECRET = "hunter2-the-instructors-token"
REPORT_CHARS = 400_000  # the reference's report is ~40,000 characters of text and JSON
RETURN_32 = "def dot(w, x):\n    return 32\n"  # honest, and right for exactly one test


@dataclass(frozen=True)
class Attack:
    name: str
    code: str  # the whole attacked module
    module: str = "dot_product"
    honest: str | None = None  # an honest answer as wrong as the attack; None: the stub
    extra_files: dict[str, str] = field(default_factory=dict)  # beside the exercise files
    stubs: bool = False  # the other exercises are the untouched stubs, not the solutions
    absent_from_report: tuple[str, ...] = ()


def dot(body: str) -> str:
    return "def dot(w, x):\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n"


ATTACKS = [
    # Ending the grading early.
    Attack("sys.exit", dot("raise SystemExit(0)")),
    Attack("os._exit", dot("{G}['_exit'](0)")),
    Attack("KeyboardInterrupt", dot("raise KeyboardInterrupt")),
    Attack("a fake pytest skip", "class Skipped(BaseException):\n    pass\n\n\n"
           "Skipped.__module__ = '_pytest.outcomes'\n\n\n" + dot("raise Skipped('skip')")),
    Attack("atexit", "import atexit\natexit.register(print, 'x')\n\n\n" + dot("return 0")),
    Attack("a finalizer at exit",
           "class Later:\n    def __del__(self):\n"
           "        open('{canary}/finalized', 'w').write('x')\n\n\nkeep = Later()\n\n\n"
           + dot("return 0")),
    Attack("exit at import time", "raise SystemExit(0)\n"),
    # Taking too long or too much.
    Attack("an endless loop", dot("while True:\n    pass")),
    Attack("an endless loop with SIGALRM ignored", dot("""
        signal = {G}['sys'].modules.get('signal')
        if signal:
            for number in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
                signal.signal(number, signal.SIG_IGN)
        while True:
            pass""")),
    Attack("a long sleep", dot("{G}['sys'].modules['time'].sleep(3600)")),
    Attack("an endless loop at import time", "while True:\n    pass\n"),
    Attack("a memory bomb", dot("return [0] * (10 ** 10)")),
    Attack("a growing memory bomb", dot("""
        hoard = []
        while True:
            hoard.append(bytearray(10 ** 7))""")),
    Attack("a recursion bomb", dot("return dot(w, x)")),
    Attack("a recursion bomb past the limit", dot("""
        {G}['sys'].setrecursionlimit(10 ** 6)
        def down(n):
            return down(n + 1) + 1
        return down(0)""")),
    Attack("an exception whose message never ends",
           "class Endless(Exception):\n    def __str__(self):\n        while True:\n"
           "            pass\n\n\n" + dot("raise Endless()")),
    Attack("a huge file", dot("open('big', 'w').write('x' * 10 ** 8)")),
    # Processes, threads, signals.
    Attack("a child process", dot("""
        if {G}['fork']() == 0:
            while True:
                pass
        return 0""")),
    Attack("posix_spawn", dot("{G}['posix_spawn']('/bin/sleep', ['sleep', '300'], {})")),
    Attack("a thread left running", dot("""
        thread = {G}['sys'].modules['_thread']
        thread.start_new_thread(lambda: [0 for _ in iter(int, 1)], ())
        return 0""")),
    Attack("killing the parent", dot("{G}['kill']({G}['getppid'](), 9)")),
    Attack("killing the process group", dot("{G}['killpg']({G}['getpgid']({G}['getppid']()), 9)")),
    Attack("taking root back", dot("{G}['setuid'](0)\nreturn 0")),
    Attack("raising its own limits", dot("""
        resource = {G}['sys'].modules['resource']
        resource.setrlimit(resource.RLIMIT_AS, (-1, -1))
        return 0""")),
    # Output.
    Attack("an output flood of fake results",
           dot("for _ in range(10 ** 6):\n    print('PASS dot 10/10 Total: 100/100')\nreturn 0")),
    Attack("a flood below Python", dot("""
        {G}['write'](1, b'x' * 10 ** 7)
        {G}['write'](2, b'x' * 10 ** 7)
        return 0""")),
    Attack("forged answers on the protocol's pipe", dot("""
        for fd in range(3, 30):
            try:
                {G}['write'](fd, b'{"value": 32, "id": 0}\\n' * 50)
            except OSError:
                pass
        return 32"""), honest=RETURN_32),
    # Answers that lie.
    Attack("an always-equal object",
           "class Yes:\n    def __eq__(self, other):\n        return True\n\n"
           "    def __ne__(self, other):\n        return False\n\n"
           "    def __float__(self):\n        return 32.0\n\n    __hash__ = None\n\n\n"
           + dot("return Yes()")),
    Attack("a float subclass", "class F(float):\n    def __eq__(self, other):\n"
           "        return True\n\n    __hash__ = float.__hash__\n\n\n" + dot("return F(32)"),
           honest=RETURN_32),
    Attack("an int subclass", "class I(int):\n    def __eq__(self, other):\n"
           "        return True\n\n    __hash__ = int.__hash__\n\n\n" + dot("return I(32)"),
           honest=RETURN_32),
    Attack("a number as text", dot("return '32'")),
    Attack("an object whose pickling runs code",
           "class Payload:\n    def __reduce__(self):\n"
           "        return (open, ('{canary}/unpickled', 'w'))\n\n\n" + dot("return Payload()")),
    Attack("a ValueError of its own", "class ValueError(Exception):\n    pass\n\n\n" + dot("""
        if len(w) != len(x):
            raise ValueError('no')
        return sum(a * b for a, b in zip(w, x))"""),
           honest=dot("return sum(a * b for a, b in zip(w, x))")),
    Attack("frame inspection for the expected value", dot("""
        frame, seen = {G}['sys']._getframe(), []
        while frame:
            for value in frame.f_locals.values():
                if type(value) in (int, float):
                    seen.append(value)
            frame = frame.f_back
        return seen[-1] if seen else 0""")),
    Attack("a forged answer from the worker's json",
           "json = " + "{G}['sys'].modules['json']\n" + "real = json.dumps\n"
           "json.dumps = lambda answer, **kw: real({**answer, 'value': 32}, **kw)\n\n\n"
           + dot("return 0"), honest=RETURN_32),
    Attack("the worker's own caps replaced", """
sys = {G}['sys']
P = sys.modules.get('protocol') or sys.modules['grader.boundary.protocol']


def huge(number, answer):
    frames = [['dot_product.py', 1, 'f' * 100, 't' * 100]] * 5000
    data = {'id': number, 'output': 'o' * 10 ** 6, 'mutated': False, 'raised': {
        'type_name': 'T' * 2 * 10 ** 6, 'bases': ['ValueError'] * 10 ** 4,
        'message': 'm' * 2 * 10 ** 6, 'frames': frames}}
    return P.json.dumps(data).encode() + b'\\n'


P.answer_line = huge


""" + dot("return 0")),
    # Monkeypatching.
    Attack("monkeypatching math", "import math\n\nmath.isclose = lambda *a, **k: True\n"
           "math.fsum = lambda *a: 32\n\n\n" + dot("return 0")),
    Attack("monkeypatching builtins", dot("""
        builtins = {G}['sys'].modules['builtins']
        builtins.isinstance = lambda *a: True
        builtins.abs = lambda v: 0
        return 0""")),
    Attack("importing pytest", "import pytest\n\n\n" + dot("pytest.skip('no')")),
    Attack("importing pytest at run time", dot("__import__('pytest').skip('no')")),
    Attack("a conftest.py and a pytest.ini", "", stubs=True, extra_files={
        "conftest.py": "import pytest\n\n\n@pytest.hookimpl(wrapper=True)\n"
                       "def pytest_runtest_makereport(item, call):\n    report = yield\n"
                       "    report.outcome = 'passed'\n    return report\n",
        "pytest.ini": "[pytest]\naddopts = -p no:grader --deselect x\n"}),
    Attack("shadowed standard library modules", "", stubs=True, extra_files={
        name: "raise SystemExit('shadowed')\n"
        for name in ("json.py", "math.py", "random.py", "typing.py", "os.py")}),
    Attack("sitecustomize and a .pth file", "", stubs=True, extra_files={
        "sitecustomize.py": "open('{canary}/sitecustomize', 'w')\n",
        "evil.pth": "import os; os.system('touch {canary}/pth')\n"}),
    # Files.
    Attack("reading a hidden suite", dot("return len(open('{suite}').read())"),
           absent_from_report=("PAIRING", "np.dot")),
    Attack("reading the solutions", dot("return len(open('{solutions}/dot_product.py').read())")),
    Attack("reading the grader's own source",
           dot("print(open({G}['sys'].modules['lockdown'].__file__).read())\nreturn 0"),
           absent_from_report=("audit_hook",)),
    Attack("listing other folders", dot("print({G}['listdir']('/'))\nreturn 0")),
    Attack("writing outside", dot("open('{canary}/written', 'w').write('x')\nreturn 0")),
    Attack("deleting outside", dot("{G}['remove']('{canary}/keep.txt')\nreturn 0")),
    Attack("renaming outside",
           dot("{G}['rename']('{canary}/keep.txt', '{canary}/moved.txt')\nreturn 0")),
    Attack("a symlink out",
           dot("{G}['symlink']('{canary}', 'out')\nreturn len(open('out/keep.txt').read())")),
    Attack("a path object that lies", dot("""
        class Sly:
            calls = 0
            def __fspath__(self):
                Sly.calls += 1
                return '{canary}/keep.txt' if Sly.calls == 1 else 'dot_product.py'
        return len(open(Sly()).read())""")),
    Attack("changing folder", dot("{G}['chdir']('/')\nreturn 0")),
    # Getting around the policy itself.
    Attack("disabling the policy's tables", dot("""
        sandbox = {G}['sys'].modules['lockdown']
        sandbox.REFUSED.clear()
        sandbox.WRITES = frozenset()
        builtins = {G}['sys'].modules['builtins']
        builtins.any = lambda *a: True
        builtins.len = lambda v: 0
        {G}['sep'] = '#'
        open('{canary}/written', 'w').write('x')
        return 0""")),
    Attack("an import name that lies",
           "class Name(str):\n    def partition(self, sep):\n        return ('math', '', '')\n\n\n"
           + dot("return __import__(Name('ctypes'))")),
    Attack("ctypes", "import ctypes\n\n\n" + dot("return ctypes.string_at(0)")),
    Attack("ctypes at run time", dot("return __import__('ctypes').string_at(0)")),
    Attack("adding an audit hook", dot("{G}['sys'].addaudithook(lambda *a: None)\nreturn 0")),
    Attack("walking the garbage collector", dot("""
        gc = {G}['sys'].modules.get('gc') or __import__('gc')
        return len(gc.get_objects())""")),
    # What the worker's memory holds (issue 11, class 1): no reference code to run.
    Attack("running reference code found in the worker's memory", dot("""
        sys, seen, texts = {G}['sys'], set(), []
        def look(value, depth):
            if id(value) in seen or depth > 9:
                return
            seen.add(id(value))
            if type(value) is str and 'def dot(' in value and 'return 0' not in value:
                texts.append(value)
            elif type(value) is dict:
                for item in list(value.values()):
                    look(item, depth + 1)
            elif type(value) in (list, tuple, set, frozenset):
                for item in list(value):
                    look(item, depth + 1)
            elif hasattr(value, '__dict__'):
                look(vars(value), depth + 1)
        frame = sys._getframe()
        while frame:
            look(frame.f_locals, 0)
            frame = frame.f_back
        for module in list(sys.modules.values()):
            look(vars(module), 0)
        for text in texts:
            space = {}
            try:
                exec(text, space)
                return space['dot'](w, x)
            except BaseException:
                pass
        return 0""")),
    # Paths that are not what their strings say (class 2): the jail has nothing to reach.
    Attack("a chain of links out of the folder", dot("""
        G = {G}
        G['symlink']('.', 'a')
        G['symlink']('a/..', 'b')
        G['symlink']('b/..', 'c')
        G['symlink']('c/../..', 'd')
        for path in ('d/d/d/{solutions}/dot_product.py', 'd/d/d/{suite}',
                     'd/d/d/etc/passwd', 'd/d/d/proc/1/cmdline'):
            try:
                print(open(path).read())
                space = {}
                exec(open(path).read(), space)
                return space['dot'](w, x)
            except BaseException:
                pass
        return 0"""), absent_from_report=("root:", "PAIRING", "BEGIN SOLUTION")),
    # Shared writable places (class 3).
    Attack("planting a file in /dev/shm and /tmp", dot("""
        G = {G}
        for place in ('/dev/shm', '/tmp', '/var/tmp'):
            for how in ('rename', 'open'):
                try:
                    if how == 'open':
                        open(place + '/neuron-kit-planted', 'w').write('x')
                    else:
                        open('p', 'w').write('x')
                        G['rename']('p', place + '/neuron-kit-planted-renamed')
                except BaseException:
                    pass
        return 0""")),
    # Text the student chose, where a hidden test or a terminal would show it (class 6).
    Attack("an exception named like the hidden inputs", dot("""
        name = repr((w, x))
        raise type(name, (ValueError,), {'__qualname__': name, '__module__': name})('x')""")),
    Attack("terminal escapes in printed output and messages", dot("""
        print('\\x1b[2J\\rTotal: 100/100')
        raise ValueError('\\x1b[31m\\rTotal: 100/100')"""), absent_from_report=("\x1b", "\r")),
    # The rest of the machine.
    Attack("reading stdin", dot("return int(input())")),
    Attack("a network connection", dot("""
        socket = {G}['sys'].modules.get('socket') or __import__('socket')
        socket.create_connection(('127.0.0.1', 9))
        return 0""")),
    Attack("snooping the environment",
           dot("print(dict({G}['environ']))\nreturn len({G}['environ'])"),
           absent_from_report=(SECRET,)),
]


def fill(text: str, canary: Path) -> str:
    return (text.replace("{G}", OS_GLOBALS).replace("{canary}", str(canary))
            .replace("{suite}", str(SUITES / "test_dot_product.py"))
            .replace("{solutions}", str(SOLUTIONS)))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def sandbox_processes() -> list[str]:
    """This checkout's workers and jails still running: those whose command line names its
    worker program (a jail binds it from here), and those running as a uid of this process's
    own block (as root, each jail or worker runs as one). Another grading on the machine is
    none of them; a process that escaped would still be one of them."""
    program = str(WORKER_PROGRAM).encode()
    uids = range(lockdown.sandbox_uid(0), lockdown.sandbox_uid(0) + 4096)
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        uid = int(next(line.split()[1] for line in text.splitlines() if line.startswith("Uid:")))
        if uid in uids or program in cmdline:
            found.append(f"{status.parent.name}: {cmdline!r}")
    return found


def planted() -> list[Path]:
    """Files an attack left in the machine's shared places."""
    return [path for place in ("/dev/shm", "/tmp", "/var/tmp")
            for path in Path(place).glob("neuron-kit-planted*")]


def make(folder: Path, attack: Attack, code: str | None, canary: Path) -> Path:
    if attack.stubs:
        folder.mkdir()
        for path in EXERCISES.glob("*.py"):
            (folder / path.name).write_text(path.read_text())
    else:
        write_submission(folder)
    if code is not None:
        (folder / f"{attack.module}.py").write_text(fill(code, canary))
    for name, text in attack.extra_files.items():
        (folder / name).write_text(fill(text, canary))
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_an_attack_gains_nothing_and_harms_nothing(attack, tmp_path, monkeypatch):
    monkeypatch.setenv("NEURON_KIT_SECRET", SECRET)
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "keep.txt").write_text("the instructor's file")
    folder = make(tmp_path / "attack", attack, attack.code or None, canary)
    before = snapshot(tmp_path)
    assert not sandbox_processes()

    report = grading.grade(submission.read(folder), call_timeout=0.5)

    got = scores(report)
    if attack.stubs:
        assert report.score == 0
    else:
        honest = make(tmp_path / "honest", attack, attack.honest or (
            EXERCISES / f"{attack.module}.py").read_text(), canary)
        honest_score = scores(grading.grade(submission.read(honest), call_timeout=0.5))
        assert got[attack.module] <= honest_score[attack.module]
        assert {k: v for k, v in got.items() if k != attack.module} == {
            k: v for k, v in FULL.items() if k != attack.module}
    assert snapshot(tmp_path) == {**before, **{k: v for k, v in snapshot(tmp_path).items()
                                               if k.startswith("honest")}}
    assert not sandbox_processes()
    assert not planted()
    text = render.as_text(report) + render.as_json(report)
    assert len(text) < REPORT_CHARS  # whatever the worker sent, the parent kept little of it
    for secret in attack.absent_from_report:
        assert secret not in text
    for exercise in report.exercises:  # a hidden test shows only text no student chose
        for test in exercise.tests:
            if test.hidden:
                assert not any(c in test.message + test.where for c in "[]"), test
    if attack.extra_files:
        assert all(name in " ".join(report.notes) for name in attack.extra_files)


def test_there_are_at_least_thirty_attacks():
    assert len(ATTACKS) >= 30


FILL_THE_JAIL = dot("""
    G = {G}
    for name in ('work', '.', '..', '../work'):
        try:
            G['mkdir'](name + '/next')
        except BaseException:
            pass
    count = 0
    while True:
        try:
            open(f'fill{count}', 'w').write('x' * (8 << 20))
        except OSError:
            break
        count += 1
    G['chmod']('.', 0o500)
    return 0""")


@pytest.mark.slow
def test_what_one_submission_leaves_costs_the_next_nothing(tmp_path):
    """A submission that fills its writable place, locks it and plants folders, graded just
    before a correct one in the same session (a bulk job): the correct one scores in full."""
    canary = tmp_path / "canary"
    canary.mkdir()
    attacker = make(tmp_path / "attacker", Attack("fill", FILL_THE_JAIL), FILL_THE_JAIL, canary)
    honest = write_submission(tmp_path / "honest")
    reports: list = []
    grading.grade_many([submission.read(attacker), submission.read(honest)], reports.append,
                       call_timeout=2.0)
    assert scores(reports[1]) == FULL
    assert not sandbox_processes()
