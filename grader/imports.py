"""The contract's rule on imports, checked on the syntax tree before any student code runs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

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


def examine(module: str, text: str, filename: str) -> tuple[str, frozenset[str]]:
    """Why this file cannot be run (a syntax error, a forbidden import), or '' (it reads after
    the file's name: "dot_product.py has a syntax error ..."), and the earlier exercises it
    imports (`from neuron import neuron`): one parse for both."""
    try:
        tree = parsing.parse(text, filename)
    except SyntaxError as error:
        line = (error.text or "").rstrip("\n")
        where = f"line {error.lineno}: {error.msg}" if error.lineno else error.msg
        return f"has a syntax error, so Python cannot run it: {where}" + (
            f"\n    {line.strip()}" if line.strip() else ""
        ), frozenset()
    except (ValueError, RecursionError, MemoryError) as error:
        return f"cannot be read by Python: {error}", frozenset()
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
                return (
                    f"imports {name} on line {node.lineno}, which this exercise may not use: "
                    f"only {', '.join(sorted(ALLOWED_IMPORTS - {'__future__'}))} and the "
                    f"earlier exercises ({listed}); the point is to build it by hand"
                ), frozenset()
    return "", frozenset(imported & set(kit))
