"""Reading submissions: folders, single files and zips, decoded as CPython would."""

from __future__ import annotations

import zipfile

import pytest

from grader import grading, submission
from grader.submission import UngradableInput

from .conftest import FULL, SOLUTIONS, scores


def test_a_folder_gives_every_exercise_file():
    work = submission.read(SOLUTIONS)
    assert set(work.sources) == set(FULL)
    assert work.only == ()


def test_one_file_grades_that_exercise_with_its_neighbours():
    work = submission.read(SOLUTIONS / "perceptron.py")
    assert work.only == ("perceptron",)
    report = grading.grade(work)
    assert scores(report) == {"perceptron": 30}


@pytest.mark.parametrize("layout", ["root", "nested"])
def test_a_zip_at_its_root_or_in_folders(tmp_path, layout):
    archive = tmp_path / "alice.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in SOLUTIONS.glob("*.py"):
            inner = path.name if layout == "root" else f"alice/Lesson 40/{path.name}"
            z.write(path, inner)
        z.writestr("__MACOSX/alice/._dot_product.py", b"\0\0junk")
        z.writestr("alice/.ipynb_checkpoints/dot_product.py", "def dot(w, x):\n    return 0\n")
    work = submission.read(archive)
    assert work.name == "alice"
    assert scores(grading.grade(work)) == FULL


def test_two_copies_of_an_exercise_are_refused_with_both_named(tmp_path):
    archive = tmp_path / "alice.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in SOLUTIONS.glob("*.py"):
            z.write(path, f"v2/{path.name}")
        z.writestr("v1/dot_product.py", "def dot(w, x):\n    return 0\n")
    with pytest.raises(UngradableInput, match=r"alice\.zip: two copies of dot_product\.py "
                                              r"\(v1/dot_product\.py, v2/dot_product\.py\)"):
        submission.read(archive)


def test_a_whole_class_given_as_one_submission_is_refused(tmp_path):
    for student in ("Ada Lovelace_1_assignsubmission_file_", "Alan Turing_2_assignsubmission_"
                    "file_", "Grace Hopper_3_assignsubmission_file_"):
        (tmp_path / "class" / student).mkdir(parents=True)
        for path in SOLUTIONS.glob("*.py"):
            (tmp_path / "class" / student / path.name).write_text(path.read_text())
    with pytest.raises(UngradableInput, match=r"3 copies of .* looks like a whole class; `grade "
                                              r"collect` makes one entry per student"):
        submission.read(tmp_path / "class")


def test_exercise_files_in_a_subfolder_are_found(tmp_path):
    repo = tmp_path / "neuron-ada"
    (repo / "exercises").mkdir(parents=True)
    (repo / ".git" / "old").mkdir(parents=True)
    for path in SOLUTIONS.glob("*.py"):
        (repo / "exercises" / path.name).write_text(path.read_text())
        (repo / ".git" / "old" / path.name).write_text("broken(")
    (repo / "exercises" / "conftest.py").write_text("x = 1")
    (repo / "README.md").write_text("# hi")
    work = submission.read(repo)
    assert set(work.sources) == set(FULL)
    assert work.ignored == ("exercises/conftest.py",)
    assert work.sources["dot_product"].filename == f"{repo}/exercises/dot_product.py"


def test_a_broken_zip_is_refused_in_one_line(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\3\4 not really")
    with pytest.raises(UngradableInput, match="not a readable zip"):
        submission.read(archive)


def test_bom_crlf_and_a_coding_cookie_read_as_python_would(tmp_path):
    text = (SOLUTIONS / "dot_product.py").read_text()
    (tmp_path / "dot_product.py").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    latin = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + (SOLUTIONS / "neuron.py").read_text()
    (tmp_path / "neuron.py").write_bytes(latin.encode("latin-1"))
    for name in ("activations",):
        (tmp_path / f"{name}.py").write_text((SOLUTIONS / f"{name}.py").read_text())
    report = grading.grade(submission.read(tmp_path), exercises=["dot_product", "neuron"])
    assert scores(report) == {"dot_product": 10, "neuron": 10}


@pytest.mark.parametrize(("data", "problem"), [
    (b"def dot(w, x):\n    return '\xff\xfe'\n", "save it as UTF-8"),
    (b"\0\1\2binary", "not a text file"),
    (b"x" * (2 * 1024 * 1024), "larger than"),
])
def test_unreadable_files_get_a_problem_not_a_crash(tmp_path, data, problem):
    (tmp_path / "dot_product.py").write_bytes(data)
    (tmp_path / "activations.py").write_text((SOLUTIONS / "activations.py").read_text())
    report = grading.grade(submission.read(tmp_path))
    assert problem in report.exercises[0].problem
    assert scores(report)["activations"] == 20


def test_a_missing_file_costs_only_its_exercise(tmp_path):
    for path in SOLUTIONS.glob("*.py"):
        if path.stem != "neuron":
            (tmp_path / path.name).write_text(path.read_text())
    report = grading.grade(submission.read(tmp_path))
    assert scores(report) == {**FULL, "neuron": 0}
    assert "missing" in report.exercises[2].problem


@pytest.mark.parametrize(("name", "message"), [
    ("nothing-here", "no such file or folder"),
    ("notes.txt", "not a folder, an exercise .py file, a .zip or a .ipynb"),
    ("helper.py", "not an exercise file"),
    ("empty", "no exercise files here"),
])
def test_inputs_that_cannot_be_graded(tmp_path, name, message):
    (tmp_path / "notes.txt").write_text("hi")
    (tmp_path / "helper.py").write_text("x = 1")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UngradableInput, match=message):
        submission.read(tmp_path / name)


def test_links_are_not_followed(tmp_path):
    (tmp_path / "dot_product.py").symlink_to(SOLUTIONS / "dot_product.py")
    (tmp_path / "activations.py").write_text((SOLUTIONS / "activations.py").read_text())
    assert "is a link" in submission.read(tmp_path).sources["dot_product"].problem


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    for path in SOLUTIONS.glob("*.py"):
        (tmp_path / path.name).write_text(path.read_text())
    real = submission.read_capped

    def refused(path):
        if path.name == "neuron.py":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(submission, "read_capped", refused)
    work = submission.read(tmp_path)
    assert work.sources["neuron"].problem == "could not be read (Permission denied)"
    assert not work.sources["dot_product"].problem
