"""Hostile submissions as files: zips that try to escape or explode, links, pipes, huge files.

Nothing is ever extracted to disk: the grader reads the exercise files' bytes and nothing else,
so these must end in a clear message, never in a file written or a grader stuck.
"""

from __future__ import annotations

import os
import stat
import zipfile

import pytest

from grader import grading, submission
from grader.submission import UngradableInput

from ..conftest import FULL, SOLUTIONS, scores


def solution_zip(path, name=lambda p: p.name, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in SOLUTIONS.glob("*.py"):
            archive.write(source, name(source))
        for entry, data in extra:
            archive.writestr(entry, data)
    return path


def test_entries_that_climb_out_are_read_never_written(tmp_path):
    archive = solution_zip(tmp_path / "a.zip", name=lambda p: f"../../{p.name}", extra=[
        ("/tmp/evil/conftest.py", "boom"), ("..\\..\\evil.pth", "import os")])
    before = set(os.listdir(tmp_path))
    work = submission.read(archive)
    assert scores(grading.grade(work)) == FULL
    assert set(os.listdir(tmp_path)) == before
    assert not os.path.exists("/tmp/evil")
    assert "/tmp/evil/conftest.py" in work.notes()[0]


def test_a_zip_too_large_once_unpacked_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(submission, "MAX_ZIP_BYTES", 1 << 20)
    archive = solution_zip(tmp_path / "bomb.zip", extra=[("padding.bin", b"\0" * (2 << 20))])
    with pytest.raises(UngradableInput, match="MiB once unpacked"):
        submission.read(archive)


def test_a_huge_exercise_file_in_a_zip_is_refused_unread(tmp_path):
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dot_product.py", b"#" * (50 << 20))
        z.write(SOLUTIONS / "activations.py", "activations.py")
    work = submission.read(archive)
    assert "larger than" in work.sources["dot_product"].problem
    assert scores(grading.grade(work, exercises=["activations"])) == {"activations": 20}


def test_a_link_inside_a_zip_is_not_followed(tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as z:
        info = zipfile.ZipInfo("dot_product.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
        z.write(SOLUTIONS / "activations.py", "activations.py")
    assert "is a link" in submission.read(archive).sources["dot_product"].problem


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(submission, "MAX_ZIP_ENTRIES", 10)
    archive = solution_zip(tmp_path / "many.zip",
                           extra=[(f"junk/{i}.txt", "x") for i in range(20)])
    with pytest.raises(UngradableInput, match="more than 10 entries"):
        submission.read(archive)


def test_a_pipe_named_like_an_exercise_is_not_read(tmp_path):
    for source in SOLUTIONS.glob("*.py"):
        if source.stem != "dot_product":
            (tmp_path / source.name).write_text(source.read_text())
    os.mkfifo(tmp_path / "dot_product.py")
    report = grading.grade(submission.read(tmp_path))
    assert scores(report) == {**FULL, "dot_product": 0}


def test_a_link_to_a_device_is_not_followed(tmp_path):
    (tmp_path / "dot_product.py").symlink_to("/dev/zero")
    (tmp_path / "activations.py").write_text((SOLUTIONS / "activations.py").read_text())
    assert "is a link" in submission.read(tmp_path).sources["dot_product"].problem


def test_a_huge_file_in_a_folder_is_refused_unread(tmp_path):
    with open(tmp_path / "dot_product.py", "wb") as huge:
        huge.truncate(4 << 30)  # sparse: 4 GiB that cost no disk
    (tmp_path / "activations.py").write_text((SOLUTIONS / "activations.py").read_text())
    assert "larger than" in submission.read(tmp_path).sources["dot_product"].problem
