"""`grade bulk`: a whole class graded in parallel, resumably, into a gradebook.

The main process lists the entries of the class folder, skips those already graded (same
content, same grader), and hands the rest to job processes (one more than there are cores;
forked from it on Linux, new interpreters elsewhere), handing each job the next entry as it
finishes one. Each job grades its entries in one pytest session, reading each submission only
when its turn comes (memory stays flat however large the class), writes each submission's files
atomically as soon as it is graded, and reports one JSON line for it. When all are done, the
gradebook and the summary are written from the results alone.

Layout of OUT: `results/<name>.json` (the `--format json` object, on one line),
`feedback/<name>.txt` (what `grade` shows the student), `state/<name>.key` (written last: the
submission is done), `gradebook.csv` and `summary.md`.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import glob
import hashlib
import importlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from grader import atomic, gradebook, interrupts, render, report, submission
from grader.catalog import BY_NAME, PACKAGE
from grader.class_folder import Entry, entries, shard
from grader.results import ExerciseResult, Report
from grader.similarity import records

RUN = "run.json"  # which shard of which class an output folder holds
MANIFEST = "manifest.csv"  # who each entry is, from grade collect (grader/lms/collect.py)
KINDS = ("results", "feedback", "state", "code")  # an entry's files, a folder of each


class BulkFailed(Exception):
    """A job failed: a fault of the grader, since a submission can only fail its own row."""


@functools.cache  # read once by the main process, whose jobs are forked from it (Linux)
def grader_fingerprint() -> str:
    """Changes whenever the grader's code, suites or building blocks change."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read(entry: Entry) -> submission.Submission | str:
    """The entry's submission, or why it was refused."""
    if entry.refused:
        return entry.refused
    try:
        work = submission.read(entry.path, shown=Path(entry.path.name))
    except submission.UngradableInput as error:
        return str(error)
    return replace(work, name=entry.name)


def key(work: submission.Submission | str, fingerprint: str, call_timeout: float) -> str:
    """What a result depends on: the graded content, the grader, and the run's options that
    change grades (how long a call may take)."""
    if isinstance(work, str):
        content: Any = {"refused": work}
    else:
        content = {name: [s.filename, s.chunks, s.problem] for name, s in work.sources.items()}
        content["ignored"] = list(work.ignored)
        content["remarks"] = list(work.remarks)
    data = json.dumps([fingerprint, {"timeout": call_timeout}, content], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(frozen=True)
class Out:
    """The output folder."""

    root: Path

    def path(self, kind: str, name: str) -> Path:
        suffix = {"results": ".json", "feedback": ".txt", "state": ".key", "code": ".json"}[kind]
        return self.root / kind / f"{name}{suffix}"

    def prepare(self) -> None:
        for kind in KINDS:
            (self.root / kind).mkdir(parents=True, exist_ok=True)

    def done(self, name: str, expected_key: str) -> bool:
        state = self.path("state", name)
        return (state.is_file() and state.read_text() == expected_key
                and self.path("results", name).is_file()
                and self.path("feedback", name).is_file())

    def save(self, name: str, result: str, feedback: str, done_key: str,
             code: str | None = None) -> None:
        """Results, feedback and the code record (for the similarity report), then the key
        that says all are complete: once they are on disk, since a key lost to a power cut
        costs only a regrading, and a key kept without them would skip a submission. A
        different result it replaces is kept as history."""
        self.keep_history(name, result)
        self.path("state", name).unlink(missing_ok=True)
        atomic.write_text(self.path("results", name), result)
        atomic.write_text(self.path("feedback", name), feedback)
        if code is None:
            self.path("code", name).unlink(missing_ok=True)
        else:  # lost to a power cut, it costs a "not compared" until --force: not worth fsync
            atomic.write_text(self.path("code", name), code, durable=False)
        atomic.write_text(self.path("state", name), done_key, durable=False)

    def keep_history(self, name: str, result: str) -> None:
        """The previous result of `name`, when it differs, as history/<name>.<n>.json."""
        previous = self.path("results", name)
        if not previous.is_file() or previous.read_text(encoding="utf-8") == result:
            return
        history = self.root / "history"
        history.mkdir(exist_ok=True)
        count = sum(1 for _ in history.glob(f"{glob.escape(name)}.*.json"))
        atomic.write_text(history / f"{name}.{count + 1}.json",
                          previous.read_text(encoding="utf-8"))

    def record_run(self, shard_of: tuple[int, int], entries: Sequence[str]) -> None:
        """Which shard of which class this output holds, for `grade merge` to check."""
        atomic.write_text(self.root / RUN, json.dumps(
            {"shard": list(shard_of), "entries": list(entries)}) + "\n")

    def run_record(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.root / RUN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if type(data) is dict else None

    def graded(self, names: Iterable[str]) -> Iterator[gradebook.Graded]:
        for name in names:
            with open(self.path("results", name), encoding="utf-8") as stream:
                yield gradebook.Graded(name, json.load(stream))

    def names(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "results").glob("*.json"))

    def write_books(self, names: Sequence[str]) -> str:
        """gradebook.csv, summary.md, similarity.md and report.html from the results and the
        code records; the summary's text."""
        rows, tally = [], gradebook.Tally()
        for item in self.graded(names):  # one result in memory at a time
            rows.append(gradebook.row_of(item))
            tally.add(item)
        atomic.write_text(self.root / "gradebook.csv", gradebook.gradebook_csv(rows))
        summary = gradebook.summary_markdown(tally)
        atomic.write_text(self.root / "summary.md", summary)
        alike = records.write_report(self.root, names)
        atomic.write_text(self.root / "report.html", report.page(rows, tally, alike))
        return summary


def refused_report(name: str, reason: str) -> Report:
    exercises = tuple(ExerciseResult(e.name, e.points, (), reason) for e in BY_NAME.values())
    return Report(name, exercises, notes=(reason,))


def result_json(report: Report, refused: str = "") -> str:
    """The `--format json` object on one line: a class's worth is read by programs, and an
    indented dump is made by Python's slow encoder, not its C one."""
    data = report.to_json()
    if refused:
        data["refused"] = refused
    return json.dumps(data) + "\n"


# The job: a process that grades its share and reports a JSON line per submission.

def job(out: Out, assigned: Iterable[Entry], options: dict[str, Any], report: IO[str]) -> None:
    from grader import grading  # here: planning a run, or merging shards, needs no pytest

    fingerprint = grader_fingerprint()
    keys: dict[str, str] = {}
    code: dict[str, str] = {}  # the code record of each submission being graded

    def announce(name: str, score: float, refused: str = "") -> None:
        report.write(json.dumps({"name": name, "score": score, "refused": refused}) + "\n")
        report.flush()

    def gradable() -> Iterator[submission.Submission]:
        """The share's submissions, read one at a time as grading reaches them; refused ones
        get their row at once."""
        for entry in assigned:
            work = read(entry)
            keys[entry.name] = key(work, fingerprint, options["call_timeout"])
            if isinstance(work, str):
                out.save(entry.name, result_json(refused_report(entry.name, work), work),
                         f"grade: error: {work}\n", keys.pop(entry.name))
                announce(entry.name, 0, work)
            else:
                code[entry.name] = records.record(work)
                yield work

    grading.grade_many(gradable(), functools.partial(save, out, keys, code, announce),
                       start_method=options.get("start_method"),
                       call_timeout=options["call_timeout"])


def save(out: Out, keys: dict[str, str], code: dict[str, str],
         announce: Callable[[str, float], None], report: Report) -> None:
    out.save(report.submission, result_json(report), render.as_text(report),
             keys.pop(report.submission), code.pop(report.submission, None))
    announce(report.submission, report.score)


def run_job(orders: IO[str], report: IO[str]) -> int:
    """One job; its exit status. Its orders come a line at a time: the output folder and the
    options, then an entry a line as the main process hands them out, until the end."""
    header = json.loads(orders.readline())
    assigned = (Entry(name, Path(path), refused)
                for name, path, refused in map(json.loads, orders))
    try:
        job(Out(Path(header["out"])), assigned, header["options"], report)
    except Exception as error:  # reported to the main process, which stops the run
        print(json.dumps({"fatal": f"{type(error).__name__}: {error}"}), file=report, flush=True)
        return 1
    return 0


def job_main() -> None:
    """`python -m grader.bulk`: one job, its orders on stdin."""
    with interrupts.terminate_as_interrupt():
        raise SystemExit(run_job(sys.stdin, sys.stdout))


# The main process.

@dataclass(frozen=True)
class Plan:
    mine: list[Entry]  # this shard's entries
    todo: list[Entry]  # those not graded yet
    everyone: list[str]  # the class's entries, every shard's


def plan(folder: Path, out: Out, shard_of: tuple[int, int], force: bool,
         call_timeout: float) -> Plan:
    everyone = entries(folder)
    mine = shard(everyone, *shard_of)
    fingerprint = grader_fingerprint()
    # An entry is read here only when an earlier run left a result to compare it with: a
    # fresh run reads each entry once, in the job that grades it.
    todo = [e for e in mine if force or not out.path("state", e.name).is_file()
            or not out.done(e.name, key(read(e), fingerprint, call_timeout))]
    return Plan(mine, todo, [e.name for e in everyone])


# Entries handed to a job at its start; then one more each time it finishes one. A job that
# held more would finish later than the others at the end of a run, with the others idle.
AHEAD = 1


def run_jobs(out: Out, todo: list[Entry], jobs: int, options: dict[str, Any]) -> Iterator[
        dict[str, Any]]:
    """Start the jobs, hand each the next entry as it finishes one (so that all finish at
    about the same time), and yield each line they report, as it comes."""
    pending = collections.deque(todo)
    start = fork_job if FORKS else spawn_job
    started: list[Job] = []
    for _ in range(min(jobs, len(todo))):
        started.append(start(out, options, started))
    lines: queue.Queue[tuple[int, dict[str, Any] | None]] = queue.Queue()
    for index, job in enumerate(started):  # threads only now: a process that forks must have none
        threading.Thread(target=relay, args=(job.lines, index, lines), daemon=True).start()

    def hand_out(job: Job) -> None:
        if pending:
            job.send(pending.popleft())
        else:
            job.finish()

    try:
        for job in started:
            for _ in range(AHEAD):
                hand_out(job)
        running = len(started)
        while running:
            index, line = lines.get()
            if line is None:
                running -= 1
                continue
            if "name" in line:
                hand_out(started[index])
            yield line
    except BaseException:  # interrupted, or no longer read: the jobs end too
        for job in started:
            job.stop()
        raise
    finally:
        statuses = [job.wait() for job in started]
    if any(statuses):  # a job that reported its last line may still be exiting: never stopped
        raise BulkFailed(f"{sum(map(bool, statuses))} grading job(s) failed")


# On Linux a job is forked from this process once it has loaded what every job needs, which
# spares each job an interpreter start and the imports (a third of a second each). Elsewhere
# (no fork, or a fork that system libraries may not survive) each job is a new interpreter.
FORKS = sys.platform.startswith("linux")


@dataclass
class Job:
    orders: IO[str]
    lines: IO[str]
    stop: Callable[[], None]
    wait: Callable[[], int]  # its exit status, once it has exited

    def send(self, entry: Entry) -> None:
        with contextlib.suppress(OSError):  # a job that failed reads no more; its status says so
            self.orders.write(json.dumps([entry.name, str(entry.path), entry.refused]) + "\n")
            self.orders.flush()

    def finish(self) -> None:
        """No more entries: the job ends once it has graded those it has."""
        with contextlib.suppress(OSError):
            self.orders.close()


def header(out: Out, options: dict[str, Any]) -> str:
    return json.dumps({"out": str(out.root), "options": options}) + "\n"


def spawn_job(out: Out, options: dict[str, Any], siblings: Sequence[Job]) -> Job:
    process = subprocess.Popen([sys.executable, "-m", "grader.bulk"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=job_environment())
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(header(out, options))
    return Job(process.stdin, process.stdout, process.terminate, process.wait)


def fork_job(out: Out, options: dict[str, Any], siblings: Sequence[Job]) -> Job:
    preload()
    orders_read, orders_write = os.pipe()
    report_read, report_write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        # A sibling's orders left open here would keep it from ever seeing their end.
        for fd in (orders_write, report_read, *(f.fileno() for job in siblings
                                                  for f in (job.orders, job.lines))):
            os.close(fd)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)  # the main process's output is the summary: nothing else goes there
        os.close(null)
        code = 1
        try:
            interrupts.end_with_parent(parent)
            with open(orders_read, encoding="utf-8") as orders, \
                    open(report_write, "w", encoding="utf-8") as report:
                code = run_job(orders, report)
        finally:
            os._exit(code)  # nothing of the main process's (atexit, finally) runs here
    os.close(orders_read)
    os.close(report_write)

    def stop() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)

    def wait() -> int:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    # Both streams stay open while the job runs: relay() closes its lines, finish() its orders.
    orders = open(orders_write, "w", encoding="utf-8")  # noqa: SIM115
    lines = open(report_read, encoding="utf-8")  # noqa: SIM115
    orders.write(header(out, options))
    return Job(orders, lines, stop, wait)


@functools.cache
def preload() -> None:
    """What every job loads: the grader (numpy, the suites' one import from beyond it, came
    with this module), and what pytest and reading a submission load only when first used."""
    os.environ.update(job_environment())
    from grader import grading, notebook  # noqa: F401

    # pytest's plugins that a session loads as it starts, and how it reads the suites'
    # configuration (tomli before Python 3.11).
    later = ["_pytest._argcomplete", "_pytest.helpconfig", "_pytest.skipping", "pytest_timeout",
             *(["tomllib"] if sys.version_info >= (3, 11) else [])]
    for name in later:
        importlib.import_module(name)


def job_environment() -> dict[str, str]:
    # A job's numpy does tiny sums: a pool of BLAS threads would cost more to start than it saves.
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1"}


def relay(stream: IO[str], index: int,
          lines: queue.Queue[tuple[int, dict[str, Any] | None]]) -> None:
    """Job `index`'s lines onto the queue, then None for its end."""
    with stream:
        for text in stream:
            try:
                lines.put((index, json.loads(text)))
            except ValueError:
                continue
    lines.put((index, None))


class MergeRefused(Exception):
    """The shards are not one whole class; the message says what is wrong."""


def merge(sources: Sequence[Path], out: Out) -> str:
    """Shard outputs combined: checked to be every shard of one class, their entries' files
    copied into `out` (a result of an entry no longer in the class is left out), then the
    books written anew."""
    records = [Out(source).run_record() for source in sources]
    if any(record is None for record in records):
        missing = [str(s) for s, r in zip(sources, records, strict=True) if r is None]
        raise MergeRefused(f"{missing[0]}: no record of its run (graded before shards were "
                           "recorded?); grade it again")
    classes = {json.dumps(r["entries"]) for r in records if r}
    counts = {r["shard"][1] for r in records if r}
    if len(classes) != 1 or len(counts) != 1:
        raise MergeRefused("the shards are of different classes (their entries differ); "
                           "grade every shard of the same folder")
    (total,) = counts
    have = sorted(r["shard"][0] for r in records if r)
    if have != list(range(1, total + 1)):
        lacking = sorted(set(range(1, total + 1)) - set(have))
        repeated = sorted({k for k in have if have.count(k) > 1})
        raise MergeRefused(
            f"shards of {total}: " + "; ".join(filter(None, [
                f"missing {', '.join(f'{k}/{total}' for k in lacking)}" if lacking else "",
                f"given twice {', '.join(f'{k}/{total}' for k in repeated)}" if repeated
                else ""])))
    entries = json.loads(classes.pop())
    out.prepare()
    for name in entries:  # an earlier merge's record of code the shards no longer have
        out.path("code", name).unlink(missing_ok=True)
    for source in sources:
        for kind in KINDS:
            for path in sorted((source / kind).glob("*")):
                if path.stem in entries and not path.name.startswith("."):
                    atomic.write_text(out.root / kind / path.name, path.read_text("utf-8"))
    out.record_run((1, 1), entries)
    for source in sources:  # every shard kept the same manifest of grade collect, if any
        if (source / MANIFEST).is_file():
            atomic.write_text(out.root / MANIFEST, (source / MANIFEST).read_text("utf-8"))
            break
    return out.write_books([name for name in out.names() if name in entries])


if __name__ == "__main__":
    job_main()
