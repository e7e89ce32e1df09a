"""A corpus for the similarity report: independent solutions, and copies of them in disguise.

The authors are the reference solutions (`solutions/`) and three students who wrote all six
exercises on their own, each in a style of their own (the folders here). A copy is an
author's code passed through one of DISGUISES; a partial copy takes three exercises from one
author and the other three from another. Each submission knows where each exercise came
from, so every pair has a known answer: copied (two or more exercises from the same author)
or independent.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from collections.abc import Callable
from pathlib import Path

from grader.catalog import BY_NAME, NAMES

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
AUTHORS = ("ref", "bea", "chen", "dara")
PARTIAL = ("activations", "perceptron", "universal")  # what a partial copy takes
CONTRACT = {name for exercise in BY_NAME.values() for name in exercise.defines}
# Builtins' names are renamed too (the copy no longer runs; it is only compared).
KEEP = set(keyword.kwlist) | CONTRACT | set(NAMES) | {"math", "random", "typing"}


def authored(author: str) -> dict[str, str]:
    folder = ROOT / "solutions" if author == "ref" else HERE / author
    return {name: (folder / f"{name}.py").read_text(encoding="utf-8") for name in NAMES}


def renamed(code: str) -> str:
    """Every name of the author's own (variables, parameters, helpers) renamed."""
    out = []
    after_dot = False
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        text = token.string
        if token.type == tokenize.NAME and text not in KEEP and not after_dot:
            text = f"my_{text.lower()}_v"
        out.append((token.type, text))
        after_dot = token.type == tokenize.OP and token.string == "."
    return tokenize.untokenize(out)


def reordered(code: str) -> str:
    """The functions in reverse order (what comes before the first stays first)."""
    tree = ast.parse(code)
    lines = code.split("\n")
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(defs) < 2:
        return code

    def span(node: ast.FunctionDef) -> list[str]:
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        return lines[start - 1:node.end_lineno]

    first = min([defs[0].lineno, *(d.lineno for d in defs[0].decorator_list)])
    head = lines[:first - 1]
    tail = lines[defs[-1].end_lineno:]
    body = [line for node in reversed(defs) for line in [*span(node), "", ""]]
    return "\n".join(head + body + tail)


def recommented(code: str) -> str:
    """Comments and docstrings gone, other comments written in."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.Module) and ast.get_docstring(node):
            node.body = node.body[1:] or [ast.Pass()]
    lines = ast.unparse(tree).split("\n")
    out = []
    for line in lines:
        if line.lstrip().startswith("def "):
            out += ["", "", "# my own version, written after the lecture"]
        out.append(line + ("  # step" if line.strip().startswith("return") else ""))
    return "\n".join(out) + "\n"


def reformatted(code: str) -> str:
    """The same code laid out anew: other spacing, blank lines and quotes."""
    text = ast.unparse(ast.parse(code)).replace("'", '"')
    return "\n\n".join(text.split("\n")) + "\n"


def padded(code: str) -> str:
    """`pass` after every statement: lines that do nothing."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                setattr(node, field, [item for statement in body
                                      for item in (statement, ast.Pass())])
    return ast.unparse(tree)


def disguised_all(code: str) -> str:
    return padded(recommented(reordered(renamed(code))))


DISGUISES: dict[str, Callable[[str], str]] = {
    "renamed": renamed, "reordered": reordered, "recommented": recommented,
    "reformatted": reformatted, "padded": padded, "all": disguised_all,
}


def corpus() -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Submission name -> (exercise -> code, exercise -> the author it came from)."""
    found: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for author in AUTHORS:
        code = authored(author)
        found[author] = (code, dict.fromkeys(NAMES, author))
        for label, disguise in DISGUISES.items():
            found[f"{author}-{label}"] = ({n: disguise(c) for n, c in code.items()},
                                          dict.fromkeys(NAMES, author))
        other = AUTHORS[(AUTHORS.index(author) + 1) % len(AUTHORS)]
        own = authored(other)
        found[f"{author}-partial"] = (
            {n: renamed(code[n]) if n in PARTIAL else own[n] for n in NAMES},
            {n: author if n in PARTIAL else other for n in NAMES})
    return found


def copied(first: dict[str, str], second: dict[str, str]) -> bool:
    """The known answer: two or more exercises from the same author."""
    return sum(first[n] == second[n] for n in NAMES) >= 2


def measured(names: tuple[str, ...] = AUTHORS) -> tuple[float, float, list[str], list[str]]:
    """The report's precision and recall on the corpus of `names`' work, the pairs it got
    wrong (reported but independent) and those it missed."""
    from grader.similarity import compare, records
    from grader.similarity.fingerprint import fingerprints

    found = {name: entry for name, entry in corpus().items()
             if name.split("-")[0] in names}
    code = {name: {n: compare.hashes_of(fingerprints(text)) for n, text in entry[0].items()}
            for name, entry in found.items()}
    reported = listed(compare.alike(code, records.stubs()))
    ordered = sorted(found)
    truth = {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
             if copied(found[a][1], found[b][1])}
    hits = reported & truth
    precision = len(hits) / len(reported) if reported else 1.0
    recall = len(hits) / len(truth) if truth else 1.0
    return (precision, recall, sorted(f"{a} / {b}" for a, b in reported - truth),
            sorted(f"{a} / {b}" for a, b in truth - reported))


def listed(found: object) -> set[tuple[str, str]]:
    """The pairs a report lists: its pairs, and every two of a group that handed in the same
    code."""
    from grader.similarity.compare import Alike

    assert isinstance(found, Alike)
    return {(p.first, p.second) for p in found.pairs} | {
        (a, b) for group in found.groups for i, a in enumerate(group) for b in group[i + 1:]}
