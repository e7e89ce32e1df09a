"""Past one machine, for real: the README's Slurm array job on a single-node cluster made here
from Debian's packages (slurmctld, slurmd, munge; .ci/run installs them), its shards merged and
compared with one local run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, write_submission

pytestmark = pytest.mark.slow
DAEMONS = ("munged", "slurmctld", "slurmd")
CONFIG = """ClusterName=kit
SlurmctldHost={host}
AuthType=auth/munge
AuthInfo=socket={root}/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
SlurmctldPort={port}
SlurmdPort={port2}
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
NodeName={host} CPUs={cpus} RealMemory=1000 State=UNKNOWN
PartitionName=kit Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def cluster(tmp_path):
    """A single-node Slurm cluster of this machine, as root, gone at the end."""
    if os.geteuid() != 0:
        pytest.fail("the Slurm test starts its daemons as root; run the tests as root (CI does)")
    missing = [d for d in DAEMONS if not (shutil.which(d) or Path("/usr/sbin", d).exists())]
    assert not missing, f"install {' '.join(missing)} (Debian: slurmctld slurmd munge), as " \
                        ".ci/run does"
    root = tmp_path / "slurm"
    for folder in ("state", "spool"):
        (root / folder).mkdir(parents=True)
    key = root / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o600)
    conf = root / "slurm.conf"
    conf.write_text(CONFIG.format(host=socket.gethostname().split(".")[0], root=root,
                                  port=free_port(), port2=free_port(), cpus=os.cpu_count()))
    env = {**os.environ, "SLURM_CONF": str(conf)}
    subprocess.run(["/usr/sbin/munged", "--force", f"--key-file={key}",
                    f"--socket={root}/munge.socket", f"--pid-file={root}/munged.pid",
                    f"--log-file={root}/munged.log", f"--seed-file={root}/munge.seed"],
                   check=True, env=env)
    subprocess.run(["/usr/sbin/slurmctld", "-c"], check=True, env=env)
    subprocess.run(["/usr/sbin/slurmd"], check=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while "idle" not in subprocess.run(["sinfo", "-h", "-o", "%T"], env=env,
                                           capture_output=True, text=True).stdout:
            assert time.monotonic() < deadline, (root / "slurmctld.log").read_text()[-2000:]
            time.sleep(0.5)
        yield env
    finally:
        subprocess.run(["scancel", "--full", "--user", "root"], env=env, capture_output=True)
        for name in ("slurmd", "slurmctld", "munged"):
            pid_file = root / f"{name}.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text()), signal.SIGTERM)


def readme_script() -> str:
    """The array job the README shows, as written there (its first code block after the words
    "Slurm, as an array job", the merge left for the test)."""
    lines = (ROOT / "README.md").read_text().split("Slurm, as an array job", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("      #!"))
    block = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("      "):
            break
        block.append(line[6:])
    return "\n".join(b for b in block if not b.startswith("# afterwards")).strip() + "\n"


def test_the_readme_array_job_on_a_real_cluster_merges_into_the_local_run(cluster, tmp_path):
    work = tmp_path / "work"
    for name, edits in (("ada", None), ("bob", {"dot_product": [("wi * xi", "wi + xi")]}),
                        ("cy", {"activations": [("return max(0, z)", "return abs(z)")]}),
                        ("di", None), ("ed", None)):
        write_submission(work / "class" / name, edits)
    script = work / "grade.sh"
    script.write_text(readme_script())
    grade = str(Path(sys.executable).with_name("grade"))
    env = {**cluster, "PATH": f"{Path(grade).parent}:{cluster['PATH']}"}
    done = subprocess.run(["sbatch", "--wait", "--output", str(work / "slurm-%A_%a.out"),
                           str(script)], cwd=work, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr + "".join(
        p.read_text() for p in work.glob("slurm-*.out"))
    shards = sorted(str(p) for p in work.glob("out-*"))
    assert len(shards) == 4
    subprocess.run([grade, "merge", *shards, "--out", str(work / "gradebook")], check=True,
                   env=env, capture_output=True)
    subprocess.run([grade, "bulk", str(work / "class"), "--out", str(work / "local")],
                   check=True, env=env, capture_output=True)
    for name in ("gradebook.csv", "summary.md"):
        assert (work / "gradebook" / name).read_text() == (work / "local" / name).read_text()
