"""Class 7 of the attacks: grading stopped while student code runs an endless loop.

Ctrl-C (SIGINT to the whole process group, as a terminal sends it), SIGTERM to the grading
process, or that process killed outright: soon after, no worker, jail or job is left, and no
copy of student code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.boundary import jail

from ..conftest import SOLUTIONS, write_submission
from .test_attacks import sandbox_processes

pytestmark = pytest.mark.slow
MARK = "neuron-kit-interrupt-mark"
LOOP = ("    return sum(", f"    while True:  # {MARK}\n        pass\n    return sum(")
SCRATCHES = [Path(place) for place in ("/dev/shm", "/tmp") if Path(place).is_dir()]
STOPS = {
    "Ctrl-C": lambda pid: os.killpg(pid, signal.SIGINT),
    "SIGTERM": lambda pid: os.kill(pid, signal.SIGTERM),
    "killed": lambda pid: os.kill(pid, signal.SIGKILL),
}


def copies_left() -> list[Path]:
    """Workers' folders outside a jail that hold a copy of this test's student code (another
    grading on the machine has folders of its own, without the mark)."""
    found = []
    for folder in (path for place in SCRATCHES for path in place.glob("neuron-kit-*")):
        try:
            if any(MARK in file.read_text(errors="replace") for file in folder.glob("*.py")):
                found.append(folder)
        except OSError:
            continue
    return found


def grading_processes(folder: Path) -> list[str]:
    """Processes of this test's grading: the grader and its jobs name the class folder."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(folder).encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            continue
    return found


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("command", ["grade", "grade bulk"])
@pytest.mark.parametrize("stop", list(STOPS))
def test_grading_stopped_mid_loop_leaves_nothing_behind(tmp_path, command, stop):
    if command == "grade" and stop == "killed" and not jail.find():
        pytest.skip("without the kernel sandbox nothing ends a worker whose parent was killed")
    folder = tmp_path / "class"
    for name in ("alice", "bob", "carol"):
        write_submission(folder / name, {"dot_product": [LOOP]})
    assert not sandbox_processes()
    argv = ([str(folder / "alice")] if command == "grade"
            else ["bulk", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2"])
    run = subprocess.Popen([sys.executable, "-m", "grader", *argv, "--timeout", "60"],
                           start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        assert wait_for(lambda: len(sandbox_processes()) > 0, 30), "no worker started"
        time.sleep(0.5)  # a call is looping now
        STOPS[stop](run.pid)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    if stop != "killed":
        assert run.returncode == 130, run.stderr.read() if run.stderr else ""
        assert b"Traceback" not in (run.stderr.read() if run.stderr else b"")
    assert wait_for(lambda: not sandbox_processes() and not grading_processes(folder), 10), (
        sandbox_processes(), grading_processes(folder))
    assert not copies_left()
    assert not list(tmp_path.rglob(".*.tmp"))
    assert SOLUTIONS.is_dir()
