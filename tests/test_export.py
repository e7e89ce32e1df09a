"""`grade export`: a graded class in the CSV each platform imports, checked against golden
files, with who each student is joined from the manifest of `grade collect`."""

from __future__ import annotations

import csv
import io

import pytest

from grader import cli
from grader.lms import export

from .conftest import assert_golden
from .test_collect import download, solution_files

TIMEOUT = ("    return sum(", "    while True:\n        pass\n    return sum(")


def graded_class(tmp_path, capsys):
    """A Moodle download of three students (one late-free, one with a mistake, one whose dot
    loops forever) and one refused entry, collected and graded."""
    files = {}
    for name, data in solution_files().items():
        files[f"Ada Lovelace_101_assignsubmission_file_/{name}"] = data
    for name, data in solution_files(mistaken=True).items():
        files[f"Alan Turing_102_assignsubmission_file_/{name}"] = data
    for name, data in solution_files().items():
        if name == "dot_product.py":
            data = data.replace(TIMEOUT[0].encode(), TIMEOUT[1].encode(), 1)
        files[f"=Grace Hopper_103_assignsubmission_file_/{name}"] = data
        files[f"Edsger Dijkstra_104_assignsubmission_file_/v1/{name}"] = data
        files[f"Edsger Dijkstra_104_assignsubmission_file_/v2/{name}"] = data
    source = download(tmp_path / "moodle.zip", files)
    collected, out = tmp_path / "collected", tmp_path / "graded"
    assert cli.main(["collect", str(source), "--out", str(collected)]) == 0
    assert cli.main(["bulk", str(collected), "--out", str(out), "--timeout", "0.3"]) == 0
    capsys.readouterr()
    return out


@pytest.mark.slow
def test_exports_match_their_golden_files(tmp_path, capsys):
    out = graded_class(tmp_path, capsys)
    for to, names in (("canvas", ("canvas.csv", "canvas-notes.csv")), ("moodle", ("moodle.csv",)),
                      ("csv", ("export.csv",))):
        assert cli.main(["export", str(out), "--to", to, "--assignment", "Lesson 40"]) == 0
        printed = capsys.readouterr().out
        for name in names:
            assert name in printed
            assert_golden(f"export-{name}", (out / name).read_text())
    canvas = list(csv.reader(io.StringIO((out / "canvas.csv").read_text())))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lesson 40"]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][5] == "100"
    rows = {row[0]: row for row in canvas[2:]}
    assert rows["Ada Lovelace"][5] == "100" and rows["Alan Turing"][5] == "92"
    notes = (out / "canvas-notes.csv").read_text()
    assert "timed out" in notes and "refused: " in notes and "two copies of" in notes
    assert "'=Grace Hopper" in (out / "canvas.csv").read_text()


def test_note_of_a_result_names_what_an_instructor_must_know():
    result = {"refused": "", "exercises": [
        {"name": "dot_product", "problem": "dot_product.py is missing\nmore", "tests": []},
        {"name": "activations", "tests": [{"status": "timeout"}, {"status": "timeout"},
                                          {"status": "passed"}]}]}
    assert export.note_of(result) == ("dot_product: dot_product.py is missing; activations: 2 "
                                      "timed out")
    assert export.note_of({"refused": "two copies", "exercises": []}) == "refused: two copies"


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "no/such/out", "--to", "canvas"], "not the output of grade bulk"),
    (["export", ".", "--to", "blackboard"], "invalid choice"),
])
def test_bad_export_input_is_one_line_and_exit_2(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_roster_gives_everyone_a_row_and_names_strangers(tmp_path, capsys):
    files = {f"lovelaceada_101_9001_{n}": d for n, d in solution_files().items()}
    files.update({f"turingalan_102_9002_{n}": d for n, d in solution_files(True).items()})
    files.update({f"strangerjo_104_9003_{n}": d for n, d in solution_files().items()})
    source = download(tmp_path / "submissions.zip", files)
    collected, out = tmp_path / "collected", tmp_path / "graded"
    assert cli.main(["collect", str(source), "--out", str(collected)]) == 0
    assert cli.main(["bulk", str(collected), "--out", str(out)]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Lesson 40\n"
                      "    Points Possible,,,,,100\n"
                      "\"Lovelace, Ada\",101,s101,ada,Tuesday,\n"
                      "\"Turing, Alan\",102,s102,alan,Tuesday,\n"
                      "\"Hopper, Grace\",103,s103,grace,Friday,\n"
                      "\"Student, Test\",999,,,Tuesday,\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["export", str(out), "--to", "canvas", "--assignment", "Lesson 40",
                     "--roster", str(roster)]) == 0
    lines = list(csv.reader(io.StringIO((out / "canvas.csv").read_text())))
    by_id = {line[1]: line for line in lines[2:]}
    assert by_id["101"] == ["Lovelace, Ada", "101", "s101", "ada", "Tuesday", "100"]
    assert by_id["102"][5] == "92" and by_id["103"][5] == "0"
    assert "999" not in by_id
    notes = (out / "canvas-notes.csv").read_text()
    assert "\"Hopper, Grace\",103,,no submission" in notes
    assert "strangerjo,104,,matches no student on the roster" in notes


def test_a_file_that_is_no_roster_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "out" / "results").mkdir(parents=True)
    (tmp_path / "roster.csv").write_text("a,b\n1,2\n")
    assert cli.main(["export", str(tmp_path / "out"), "--to", "csv", "--roster",
                     str(tmp_path / "roster.csv")]) == 2
    assert "no column of names and of ids" in capsys.readouterr().err


def test_merged_shards_keep_who_each_row_is(tmp_path, capsys):
    files = {f"lovelaceada_101_9001_{n}": d for n, d in solution_files().items()}
    files.update({f"turingalan_102_9002_{n}": d for n, d in solution_files(True).items()})
    collected = tmp_path / "collected"
    assert cli.main(["collect", str(download(tmp_path / "c.zip", files)), "--out",
                     str(collected)]) == 0
    shards = [str(tmp_path / f"s{k}") for k in (1, 2)]
    for k, shard in enumerate(shards, start=1):
        assert cli.main(["bulk", str(collected), "--out", shard, "--shard", f"{k}/2"]) == 0
    merged = tmp_path / "merged"
    assert cli.main(["merge", *shards, "--out", str(merged)]) == 0
    assert cli.main(["export", str(merged), "--to", "canvas"]) == 0
    capsys.readouterr()
    ids = [row[1] for row in csv.reader(io.StringIO((merged / "canvas.csv").read_text()))]
    assert ids[2:] == ["101", "102"]


def test_a_moodle_class_joins_its_participants_list_by_name(tmp_path, capsys):
    files = {f"Ada Lovelace_9101_assignsubmission_file_/{n}": d
             for n, d in solution_files().items()}
    files.update({f"Alan  Turing_9102_assignsubmission_file_/{n}": d
                  for n, d in solution_files(True).items()})
    collected, out = tmp_path / "collected", tmp_path / "graded"
    assert cli.main(["collect", str(download(tmp_path / "m.zip", files)), "--out",
                     str(collected)]) == 0
    assert cli.main(["bulk", str(collected), "--out", str(out)]) == 0
    roster = tmp_path / "participants.csv"
    roster.write_text("First name,Last name,ID number,Email address\n"
                      "Ada,Lovelace,s101,ada@example.edu\n"
                      "Alan,Turing,s102,alan@example.edu\n"
                      "Grace,Hopper,s103,grace@example.edu\n")
    capsys.readouterr()
    assert cli.main(["export", str(out), "--to", "moodle", "--assignment", "Lesson 40",
                     "--roster", str(roster)]) == 0
    lines = list(csv.DictReader(io.StringIO((out / "moodle.csv").read_text())))
    by_email = {line["Email address"]: line for line in lines}
    assert by_email["ada@example.edu"]["Lesson 40"] == "100"
    assert by_email["ada@example.edu"]["Identifier"] == "Participant 9101"
    assert by_email["alan@example.edu"]["Lesson 40"] == "92"
    assert by_email["grace@example.edu"]["Lesson 40 (feedback)"] == "no submission"
