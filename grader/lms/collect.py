"""`grade collect SOURCE --out DIR`: a learning platform's download, one entry per student.

The download (a zip, or the folder it unpacks to) is read in place, its layout found from its
file names (grader/lms/layouts.py) or given with `--from`. Each student's files are written to
`DIR/<entry>/` (a lone zip to `DIR/<entry>.zip`), ready for `grade bulk DIR`, and
`DIR/manifest.csv` says who each entry is: name, the platform's ids, the late marker, where the
work was in the download, and what collecting decided (the newest of several copies kept,
online text not graded, a student refused and why). Nothing is guessed: a student whose work
cannot be told apart is refused in the manifest, never merged into someone else's.
"""

from __future__ import annotations

import csv
import functools
import os
import shutil
import stat
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader import escape
from grader.class_folder import MAX_NAME_BYTES, name_problem, row_name
from grader.exercise_files import MAX_DEPTH, SKIPPED_FOLDERS
from grader.lms.layouts import LAYOUTS, LayoutError, Member, Student, detect, students
from grader.submission import (
    MAX_NOTEBOOK_BYTES,
    MAX_ZIP_BYTES,
    MAX_ZIP_ENTRIES,
    UngradableInput,
    read_capped,
    zip_member,
)

MANIFEST = "manifest.csv"
COLUMNS = ("entry", "name", "user_id", "participant", "sid", "login", "email", "late", "source",
           "note")


@dataclass(frozen=True)
class Collected:
    layout: str
    entries: int
    refused: int


def kept(path: str) -> str | None:
    """A download's member path made safe to write below an entry (no `..`, no root, no hidden
    or skipped folders, a part a file system cannot hold made printable and short), or None
    for what is never a student's work. A student's own name is made safe by entry_name."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("/", ".", "..")]
    if (not parts or len(parts) > MAX_DEPTH + 2 or parts[-1].startswith("._")
            or any(p.startswith(".") or p in SKIPPED_FOLDERS for p in parts)):
        return None
    return "/".join(row_name(p) if unwritable(p) else p for p in parts)


def unwritable(part: str) -> bool:
    """Whether a file system could refuse this name (too long, control characters, not text);
    letters such as a zero-width non-joiner, common in Persian names, are fine."""
    return len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES or any(
        unicodedata.category(c) in ("Cc", "Cs") for c in part)


@contextmanager
def members_of(source: Path) -> Iterator[list[Member]]:
    """The files of a download, readable while the context lasts."""
    if source.is_dir():
        yield list(in_folder(source))
        return
    if source.suffix != ".zip" or not source.is_file():
        raise UngradableInput(f"{source}: not a zip or a folder of submissions")
    try:
        with zipfile.ZipFile(source) as archive:
            entries = [e for e in archive.infolist() if not e.is_dir()]
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_BYTES:
                raise UngradableInput(f"{source}: more than {MAX_ZIP_ENTRIES} files or "
                                      f"{MAX_ZIP_BYTES >> 20} MiB once unpacked")
            found = [(kept(e.filename), e) for e in entries]
            yield [Member(path, functools.partial(zip_member, archive, e), e.file_size,
                          link=stat.S_ISLNK(e.external_attr >> 16))
                   for path, e in found if path]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise UngradableInput(f"{source}: not a readable zip ({error})") from None


def in_folder(folder: Path) -> Iterator[Member]:
    count = 0
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if kept(f))
        for name in sorted(files):
            path = Path(root, name)
            relative = kept(path.relative_to(folder).as_posix())
            info = path.lstat()
            if relative and (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                count += 1
                if count > MAX_ZIP_ENTRIES:
                    raise UngradableInput(f"{folder}: more than {MAX_ZIP_ENTRIES} files")
                # A link is listed (its student then has a row) and never followed; FIFOs and
                # devices are never opened.
                yield Member(relative, functools.partial(read_capped, path), info.st_size,
                             link=stat.S_ISLNK(info.st_mode))


def collect(source: Path, out: Path, layout: str | None = None) -> Collected:
    """Write the students of the download `source` into `out` (which must not hold anything)."""
    if out.exists() and any(out.iterdir()):
        raise UngradableInput(f"{out}: exists already and is not empty; collect into a new "
                              "folder")
    with members_of(source) as members:
        members = unwrapped(members, layout)
        found = layout or detect(members)
        if found not in LAYOUTS:
            raise UngradableInput(f"--from {found}: not a layout ({', '.join(LAYOUTS)})")
        try:
            people = students(found, members)
        except LayoutError as error:
            raise UngradableInput(f"{source}: not a {found} download: {error}") from None
        if not people:
            raise UngradableInput(f"{source}: no submissions found (as a {found} download)")
        out.mkdir(parents=True, exist_ok=True)
        rows, names, refused = [], Counter[str](), 0
        for person in people:
            entry = entry_name(person, found, names)
            if not person.refused:
                person.refused = write(out, entry, person)
            refused += bool(person.refused)
            rows.append(manifest_row(entry, person))
    with (out / MANIFEST).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return Collected(found, len(rows), refused)


def unwrapped(members: list[Member], layout: str | None) -> list[Member]:
    """A download whose files all sit in one folder (Gradescope's `assignment_ID_export/`, a
    class folder zipped whole) read from inside that folder, where its layout shows."""
    firsts = {member.path.partition("/")[0] for member in members}
    if len(firsts) != 1 or not all("/" in member.path for member in members):
        return members
    inner = [Member(m.path.partition("/")[2], m.read, m.size, m.link) for m in members]
    if layout is None:
        return inner if detect(members) == "plain" and detect(inner) != "plain" else members
    return inner if detect(inner) == layout and detect(members) != layout else members


def entry_name(person: Student, layout: str, taken: Counter[str]) -> str:
    """A name for the student's entry: readable, safe as a file name, distinct."""
    label = person.name if layout in ("plain", "classroom", "nbgrader") else (
        f"{person.name}_{person.sid or person.user_id or person.participant or person.key}")
    name = "".join("_" if c in "/\\" else c for c in label).strip() or "student"
    if name_problem(name) or name.startswith(".") or name == MANIFEST:
        name = row_name(name)
    candidate, count = name, 1
    while taken[candidate.casefold()]:  # names differing in case are one on some file systems
        count += 1
        candidate = f"{name}~{count}"
    taken[candidate.casefold()] += 1
    return candidate


def write(out: Path, entry: str, person: Student) -> str:
    """Write the student's files; why not, when they cannot be (and then nothing of theirs is
    left to be graded)."""
    why = write_files(out, entry, person)
    if why:
        shutil.rmtree(out / entry, ignore_errors=True)
        (out / f"{entry}.zip").unlink(missing_ok=True)
    return why


def write_files(out: Path, entry: str, person: Student) -> str:
    for member in [m for m in person.files.values() if m.link]:
        person.notes.append(f"left out {member.path}: a link (submit the file itself)")
    files = {relative: m for relative, m in person.files.items() if not m.link}
    if not files:
        return "no files to grade"
    if len(files) == 1 and next(iter(files)).endswith(".zip"):
        targets = {out / f"{entry}.zip": next(iter(files.values()))}
    else:
        targets = {out / entry / relative: member for relative, member in files.items()}
    total = 0
    for target, member in targets.items():
        try:
            data = member.read()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            return f"{member.path} could not be read ({error})"
        if data is None:
            person.notes.append(f"left out {member.path}: larger than "
                                f"{MAX_NOTEBOOK_BYTES >> 20} MiB")
            continue
        total += len(data)
        if total > MAX_ZIP_BYTES:
            return f"more than {MAX_ZIP_BYTES >> 20} MiB of files"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as stream:  # never through a link, never over a file
                stream.write(data)
        except OSError as error:  # a file and a folder of one name, say
            return f"{member.path} could not be written: {error.strerror}"
    return ""


def manifest_row(entry: str, person: Student) -> list[str]:
    note = "; ".join(([f"refused: {person.refused}"] if person.refused else []) + person.notes)
    values = [entry, person.name, person.user_id, person.participant, person.sid, person.login,
              person.email,
              "late" if person.late else "", person.source, note]
    return [escape.cell(value) for value in values]


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """The manifest of a collected class folder, by entry ({} where there is none)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [{key: escape.uncell(value or "") for key, value in row.items()}
                for row in csv.DictReader(stream)]
    return {row["entry"]: row for row in rows}
