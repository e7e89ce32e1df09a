"""The kernel's sandbox around the workers, made with bubblewrap (`bwrap`, the sandbox behind
Flatpak) on Linux.

A jail is a fresh mount, PID, network, IPC and UTS namespace. Inside it, student code sees:

- the interpreter and the shared libraries it loads, read-only;
- the Python standard library, read-only, with its site-packages hidden;
- the worker program (`worker.py`, `lockdown.py`, `protocol.py`), read-only, at /kit;
- /dev/null, and a private tmpfs at /tmp capped at TMPFS_BYTES, its only writable place.

Nothing else exists there: no class folder, output folder, grader installation, hidden suite,
solution, /proc, /dev/shm, other process or network. The jail dies with its parent
(`--die-with-parent`), and everything in it dies with its first process (the PID namespace).

Its uid on the host is never root's. Run by an ordinary user, bwrap makes a user namespace
(and forbids further ones). Run by root, it makes none, since a user namespace would map the
jail to root on the host, and the worker program's first act is to become `uid` (an
unprivileged uid no account has), which also drops every capability.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.boundary import lockdown

KIT = "/kit"  # where the worker program is in the jail
SCRATCH = "/tmp"  # the jail's one writable place
TMPFS_BYTES = 64 << 20  # what a submission may store in all, files included
PROGRAM_FILES = ("worker.py", "lockdown.py", "protocol.py")
HOST_PROGRAM = Path(__file__).parent
# Folders of installed packages: hidden wherever a bound folder holds one.
PACKAGE_FOLDERS = ("site-packages", "dist-packages")
# Top-level links of a merged-/usr system (/lib -> usr/lib), made again in the jail.
TOP_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass(frozen=True)
class Jail:
    """How to start a program in a jail: bwrap's path, and whether it runs as root."""

    bwrap: str
    as_root: bool

    def command(self, arguments: list[str], uid: int | None,
                info_fd: int | None = None) -> list[str]:
        """bwrap's command line that runs `arguments` (a path in the jail first) in a new jail.

        `uid`: the unprivileged uid the program becomes first (`--become`), when run as root.
        `info_fd`: where bwrap writes the host pid of the jail's init (grader.boundary.launch
        waits for that process: it is gone only once every process of the jail is)."""
        namespaces = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                      "--unshare-cgroup-try"]
        if not self.as_root:
            namespaces += ["--unshare-user", "--disable-userns"]
        info = ["--info-fd", str(info_fd)] if info_fd is not None else []
        return [self.bwrap, *namespaces, "--die-with-parent", "--new-session", *info,
                *mounts(), "--chdir", SCRATCH, "--", *arguments,
                *(["--become", str(uid)] if uid is not None else [])]


def interpreter() -> str:
    """The interpreter's own file (a virtual environment's python is a link to it)."""
    return os.path.realpath(sys.executable)


@functools.cache
def mounts() -> tuple[str, ...]:
    """bwrap's options for the jail's file system (worked out once per grading process)."""
    options: list[str] = []
    for name in TOP_LINKS:
        target = Path("/", name)
        if target.is_symlink():
            options += ["--symlink", os.readlink(target), str(target)]
    places = {place for place in read_only_places() if os.path.exists(place)}
    bound = sorted(place for place in places  # a place inside a bound folder is there already
                   if not any(place.startswith(other + "/") for other in places))
    kit = [f"{KIT}/{name}" for name in PROGRAM_FILES]
    # bwrap makes a mount point's missing folders 0700 when it runs as root: made here, they
    # can be passed through by the unprivileged uid as well.
    for folder in sorted({str(parent) for place in [*bound, *kit, os.devnull]
                          for parent in Path(place).parents if str(parent) != "/"}):
        options += ["--perms", "0755", "--dir", folder]
    for place in bound:
        options += ["--ro-bind", place, place]
    for hidden in sorted({hidden for place in bound for hidden in hidden_places(place)}):
        options += ["--tmpfs", hidden, "--remount-ro", hidden]
    for name, place in zip(PROGRAM_FILES, kit, strict=True):
        options += ["--ro-bind", str(HOST_PROGRAM / name), place]
    options += ["--dev-bind", os.devnull, os.devnull,
                "--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", SCRATCH,
                "--remount-ro", "/"]
    return tuple(options)


def read_only_places() -> set[str]:
    """The interpreter, the standard library, and the folders of the shared libraries that
    this process has loaded (the interpreter's own and the system's C library among them)."""
    places = {interpreter(), *lockdown.standard_library()}
    places |= {os.path.dirname(path) for path in shared_libraries()}
    for link in ("/etc/ld.so.cache",):  # where the loader looks a library up
        if os.path.exists(link):
            places.add(os.path.realpath(link))
    places |= {os.path.realpath(os.path.dirname(path)) for path in loader_paths()}
    return {place for place in places if not any(f"/{hidden}" in place
                                                 for hidden in PACKAGE_FOLDERS)}


def shared_libraries() -> Iterator[str]:
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        path = fields[5] if len(fields) == 6 else ""  # anonymous memory names no file
        name = os.path.basename(path)
        if path.startswith("/") and (name.endswith(".so") or ".so." in name):
            yield path


def loader_paths() -> Iterator[str]:
    """The dynamic loader as the interpreter names it (/lib64/ld-linux-x86-64.so.2), and
    every link on the way to its file."""
    path = elf_interpreter(interpreter())
    for _ in range(10):  # a loop of links ends here
        if not path:
            return
        yield path
        if not os.path.islink(path):
            return
        path = os.path.join(os.path.dirname(path), os.readlink(path))


def elf_interpreter(executable: str) -> str:
    """The PT_INTERP path of a 64-bit little-endian ELF file, or '' for anything else."""
    try:
        with open(executable, "rb") as file:
            head = file.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return ""
            phoff = int.from_bytes(head[32:40], "little")
            phentsize = int.from_bytes(head[54:56], "little")
            phnum = int.from_bytes(head[56:58], "little")
            for index in range(phnum):
                file.seek(phoff + index * phentsize)
                entry = file.read(phentsize)
                if int.from_bytes(entry[:4], "little") == 3:  # PT_INTERP
                    offset = int.from_bytes(entry[8:16], "little")
                    size = int.from_bytes(entry[32:40], "little")
                    file.seek(offset)
                    return file.read(size).rstrip(b"\0").decode()
    except (OSError, UnicodeDecodeError):
        return ""
    return ""


def hidden_places(place: str) -> list[str]:
    """Folders of installed packages inside a bound folder (the grader may be installed
    there), to cover with an empty, read-only tmpfs."""
    if not os.path.isdir(place):
        return []
    candidates = [os.path.join(place, name) for name in PACKAGE_FOLDERS]
    candidates += [os.path.join(place, python, name) for python in sorted(os.listdir(place))
                   if python.startswith("python") for name in PACKAGE_FOLDERS]
    return [path for path in candidates if os.path.isdir(path) and not os.path.islink(path)]


@functools.cache
def probe() -> tuple[Jail, subprocess.Popen[bytes]] | None:
    """A jail running an interpreter that does nothing, started: whether it ends well says
    whether this machine can make jails. None where it cannot be tried (not Linux, no bwrap).
    Started early (before the grader loads pytest) so that find() rarely waits for it."""
    if not sys.platform.startswith("linux"):
        return None
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return None
    jail = Jail(bwrap, as_root=lockdown.running_as_root())
    try:
        return jail, subprocess.Popen(jail.command([interpreter(), "-S", "-c", ""], uid=None),
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
    except OSError:
        return None


@functools.cache
def find() -> Jail | None:
    """A jail this machine can make, or None (not Linux, no bwrap, or no namespaces here, as
    in a container that forbids them). Asked once per grading process."""
    started = probe()
    if started is None:
        return None
    jail, process = started
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None
    return jail if code == 0 else None


WHY_MISSING = ("the kernel sandbox (bubblewrap: install the `bubblewrap` package, and allow "
               "namespaces where grading runs in a container)")
