"""Reading a submission: a folder, one exercise file, or a .zip, into the contract's sources.

Only the contract's module files are taken; anything else in a submission (a conftest.py, a
pytest.ini, a json.py) is never read. Text is decoded the way CPython decodes source (a UTF-8
BOM, a coding cookie), and a file that is not text gets a clear problem instead of a crash.
"""

from __future__ import annotations

import io
import tokenize
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.catalog import NAMES

MAX_FILE_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000


class UngradableInput(Exception):
    """The input cannot be graded at all; the message is one line for the command line."""


@dataclass(frozen=True)
class Source:
    filename: str
    text: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Submission:
    name: str
    sources: dict[str, Source]
    only: tuple[str, ...] = ()  # when one exercise file was given: grade just that one


def read(path: Path) -> Submission:
    if path.is_symlink() and not path.exists():
        raise UngradableInput(f"{path}: a link to nothing")
    if not path.exists():
        raise UngradableInput(f"{path}: no such file or folder")
    if path.is_dir():
        return Submission(path.name, read_folder(path))
    if path.suffix == ".py":
        if path.stem not in NAMES:
            raise UngradableInput(
                f"{path}: not an exercise file (expected one of {', '.join(NAMES)}, as .py)"
            )
        return Submission(path.parent.resolve().name, read_folder(path.parent), (path.stem,))
    if path.suffix == ".zip":
        return Submission(path.stem, read_zip(path))
    raise UngradableInput(f"{path}: not a folder, an exercise .py file or a .zip")


def read_folder(folder: Path) -> dict[str, Source]:
    sources = {}
    for name in NAMES:
        path = folder / f"{name}.py"
        if path.is_symlink():
            sources[name] = Source(str(path), problem="is a link; submit the file itself")
        elif path.is_file():
            try:
                data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
            except OSError as error:
                sources[name] = Source(str(path), problem=f"could not be read ({error.strerror})")
                continue
            sources[name] = decode(str(path), data)
    if not sources:
        raise UngradableInput(
            f"{folder}: no exercise files here (expected {', '.join(n + '.py' for n in NAMES)})"
        )
    return sources


def read_zip(path: Path) -> dict[str, Source]:
    """The exercise files of a zip, at its root or in folders; the shallowest copy of each."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UngradableInput(f"{path}: more than {MAX_ZIP_ENTRIES} entries in the zip")
            chosen: dict[str, zipfile.ZipInfo] = {}
            for entry in entries:
                parts = PurePosixPath(entry.filename.replace("\\", "/")).parts
                if entry.is_dir() or not parts or "__MACOSX" in parts:
                    continue
                stem, _, suffix = parts[-1].rpartition(".")
                if suffix != "py" or stem not in NAMES:
                    continue
                best = chosen.get(stem)
                if best is None or len(parts) < best.filename.count("/") + 1:
                    chosen[stem] = entry
            sources = {}
            for name in NAMES:
                if name in chosen:
                    entry = chosen[name]
                    shown = f"{path.name}:{entry.filename}"
                    data = None
                    if entry.file_size <= MAX_FILE_BYTES:
                        with archive.open(entry) as stream:
                            data = stream.read(MAX_FILE_BYTES + 1)
                    sources[name] = decode(shown, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UngradableInput(f"{path}: not a readable zip ({error})") from None
    if not sources:
        raise UngradableInput(f"{path}: no exercise files in the zip")
    return sources


def decode(filename: str, data: bytes | None) -> Source:
    """Source text as CPython would read it, or a problem a student can fix."""
    if data is None or len(data) > MAX_FILE_BYTES:
        return Source(filename, problem=f"is larger than {MAX_FILE_BYTES // 1024} KiB")
    if b"\0" in data:
        return Source(filename, problem="is not a text file (it holds NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        return Source(filename, problem=f"could not be read as text: save it as UTF-8 ({error})")
    return Source(filename, text.removeprefix("\ufeff"))
