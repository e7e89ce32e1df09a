"""Bulk grading of a class: one row each, the same as grading each alone, resumable,
deterministic, shardable, and the class folder untouched."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader import bulk, cli, grading, render, submission
from grader.catalog import NAMES

from .conftest import EXERCISES, OS_GLOBALS, SOLUTIONS, write_submission

pytestmark = pytest.mark.slow


def make_class(root: Path) -> Path:
    """Correct, buggy, broken and hostile submissions, as folders and zips, and junk."""
    root.mkdir()
    write_submission(root / "alice")
    write_submission(root / "bob", {"perceptron": [
        ("err = y - predict(w, b, x)", "err = predict(w, b, x) - y")]})
    write_submission(root / "carol", {"neuron": [("def neuron(w, b, x", "def neuron(w, b, x)")]})
    write_submission(root / "dave", {"dot_product": [
        ("    return sum(", f"    {OS_GLOBALS}['_exit'](0)\n    return sum(")]})
    write_submission(root / "erin", {"activations": [
        ("    if z >= 0:\n        return 1.0 / (1.0 + math.exp(-z))",
         "    while True:\n        pass")]})
    shutil.copytree(EXERCISES, root / "frank")
    with zipfile.ZipFile(root / "grace.zip", "w") as archive:
        for path in SOLUTIONS.glob("*.py"):
            archive.write(path, f"grace/{path.name}")
    (root / "heidi.zip").write_bytes(b"not a zip at all")
    (root / "ivan.txt").write_text("a stray file")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def bulk_run(capsys, folder: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    code = cli.main(["bulk", str(folder), "--out", str(out), "--timeout", "0.5", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("bulk")
    folder = make_class(root / "class")
    before = snapshot(folder)
    out = root / "out"
    code = cli.main(["bulk", str(folder), "--out", str(out), "--timeout", "0.5", "--jobs", "2"])
    return folder, out, code, before


def rows(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))


def test_one_row_per_entry_and_the_contract_columns(graded_class):
    _, out, code, _ = graded_class
    assert code == 0
    table = rows(out)
    assert [row["submission"] for row in table] == [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"]
    assert list(table[0])[:9] == ["submission", "score", "max_score", "dot_product",
                                  "activations", "neuron", "perceptron", "xor_network",
                                  "universal"]
    by_name = {row["submission"]: row for row in table}
    assert by_name["alice"]["score"] == by_name["grace"]["score"] == "100"
    assert by_name["heidi"]["note"].startswith("refused: ")
    assert by_name["ivan"]["note"].startswith("refused: ")
    for name in ("alice", "bob", "heidi"):
        assert (out / "results" / f"{name}.json").is_file()
        assert (out / "feedback" / f"{name}.txt").is_file()


def test_each_total_and_feedback_is_what_grading_alone_gives(graded_class, monkeypatch):
    """`grade ENTRY`, run in the class folder, says what the feedback file says."""
    folder, out, _, _ = graded_class
    monkeypatch.chdir(folder)
    for entry in bulk.entries(folder):
        try:
            alone = grading.grade(submission.read(Path(entry.path.name)), call_timeout=0.5)
        except submission.UngradableInput as error:
            assert (out / "feedback" / f"{entry.name}.txt").read_text() == (
                f"grade: error: {error}\n")
            continue
        result = json.loads((out / "results" / f"{entry.name}.json").read_text())
        assert result == json.loads(render.as_json(alone))
        assert (out / "feedback" / f"{entry.name}.txt").read_text() == render.as_text(alone)


def test_the_class_folder_is_left_as_it_was(graded_class):
    folder, _, _, before = graded_class
    assert snapshot(folder) == before


def test_the_summary_lists_what_needs_a_look(graded_class):
    _, out, _, _ = graded_class
    summary = (out / "summary.md").read_text()
    assert "7 submissions graded, 2 refused." in summary
    for expected in ("heidi: refused", "ivan: refused", "carol: neuron could not be graded",
                     "erin: timed out in activations", "dave: raised errors in dot_product"):
        assert expected in summary
    table = summary.split("## Tests, hardest first")[1].split("## Needs a look")[0]
    rates = [int(line.split("%")[0].strip("| ")) for line in table.splitlines()
             if line.startswith("| ") and "%" in line]
    assert rates == sorted(rates)
    passed: dict[str, list[bool]] = {}
    for path in (out / "results").glob("*.json"):
        for exercise in json.loads(path.read_text())["exercises"]:
            for test in exercise["tests"]:
                passed.setdefault(test["name"], []).append(test["status"] == "passed")
    assert len(rates) == len(passed)
    assert rates[0] == round(100 * min(sum(v) / len(v) for v in passed.values()))


def test_grading_again_skips_everything_and_changes_nothing(graded_class, capsys):
    folder, out, _, _ = graded_class
    books = {name: (out / name).read_bytes()
             for name in ("gradebook.csv", "summary.md", "report.html")}
    stamps = {p: p.stat().st_mtime_ns for p in (out / "results").iterdir()}
    code, _, err = bulk_run(capsys, folder, out)
    assert code == 0
    assert "9 of 9 already graded" in err
    assert {p: p.stat().st_mtime_ns for p in (out / "results").iterdir()} == stamps
    assert {name: (out / name).read_bytes() for name in books} == books


@pytest.mark.parametrize(("forks", "jobs"), [(True, "1"), (False, "1"), (True, "12")],
                         ids=["forked job", "new interpreter", "more jobs than entries"])
def test_a_second_run_from_scratch_is_byte_identical(graded_class, tmp_path, capsys,
                                                     monkeypatch, forks, jobs):
    folder, out, _, _ = graded_class
    monkeypatch.setattr(bulk, "FORKS", forks)
    code, _, _ = bulk_run(capsys, folder, tmp_path / "again", "--jobs", jobs)
    assert code == 0
    for name in ("gradebook.csv", "summary.md", "report.html"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()


def test_shards_merge_into_the_single_run(graded_class, tmp_path, capsys):
    folder, out, _, _ = graded_class
    shards = []
    for k in (1, 2, 3):
        shard_out = tmp_path / f"shard{k}"
        assert bulk_run(capsys, folder, shard_out, "--shard", f"{k}/3")[0] == 0
        shards.append(str(shard_out))
    assert cli.main(["merge", *shards, "--out", str(tmp_path / "merged")]) == 0
    for name in ("gradebook.csv", "summary.md", "report.html"):
        assert (tmp_path / "merged" / name).read_bytes() == (out / name).read_bytes()


def test_regrading_some_students_keeps_everyone_and_the_history(graded_class, tmp_path,
                                                                 capsys):
    _, out, _, _ = graded_class
    shutil.copytree(out, tmp_path / "out")
    before = {row["submission"]: row for row in rows(tmp_path / "out")}
    late = tmp_path / "late"
    write_submission(late / "alice", {"dot_product": [("wi * xi", "wi + xi")]})
    code, _, _ = bulk_run(capsys, late, tmp_path / "out")
    assert code == 0
    after = {row["submission"]: row for row in rows(tmp_path / "out")}
    assert set(after) == set(before)
    assert after["alice"]["score"] != before["alice"]["score"]
    assert {n: r for n, r in after.items() if n != "alice"} == {
        n: r for n, r in before.items() if n != "alice"}
    history = json.loads((tmp_path / "out" / "history" / "alice.1.json").read_text())
    assert history["score"] == 100


def test_the_timeout_is_part_of_what_was_graded(graded_class, tmp_path, capsys):
    folder, out, _, _ = graded_class
    shutil.copytree(out, tmp_path / "out")
    code, _, err = bulk_run(capsys, folder, tmp_path / "out", "--timeout", "0.7")
    assert code == 0 and "already graded" not in err


def test_merge_refuses_shards_that_are_not_one_whole_class(graded_class, tmp_path, capsys):
    folder, _, _, _ = graded_class
    for k in (1, 2, 3):
        assert bulk_run(capsys, folder, tmp_path / f"s{k}", "--shard", f"{k}/3")[0] == 0
    merged = tmp_path / "merged"
    assert cli.main(["merge", str(tmp_path / "s1"), str(tmp_path / "s3"), "--out",
                     str(merged)]) == 2
    assert "shards of 3: missing 2/3" in capsys.readouterr().err
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    write_submission(other / "zed")
    assert bulk_run(capsys, other, tmp_path / "o2", "--shard", "2/3")[0] == 0
    assert cli.main(["merge", str(tmp_path / "s1"), str(tmp_path / "o2"), str(tmp_path / "s3"),
                     "--out", str(merged)]) == 2
    assert "different classes" in capsys.readouterr().err
    # a result left in a shard by a student no longer in the class does not count
    shutil.copy(tmp_path / "s1" / "results" / "alice.json",
                tmp_path / "s2" / "results" / "withdrawn.json")
    assert cli.main(["merge", str(tmp_path / "s1"), str(tmp_path / "s2"), str(tmp_path / "s3"),
                     "--out", str(merged)]) == 0
    capsys.readouterr()
    assert "withdrawn" not in {row["submission"] for row in rows(merged)}


def test_changed_submissions_are_graded_again(graded_class, tmp_path, capsys):
    folder, out, _, _ = graded_class
    copy = tmp_path / "class"
    shutil.copytree(folder, copy)
    shutil.copytree(out, tmp_path / "out")
    broken = copy / "alice" / "dot_product.py"
    broken.write_text(broken.read_text().replace("wi * xi", "wi + xi"))
    code, _, err = bulk_run(capsys, copy, tmp_path / "out")
    assert code == 0
    assert "8 of 9 already graded" in err
    assert rows(tmp_path / "out")[0]["dot_product"] != "10"
    code, _, err = bulk_run(capsys, copy, tmp_path / "out", "--force")
    assert "already graded" not in err


def test_a_job_that_fails_stops_the_run_with_one_line_each(graded_class, tmp_path, capsys,
                                                           monkeypatch):
    def broken(*args):
        raise RuntimeError("no suites here")

    monkeypatch.setattr(bulk, "job", broken)  # a forked job runs this process's code
    code, _, err = bulk_run(capsys, graded_class[0], tmp_path / "out", "--jobs", "2")
    assert code == 2
    assert err.splitlines() == [
        "grade: the grader is broken, not a submission: RuntimeError: no suites here "
        "(please report it)"] * 2 + [
        "grade: 2 grading job(s) failed; what was graded is kept, run again to go on"]


def test_a_job_still_exiting_after_its_last_line_is_waited_for(graded_class, tmp_path, capsys,
                                                               monkeypatch):
    graded = bulk.run_job

    def slow_to_exit(orders, report):
        code = graded(orders, report)
        report.close()  # the main process has read the job's last line...
        time.sleep(0.5)  # ...and the job is not gone yet
        return code

    monkeypatch.setattr(bulk, "run_job", slow_to_exit)  # a forked job runs this process's code
    code, _, err = bulk_run(capsys, graded_class[0], tmp_path / "out", "--jobs", "2")
    assert (code, err.count("failed")) == (0, 0)


def test_what_a_job_prints_stays_out_of_the_summary(graded_class, tmp_path, capfd, monkeypatch):
    graded = bulk.run_job

    def noisy(orders, report):
        os.write(1, b"noise from a job\n")
        return graded(orders, report)

    monkeypatch.setattr(bulk, "run_job", noisy)  # a forked job runs this process's code
    assert cli.main(["bulk", str(graded_class[0]), "--out", str(tmp_path / "out"),
                     "--timeout", "0.5"]) == 0
    out = capfd.readouterr().out
    assert out.startswith("# ") and "noise" not in out


def test_an_interrupted_run_resumes_without_losing_or_regrading(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(24):
        write_submission(folder / f"s{i:02d}")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "bulk", str(folder), "--out", str(out),
               "--jobs", "1"]
    run = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list((out / "state").glob("*.key"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGKILL)  # a power cut: no chance to clean up
    run.wait()
    done = {p.stem: (out / "results" / f"{p.stem}.json").stat().st_mtime_ns
            for p in (out / "state").glob("*.key")}
    assert 3 <= len(done) < 24
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"{len(done)} of 24 already graded" in finished.stderr
    for name, stamp in done.items():
        assert (out / "results" / f"{name}.json").stat().st_mtime_ns == stamp
    assert [row["score"] for row in rows(out)] == ["100"] * 24
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.timeout(300)  # a FIFO read would wait forever
def test_entries_refused_for_their_names_or_kind_each_get_a_row_and_harm_none(tmp_path, capsys):
    folder = tmp_path / "class"
    write_submission(folder / "alice")
    write_submission(folder / "carol")
    shutil.make_archive(str(folder / "carol"), "zip", folder / "carol")
    write_submission(folder / "eve\x1b[31m")
    write_submission(folder / ("long" * 60))
    os.mkfifo(folder / "grace.zip")
    out = tmp_path / "out"
    code, printed, _ = bulk_run(capsys, folder, out)
    assert code == 0
    table = {row["submission"]: row for row in rows(out)}
    assert len(table) == 6 and table["alice"]["score"] == "100"
    notes = {name: row["note"] for name, row in table.items() if name != "alice"}
    assert all(note.startswith("refused: ") for note in notes.values())
    assert sum("would all be graded as carol" in note for note in notes.values()) == 2
    assert any("control characters" in note for note in notes.values())
    assert any("longer than" in note for note in notes.values())
    assert any("FIFO" in note for note in notes.values())
    assert "\x1b" not in printed + (out / "summary.md").read_text()
    assert sorted(p.stem for p in (out / "results").glob("*.json")) == sorted(table)


def test_no_entry_is_guessed_at_and_nothing_graded_is_an_error(tmp_path, capsys):
    folder = tmp_path / "class"
    for student in ("Ada Lovelace_1_assignsubmission_file_", "Alan Turing_2_assignsubmission_"
                    "file_", "Grace Hopper_3_assignsubmission_file_"):
        write_submission(folder / "moodle" / student)
    shutil.make_archive(str(folder / "moodle"), "zip", folder / "moodle")
    shutil.rmtree(folder / "moodle")
    write_submission(folder / "bob" / "v1")
    write_submission(folder / "bob" / "v2")
    out = tmp_path / "out"
    code, _, err = bulk_run(capsys, folder, out)
    assert code == 2 and "nothing in" in err and "every entry was refused" in err
    notes = {row["submission"]: row["note"] for row in rows(out)}
    assert "looks like a whole class; `grade collect`" in notes["moodle"]
    assert "two copies of dot_product.py (v1/dot_product.py, v2/dot_product.py)" in notes["bob"]
    write_submission(folder / "carol")
    assert bulk_run(capsys, folder, out)[0] == 0


@pytest.mark.parametrize(("argv", "message"), [
    (["bulk", "no/such/class", "--out", "x"], "not a folder of submissions"),
    (["bulk", ".", "--out", "./inside"], "is inside"),
    (["bulk", ".", "--out", "x", "--shard", "3/2"], "--shard takes K/N"),
    (["bulk", ".", "--out", "x", "--jobs", "0"], "--jobs takes"),
    (["bulk", "."], "--out"),
    (["merge", "no/such/out", "--out", "x"], "not the output of grade bulk"),
])
def test_bad_bulk_input_is_one_line_and_exit_2(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_job_forked_after_the_preload_imports_only_the_suites_while_grading():
    # What a job imports as it grades, each of the jobs does again: the main process loads it
    # once, before they are forked.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from grader import bulk, grading, submission\n"
        "bulk.preload()\n"
        "before = set(sys.modules)\n"
        f"grading.grade(submission.read(Path({str(SOLUTIONS)!r})))\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, env=bulk.job_environment())
    assert sorted(done.stdout.split()) == sorted(f"test_{name}" for name in NAMES)
