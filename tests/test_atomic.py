"""Atomic writes: a reader sees the old file or the whole new one, and durable ones are synced."""

from __future__ import annotations

import os

from grader import atomic


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "result.json"
    target.write_text("old")
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_only_durable_writes_wait_for_the_disk(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    atomic.write_text(tmp_path / "a", "a")
    durable = len(synced)
    atomic.write_text(tmp_path / "b", "b", durable=False)
    assert durable == (2 if os.name == "posix" else 1)  # the file, then its folder's entry
    assert len(synced) == durable
    assert (tmp_path / "b").read_text() == "b"
