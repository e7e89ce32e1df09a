"""`grade collect`: each platform's download, as the platform names and lays it out, made here
from the solutions and a typical mistake, collected into one entry per student and graded."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from grader import cli
from grader.lms import collect, layouts

from .conftest import SOLUTIONS, assert_golden
from .test_notebook import notebook

MISTAKE = ("wi * xi for", "wi + xi for")  # in dot_product.py: 8 of its 10 points lost


def solution_files(mistaken: bool = False) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(SOLUTIONS.glob("*.py"))}
    if mistaken:
        files["dot_product.py"] = files["dot_product.py"].replace(
            MISTAKE[0].encode(), MISTAKE[1].encode())
    return files


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def download(path: Path, files: dict[str, bytes]) -> Path:
    path.write_bytes(zipped(files))
    return path


def manifest(out: Path) -> dict[str, dict[str, str]]:
    return collect.read_manifest(out)


def bulk(tmp_path: Path, collected: Path, capsys, platform: str,
         to: str = "csv") -> dict[str, dict[str, str]]:
    """Grade the collected class, export it as `to` imports it, and compare the export with its
    golden file; the gradebook's rows."""
    out = tmp_path / "graded"
    assert cli.main(["bulk", str(collected), "--out", str(out), "--timeout", "1"]) == 0
    assert cli.main(["export", str(out), "--to", to, "--assignment", "Lesson 40"]) == 0
    capsys.readouterr()
    exported = {"canvas": "canvas.csv", "moodle": "moodle.csv", "csv": "export.csv"}[to]
    assert_golden(f"collect-{platform}-{exported}", (out / exported).read_text())
    with (out / "gradebook.csv").open(newline="") as stream:
        return {row["submission"]: row for row in csv.DictReader(stream)}


def run(tmp_path: Path, source: Path, capsys, *extra: str) -> Path:
    out = tmp_path / "collected"
    assert cli.main(["collect", str(source), "--out", str(out), *extra]) == 0
    capsys.readouterr()
    return out


def test_moodle_one_folder_per_student_and_an_uploaded_zip(tmp_path, capsys):
    files = {}
    for name, data in solution_files().items():
        files[f"Ada Lovelace_101_assignsubmission_file_/{name}"] = data
    files["Alan Turing_102_assignsubmission_file_/project.zip"] = zipped(
        {f"project/exercises/{n}": d for n, d in solution_files(mistaken=True).items()})
    files["Alan Turing_102_assignsubmission_onlinetext_/onlinetext.html"] = b"<p>hi</p>"
    source = download(tmp_path / "moodle.zip", files)
    out = run(tmp_path, source, capsys)
    rows = manifest(out)
    assert set(rows) == {"Ada Lovelace_101", "Alan Turing_102"}
    assert rows["Alan Turing_102"]["participant"] == "102"
    assert not rows["Alan Turing_102"]["user_id"]  # Moodle's number is no user id
    assert "onlinetext text is not graded" in rows["Alan Turing_102"]["note"]
    assert (out / "Alan Turing_102.zip").is_file()
    book = bulk(tmp_path, out, capsys, "moodle", "moodle")
    assert book["Ada Lovelace_101"]["score"] == "100"
    assert book["Alan Turing_102"]["score"] == "92"


def test_canvas_flat_names_late_work_and_the_newest_resubmission(tmp_path, capsys):
    files = {f"lovelaceada_101_9001_{n}": d for n, d in solution_files().items()}
    for name, data in solution_files(mistaken=True).items():
        files[f"turingalan_late_102_9002_{name}"] = data
    files["turingalan_late_102_9010_dot_product-1.py"] = solution_files()["dot_product.py"]
    out = run(tmp_path, download(tmp_path / "submissions.zip", files), capsys)
    rows = manifest(out)
    assert rows["turingalan_102"]["late"] == "late" and rows["lovelaceada_101"]["late"] == ""
    assert "kept turingalan_late_102_9010_dot_product-1.py, the newest" in rows[
        "turingalan_102"]["note"]
    book = bulk(tmp_path, out, capsys, "canvas", "canvas")
    assert book["turingalan_102"]["score"] == book["lovelaceada_101"]["score"] == "100"


def test_github_classroom_repositories(tmp_path, capsys):
    source = tmp_path / "neuron-submissions"
    for login, mistaken in (("ada", False), ("alan", True)):
        repo = source / f"neuron-lesson-{login}"
        (repo / "exercises").mkdir(parents=True)
        (repo / ".git").mkdir()
        (repo / ".git" / "dot_product.py").write_text("broken(")
        for name, data in solution_files(mistaken).items():
            (repo / "exercises" / name).write_bytes(data)
    out = run(tmp_path, source, capsys)
    rows = manifest(out)
    assert {row["login"] for row in rows.values()} == {"ada", "alan"}
    book = bulk(tmp_path, out, capsys, "classroom")
    assert (book["ada"]["score"], book["alan"]["score"]) == ("100", "92")


METADATA = """submission_11:
  :submitters:
  - :name: Ada Lovelace
    :sid: '101'
    :email: ada@example.edu
  :created_at: 2026-11-20 10:00:00.000000000 -08:00
  :score: 0.0
submission_12:
  :submitters:
  - :name: Alan Turing
    :sid: '102'
    :email: alan@example.edu
  - :name: "Grace Hopper"
    :sid: '103'
    :email: grace@example.edu
"""


def test_gradescope_export_by_student_not_by_submission(tmp_path, capsys):
    files = {"assignment_7_export/submission_metadata.yml": METADATA.encode()}
    for name, data in solution_files().items():
        files[f"assignment_7_export/submission_11/{name}"] = data
    for name, data in solution_files(mistaken=True).items():
        files[f"assignment_7_export/submission_12/code/{name}"] = data
    out = run(tmp_path, download(tmp_path / "assignment_7_export.zip", files), capsys)
    rows = manifest(out)
    assert {row["sid"] for row in rows.values()} == {"101", "102", "103"}
    assert rows["Grace Hopper_103"]["email"] == "grace@example.edu"
    book = bulk(tmp_path, out, capsys, "gradescope")
    assert [book[e]["score"] for e in ("Ada Lovelace_101", "Alan Turing_102",
                                       "Grace Hopper_103")] == ["100", "92", "92"]


def test_nbgrader_submitted_notebooks(tmp_path, capsys):
    source = tmp_path / "course"
    (source / "submitted" / "ada" / "lesson40").mkdir(parents=True)
    notebook(source / "submitted" / "ada" / "lesson40" / "neuron.ipynb")
    (source / "submitted" / "ada" / "lesson40" / "timestamp.txt").write_text("2026-11-20")
    for assignment in ("lesson40", "lesson41"):
        (source / "submitted" / "bob" / assignment).mkdir(parents=True)
        notebook(source / "submitted" / "bob" / assignment / "neuron.ipynb")
    out = run(tmp_path, source, capsys)
    rows = manifest(out)
    assert rows["bob"]["note"].startswith("refused: submitted/bob holds 2 assignments")
    assert not (out / "bob").exists()
    book = bulk(tmp_path, out, capsys, "nbgrader")
    assert book["ada"]["score"] == "100"


def test_a_plain_folder_of_entries(tmp_path, capsys):
    source = tmp_path / "class"
    (source / "ada").mkdir(parents=True)
    for name, data in solution_files().items():
        (source / "ada" / name).write_bytes(data)
    download(source / "alan.zip", solution_files(mistaken=True))
    out = run(tmp_path, source, capsys)
    assert set(manifest(out)) == {"ada", "alan"}
    assert layouts.detect([layouts.Member("ada/dot_product.py", bytes, 0)]) == "plain"


def test_names_a_spreadsheet_would_run_are_neutralised_in_the_manifest(tmp_path, capsys):
    files = {f"=HYPERLINK(1)_101_assignsubmission_file_/{n}": d
             for n, d in solution_files().items()}
    out = run(tmp_path, download(tmp_path / "moodle.zip", files), capsys)
    text = (out / collect.MANIFEST).read_text()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["collect", "no/such.zip", "--out", "x"], "no such file or folder"),
    (["collect", "."], "--out"),
    (["collect", ".", "--out", "x", "--from", "blackboard"], "invalid choice"),
])
def test_bad_collect_input_is_one_line_and_exit_2(capsys, argv, message):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_collecting_into_a_folder_with_something_in_it_is_refused(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    source = download(tmp_path / "moodle.zip", {"A B_1_assignsubmission_file_/x.py": b""})
    assert cli.main(["collect", str(source), "--out", str(tmp_path / "out")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("layout", ["subfolder", "notebook"])
def test_gradescope_run_autograder_grades_a_subfolder_or_a_notebook(tmp_path, capsys, layout):
    """What docs/gradescope/run_autograder runs, on /autograder/submission as a student
    uploads it: the files in a folder of their own, or the lesson notebook alone."""
    upload = tmp_path / "submission"
    if layout == "subfolder":
        (upload / "my work").mkdir(parents=True)
        for name, data in solution_files().items():
            (upload / "my work" / name).write_bytes(data)
    else:
        upload.mkdir()
        notebook(upload / "neuron.ipynb")
    assert cli.main([str(upload), "--format", "gradescope"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 100
    assert "grade " + "/autograder/submission" in (
        SOLUTIONS.parent / "docs" / "gradescope" / "run_autograder").read_text()


def test_names_that_meet_get_distinct_entries_and_nobody_shares_one(tmp_path, capsys):
    solutions = solution_files()
    files = {"ALICE/dot_product.py": solutions["dot_product.py"],
             "alice/dot_product.py": solutions["dot_product.py"],
             "alice~2/neuron.py": solutions["neuron.py"]}
    out = run(tmp_path, download(tmp_path / "class.zip", files), capsys, "--from", "plain")
    entries = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(entries) == 3 and len({e.casefold() for e in entries}) == 3
    assert all(len(list((out / e).iterdir())) == 1 for e in entries)
    assert len(manifest(out)) == 3


def test_every_student_gets_a_row_whatever_their_name_or_files(tmp_path, capsys):
    solutions = solution_files()
    # Canvas writes a name with any letters, lowercased
    files = {f"m\u00fcllerjo_101_9001_{n}": d for n, d in solutions.items()}
    out = run(tmp_path, download(tmp_path / "canvas.zip", files), capsys)
    assert set(manifest(out)) == {"m\u00fcllerjo_101"}
    moodle = {f"Mi\u200cna Rahimi_102_assignsubmission_file_/{n}": d
              for n, d in solutions.items()}
    with zipfile.ZipFile(tmp_path / "moodle.zip", "w") as archive:
        for name, data in moodle.items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("Jo Smith_103_assignsubmission_file_/dot_product.py")
        link.external_attr = (0o120777 << 16)  # a symbolic link
        archive.writestr(link, "/etc/passwd")
    out = tmp_path / "moodle-out"
    assert cli.main(["collect", str(tmp_path / "moodle.zip"), "--out", str(out)]) == 0
    rows = manifest(out)
    (mina,) = [row for row in rows.values() if row["name"] == "Mi\u200cna Rahimi"]
    assert mina["note"] == "" and (out / mina["entry"] / "dot_product.py").is_file()
    assert rows["Jo Smith_103"]["note"].startswith("refused: no files to grade; left out ")
    assert not (out / "Jo Smith_103").exists()


def test_a_student_whose_files_cannot_be_read_or_written_is_refused_alone(tmp_path, capsys):
    solutions = solution_files()
    files = {f"ada/{n}": d for n, d in solutions.items()}
    files["bob/x"] = b"a file"
    files["bob/x/dot_product.py"] = solutions["dot_product.py"]  # x is a file and a folder
    files.update({f"cy/{n}": d for n, d in solutions.items()})
    source = download(tmp_path / "class.zip", files)
    data = bytearray(source.read_bytes())
    marker = data.find(b"cy/dot_product.py")  # spoil cy's first file after its local header
    data[marker + 40: marker + 44] = b"\0\0\0\0"
    source.write_bytes(bytes(data))
    out = run(tmp_path, source, capsys, "--from", "plain")
    rows = manifest(out)
    assert rows["ada"]["note"] == ""
    assert rows["bob"]["note"].startswith("refused: ") and not (out / "bob").exists()
    assert rows["cy"]["note"].startswith("refused: ") and not (out / "cy").exists()


def test_a_named_layout_is_read_inside_the_folder_that_wraps_it(tmp_path, capsys):
    source = tmp_path / "cls"
    for login in ("ada", "alan"):
        repo = source / "neuron-submissions" / f"neuron-lesson-{login}" / "exercises"
        repo.mkdir(parents=True)
        for name, data in solution_files().items():
            (repo / name).write_bytes(data)
    out = run(tmp_path, source, capsys, "--from", "classroom")
    assert {row["login"] for row in manifest(out).values()} == {"ada", "alan"}
