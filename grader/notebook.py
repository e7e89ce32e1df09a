"""Reading a Jupyter notebook submission: each exercise's code, cell by cell.

A cell belongs to an exercise by its tag, `exercise:<name>` (the generated notebook tags its
cells so). In a notebook without such tags, a cell belongs to the exercise whose functions it
defines (see exercises_of_code). A cell of other definitions or imports only (a helper
function, a constant, `import math`) goes with every exercise whose code uses what it
defines, and the cells of an exercise run in their order; other cells (trying things out)
are not graded. IPython magics and shell escapes are not Python: they are skipped, with a
note. Each cell stays a chunk of its own, so
feedback names the cell as a student can count it: `work.ipynb, code cell 4` (markdown
cells are not counted).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from grader import parsing
from grader.catalog import BY_NAME, NAMES, earlier
from grader.submission import (
    MAX_FILE_BYTES,
    MAX_NOTEBOOK_BYTES,
    Source,
    Submission,
    UngradableInput,
)

TAG = "exercise:"
MAX_CODE_CHARS = 6 * MAX_FILE_BYTES  # the six exercise files' worth
# Cell magics whose body is plain Python; any other (%%bash, %%writefile ...) is not.
PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")
KIT_IMPORT = re.compile(r"(?:from\s+grader(?:\.\w+)*\s+import\b|import\s+grader\b)")
DEFINITION = re.compile(r"^(?:def\s+(\w+)|(\w+)\s*=)", re.MULTILINE)


def read(path: Path) -> Submission:
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise UngradableInput(f"{path}: larger than {MAX_NOTEBOOK_BYTES >> 20} MiB")
    return parse(path.read_bytes(), path)


def parse(raw: bytes | None, path: PurePath) -> Submission:
    """A notebook's exercises from its bytes (None: too large); `path` names it in feedback."""
    if raw is None:
        raise UngradableInput(f"{path}: larger than {MAX_NOTEBOOK_BYTES >> 20} MiB")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise UngradableInput(f"{path}: not a notebook (it is not valid JSON)") from None
    if type(data) is not dict or data.get("nbformat") != 4 or type(data.get("cells")) is not list:
        version = data.get("nbformat") if type(data) is dict else None
        raise UngradableInput(f"{path}: not a Jupyter notebook of format 4 (format "
                              f"{version!r}); open it in Jupyter and save it again")
    cells = [Cell(f"code cell {number}", source_of(cell), exercise_of_tags(cell))
             for number, cell in enumerate((cell for cell in data["cells"] if type(cell) is dict
                                            and cell.get("cell_type") == "code"), start=1)]
    if sum(len(cell.code) for cell in cells) > MAX_CODE_CHARS:
        raise UngradableInput(f"{path}: more than {MAX_CODE_CHARS >> 20} MiB of code in its "
                              "cells; the exercises need far less")
    return submission_of(cells, path)


@dataclass(frozen=True)
class Cell:
    label: str  # how feedback names it: "code cell 4", counted as a student counts them
    code: str
    tag: str | None = None  # the exercise its `exercise:<name>` tag names


MISSING = "has no cell with {name}'s code: tag that cell " + TAG + "{name}"


def submission_of(cells: list[Cell], path: PurePath, place: str | None = None,
                  missing: str = MISSING) -> Submission:
    """The exercises of a notebook's code cells: by their tags, or by what they define when no
    cell is tagged. `place` names the cells in feedback (`work.ipynb, code cell 4`; the
    path by default); `missing` says what an exercise without cells lacks."""
    place = str(path) if place is None else place
    tagged = any(cell.tag for cell in cells)
    chunks: dict[str, list[Chunk]] = {name: [] for name in NAMES}
    helpers: list[Chunk] = []  # cells of definitions or imports only, not of an exercise
    skipped = []  # of the graded cells only: what else happens in a notebook is its own affair
    for order, cell in enumerate(cells):
        code, lines = python_of(cell.code)
        names = ([cell.tag] if cell.tag else []) if tagged else exercises_of_code(code or "")
        if code is None:
            if names:
                skipped.append(f"{cell.label} ({lines})")
            continue
        chunk = Chunk(order, f"{place}, {cell.label}" if place else cell.label, code)
        if not names:
            if definitions_only(code):
                helpers.append(chunk)
            continue
        for name in names:
            chunks[name].append(chunk)
        if lines:
            skipped.append(f"{cell.label} line {lines}")
    remarks = (f"Not graded, since IPython magics and shell escapes are not Python: "
               f"{'; '.join(skipped)}{f' of {place}' if place else ''}.",) if skipped else ()
    sources = {name: assemble(path, name, sorted(helpers_of(found, helpers) + found), chunks)
               for name, found in chunks.items() if found}
    for name in NAMES:
        if name not in sources:
            sources[name] = Source(str(path), problem=missing.format(name=name))
    return Submission(path.stem, sources, remarks=remarks)


class Chunk(NamedTuple):
    order: int  # the cell's place among the cells: a module runs them in this order
    filename: str
    code: str


def source_of(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if type(source) is list:
        return "".join(part for part in source if type(part) is str)
    return source if type(source) is str else ""


def exercise_of_tags(cell: dict[str, Any]) -> str | None:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if type(metadata) is dict else None
    for tag in tags if type(tags) is list else []:
        if type(tag) is str and tag.startswith(TAG) and tag[len(TAG):] in BY_NAME:
            return tag[len(TAG):]
    return None


def exercises_of_code(code: str) -> list[str]:
    """The exercises a cell without tags belongs to: each whose contract names it defines all
    of (a cell of all six belongs to all six); failing that, the one it defines the most of
    (a cell of one more activation belongs to activations, not the helper `step` a neuron
    cell defines for itself to neuron's neighbour)."""
    defined = defined_names(code)
    complete = [e.name for e in BY_NAME.values() if defined >= set(e.defines)]
    if complete:
        return complete
    most = max(BY_NAME.values(), key=lambda e: len(defined & set(e.defines)))
    return [most.name] if defined & set(most.defines) else []


def defined_names(code: str) -> set[str]:
    """The names a cell defines at its top level, read even from code with a syntax error."""
    return {match.group(1) or match.group(2) for match in DEFINITION.finditer(code)}


def definitions_only(code: str) -> bool:
    """A cell that only defines: functions, classes, imports, names bound to literals (running
    it computes nothing that could fail or take long)."""
    try:
        body = parsing.parse(code).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False

    def defines(node: ast.stmt) -> bool:
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Import | ast.ImportFrom):
            return True
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                return False
            return True
        return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)  # a note

    return bool(body) and all(map(defines, body))


def defined_by(code: str) -> set[str]:
    names: set[str] = set()
    for node in parsing.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for target in node.targets for t in ast.walk(target)
                      if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def helpers_of(found: list[Chunk], helpers: list[Chunk]) -> list[Chunk]:
    """The helper cells the exercise's cells use, and those they use in turn."""
    used = names_used([chunk.code for chunk in found])
    chosen: set[int] = set()
    while True:
        more = {index for index, chunk in enumerate(helpers)
                if index not in chosen and used & defined_by(chunk.code)}
        if not more:
            return [helpers[index] for index in sorted(chosen)]
        chosen |= more
        used |= names_used([helpers[index].code for index in more])


def python_of(code: str) -> tuple[str | None, str]:
    """The cell's Python, with magics and shell escapes replaced by `pass` (line numbers stay),
    and the lines skipped; None for a cell that is not Python at all (a %%bash cell). The
    kit's own import (`from grader import check`, the notebook's first cell) is never the
    student's code: it goes the same way, without a note."""
    lines = code.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        if first.split()[0] not in PYTHON_CELL_MAGICS:
            return None, f"the whole {first.split()[0]} cell"
        lines[0] = "pass"
    skipped = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        magic = stripped.startswith(("%", "!")) or (stripped.endswith("?") and "#" not in stripped)
        if magic or KIT_IMPORT.match(stripped):
            lines[index] = line[: len(line) - len(line.lstrip())] + "pass"
            skipped += [str(index + 1)] if magic else []
    return "\n".join(lines), ", ".join(skipped)


def names_used(cells: list[str]) -> set[str]:
    """The names the cells' code reads (not words in its strings or comments)."""
    used = set()
    for code in cells:
        try:
            tree = parsing.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the syntax error is reported where the cell is graded
        used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return used


def assemble(path: PurePath, name: str, found: list[Chunk],
             chunks: dict[str, list[Chunk]]) -> Source:
    """The exercise's module: its cells in their order (a later definition replaces an earlier
    one, as in the notebook), after imports of the earlier exercises it uses (in a notebook
    they share one namespace; here each is a module)."""
    code = "\n".join(chunk.code for chunk in found)
    used = names_used([chunk.code for chunk in found])
    uses = [e for e in earlier(name) if chunks[e] and used & set(BY_NAME[e].defines)]
    header = "".join(f"from {e} import *\n" for e in uses)
    cells = ((f"<{path.name}: earlier exercises>", header),) if header else ()
    return Source(f"{path} ({name})", code,
                  cells=cells + tuple((chunk.filename, chunk.code) for chunk in found))
