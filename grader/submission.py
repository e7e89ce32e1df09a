"""Reading a submission: a folder, one exercise file, or a .zip, into the contract's sources.

Only the contract's module files are taken; anything else in a submission (a conftest.py, a
pytest.ini, a json.py) is never read. Text is decoded the way CPython decodes source (a UTF-8
BOM, a coding cookie), and a file that is not text gets a clear problem instead of a crash.
"""

from __future__ import annotations

import functools
import io
import os
import stat
import tokenize
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from grader import exercise_files, parsing
from grader.catalog import NAMES

MAX_FILE_BYTES = 1024 * 1024
MAX_NOTEBOOK_BYTES = 16 * MAX_FILE_BYTES  # a notebook holds more than code
MAX_NOTEBOOKS = 4  # beside one another in a submission
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
        try:
            files = exercise_files.in_folder(path, read_capped)
        except exercise_files.Refused as refused:
            raise UngradableInput(f"{path}: {refused}") from None
        return from_files(path.name, files, f"{path}{os.sep}", path)
    if path.suffix == ".py":
        if path.stem not in NAMES:
            raise UngradableInput(
                f"{path}: not an exercise file (expected one of {', '.join(NAMES)}, as .py)"
            )
        return Submission(path.parent.resolve().name, read_folder(path.parent), (path.stem,))
    if path.suffix == ".zip":
        return read_zip(path)
    if path.suffix == ".ipynb":
        from grader import notebook

        return notebook.read(path)
    raise UngradableInput(f"{path}: not a folder, an exercise .py file, a .zip or a .ipynb")


def read_capped(path: Path) -> bytes | None:
    """A file's bytes, or None when it is larger than any submission's file may be."""
    with path.open("rb") as stream:
        data = stream.read(MAX_NOTEBOOK_BYTES + 1)
    return data if len(data) <= MAX_NOTEBOOK_BYTES else None


def from_files(name: str, files: list[exercise_files.File], where: str,
               path: Path) -> Submission:
    """The submission in `files`, chosen as grader/exercise_files.py says; `where` goes before
    their paths to name them, and errors name `path`."""
    try:
        chosen = exercise_files.single_copies(files)
    except exercise_files.Refused as refused:
        raise UngradableInput(f"{path}: {refused}") from None
    sources = {stem: source_of(file, where)
               for stem, file in sorted(chosen.items(), key=lambda item: NAMES.index(item[0]))}
    books, unreadable = notebooks(files, where)
    worked = [(book, work) for book, work in books if any(
        not source.problem and exercise_files.holds_work(source.text)
        for source in work.sources.values())]
    py_work = [chosen[stem].path for stem, source in sources.items()
               if worked and (source.problem or exercise_files.holds_work(source.text))]
    if len(worked) > 1 or (worked and py_work):
        places = [book.path for book, _ in worked] + py_work
        raise UngradableInput(f"{path}: work in {' and in '.join(places[:3])}: keep one way of "
                              "answering (the .py files or one notebook) and remove the other")
    if len(books) > 1 and not worked and not sources:
        raise UngradableInput(f"{path}: {len(books)} notebooks and no exercise files: keep one")
    if worked or (books and not sources):
        book, work = (worked or books)[0]
        stubs = (f"; the .py files beside it ({', '.join(f.path for f in chosen.values())}) "
                 "hold no work" if sources else "")
        return replace(work, name=name,
                       remarks=(f"Graded the notebook {book.path}{stubs}.", *work.remarks))
    if not sources:
        raise UngradableInput(unreadable[0] if unreadable else (
            f"{path}: no exercise files here (expected "
            f"{', '.join(n + '.py' for n in NAMES)}, or a notebook)"))
    ignored = tuple(sorted(file.path for file in files if noteworthy(file.name)))
    remarks = tuple(f"Graded the .py files: {book.path} holds no work." for book, _ in books)
    return Submission(name, sources, ignored=ignored, remarks=remarks)


def source_of(file: exercise_files.File, where: str) -> Source:
    shown = where + file.path
    if file.link:
        return Source(shown, problem="is a link; submit the file itself")
    try:
        return decode(shown, file.read())
    except OSError as error:  # no permission to read it, say
        return Source(shown, problem=f"could not be read ({error.strerror})")


def notebooks(files: list[exercise_files.File], where: str) -> tuple[
        list[tuple[exercise_files.File, Submission]], list[str]]:
    """The notebooks among `files`, read; and why the ones that could not be read were not."""
    from grader import notebook

    found = [file for file in files if file.name.endswith(".ipynb")]
    if len(found) > MAX_NOTEBOOKS:
        raise UngradableInput(f"{where.rstrip(os.sep + ':')}: {len(found)} notebooks; a "
                              f"submission has one (at most {MAX_NOTEBOOKS} are read)")
    books, unreadable = [], []
    for book in found:
        try:
            data = None if book.link else book.read()
            books.append((book, notebook.parse(data, PurePosixPath(where + book.path))))
        except UngradableInput as error:
            unreadable.append(str(error))
        except OSError as error:
            unreadable.append(f"{where}{book.path}: could not be read ({error.strerror})")
    return books, unreadable


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


def is_link(entry: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(entry.external_attr >> 16)


def read_zip(path: Path) -> Submission:
    """The submission in a zip, at its root or in folders. Nothing is extracted to disk."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UngradableInput(f"{path}: more than {MAX_ZIP_ENTRIES} entries in the zip")
            if sum(entry.file_size for entry in entries) > MAX_ZIP_BYTES:
                raise UngradableInput(
                    f"{path}: more than {MAX_ZIP_BYTES >> 20} MiB once unpacked")
            files = []
            for entry in entries:
                name = entry.filename.replace("\\", "/")
                if not entry.is_dir() and exercise_files.wanted(name):
                    files.append(exercise_files.File(
                        name, functools.partial(zip_member, archive, entry), is_link(entry)))
            return from_files(path.stem, files, f"{path.name}:", path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UngradableInput(f"{path}: not a readable zip ({error})") from None


def zip_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes | None:
    """A zip member's bytes, read in memory; None when larger than a submission's file may be
    (its recorded size is checked first, and no more than that cap is ever read)."""
    if entry.file_size > MAX_NOTEBOOK_BYTES:
        return None
    with archive.open(entry) as stream:
        data = stream.read(MAX_NOTEBOOK_BYTES + 1)
    return data if len(data) <= MAX_NOTEBOOK_BYTES else None


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
        parsing.parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True
