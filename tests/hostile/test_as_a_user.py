"""The attacks again, graded by an ordinary user, as on an instructor's laptop.

As root, the jail runs as an unprivileged uid of its own; as an ordinary user, bubblewrap makes
a user namespace instead. Both must hold. Run as root, this test runs the other hostile tests
as an ordinary user (uid ORDINARY, no account needed); run as an ordinary user, the suite
around it already is that run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ORDINARY = 4321


@pytest.mark.slow
def test_the_attacks_hold_when_an_ordinary_user_grades():
    if os.geteuid() != 0:
        return  # this whole run is an ordinary user's
    with tempfile.TemporaryDirectory() as place:  # pytest's own is root's alone
        os.chmod(place, 0o777)
        run_as_an_ordinary_user(Path(place))


def run_as_an_ordinary_user(tmp_path: Path) -> None:
    try:
        subprocess.run([sys.executable, "-c", ""], user=ORDINARY, group=ORDINARY,
                       extra_groups=[], check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.fail(f"uid {ORDINARY} cannot run {sys.executable}: make its folders searchable "
                    "(.ci/run does: chmod o+x on the folders above it)")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         f"--basetemp={tmp_path / 'run'}", str(HERE), "-k", "not ordinary_user"],
        user=ORDINARY, group=ORDINARY, extra_groups=[], cwd=HERE.parent.parent,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)},
        capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
