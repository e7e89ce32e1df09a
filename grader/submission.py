"""Reading a submission: a folder, one exercise file, or a .zip, into the contract's sources.

Only the contract's module files are taken; anything else in a submission (a conftest.py, a
pytest.ini, a json.py) is never read. Text is decoded the way CPython decodes source (a UTF-8
BOM, a coding cookie), and a file that is not text gets a clear problem instead of a crash.
"""

from __future__ import annotations

import ast
import io
import stat
import tokenize
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from grader.catalog import NAMES

MAX_FILE_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 512 * 1024 * 1024  # uncompressed, all entries together
MAX_IGNORED_SHOWN = 8
# Files that could change grading if a grader read them (conftest.py, pytest.ini, json.py,
# sitecustomize.py, a .pth): reported as ignored, so that nobody wonders whether they counted.
NOTEWORTHY = (".py", ".pth", ".ini", ".cfg", ".toml")


class UngradableInput(Exception):
    """The input cannot be graded at all; the message is one line for the command line."""


@dataclass(frozen=True)
class Source:
    filename: str
    text: str = ""
    problem: str = ""
    cells: tuple[tuple[str, str], ...] = ()  # a notebook's (name, code) per cell, in order

    @property
    def chunks(self) -> tuple[tuple[str, str], ...]:
        """The source as the worker runs it: a file in one piece, a notebook cell by cell."""
        return self.cells or ((self.filename, self.text),)


@dataclass(frozen=True)
class Submission:
    name: str
    sources: dict[str, Source]
    only: tuple[str, ...] = ()  # when one exercise file was given: grade just that one
    ignored: tuple[str, ...] = ()  # code or configuration beside the exercises, never read
    remarks: tuple[str, ...] = ()  # what reading it changed (a notebook's skipped magics)

    def notes(self) -> tuple[str, ...]:
        if not self.ignored:
            return self.remarks
        shown = ", ".join(self.ignored[:MAX_IGNORED_SHOWN])
        more = len(self.ignored) - MAX_IGNORED_SHOWN
        return (f"Ignored: {shown}{f' and {more} more' if more > 0 else ''}. Only the six "
                f"exercise files are graded; nothing else in a submission is read.",
                *self.remarks)


def read(path: Path, shown: Path | None = None) -> Submission:
    """The submission at `path`. Its files and errors name it `shown` when that is given: bulk
    grading shows paths relative to the class folder, wherever that folder lives."""
    if shown is None:
        return read_as_given(path)
    try:
        work = read_as_given(path)
    except UngradableInput as error:
        raise UngradableInput(str(error).replace(str(path), str(shown), 1)) from None
    def renamed(filename: str) -> str:
        return filename.replace(str(path), str(shown), 1)

    sources = {name: replace(source, filename=renamed(source.filename),
                             cells=tuple((renamed(cell), code) for cell, code in source.cells))
               for name, source in work.sources.items()}
    return replace(work, sources=sources)


def read_as_given(path: Path) -> Submission:
    if path.is_symlink() and not path.exists():
        raise UngradableInput(f"{path}: a link to nothing")
    if not path.exists():
        raise UngradableInput(f"{path}: no such file or folder")
    if not (path.is_dir() or path.is_file()):  # opening a FIFO or a device could wait forever
        raise UngradableInput(f"{path}: not a file or a folder (a FIFO, a device or a socket)")
    if path.is_dir():
        return Submission(path.name, read_folder(path), ignored=ignored_in_folder(path))
    if path.suffix == ".py":
        if path.stem not in NAMES:
            raise UngradableInput(
                f"{path}: not an exercise file (expected one of {', '.join(NAMES)}, as .py)"
            )
        return Submission(path.parent.resolve().name, read_folder(path.parent), (path.stem,))
    if path.suffix == ".zip":
        sources, ignored = read_zip(path)
        return Submission(path.stem, sources, ignored=ignored)
    if path.suffix == ".ipynb":
        from grader import notebook

        return notebook.read(path)
    raise UngradableInput(f"{path}: not a folder, an exercise .py file, a .zip or a .ipynb")


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


def noteworthy(name: str) -> bool:
    return name.endswith(NOTEWORTHY) and name.removesuffix(".py") not in NAMES


def ignored_in_folder(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in folder.iterdir() if noteworthy(p.name)))


def is_link(entry: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(entry.external_attr >> 16)


def read_zip(path: Path) -> tuple[dict[str, Source], tuple[str, ...]]:
    """The exercise files of a zip, at its root or in folders (the shallowest copy of each),
    and the names of what was ignored. Nothing is extracted to disk."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UngradableInput(f"{path}: more than {MAX_ZIP_ENTRIES} entries in the zip")
            if sum(entry.file_size for entry in entries) > MAX_ZIP_BYTES:
                raise UngradableInput(
                    f"{path}: more than {MAX_ZIP_BYTES >> 20} MiB once unpacked")
            chosen: dict[str, zipfile.ZipInfo] = {}
            ignored = []
            for entry in entries:
                parts = PurePosixPath(entry.filename.replace("\\", "/")).parts
                if entry.is_dir() or not parts or "__MACOSX" in parts:
                    continue
                stem, _, suffix = parts[-1].rpartition(".")
                if suffix != "py" or stem not in NAMES:
                    if noteworthy(parts[-1]):
                        ignored.append(entry.filename)
                    continue
                best = chosen.get(stem)
                if best is None or len(parts) < best.filename.count("/") + 1:
                    chosen[stem] = entry
            sources = {}
            for name in NAMES:
                if name in chosen:
                    entry = chosen[name]
                    shown = f"{path.name}:{entry.filename}"
                    if is_link(entry):
                        sources[name] = Source(shown, problem="is a link; zip the file itself")
                        continue
                    data = None
                    if entry.file_size <= MAX_FILE_BYTES:
                        with archive.open(entry) as stream:
                            data = stream.read(MAX_FILE_BYTES + 1)
                    sources[name] = decode(shown, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UngradableInput(f"{path}: not a readable zip ({error})") from None
    if not sources:
        raise UngradableInput(f"{path}: no exercise files in the zip")
    return sources, tuple(sorted(ignored))


def decode(filename: str, data: bytes | None) -> Source:
    """Source text as CPython would read it, or a problem a student can fix."""
    if data is None or len(data) > MAX_FILE_BYTES:
        return Source(filename, problem=f"is larger than {MAX_FILE_BYTES // 1024} KiB")
    if b"\0" in data:
        return Source(filename, problem="is not a text file (it holds NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if not imports_as_is(data):
            return Source(filename,
                          problem=f"could not be read as text: save it as UTF-8 ({error})")
        # CPython imports it: the bytes it cannot decode are in comments, which run nothing.
        text = data.decode(encoding, errors="replace")
    except (SyntaxError, LookupError) as error:
        return Source(filename, problem=f"could not be read as text: save it as UTF-8 ({error})")
    return Source(filename, text.removeprefix("\ufeff"))


def imports_as_is(data: bytes) -> bool:
    """Whether CPython would compile these bytes (only parsed here, never run)."""
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True
