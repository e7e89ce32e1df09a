"""The worker's sandbox: limits, an unprivileged user, and a runtime policy student code cannot
remove. Applied in the worker before any student code runs; stdlib only, like the worker.

- Resource limits (POSIX): address space, CPU time, file size, open files, no new processes,
  no core dumps.
- Started as root, the worker becomes an unprivileged user of its own (a uid the parent picks,
  with no other process), so the kernel, not only Python, keeps it away from the grader's files
  and processes and from the other submissions' workers.
- An audit hook (PEP 578), which cannot be removed once added, refuses from then on: reading
  files outside the submission's copy and the standard library, writing outside the worker's
  own folder, starting processes, sockets, signals, native code (ctypes), loading modules
  outside the contract's list, and adding hooks, tracers or profilers. A refused action raises
  PermissionError inside the student's code, and the feedback shows its message.
- A guarded `__import__` in each student module's builtins holds the contract's import list
  even for modules the worker has already loaded.

The in-process layers hold against ordinary code and its tricks; code that walks the
interpreter's object graph might reach around them, which is why, on Linux as root, the kernel's
layers (a user of its own, limits, a session) stand beneath them. SECURITY.md says more.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

if sys.platform != "win32":  # imported here, so that a zygote loads it once for all workers
    import resource

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
# Events refused outright, by name or by the prefix before their first dot.
REFUSED = {
    "os.system": "starting a process",
    "os.exec": "starting a process",
    "os.spawn": "starting a process",
    "os.posix_spawn": "starting a process",
    "os.fork": "starting a process",
    "os.forkpty": "starting a process",
    "os.startfile": "starting a process",
    "subprocess.Popen": "starting a process",
    "os.kill": "sending a signal",
    "os.killpg": "sending a signal",
    "signal.pthread_kill": "sending a signal",
    "os.chdir": "changing the working folder",
    "sys.addaudithook": "adding an audit hook",  # CPython then quietly adds nothing
    "sys.settrace": "tracing",
    "sys.setprofile": "profiling",
    "gc.get_objects": "walking the interpreter's objects",
    "gc.get_referrers": "walking the interpreter's objects",
    "gc.get_referents": "walking the interpreter's objects",
    "resource.setrlimit": "changing resource limits",
    "resource.prlimit": "changing resource limits",
    "socket": "network access",
    "ctypes": "loading native code",
    "_ctypes": "loading native code",
    "winreg": "reading the Windows registry",
}
# Events whose first argument is a path that must lie in the worker's own folder.
WRITES = frozenset({
    "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.symlink", "os.link", "os.truncate",
    "os.chmod", "os.chown", "os.utime", "os.chflags", "os.lchflags", "os.lchmod", "os.mkfifo",
    "os.mknod", "os.setxattr", "os.removexattr", "shutil.rmtree", "shutil.move",
})
# Events whose first argument is a path that must lie where the worker may read.
READS = frozenset({"os.listdir", "os.scandir", "glob.glob", "os.getxattr", "os.listxattr"})


@functools.cache
def standard_library() -> tuple[str, ...]:
    """Where the standard library lives, resolved (its site-packages are never readable: see
    audit_hook). Cached: a zygote works it out once for all the workers it forks."""
    places = [os.path.dirname(os.__file__)]
    if sys.platform == "win32":
        places.append(os.path.join(sys.base_prefix, "DLLs"))
    return tuple(os.path.realpath(place) for place in places)


def apply_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int, open_files: int) -> None:
    """Kernel-enforced limits on this process (POSIX; a no-op where `resource` is missing)."""
    if sys.platform == "win32":  # no resource limits there
        return
    wanted = {
        "RLIMIT_AS": memory_bytes,
        "RLIMIT_CPU": cpu_seconds,
        "RLIMIT_FSIZE": file_bytes,
        "RLIMIT_NOFILE": open_files,
        "RLIMIT_NPROC": 0,  # no new processes (not enforced for root: see drop_privileges)
        "RLIMIT_CORE": 0,
    }
    for name, value in wanted.items():
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        _, hard = resource.getrlimit(limit)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        with contextlib.suppress(ValueError, OSError):  # macOS refuses RLIMIT_AS, for one
            resource.setrlimit(limit, (value, value))


UID_BASE = 1_900_000_000  # far above any real account's uid
UID_RANGE = 1 << 24


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def sandbox_uid(serial: int) -> int:
    """A uid (and gid) of its own for a worker: no account has it, no other worker shares it
    while this grader runs."""
    return UID_BASE + (os.getpid() * 4096 + serial) % UID_RANGE


def drop_privileges(uid: int) -> None:
    """Become `uid` (and the group of the same number) for good, with no other groups."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def undumpable() -> None:
    """Make this process (and what it forks) undumpable: a process of the same uid can then
    neither trace it nor read or write its memory. A zygote that serves many submissions needs
    this, since its workers share its uid in a jail run by an ordinary user (as root, becoming
    an unprivileged uid does the same). ctypes is gone again before any student code runs."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (ImportError, OSError, AttributeError):
        pass  # a second layer: the jail has no /proc, and the audit hook refuses ptrace's tools
    for name in [name for name in sys.modules if name.partition(".")[0] in ("ctypes", "_ctypes")]:
        del sys.modules[name]


def end_the_others(scratch: str) -> bool:
    """In a jail: kill every process but this one and the jail's init, and empty `scratch`.
    Whether nothing was left (only ever called inside a PID namespace of the grader's own:
    outside one, kill(-1) would reach every process of the uid)."""
    deadline = time.monotonic() + 2.0
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:  # no other process is left
            break
        if time.monotonic() > deadline:
            return False
        time.sleep(0.0005)
    for entry in os.scandir(scratch):
        remove(entry.path)
    return not os.listdir(scratch)


def remove(path: str) -> None:
    """Remove a file or a whole tree, whatever its modes (student code may have made a folder
    unreadable; it belongs to the same uid, so its modes can be set back)."""
    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            for entry in os.scandir(path):
                remove(entry.path)
            os.rmdir(path)
        else:
            os.unlink(path)


def audit_hook(workdir: str, readable: Iterable[str],
               modules: Iterable[str]) -> Callable[[str, tuple[Any, ...]], None]:
    """The policy as an audit hook, for `sys.addaudithook`. `workdir` and `readable` must be
    resolved paths (no links, no `..`).

    Everything it uses is captured here, in closure cells, builtins included, and it calls only
    those and str methods: rebinding a name in this module, in os or in builtins later changes
    nothing for the installed hook, and a path object cannot show it one path and `open`
    another (only exact str and bytes are accepted). Hence no any() and no bool() below.
    """
    refused = dict(REFUSED)
    writes, reads, allowed = WRITES, READS, frozenset(modules)
    windows = sys.platform == "win32"
    separator, getcwd, exact_type, blocked = os.sep, os.getcwd, type, PermissionError
    text, raw, whole, length = str, bytes, int, len
    write_flags = WRITE_FLAGS

    def normal(path: str) -> str:
        """An absolute path without `.` and `..`, by string operations alone."""
        if windows:
            path = path.replace("/", "\\").lower()
            absolute = path[1:3] == ":\\" or path.startswith("\\\\")
        else:
            absolute = path.startswith("/")
        if not absolute:
            path = getcwd() + separator + path
        parts: list[str] = []
        for part in path.split(separator):
            if part == "..":
                if length(parts) > 1:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        head = "" if windows else separator
        return head + separator.join(parts)

    own = normal(workdir)  # the caller's os.getcwd(), which is resolved already
    places = tuple(normal(p) for p in (*readable, workdir))

    def inside(path: str, roots: tuple[str, ...]) -> bool:
        for root in roots:  # noqa: SIM110 (a loop, since any() could be rebound)
            if path == root or path.startswith(root + separator):
                return True
        return False

    def check_path(path: Any, writing: bool) -> None:
        kind = exact_type(path)
        if kind is raw:
            path = path.decode("utf-8", "surrogateescape")
        elif kind is not text:
            raise blocked(f"the grader does not allow opening this: {kind.__name__}")
        where = normal(path)
        if writing and not inside(where, (own,)):
            raise blocked(f"the grader does not allow writing outside your folder: {path}")
        installed = separator + "site-packages" in where or separator + "dist-packages" in where
        if not writing and (installed or not inside(where, places)):
            raise blocked(f"the grader does not allow reading outside your submission: {path}")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        reason = refused.get(event) or refused.get(event.partition(".")[0])
        if reason:
            raise blocked(f"the grader does not allow {reason} ({event})")
        if event == "open":
            path, mode, flags = args[0], args[1], args[2]
            if exact_type(flags) is whole:
                writing = (flags & write_flags) != 0
            else:
                writing = exact_type(mode) is text and ("w" in mode or "a" in mode
                                                        or "x" in mode or "+" in mode)
            check_path(path, writing)
        elif event in writes:
            check_path(args[0], True)
        elif event in reads:
            check_path(args[0], False)
        elif event == "import" and args[0].partition(".")[0] not in allowed:
            raise blocked(f"the grader does not allow importing {args[0]}")

    return hook


def guarded_import(allowed: frozenset[str], imported: set[str]) -> Callable[..., Any]:
    """An `__import__` that holds the contract's import list, for a student module's builtins.
    It adds what it imports to `imported`."""
    real_import = builtins.__import__

    def __import__(name: str, globals: Any = None, locals: Any = None,
                   fromlist: Any = (), level: int = 0) -> Any:
        if type(name) is not str:
            raise PermissionError("import a module by its name")
        if level:
            raise PermissionError("relative imports are not allowed: import the module by its name")
        if name.partition(".")[0] not in allowed:
            raise PermissionError(f"the grader does not allow importing {name}: the contract "
                                  f"allows only {', '.join(sorted(allowed))}")
        imported.add(name)
        return real_import(name, globals, locals, fromlist, level)

    return __import__


def student_builtins(allowed: frozenset[str], imported: set[str]) -> dict[str, Any]:
    """The builtins a student module runs with: the real ones, with a guarded __import__ that
    adds what it imports to `imported`."""
    namespace = dict(builtins.__dict__)
    namespace["__import__"] = guarded_import(allowed, imported)
    return namespace
