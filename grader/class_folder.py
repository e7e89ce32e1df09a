"""The entries of a class folder: one per submission, each named for the gradebook, or refused.

An entry's name is its file name without the extension (`alice.zip` is alice). The name is also
the name of its files in the output folder, so an entry is refused, with the reason in its own
row, when its name could not be one safely: control characters or bytes that are not UTF-8 in
it, too long for a file name there, or the same as another entry's (`carol/`, `carol.zip` and
`carol.zip.ipynb` are all carol, or carol.zip). A refused entry's row gets a name of its own,
made safe and distinct, so that no entry can take another's place in the output.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.submission import UngradableInput

# Bytes an entry's name may have: its output files add an extension, and their temporary
# copies (grader/atomic.py) a dot before, and a pid and `.tmp` after, all within a file name's
# 255 bytes.
MAX_NAME_BYTES = 200
DIGEST = 8  # hex digits of the digest that keeps a refused row's name distinct


@dataclass(frozen=True)
class Entry:
    name: str  # its row in the gradebook, and its files' name in the output folder
    path: Path
    refused: str = ""  # why it is not graded, when it is refused for its name


def entries(folder: Path) -> list[Entry]:
    """Every entry of the class folder (hidden ones aside), in name order."""
    if not folder.is_dir():
        raise UngradableInput(f"{folder}: not a folder of submissions")
    # The manifest `grade collect` writes beside the entries says who they are; it is not one.
    paths = sorted((p for p in folder.iterdir()
                    if not p.name.startswith(".") and p.name != "manifest.csv"),
                   key=lambda p: p.name.encode("utf-8", "surrogateescape"))
    stems = Counter(stem(p).casefold() for p in paths)
    found = []
    for path in paths:
        name = stem(path)
        why = name_problem(name)
        if not why and stems[name.casefold()] > 1:
            others = sorted(p.name for p in paths if stem(p).casefold() == name.casefold()
                            and p != path)
            why = (f"{path.name} and {', '.join(others)} would all be graded as {name}: "
                   "rename all but one")
        found.append(Entry(row_name(path.name) if why else name, path, why))
    return distinct(found)


SUFFIXES = (".zip", ".ipynb", ".py")  # what a submission's file may end with


def stem(path: Path) -> str:
    """The name a submission goes by: its folder's name, or its file's without the suffixes
    of a submission (carol.zip.ipynb is carol's, as carol.zip and carol/ are)."""
    if path.is_dir():
        return path.name
    name = path.stem
    while name.endswith(SUFFIXES) and name not in SUFFIXES:
        name = name[: name.rindex(".")]
    return name


def name_problem(name: str) -> str:
    """Why `name` cannot name a row and its files, or ''."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "its name is not UTF-8 text"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        return "its name holds control characters"
    if size > MAX_NAME_BYTES:
        return f"its name is longer than {MAX_NAME_BYTES} bytes"
    return ""


def row_name(name: str) -> str:
    """A refused entry's row name: what is printable of its name, shortened, and a digest of
    all of it (two entries differ in their digests)."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:DIGEST]
    kept = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in name)
    shortened = kept.encode("utf-8", "replace")[: MAX_NAME_BYTES - DIGEST - 1]
    return f"{shortened.decode('utf-8', 'ignore')}~{digest}"


def distinct(found: Sequence[Entry]) -> list[Entry]:
    """The entries, a row name that another row already has (ignoring case, as some file
    systems do) followed by ~2, ~3, ..."""
    seen: Counter[str] = Counter()
    result = []
    for entry in found:
        seen[entry.name.casefold()] += 1
        count = seen[entry.name.casefold()]
        result.append(entry if count == 1 else Entry(f"{entry.name}~{count}", entry.path,
                                                     entry.refused or "its name is taken"))
    return result


def shard(items: Sequence[Entry], k: int, n: int) -> list[Entry]:
    """The k-th of n deterministic slices (k from 1), by position in name order."""
    return list(items[k - 1 :: n])
