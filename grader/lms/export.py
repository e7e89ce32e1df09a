"""`grade export OUT --to canvas|moodle|csv`: the gradebook of a `grade bulk` run, in the CSV a
learning platform imports.

Who each row is comes from the manifest `grade collect` wrote (kept in OUT by `grade bulk`): the
platform's ids join the rows to its students, with no join by hand. The formats, as the
platforms document their imports:

- canvas (Grades, Import): `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then the
  assignment's column, and a `Points Possible` row first. Canvas takes any other column for a
  new assignment, so the late marker and the note go to `canvas-notes.csv` beside it, keyed
  the same way.
- moodle (Grades, Import, CSV file): an identifier to map, `Email address` or `ID number`
  (Moodle's download carries neither: they come from a roster, joined by name), the grade
  column and a feedback column for the note.
- csv: everything in one table, a row of the points possible (in all, and per exercise) first,
  the late marker and the note in columns of their own.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.catalog import BY_NAME, MAX_SCORE, NAMES
from grader.escape import cell
from grader.lms import roster
from grader.lms.collect import read_manifest

FORMATS = ("canvas", "moodle", "csv")


@dataclass(frozen=True)
class Row:
    entry: str
    identity: dict[str, str]  # the manifest's columns ({} when there is no manifest)
    score: float
    exercises: tuple[float, ...]  # in the contract's order
    note: str

    def field(self, name: str) -> str:
        return self.identity.get(name, "")


def note_of(result: dict[str, Any]) -> str:
    """What an instructor must know beside the score: refused, a file that could not run,
    timeouts."""
    if result.get("refused"):
        return f"refused: {result['refused']}"
    notes = []
    for exercise in result.get("exercises", []):
        if exercise.get("problem"):
            notes.append(f"{exercise['name']}: {exercise['problem'].splitlines()[0]}")
        timeouts = sum(test.get("status") == "timeout" for test in exercise.get("tests", []))
        if timeouts:
            notes.append(f"{exercise['name']}: {timeouts} timed out")
    return "; ".join(notes)


def rows(out: Path) -> list[Row]:
    """The run's rows, in the gradebook's order, each with who it is."""
    manifest = read_manifest(out)
    found = []
    for path in sorted((out / "results").glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        scores = {e["name"]: e["score"] for e in result.get("exercises", [])}
        found.append(Row(path.stem, manifest.get(path.stem, {}), result["score"],
                         tuple(scores.get(name, 0) for name in NAMES), note_of(result)))
    graded = {row.entry for row in found}
    # A student `grade collect` refused has no entry to grade, and still a row.
    found += [Row(entry, who, 0, tuple(0 for _ in NAMES), who.get("note") or "not graded")
              for entry, who in sorted(manifest.items()) if entry not in graded]
    return found


def join(found: list[Row], people: list[roster.Person]) -> list[Row]:
    """The rows, each joined to its student on the roster (who it is, as the roster says),
    then a row for each student with no submission."""
    joined, matched = [], set()
    for row in found:
        person = next((p for p in people
                       if p not in matched and roster.matches(p, row.identity)), None)
        if person is None:
            note = "; ".join(filter(None, [row.note, "matches no student on the roster"]))
            joined.append(replace(row, note=note))
            continue
        matched.add(person)
        who = {key: value for key, value in person.identity().items() if value}
        joined.append(replace(row, identity={**row.identity, **who}))
    joined += [Row("", person.identity(), 0, tuple(0 for _ in NAMES), "no submission")
               for person in people if person not in matched]
    return joined


def number(value: float) -> str:
    return f"{value:g}"


def table(header: list[str], lines: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[cell(value) for value in line] for line in lines])
    return buffer.getvalue()


def canvas(found: list[Row], assignment: str) -> tuple[str, str]:
    """The import file, and the notes beside it."""
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment]
    lines = [["    Points Possible", "", "", "", "", number(MAX_SCORE)]]
    lines += [[row.field("name") or row.entry, row.field("user_id"), row.field("sid"),
               row.field("login"), row.field("section"), number(row.score)] for row in found]
    notes = table(["Student", "ID", "late", "note"],
                  [[row.field("name") or row.entry, row.field("user_id"), row.field("late"),
                    row.note] for row in found if row.note or row.field("late")])
    return table(header, lines), notes


def moodle(found: list[Row], assignment: str) -> str:
    """Map `Email address` or `ID number` (from a roster: Moodle's download carries neither) to
    the students; `Identifier` is the download's participant number, as Moodle writes it."""
    header = ["Identifier", "Full name", "Email address", "ID number", assignment,
              f"{assignment} (feedback)"]
    lines = [[f"Participant {row.field('participant')}" if row.field("participant") else "",
              row.field("name") or row.entry, row.field("email"), row.field("sid"),
              number(row.score), "; ".join(filter(None, [row.field("late"), row.note]))]
             for row in found]
    return table(header, lines)


def plain(found: list[Row]) -> str:
    header = ["submission", "name", "user_id", "participant", "sid", "login", "email", "score",
              "max_score",
              *NAMES, "late", "note"]
    possible = ["(points possible)", "", "", "", "", "", "", number(MAX_SCORE), number(MAX_SCORE),
                *(number(BY_NAME[name].points) for name in NAMES), "", ""]
    lines = [possible] + [
        [row.entry, row.field("name"), row.field("user_id"), row.field("participant"),
         row.field("sid"), row.field("login"), row.field("email"), number(row.score),
         number(MAX_SCORE),
         *(number(s) for s in row.exercises), row.field("late"), row.note] for row in found]
    return table(header, lines)


def export(out: Path, to: str, assignment: str,
           people: list[roster.Person] | None = None) -> list[Path]:
    """Write the export files into `out` (its rows joined to `people`, a roster, when given);
    their paths."""
    found = rows(out) if people is None else join(rows(out), people)
    files: dict[str, str] = {}
    if to == "canvas":
        files["canvas.csv"], files["canvas-notes.csv"] = canvas(found, assignment)
    elif to == "moodle":
        files["moodle.csv"] = moodle(found, assignment)
    else:
        files["export.csv"] = plain(found)
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written
