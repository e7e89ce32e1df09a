"""The contract's rule on imports, checked before any student code runs: on the compiled code
where that is sure to be the same, else on the syntax tree (which also words the message)."""

from __future__ import annotations

import ast
import dis
from collections.abc import Iterator
from types import CodeType
from typing import NamedTuple

from grader import parsing
from grader.catalog import ALLOWED_IMPORTS, earlier


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included: an import is always a statement, and skipping
    the expressions (most of a tree) makes the check several times faster than ast.walk."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody"):
            yield from statements(getattr(node, field, []))
        for handler in getattr(node, "handlers", []):
            yield from statements(handler.body)
        for case in getattr(node, "cases", []):
            yield from statements(case.body)


class Examined(NamedTuple):
    """What the check found of a file."""

    problem: str  # why it cannot be run, or ''
    kit: frozenset[str]  # the earlier exercises it imports
    code: CodeType | None  # compiled here, so that no worker parses it again


def examine(module: str, text: str, filename: str) -> Examined:
    """Why this file cannot be run (a syntax error, a forbidden import), or '' (it reads after
    the file's name: "dot_product.py has a syntax error ..."), the earlier exercises it
    imports (`from neuron import neuron`), and its code.

    The code is compiled once, and its imports read from it; only a file whose imports that
    reading is not sure of, or that breaks the rule, is parsed again into a tree."""
    try:
        code: CodeType | None = parsing.compiled(text, filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        code = None
    names = imported_by(code) if code else None
    kit = earlier(module)
    allowed = ALLOWED_IMPORTS | set(kit)
    if names is not None and all(name.partition(".")[0] in allowed for name in names):
        return Examined("", frozenset(names) & set(kit), code)
    return examine_tree(module, text, filename, code)


IMPORT_NAME = dis.opmap["IMPORT_NAME"]
LOAD_CONST = dis.opmap["LOAD_CONST"]
EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]


def imported_by(code: CodeType) -> list[str] | None:
    """The modules the code imports (its functions' and classes' code included), read from
    its bytecode; None where an import is not the plain absolute one this reading knows
    (`LOAD_CONST 0; LOAD_CONST fromlist; IMPORT_NAME name`, no argument over a byte), or the
    bytecode is of a kind it does not know."""
    names: list[str] = []
    units = code.co_code
    at = units.find(IMPORT_NAME)
    while at >= 0:
        if at % 2 == 0:  # an instruction, not an argument
            if (at < 4 or units[at - 2] != LOAD_CONST or units[at - 4] != LOAD_CONST
                    or (at >= 6 and units[at - 6] == EXTENDED_ARG)):
                return None
            level = code.co_consts[units[at - 3]]
            if type(level) is not int or level != 0:
                return None
            names.append(code.co_names[units[at + 1]])
        at = units.find(IMPORT_NAME, at + 1)
    for inner in code.co_consts:
        if type(inner) is CodeType:
            found = imported_by(inner)
            if found is None:
                return None
            names += found
    return names


def examine_tree(module: str, text: str, filename: str, code: CodeType | None) -> Examined:
    """`examine` on the syntax tree: `code` is the text's, where it compiled."""
    try:
        tree = parsing.parse(text, filename)
    except SyntaxError as error:
        line = (error.text or "").rstrip("\n")
        where = f"line {error.lineno}: {error.msg}" if error.lineno else error.msg
        return Examined(f"has a syntax error, so Python cannot run it: {where}" + (
            f"\n    {line.strip()}" if line.strip() else ""
        ), frozenset(), None)
    except (ValueError, RecursionError, MemoryError) as error:
        return Examined(f"cannot be read by Python: {error}", frozenset(), None)
    kit = earlier(module)
    allowed = ALLOWED_IMPORTS | set(kit)
    imported: set[str] = set()
    for node in statements(tree.body):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = ["." * node.level + (node.module or "")]
        else:
            continue
        imported.update(names)
        for name in names:
            if name.split(".")[0] not in allowed:
                listed = ", ".join(kit) or "none before this one"
                return Examined(
                    f"imports {name} on line {node.lineno}, which this exercise may not use: "
                    f"only {', '.join(sorted(ALLOWED_IMPORTS - {'__future__'}))} and the "
                    f"earlier exercises ({listed}); the point is to build it by hand",
                    frozenset(), None)
    return Examined("", frozenset(imported & set(kit)), code)
