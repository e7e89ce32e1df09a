"""Writing a file so that a reader, or a run cut off by Ctrl-C, a crash or a power cut, sees
either the old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_text(path: Path, text: str, durable: bool = True) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, and rename it over
    `path` (a rename within a folder is atomic). Not `durable`: a power cut may lose the new
    file (never leave half of it), for a file whose loss costs only work done again."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    if durable:
        sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (POSIX; elsewhere a no-op)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
