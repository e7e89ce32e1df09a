"""A class folder's entries: named for the gradebook, or refused in a row of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader import submission
from grader.class_folder import MAX_NAME_BYTES, entries, stem

from .conftest import write_submission


def test_an_entry_is_named_for_its_folder_or_its_file_without_its_suffixes(tmp_path):
    for name in ("alice", "bob.zip", "carol.ipynb", "dave.zip.ipynb", "erin.tar"):
        (tmp_path / name).mkdir() if name == "alice" else (tmp_path / name).write_text("")
    assert [(e.name, e.refused) for e in entries(tmp_path)] == [
        ("alice", ""), ("bob", ""), ("carol", ""), ("dave", ""), ("erin", "")]
    assert stem(Path("x/.zip")) == ".zip"


def test_entries_that_would_share_a_name_are_each_refused_in_a_row_of_their_own(tmp_path):
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol.zip").write_text("")
    (tmp_path / "carol.zip.ipynb").write_text("")
    (tmp_path / "Dave").mkdir()
    (tmp_path / "dave.zip").write_text("")
    (tmp_path / "erin").mkdir()
    found = entries(tmp_path)
    names = [entry.name for entry in found]
    assert len({name.casefold() for name in names}) == len(found) == 6
    refused = [entry for entry in found if entry.refused]
    assert len(refused) == 5 and "erin" in names
    assert all("would all be graded as" in entry.refused for entry in refused)
    carols = [entry for entry in refused if entry.path.name.startswith("carol")]
    assert all("carol.zip.ipynb" in e.refused or e.path.name == "carol.zip.ipynb"
               for e in carols)


@pytest.mark.parametrize(("name", "why"), [
    ("eve\x1b[2J", "control characters"),
    ("mallory\u202egnp.exe", "control characters"),
    ("x" * (MAX_NAME_BYTES + 1), "longer than"),
])
def test_a_name_that_cannot_name_files_is_refused(tmp_path, name, why):
    (tmp_path / name).mkdir()
    (entry,) = entries(tmp_path)
    assert why in entry.refused
    assert entry.name.isprintable() and len(entry.name.encode()) <= MAX_NAME_BYTES


def test_a_name_that_is_not_utf8_is_refused(tmp_path):
    os.mkdir(os.fsencode(tmp_path) + b"/frank\xff")
    (entry,) = entries(tmp_path)
    assert "not UTF-8" in entry.refused
    entry.name.encode("utf-8")  # a row name any file, CSV or page can hold


def test_refused_names_stay_distinct(tmp_path):
    for name in ("eve\x01", "eve\x02", "eve\x03"):
        (tmp_path / name).mkdir()
    assert len({entry.name for entry in entries(tmp_path)}) == 3


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "grace.zip")
    with pytest.raises(submission.UngradableInput, match="FIFO"):
        submission.read(tmp_path / "grace.zip")
    write_submission(tmp_path / "heidi")
    os.mkfifo(tmp_path / "heidi" / "extra.ipynb")
    assert "dot_product" in submission.read(tmp_path / "heidi").sources
