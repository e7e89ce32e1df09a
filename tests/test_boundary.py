"""The worker boundary: student code runs in another process and only plain data comes back."""

from __future__ import annotations

import contextlib
import json
import os
import random
import textwrap
from pathlib import Path

import pytest

from grader.boundary import jail, protocol
from grader.boundary.launch import START_METHODS, make_launcher
from grader.boundary.parent import Pool, Worker, WorkerDied, WorkerTimeout
from grader.boundary.protocol import Call, Hello, Load, Shared, Threw
from grader.catalog import NAMES
from grader.grading import LIMITS
from grader.student import SHARED_KEYS

from .conftest import FULL, OS_GLOBALS, SOLUTIONS, scores


def line_of(module: str, text: str) -> int:
    """The line of the reference solution where `text` first stands."""
    lines = (SOLUTIONS / f"{module}.py").read_text().split("\n")
    return next(n for n, line in enumerate(lines, start=1) if text in line)

CODE = textwrap.dedent("""
    import math

    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class Sneaky(float):
        def __eq__(self, other):
            return True

    def add(a, b):
        return a + b

    def folder():
        import os
        return os.getcwd()

    def exits():
        import os
        os._exit(3)

    def loops():
        while True:
            pass

    def naps(seconds):
        import time
        time.sleep(seconds)

    def big():
        return [0.5] * 90_000

    def equal_to_anything():
        return AlwaysEqual()

    def sneaky_float():
        return Sneaky(32.0)

    def raises_system_exit():
        raise SystemExit(0)

    def raises_interrupt():
        raise KeyboardInterrupt

    def floods():
        for _ in range(100_000):
            print("x" * 100)
        return 1

    def writes_below_python():
        import os
        os.write(1, b'{"value": 999}\\n' * 1000)
        os.write(2, b"noise" * 1000)
        return 2

    def reads_stdin():
        import sys
        return sys.stdin.read()

    def appends(v):
        v.append(1)
        return len(v)

    def rewrites(v):
        v[0] = v[0] + 0.0  # a new object of the same value: the list reads as before
        return v[0]

    def sets_first(v, value):
        v[0] = value
        return 0

    def changes_nested(v):
        v[0][0][0] = 9
        return 0

    def grows_first(v):
        v[0].append(0)
        return len(v[0])

    def appends_then_raises(v):
        v.append(1)
        raise ValueError("after changing its argument")

    def first_called(functions):
        return functions[0]()

    def calls(f, v):
        return f(v[0])

    def deep():
        v = []
        for _ in range(1000):
            v = [v]
        return v

    def huge_int():
        return 10 ** 5000

    def nan():
        return math.nan
""")


# Each start method in the jail, and forked without one (as on a machine without bubblewrap).
LAUNCHES = [*((method, True) for method in START_METHODS), ("fork", False)]


HELLO = Hello(sources={"dot_product": [("dot_product.py", CODE)]}, names=list(NAMES),
              output_cap=50,
              # os, sys and time too: these tests are of the process boundary, not of the
              # import policy (tests/hostile/ has those)
              allowed_imports=["math", "random", "typing", "__future__", "os", "sys", "time"],
              limits=LIMITS, uid=None, known_good={})


@pytest.fixture(params=LAUNCHES, ids=[f"{m}-{'jail' if j else 'nojail'}" for m, j in LAUNCHES])
def worker(request):
    method, jailed = request.param
    if jailed and jail.find() is None:
        pytest.fail("bubblewrap's sandbox cannot be made here: apt-get install bubblewrap")
    pool = Pool(make_launcher(method, jail.find() if jailed else None))
    worker = Worker(pool, HELLO)
    yield worker
    worker.close()
    pool.close()


def call(worker, function, *args, timeout=5.0):
    return worker.ask(request_of(function, *args), timeout)


def request_of(function, *args):
    return Call("dot_product", function, [], list(args), {})


def test_plain_values_cross(worker):
    assert call(worker, "add", 1, 2).value == 3
    assert call(worker, "add", {"$tuple": [1]}, {"$tuple": [2.5]}).value == {"$tuple": [1, 2.5]}


def test_os_exit_kills_only_the_worker_which_restarts(worker):
    with pytest.raises(WorkerDied):
        call(worker, "exits")
    assert call(worker, "add", 2, 2).value == 4
    assert worker.starts == 2


def test_an_endless_loop_times_out_and_the_worker_restarts(worker):
    with pytest.raises(WorkerTimeout):
        call(worker, "loops", timeout=0.3)
    assert call(worker, "add", 1, 1).value == 2


def test_objects_cross_only_as_descriptions(worker):
    assert call(worker, "equal_to_anything").value == {
        "$other": {"type": "dot_product.AlwaysEqual", "repr": "<dot_product.AlwaysEqual object>"}}
    sneaky = call(worker, "sneaky_float").value
    assert sneaky["$other"]["type"] == "dot_product.Sneaky"


@pytest.mark.parametrize("function", ["raises_system_exit", "raises_interrupt"])
def test_exits_raised_from_functions_are_just_exceptions(worker, function):
    raised = call(worker, function).raised
    assert raised.type_name in ("SystemExit", "KeyboardInterrupt")
    assert call(worker, "add", 1, 1).value == 2
    assert worker.starts == 1


def test_printing_is_capped(worker):
    answer = call(worker, "floods")
    assert answer.value == 1
    assert len(answer.output) < 200
    assert "more characters of output dropped" in answer.output


def test_writes_below_python_cannot_forge_answers(worker):
    assert call(worker, "writes_below_python").value == 2
    assert call(worker, "add", 1, 1).value == 2


def test_the_worker_sees_no_grader_module_and_a_fixed_hash_seed(worker):
    answer = call(worker, "add", {"$fn": "lib:identity"}, 0)
    assert isinstance(answer, Threw)  # a function plus 0: TypeError, as a plain answer
    code = CODE + "\ndef probe():\n    import sys\n    return [hash('neuron'), sys.path]\n"
    again = Worker(worker.pool, worker.hello._replace(sources={
        "dot_product": [("dot_product.py", code)]}))
    first = call(again, "probe").value
    again.stop()
    second = call(again, "probe").value
    again.close()
    assert first[0] == second[0]
    assert not any("grader" in path for path in first[1])


def test_every_request_draws_random_numbers_from_the_same_start(worker):
    code = ("import random\nDRAWN = random.random()\n"
            "def draws():\n    return [DRAWN, random.random(), random.random()]\n")
    again = Worker(worker.pool, worker.hello._replace(sources={
        "dot_product": [("dot_product.py", code)]}))
    first, second = call(again, "draws").value, call(again, "draws").value
    again.stop()  # the next call has a fresh worker
    third = call(again, "draws").value
    again.close()
    stream = random.Random(0)
    s0, s1, s2 = stream.random(), stream.random(), stream.random()
    assert first == third == [s0, s1, s2]  # the import, then the call, in one request
    assert second == [s0, s0, s1]


def test_stdin_is_empty(worker):
    assert call(worker, "reads_stdin").value == ""


def test_changed_arguments_are_reported(worker):
    assert call(worker, "appends", [5]).mutated == (0,)
    assert call(worker, "add", [5], [6]).mutated == ()


@pytest.mark.parametrize(("function", "args", "mutated"), [
    ("rewrites", [[1.5, 2.0]], False),
    ("rewrites", [[{"$float": "nan"}]], False),
    ("sets_first", [[1, 2], 1], False),
    ("sets_first", [[1, 2], 3], True),
    ("sets_first", [[{"$tuple": [1, 2]}], {"$tuple": [1, 2]}], False),
    ("sets_first", [[{"$tuple": [1, 2]}], {"$tuple": [1, 3]}], True),
    ("changes_nested", [[{"$tuple": [[0]]}]], True),
    ("calls", [{"$fn": "lib:double"}, [2]], False),
    ("sets_first", [[{"$fn": "lib:sin"}], {"$fn": "lib:cos"}], True),
    ("sets_first", [[{"$fn": "lib:sin"}], {"$fn": "lib:sin"}], False),
    ("sets_first", [["x" * 20_000], "y" * 20_000], True),  # too long to send back: described
    ("sets_first", [["x" * 20_000], "x" * 20_000], False),
    ("sets_first", [[2**5000, 1.5], 2**5000], False),  # too large to send back: described
    ("sets_first", [[2**5000, 1.5], 1], True),
    ("sets_first", [[True, 2, 3.5], True], False),
])
def test_a_change_is_what_the_arguments_read_as(worker, function, args, mutated):
    """Changed means the arguments would now be sent back otherwise than they were sent."""
    assert bool(call(worker, function, *args).mutated) is mutated


@pytest.mark.parametrize("function", ["deep", "huge_int"])
def test_values_too_large_are_described_not_sent(worker, function):
    assert "$other" in call(worker, function).value


def test_non_finite_floats_cross(worker):
    assert call(worker, "nan").value == {"$float": "nan"}


def test_the_worker_runs_in_its_own_folder(worker):
    assert call(worker, "folder").value == worker.workdir
    if worker.current and worker.current.jailed:  # the folder is in the jail, gone with it
        assert worker.workdir.startswith(jail.SCRATCH)
        return
    assert worker.workdir and os.path.isdir(worker.workdir)
    workdir = worker.workdir
    worker.stop()
    assert not os.path.exists(workdir)


# The same hostility, seen from a whole grading.

def test_a_submission_that_exits_loses_only_that_exercise(grade_with):
    report = grade_with({"dot_product": [("    return sum(", f"    {OS_GLOBALS}['_exit'](0)\n"
                                                               "    return sum(")]})
    assert scores(report) == {**FULL, "dot_product": 0}
    dot = report.exercises[0]
    assert all(test.status == "error" for test in dot.tests)
    assert "ended the grading process" in dot.tests[0].message


def test_an_endless_loop_costs_its_exercise_and_seconds_not_minutes(grade_with):
    report = grade_with({"activations": [
        ("    if z >= 0:\n        return 1.0 / (1.0 + math.exp(-z))",
         "    while True:\n        pass\n"
         "    if z >= 0:\n        return 1.0 / (1.0 + math.exp(-z))")]},
        call_timeout=0.25)
    activations = report.exercises[1]
    statuses = {test.id: test.status for test in activations.tests}
    assert statuses["test_sigmoid_values"] == "timeout"
    assert statuses["test_relu"] == "passed"
    assert scores(report) == {**FULL, "activations": activations.score}
    assert activations.score < 20


def test_an_always_equal_object_scores_nothing(grade_with):
    replace = {"dot_product": "class Yes:\n    def __eq__(self, other):\n        return True\n"
                              "    __hash__ = None\n\n\ndef dot(w, x):\n    return Yes()\n"}
    report = grade_with(replace=replace)
    assert scores(report)["dot_product"] == 0
    assert "a number must be a plain int or float" in report.exercises[0].tests[0].actual


def test_a_float_subclass_scores_nothing(grade_with):
    replace = {"dot_product": "class F(float):\n    pass\n\n\ndef dot(w, x):\n    return F(32)\n"}
    report = grade_with(replace=replace)
    assert scores(report)["dot_product"] == 0


def test_an_import_that_raises_costs_that_exercise(grade_with):
    report = grade_with({"universal": [("from activations import sigmoid",
                                        "from activations import sigmoid\n1 / 0")]})
    universal = report.exercises[-1]
    assert universal.score == 0
    assert "ZeroDivisionError" in universal.problem
    line = line_of("universal", "from activations import sigmoid") + 1
    assert f"universal.py, line {line}" in universal.problem
    assert scores(report) == {**FULL, "universal": 0}


def test_tracebacks_show_only_the_students_frames(grade_with):
    report = grade_with({"dot_product": [("    return sum(", "    return helper(w)\n\n\n"
                                          "def helper(w):\n    return w[99] + sum(")]})
    test = report.exercises[0].tests[0]
    assert test.status == "error"
    assert "IndexError" in test.message
    assert [line.split(",")[0] for line in test.where.splitlines()] == [
        line.split(",")[0] for line in test.where.splitlines() if "dot_product.py" in line]
    assert f"line {line_of('dot_product', '    return sum(')}, in dot" in test.where
    assert "in helper" in test.where
    assert "grader" not in test.where and "worker" not in test.where


def test_calls_for_a_picture_never_count_towards_giving_up(worker):
    from grader.student import Session, StudentTimeout

    session = Session(worker, call_timeout=0.2)
    request = request_of("loops")
    with session.unmetered():
        for _ in range(3):
            with pytest.raises(StudentTimeout):
                session.ask("loops()", request)
    for _ in range(2):  # still really tried, twice, before the grader gives up on it
        with pytest.raises(StudentTimeout, match="did not finish"):
            session.ask("loops()", request)
    with pytest.raises(StudentTimeout, match="not run"):
        session.ask("loops()", request)


@pytest.mark.parametrize("jailed", [True, False], ids=["jail", "nojail"])
def test_the_zygote_starts_with_the_pool_before_a_worker_is_asked_for(jailed):
    pool = Pool(make_launcher("fork", jail.find() if jailed else None))
    try:  # it loads while pytest collects the suites, instead of at the first test
        assert pool.launcher.zygote is not None and pool.launcher.zygote.poll() is None
    finally:
        pool.close()


@pytest.fixture
def fresh_probe():
    jail.probe.cache_clear()
    jail.find.cache_clear()
    yield
    jail.probe.cache_clear()
    jail.find.cache_clear()


def test_no_jail_is_found_without_bwrap(fresh_probe, monkeypatch):
    monkeypatch.setattr(jail.shutil, "which", lambda name: None)
    assert jail.probe() is None
    assert jail.find() is None


def test_no_jail_is_found_where_one_cannot_run_an_interpreter(fresh_probe, monkeypatch):
    import subprocess

    started = jail.probe()
    assert started is not None and jail.find() is started[0]  # this machine makes jails
    jail.probe.cache_clear()
    jail.find.cache_clear()
    failing = subprocess.Popen(["false"])
    monkeypatch.setattr(jail, "probe", lambda: (started[0], failing))
    assert jail.find() is None


def requests_of(*calls):
    return [request_of(function, *args) for function, *args in calls]


def test_requests_sent_together_are_answered_in_order(worker):
    answers = list(worker.ask_many(requests_of(*(("add", i, i) for i in range(50))), 5))
    assert [answer.value for answer in answers] == [2 * i for i in range(50)]
    assert worker.starts == 1


def shared(data, since=0):
    return Shared(next(SHARED_KEYS), json.dumps(data), since)


@pytest.mark.parametrize("data", [
    [{"$tuple": [1.5, 2]}, {"$tuple": [3, 4]}],  # each call gets a copy of one decoding
    [1.5, 2, 3],
    [[1.5], [2, 3]],  # lists in a list: decoded again for each call
    [{"$tuple": [[1.5]]}],
])
def test_a_shared_argument_reaches_every_call_as_it_was_sent(worker, data):
    argument = shared(data)
    unchanged = request_of("add", argument, [])
    answers = list(worker.ask_many([
        unchanged, request_of("appends", argument), unchanged,
        request_of("sets_first", argument, 7), unchanged,
        request_of("changes_nested", argument), unchanged], 5))
    assert [answer.value for answer in answers[::2]] == [data] * 4  # as sent, every time
    assert [answer.mutated for answer in answers[:5]] == [(), (0,), (), (0,), ()]
    assert answers[1].value == len(data) + 1


def test_a_shared_argument_may_be_anything_sent(worker):
    pair = shared({"$tuple": [1, 2.5]})
    answers = worker.ask_many([request_of("add", pair, {"$tuple": [n]}) for n in (3, 4)], 5)
    assert [answer.value for answer in answers] == [{"$tuple": [1, 2.5, n]} for n in (3, 4)]
    holding_a_list = shared({"$tuple": [[1.5, 2]]})
    answers = worker.ask_many([request_of("grows_first", holding_a_list)] * 2, 5)
    assert [(answer.value, answer.mutated) for answer in answers] == [(3, (0,))] * 2


def test_a_shared_function_is_the_module_of_each_call(worker):
    double = shared({"$fn": "lib:double"})
    answers = worker.ask_many([request_of("calls", double, [n]) for n in (2, 5)], 5)
    assert [answer.value for answer in answers] == [4, 10]


@contextlib.contextmanager
def two_dot_products(neuron_code):
    """A worker with the student's dot_product and a working one (`which()` tells them apart),
    and neuron, imported with each."""
    hello = HELLO._replace(sources={
        "dot_product": [("dot_product.py", "def which():\n    return 'yours'\n")],
        "neuron": [("neuron.py", neuron_code)]})
    pool = Pool(make_launcher("fork", jail.find()))
    worker = Worker(pool, hello)
    try:
        working = {"dot_product": "def which(): return 'working'"}
        worker.ask(Load("neuron", ["dot_product"], working), 5.0)
        yield worker
    finally:
        worker.close()
        pool.close()


def test_a_shared_students_function_is_of_the_universe_of_each_call():
    with two_dot_products(CODE) as worker:
        which = shared([{"$fn": "student:dot_product.which"}])
        asked = [Call("neuron", "first_called", substitutes, [which], {})
                 for substitutes in ([], ["dot_product"], [])]
        assert [answer.value for answer in worker.ask_many(asked, 5)] == [
            "yours", "working", "yours"]


def test_a_worker_lets_go_of_the_shared_arguments_no_call_names_again(worker):
    first, second = shared([1], since=0), shared([2], since=0)
    assert [a.value for a in worker.ask_many(
        [request_of("add", first, [0]), request_of("add", second, [0])], 5)] == [[1, 0], [2, 0]]
    later = shared([3], since=second.key + 1)  # a batch of calls after those
    assert call(worker, "add", later, [0]).value == [3, 0]
    with pytest.raises(WorkerDied):  # the worker holds neither: naming one is a bug of ours
        call(worker, "add", later, first)


def test_a_call_that_raises_still_reports_the_arguments_it_changed(worker):
    answer = call(worker, "appends_then_raises", [1, 2])
    assert isinstance(answer, Threw) and answer.mutated == (0,)


def test_a_worker_that_replaces_one_is_given_the_shared_arguments_again(worker):
    vector = shared([1.5, 2.5])
    assert call(worker, "add", vector, [1]).value == [1.5, 2.5, 1]
    with pytest.raises(WorkerDied):
        call(worker, "exits")
    assert call(worker, "add", vector, [2]).value == [1.5, 2.5, 2]
    assert worker.starts == 2


def test_requests_larger_than_the_pipeline_are_not_stuck(worker, monkeypatch):
    from grader.boundary import parent as boundary

    # Each request and each answer alone nearly fill the window; without it, writing requests
    # while the worker writes big answers would leave both waiting forever.
    monkeypatch.setattr(boundary, "PIPELINE_BYTES", 4096)
    big = list(range(2000))
    answers = list(worker.ask_many(requests_of(*(("add", big, [i]) for i in range(40))), 5))
    assert [answer.value[-1] for answer in answers] == list(range(40))


@pytest.mark.timeout(60)
def test_a_shared_argument_first_named_late_is_not_stuck_either(worker, monkeypatch):
    from grader.boundary import parent as boundary

    # Its Keep, larger than a pipe's buffer, goes out only once the big answers before it are
    # read: written while they were waiting, it would leave both sides waiting forever.
    monkeypatch.setattr(boundary, "PIPELINE_BYTES", 4096)
    vector = shared(list(range(20_000)))
    asked = [*requests_of(*(("big",) for _ in range(8))), request_of("add", vector, [1])]
    answers = list(worker.ask_many(asked, 5))
    assert answers[-1].value == [*range(20_000), 1]


def test_the_keeps_written_count_towards_the_bytes_unanswered(worker, monkeypatch):
    from grader.boundary import parent as boundary

    monkeypatch.setattr(boundary, "PIPELINE_BYTES", 4096)
    outstanding: dict[int, int] = {}  # bytes written for each request not yet answered
    worst = [0]
    write, receive = Worker.write, Worker.receive

    def counting_write(self, data, shared=()):
        number = json.loads(data)["id"]
        keeps = sum(len(protocol.keep_line(argument)) for argument in self.unsent(shared))
        write(self, data, shared)
        outstanding[number] = len(data) + keeps
        if len(outstanding) > 1:
            worst[0] = max(worst[0], sum(outstanding.values()))

    def counting_receive(self, number, timeout):
        outstanding.pop(number)
        return receive(self, number, timeout)

    monkeypatch.setattr(Worker, "write", counting_write)
    monkeypatch.setattr(Worker, "receive", counting_receive)
    asked = [request_of("add", shared(["x" * 40]), [n]) for n in range(60)]  # a Keep each
    assert [answer.value[1] for answer in worker.ask_many(asked, 5)] == list(range(60))
    assert 0 < worst[0] <= 4096


def test_a_timeout_among_requests_sent_together_ends_them_there(worker):
    answers = worker.ask_many(requests_of(("add", 1, 1), ("loops",), ("add", 2, 2)), 0.3)
    assert next(answers).value == 2
    with pytest.raises(WorkerTimeout):
        next(answers)
    assert worker.starts == 1  # add(1, 1)'s answer came while loops() ran: it is to blame
    assert call(worker, "add", 3, 3).value == 6  # a fresh worker: the rest was not asked
    assert worker.starts == 2


def test_a_crash_among_requests_sent_together_is_the_call_that_crashed(worker):
    answers = worker.ask_many(requests_of(("add", 1, 1), ("add", 2, 2), ("exits",),
                                          ("add", 3, 3)), 5)
    assert [next(answers).value, next(answers).value] == [2, 4]
    with pytest.raises(WorkerDied):
        next(answers)
    assert list(answers) == []


def test_answers_sent_together_are_capped_in_all(worker):
    from grader.boundary.parent import AnswersTooLarge

    # Each answer is far below the cap of one; together they would pile up in this process.
    answers = worker.ask_many(requests_of(*(("big",) for _ in range(25))), 5)
    first = next(answers)
    assert len(first.value) == 90_000
    with pytest.raises(AnswersTooLarge):
        list(answers)


def test_answers_sent_together_stay_capped_in_all_when_asked_again():
    # Each worker answers two calls (1.5 MB each), then ends in its third: every time, the
    # calls left are asked again, and the cap still counts what came before.
    bursts = textwrap.dedent("""
        import os, time
        calls = 0

        def burst(i, pad):
            global calls
            calls += 1
            if calls >= 3:
                time.sleep(0.05)
                os._exit(1)
            return ["x" * 80] * 18_000
    """)
    hello = HELLO._replace(sources={"neuron": [("neuron.py", bursts)]})
    pool = Pool(make_launcher("fork", jail.find()))
    worker = Worker(pool, hello)
    pad = "p" * 5000  # two requests fit in the pipeline at a time
    try:
        from grader.boundary.parent import AnswersTooLarge

        with pytest.raises(AnswersTooLarge):
            list(worker.ask_many([Call("neuron", "burst", [], [i, pad], {}) for i in range(12)],
                                 5))
        assert worker.received < 16 << 20
    finally:
        worker.close()
        pool.close()


def test_calls_asked_again_after_a_crash_are_not_charged_for_the_import():
    # A module that takes most of the time limit to import, then calls that take the rest.
    slow = textwrap.dedent("""
        import time
        time.sleep(0.35)

        def naps(seconds):
            time.sleep(seconds)
            return seconds

        def exits():
            import os
            os._exit(3)
    """)
    hello = HELLO._replace(sources={"neuron": [("neuron.py", slow)]})
    pool = Pool(make_launcher("fork", jail.find()))
    worker = Worker(pool, hello)
    try:
        worker.ask(Load("neuron", [], {}), 0.5)
        calls = [Call("neuron", "naps", [], [0.25], {}), Call("neuron", "exits", [], [], {})]
        answers = worker.ask_many(calls, 0.5)
        # The worker ended with both unanswered: naps(0.25) is asked again in a fresh worker,
        # which imports the module first, under a limit of its own.
        assert next(answers).value == 0.25
        with pytest.raises(WorkerDied):
            next(answers)
    finally:
        worker.close()
        pool.close()


def test_code_importing_at_call_time_gets_the_modules_of_its_own_universe():
    # neuron imports dot_product when called: the student's, or the working one standing in.
    uses = "def which():\n    import dot_product\n    return dot_product.which()\n"
    with two_dot_products(uses) as worker:
        asked = [Call("neuron", "which", substitutes, [], {})
                 for substitutes in ([], ["dot_product"], [], [], ["dot_product"])]
        assert [answer.value for answer in worker.ask_many(asked, 5.0)] == [
            "yours", "working", "yours", "yours", "working"]


def test_slow_calls_sent_together_are_each_given_the_whole_time(worker):
    # Together they take longer than one call may, but the worker sends each answer while the
    # next call runs: none of them is taken for an endless loop, and no worker is replaced.
    naps = requests_of(*(("naps", 0.3) for _ in range(4)))
    assert [answer.value for answer in worker.ask_many(naps, 0.5)] == [None] * 4
    naps = requests_of(("naps", 0), ("naps", 0.6), ("naps", 0))
    assert [answer.value for answer in worker.ask_many(naps, 1.0)] == [None] * 3
    assert worker.starts == 1


@pytest.fixture
def channel(monkeypatch):
    """A worker's channel in this process, its alarm and clock recorded instead of set."""
    from grader.boundary import worker as program

    timers: list[float] = []
    now = [100.0]
    monkeypatch.setattr(program.signal, "setitimer", lambda which, seconds: timers.append(seconds))
    monkeypatch.setattr(program.time, "monotonic", lambda: now[0])
    requests_read, requests_write = os.pipe()
    answers_read, answers_write = os.pipe()
    os.set_blocking(answers_read, False)

    def sent() -> bytes:
        try:
            return os.read(answers_read, 1000)
        except BlockingIOError:
            return b""

    yield program.Channel(requests_read, answers_write), requests_write, sent, timers, now
    for fd in (requests_read, answers_read, answers_write):
        os.close(fd)


def test_a_worker_sends_its_answers_together(channel):
    from grader.boundary.protocol import SEND_EVERY

    channel, requests, sent, timers, _ = channel
    os.write(requests, b"a\nb\nc\n")
    os.close(requests)
    for line in channel.requests():
        channel.answer(line.upper())
        assert sent() == b""  # held back while requests are left
    # Sent at once when none is left; the alarm that would have sent them is off again.
    assert sent() == b"A\nB\nC\n"
    assert timers == [SEND_EVERY, 0]
    channel.answer(b"D\n")
    channel.on_time(0, None)  # the alarm, while a later call would still run
    assert sent() == b"D\n"


def test_a_worker_holds_no_answer_that_could_miss_the_time_limit(channel):
    from grader.boundary.protocol import SEND_EVERY

    channel, requests, sent, _, now = channel
    os.write(requests, b"a\nb\nc\n")
    lines = channel.requests()
    channel.answer(next(lines).upper())  # at once: held back
    assert sent() == b""
    now[0] += SEND_EVERY  # the next call took a while (in C, say, where no alarm goes off)
    channel.answer(next(lines).upper())
    assert sent() == b"A\nB\n"  # both sent as soon as it was done
    channel.answer(next(lines).upper())  # quick again: held back until the alarm
    assert sent() == b""
    channel.on_time(0, None)
    assert sent() == b"C\n"
    os.close(requests)


def test_calls_sent_together_fail_where_they_would_alone(worker):
    from grader.student import Session, Student, StudentCrashed

    student = Student(Session(worker, call_timeout=5), "dot_product", [])
    outcomes = student.add.each([(1, 2), (3, 4)])
    assert [outcome.value for outcome in outcomes] == [3, 7]
    outcomes = student.add.each([(1, 2), (), (3, 4)])
    assert next(outcomes).value == 3
    assert next(outcomes).raised.type_name == "TypeError"  # a raise is an answer like any other
    assert next(outcomes).value == 7
    outcomes = student.exits.each([(), ()])
    with pytest.raises(StudentCrashed):
        next(outcomes)


def test_calls_sent_together_may_name_their_arguments(worker):
    from grader.student import Args, Session, Student

    student = Student(Session(worker, call_timeout=5), "dot_product", [])
    outcomes = list(student.add.each([Args(1, b=2), Args(a=[3], b=[4]), (5, 6)]))
    assert [outcome.value for outcome in outcomes] == [3, [3, 4], 11]
    assert [str(outcome.call) for outcome in outcomes] == ["add(1, b=2)", "add(a=[3], b=[4])",
                                                            "add(5, 6)"]


def running_jail_processes() -> list[str]:
    """Processes naming this checkout's worker program that are not yet fully ended."""
    from grader.boundary.launch import WORKER_PROGRAM

    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            state = next(line for line in status.read_text().splitlines()
                         if line.startswith("State:"))
            cmdline = (status.parent / "cmdline").read_bytes()
        except (OSError, StopIteration):
            continue
        if str(WORKER_PROGRAM).encode() in cmdline and "zombie" not in state:
            found.append(f"{status.parent.name}: {state}")
    return found


@pytest.mark.parametrize("method", START_METHODS)
def test_once_closed_nothing_of_a_jail_is_left(method):
    """Closing returns only once the jail's every process has ended, not just bubblewrap."""
    if jail.find() is None:
        pytest.fail("bubblewrap's sandbox cannot be made here: apt-get install bubblewrap")
    assert not running_jail_processes()
    for _ in range(5):
        pool = Pool(make_launcher(method, jail.find()))
        worker = Worker(pool, HELLO)
        assert call(worker, "add", 1, 2).value == 3
        worker.close()
        pool.close()
        assert not running_jail_processes()
