"""What learning platforms put in a download of submissions, and who each one is.

Each layout reads the download's file list (paths relative to its root, `/` between folders)
and returns one `Student` per person: their identity as the platform gives it, whether the
platform marked the work late, and their files, each with the path it gets in the student's
entry. The formats, from the platforms' own downloads:

- canvas: one flat folder, `lastfirst_USERID_SUBMISSIONID_file` (`lastfirst_late_...` for late
  work); a file uploaded again gets `-1`, `-2` before its extension. A student's newest copy
  of a file (the highest submission id, then the highest suffix) is kept, and the manifest
  says so.
- moodle: a folder per student, `Full Name_PARTICIPANTID_assignsubmission_file_` (or, not in
  folders, that prefix on each file); the number is the student's participant id in this
  assignment, not a user id, and the download carries no email. `onlinetext` folders hold no
  files to grade.
- classroom (GitHub Classroom, `gh classroom clone student-repos`): a repository per student,
  `ASSIGNMENT-LOGIN/`.
- gradescope (an assignment's export): `submission_metadata.yml` and a folder per submission,
  `submission_ID/`, the yml naming each submission's submitters (name, sid, email).
- nbgrader: `submitted/STUDENT/ASSIGNMENT/`.
- plain: every entry of the folder is one student's (a folder, a zip, a notebook).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

LAYOUTS = ("canvas", "moodle", "classroom", "gradescope", "nbgrader", "plain")
# Canvas writes a name as its word characters, lowercased (so `müllerjo`, not only ASCII).
CANVAS = re.compile(r"^(?P<who>\w+?)_(?P<late>late_)?(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<uid>\d+)_assign(?:submission|feedback)_(?P<kind>[a-z]+)_"
                    r"(?P<file>.*)$")
RESUBMITTED = re.compile(r"^(?P<stem>.+)-(?P<n>\d+)(?P<suffix>\.[^.]+)$")


class LayoutError(Exception):
    """The download is not in the layout it was said or found to be in; the message says why."""


@dataclass(frozen=True)
class Member:
    """A file of the download."""

    path: str  # relative to the download's root
    read: Callable[[], bytes | None]
    size: int
    link: bool = False  # listed, never followed


@dataclass
class Student:
    key: str  # what makes them one person in this download
    name: str = ""
    user_id: str = ""  # the platform's number for them (Canvas's user id)
    participant: str = ""  # Moodle's number for them in this assignment alone (not a user id)
    login: str = ""  # GitHub login, nbgrader student id
    email: str = ""
    sid: str = ""  # the student number an instructor typed into the platform
    late: bool = False
    source: str = ""  # where their work is in the download
    files: dict[str, Member] = field(default_factory=dict)  # by the path it gets in their entry
    notes: list[str] = field(default_factory=list)
    refused: str = ""


def top(path: str) -> tuple[str, str]:
    """A path's first part, and the rest ('' for a file at the root)."""
    first, _, rest = path.partition("/")
    return first, rest


def detect(members: list[Member]) -> str:
    """The layout of a download, from its file names (see the module's docstring)."""
    paths = [m.path for m in members]
    firsts = {top(p)[0] for p in paths}
    roots = [p for p in paths if "/" not in p]
    if "submission_metadata.yml" in roots:
        return "gradescope"
    if "submitted" in firsts and any(p.startswith("submitted/") and p.count("/") >= 3
                                     for p in paths):
        return "nbgrader"
    if firsts and all(MOODLE.match(f) for f in firsts):
        return "moodle"
    if roots and all(CANVAS.match(p) for p in roots) and len(roots) == len(paths):
        return "canvas"
    folders = sorted({top(p)[0] for p in paths if "/" in p})
    prefix = common_prefix(folders)
    if len(folders) >= 2 and prefix.endswith("-") and all(f != prefix for f in folders):
        return "classroom"
    return "plain"


def common_prefix(names: list[str]) -> str:
    if not names:
        return ""
    prefix = os.path.commonprefix(names)  # noqa: RUF071 (names, not paths: character by character)
    return prefix[: prefix.rfind("-") + 1]


def students(layout: str, members: list[Member]) -> list[Student]:
    readers: dict[str, Callable[[list[Member]], list[Student]]] = {
        "canvas": canvas, "moodle": moodle, "classroom": classroom, "gradescope": gradescope,
        "nbgrader": nbgrader, "plain": plain}
    return readers[layout](members)


def by_folder(members: list[Member]) -> dict[str, list[Member]]:
    folders: dict[str, list[Member]] = {}
    for member in members:
        folders.setdefault(top(member.path)[0], []).append(member)
    return folders


def inside(folder: str, members: list[Member]) -> dict[str, Member]:
    """The members under `folder`, by their path below it (a member that is the folder's
    name itself, a file at the root, keeps its name)."""
    return {top(m.path)[1] or m.path: m for m in members if top(m.path)[0] == folder}


def canvas(members: list[Member]) -> list[Student]:
    found: dict[str, Student] = {}
    newest: dict[tuple[str, str], tuple[int, int, str]] = {}
    for member in members:
        match = CANVAS.match(member.path)
        if "/" in member.path or not match:
            raise LayoutError(f"{member.path}: not a Canvas download's file name "
                              "(lastfirst_USERID_SUBMISSIONID_file)")
        who, uid = match["who"], match["uid"]
        student = found.setdefault(uid, Student(key=uid, name=who, user_id=uid))
        student.late = student.late or bool(match["late"])
        name, copy = match["file"], 0
        again = RESUBMITTED.match(name)
        if again:
            name, copy = again["stem"] + again["suffix"], int(again["n"])
        rank = (int(match["sub"]), copy, member.path)
        kept = newest.get((uid, name))
        if kept is None or rank > kept:
            if kept is not None:
                student.notes.append(f"kept {member.path}, the newest of several {name}")
            newest[(uid, name)] = rank
            student.files[name] = member
        else:
            student.notes.append(f"kept {kept[2]}, the newest of several {name}")
        student.source = student.source or f"{who}_{uid}_*"
    return list(found.values())


def moodle(members: list[Member]) -> list[Student]:
    found: dict[str, Student] = {}
    for member in members:
        first, rest = top(member.path)
        match = MOODLE.match(first)
        if not match:
            raise LayoutError(f"{member.path}: not in a Moodle download's folder (Full "
                              "Name_ID_assignsubmission_file_)")
        student = found.setdefault(match["uid"], Student(
            key=match["uid"], name=match["name"], participant=match["uid"], source=first))
        if match["kind"] != "file":
            student.notes.append(f"{first}: {match['kind']} text is not graded")
            continue
        student.files[rest or match["file"]] = member
    return list(found.values())


def classroom(members: list[Member]) -> list[Student]:
    folders = by_folder(members)
    prefix = common_prefix(sorted(f for f, ms in folders.items() if any("/" in m.path for m in ms)))
    result = []
    for folder, owned in sorted(folders.items()):
        if not any("/" in m.path for m in owned):
            continue  # a file beside the repositories (a list of them, say)
        login = folder.removeprefix(prefix)
        result.append(Student(key=login, login=login, name=login, source=folder,
                              files=inside(folder, owned)))
    return result


def gradescope(members: list[Member]) -> list[Student]:
    meta = next((m for m in members if m.path == "submission_metadata.yml"), None)
    data = meta.read() if meta else None
    if data is None:
        raise LayoutError("submission_metadata.yml: missing or too large")
    folders = by_folder(members)
    result = []
    for submission, submitters in read_metadata(data.decode("utf-8", "replace")).items():
        files = inside(submission, folders.get(submission, []))
        for person in submitters:
            key = person.get("sid") or person.get("email") or person.get("name") or submission
            result.append(Student(key=key, name=person.get("name", ""), sid=person.get("sid", ""),
                                  email=person.get("email", ""), source=submission,
                                  files=dict(files)))
    return result


def read_metadata(text: str) -> dict[str, list[dict[str, str]]]:
    """The submitters of each submission in Gradescope's submission_metadata.yml: a mapping of
    `submission_ID:` to `:submitters:`, a list of `- :name: ...` items with `:sid:` and
    `:email:` below. Only that much of YAML is read; anything else in the file is passed over."""
    found: dict[str, list[dict[str, str]]] = {}
    submission, in_submitters = "", False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        if indent == 0 and stripped.endswith(":"):
            submission, in_submitters = stripped[:-1].strip("'\""), False
            found[submission] = []
        elif submission and stripped == ":submitters:":
            in_submitters = True
        elif submission and in_submitters and stripped.startswith("- :"):
            found[submission].append({})
            add_field(found[submission][-1], stripped[2:])
        elif submission and in_submitters and found[submission] and stripped.startswith(":") \
                and indent > 2:
            add_field(found[submission][-1], stripped)
        elif indent <= 2:
            in_submitters = False
    return found


def add_field(person: dict[str, str], text: str) -> None:
    key, _, value = text.removeprefix(":").partition(":")
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    person[key.strip()] = value


def nbgrader(members: list[Member]) -> list[Student]:
    result = []
    under = [m for m in members if top(m.path)[0] == "submitted"]
    for student_id, owned in sorted(by_folder([strip(m) for m in under]).items()):
        assignments = sorted({top(top(m.path)[1])[0] for m in owned if top(m.path)[1]})
        student = Student(key=student_id, login=student_id, name=student_id,
                          source=f"submitted/{student_id}")
        if len(assignments) != 1:
            student.refused = (f"submitted/{student_id} holds {len(assignments)} assignments "
                               f"({', '.join(assignments)}): collect one at a time")
        else:
            student.files = {top(top(m.path)[1])[1]: m for m in owned
                             if top(top(m.path)[1])[1]}
        result.append(student)
    return result


def strip(member: Member) -> Member:
    """The member as seen from inside its top folder."""
    return Member(top(member.path)[1], member.read, member.size, member.link)


def plain(members: list[Member]) -> list[Student]:
    result = []
    for first, owned in sorted(by_folder(members).items()):
        name = PurePosixPath(first).stem if "/" not in owned[0].path else first
        result.append(Student(key=name, name=name, source=first, files=inside(first, owned)))
    return result
