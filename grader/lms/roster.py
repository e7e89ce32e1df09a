"""A class list, as a learning platform exports it, joined to the graded rows.

Read from the CSV the platform gives an instructor: Canvas's gradebook export (`Student`, `ID`,
`SIS User ID`, `SIS Login ID`, `Section`), Moodle's participants or grades export (`First name`,
`Last name` or `Surname`, `Email address`, `ID number`), or any CSV with `name`, `email`, `id`,
`login` columns. A row joins the student whose platform id, email, student number or login
matches its manifest's (in that order), or, for a row with none of them (Moodle's), whose name
is the same. A student with no row gets one saying so; a row that
matches no student is kept, and its note says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


class RosterError(Exception):
    """The file is not a class list this reads; the message says why."""


@dataclass(frozen=True)
class Person:
    name: str
    user_id: str = ""
    sid: str = ""
    login: str = ""
    email: str = ""
    section: str = ""

    def identity(self) -> dict[str, str]:
        return {"name": self.name, "user_id": self.user_id, "sid": self.sid,
                "login": self.login, "email": self.email, "section": self.section}


COLUMNS = {  # the field: the columns it is read from, first found first
    "name": ("Student", "Full name", "name"),
    "user_id": ("ID", "id", "user_id"),
    "sid": ("SIS User ID", "ID number", "sid", "student_number"),
    "login": ("SIS Login ID", "Username", "login"),
    "email": ("Email address", "Email", "email"),
    "section": ("Section", "Group", "section"),
}


# Canvas's gradebook export has a row of points and a pretend student (Student View).
CANVAS_NOT_STUDENTS = frozenset({"Points Possible", "Student, Test", "Test Student"})


def read(path: Path) -> list[Person]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    header = set(rows[0]) if rows else set()
    found = {field: next((c for c in columns if c in header), "")
             for field, columns in COLUMNS.items()}
    first_last = ("First name" in header and ("Last name" in header or "Surname" in header))
    if not (found["name"] or first_last) or not any(
            found[f] for f in ("user_id", "sid", "login", "email")):
        raise RosterError(f"{path}: no column of names and of ids (expected Canvas's Student "
                          "and ID, or Moodle's First name, Last name and Email address)")
    people = []
    for row in rows:
        values = {field: (row.get(column) or "").strip() for field, column in found.items()
                  if column}
        if first_last:
            values["name"] = " ".join(filter(None, [row.get("First name", "").strip(), (
                row.get("Last name") or row.get("Surname") or "").strip()]))
        if not values.get("name") or values["name"] in CANVAS_NOT_STUDENTS:
            continue
        people.append(Person(**{f: values.get(f, "") for f in COLUMNS}))
    return people


def matches(person: Person, identity: dict[str, str]) -> bool:
    """Whether the row is this person's: by the first id both have; by name only where the
    row has no id at all (Moodle's download carries only a name and a participant number)."""
    for field in ("user_id", "email", "sid", "login"):
        mine, theirs = str(getattr(person, field)), identity.get(field, "")
        if mine and theirs:
            return mine.casefold() == theirs.casefold()
    if any(identity.get(field) for field in ("user_id", "email", "sid", "login")):
        return False
    return bool(person.name) and " ".join(person.name.split()).casefold() == " ".join(
        identity.get("name", "").split()).casefold()
