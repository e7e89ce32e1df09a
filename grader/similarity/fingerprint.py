"""An exercise's code as fingerprints that renaming, reordering, comments and layout leave as
they are (Schleimer, Wilkerson and Aiken, "Winnowing", SIGMOD 2003, the method behind MOSS).

The code is cut into tokens: every name that is not a keyword becomes `V`, every number `N`,
every string `S`; comments, docstrings (a triple-quoted string standing alone as a
statement), `pass`, whitespace, parentheses and trailing commas are dropped. Each run of
K tokens within one top-level statement (a function, say) is hashed, and in each window of W
hashes the smallest is kept. Any match of K + W - 1 tokens or more leaves a shared fingerprint, so
renamed, reordered or re-commented copies keep theirs, while code shorter than K tokens
leaves none. A tokenizer of our own, not Python's: it reads any text, a syntax error or a
notebook's magic included, and it is several times faster.
"""

from __future__ import annotations

import keyword
import re
import zlib
from typing import NamedTuple

import numpy
from numpy.lib.stride_tricks import sliding_window_view

K = 12  # tokens per hashed run: `return sum(V * V for V, V in zip(V, V))` is 20
W = 6  # hashes per window
# Keywords only: a builtin's name is a name like any other (a student may call a variable
# `sum`, and a copier may rename it).
KEPT_NAMES = frozenset(keyword.kwlist)
TRIPLE_QUOTED = r"""[rRbBuUfF]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\")"""
TRIPLE = re.compile(TRIPLE_QUOTED, re.DOTALL)
# The tokens, and each line break with the blanks after it (a triple-quoted string is one
# token by then: see scan()). No token spans a line, as Python's would not outside a
# triple-quoted string.
TOKEN = re.compile(r"""\n[^\S\n]*|[rRbBuUfF]{0,2}(?:'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*")"""
                   r"""|[^\W\d]\w*|\d[\w.]*|\.\d[\w.]*|\#.*|\*\*=?|//=?|->|:=|<<=?|>>=?"""
                   r"""|[-+*/%&|^@=!<>]=|\S""")
NORMAL: dict[str, str] = {}  # a token's text -> what it is compared as
DROPPED = frozenset({"#", "pass"})  # a comment; a statement that does nothing
OPENS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
VALUES: dict[str, int] = {}  # a normalised token -> its number
BASE = 0x9E3779B97F4A7C15  # odd: the powers of it modulo 2**64 stay distinct
BLANK = numpy.uint64(2**64 - 1)  # between pieces: never a window's smallest
POWERS = numpy.array([pow(BASE, K - 1 - i, 1 << 64) for i in range(K)], numpy.uint64)


class Print(NamedTuple):
    hash: int
    first_line: int  # where its tokens stand in the code, 1-based
    last_line: int


def tokens(code: str) -> list[tuple[str, int]]:
    """The normalised tokens and the line each starts on."""
    return scan(code)[0]


def scan(code: str) -> tuple[list[tuple[str, int]], set[int]]:
    """The normalised tokens and the line each starts on, and the lines that start a
    top-level statement (at the margin, outside any bracket)."""
    # A triple-quoted string becomes one token on its first line, the line count kept; a
    # docstring (one alone on its lines) becomes nothing.
    code = TRIPLE.sub(lambda m: ("" if alone(code, m) else '"S"')
                      + "\n" * m.group().count("\n"), code)
    found: list[tuple[str, int]] = []
    tops: set[int] = set()
    depth, number = 0, 0
    margin = first = kept = False  # of the line: no blank before it; no token yet; none kept
    starts = False  # the line starts a statement: a name, keyword or decorator at the margin
    # One pass over the whole code, its line breaks among the tokens; the code comes after a
    # line break, so that its first line starts like any other.
    for word in TOKEN.findall("\n" + code):
        if word[0] == "\n":
            number += 1
            margin, first, kept = len(word) == 1, True, False
            continue
        if first:
            starts = margin and depth <= 0 and (word[0] == "@" or word[0].isidentifier())
            first = False
        kind = NORMAL.get(word) or normal(word)
        if kind in DROPPED:
            continue
        if not kept:
            kept = True
            if starts:
                tops.add(number)
        depth += OPENS.get(kind, 0)
        found.append((kind, number))
    # Parentheses and a comma before a closing bracket say nothing a copier could not add or
    # leave out: `return (a, b)` is `return a, b`, `sum((x for x in v))` is `sum(x for x in
    # v)`, and a list that ends in `1,]` is one that ends in `1]`.
    ends = {index for index, (word, _) in enumerate(found) if word in (")", "]", "}")}
    return [token for index, token in enumerate(found) if token[0] not in ("(", ")")
            and not (token[0] == "," and index + 1 in ends)], tops


def alone(code: str, match: re.Match[str]) -> bool:
    """Whether the string `match` found stands alone on its lines, as a docstring does."""
    before = code[code.rfind("\n", 0, match.start()) + 1:match.start()]
    end = code.find("\n", match.end())
    after = code[match.end():end if end >= 0 else len(code)]
    return not before.strip() and not after.split("#")[0].strip()


def normal(word: str) -> str:
    """What a token is compared as (remembered: a class uses the same few hundred)."""
    first, last = word[0], word[-1]
    if first == "#":
        kind = "#"  # a comment, dropped
    elif last in "'\"" and len(word) > 1:
        kind = "S"
    elif first.isdigit() or (first == "." and len(word) > 1):
        kind = "N"
    elif word.isidentifier():
        kind = word if word in KEPT_NAMES else "V"
    else:
        kind = word
    return NORMAL.setdefault(word, kind)


def fingerprints(code: str) -> list[Print]:
    """The winnowed fingerprints of the code, in order: of each top-level statement (a
    function, a class, a constant) on its own, no run of tokens spanning two and no window
    either, so that putting them in another order changes none."""
    return fingerprints_of([code])[0]


def fingerprints_of(codes: list[str]) -> list[list[Print]]:
    """The fingerprints of each code, all found in one pass (a submission's six exercises
    cost the array work of one)."""
    found: list[tuple[str, int]] = []
    starts: list[int] = []  # each token's piece starts at a top-level statement or a code
    owner: list[int] = []  # which code each token is of
    for number, code in enumerate(codes):
        tokens_of_code, tops = scan(code)
        starts += [int(index == 0 or (line in tops and tokens_of_code[index - 1][1] != line))
                   for index, (_, line) in enumerate(tokens_of_code)]
        owner += [number] * len(tokens_of_code)
        found += tokens_of_code
    chosen: list[list[Print]] = [[] for _ in codes]
    if len(found) < K:
        return chosen
    piece = numpy.cumsum(numpy.array(starts, numpy.int64))
    # Each token as a number (a checksum of its text: the same on every run and machine, as
    # Python's hash() of text is not), each run of K as a polynomial of them modulo 2**64,
    # and each window's rightmost smallest: array arithmetic, not a Python loop per token.
    values = numpy.fromiter((VALUES.get(w) or value(w) for w, _ in found), numpy.uint64,
                            count=len(found))
    hashes = sliding_window_view(values, K) @ POWERS
    kept = numpy.nonzero(piece[: len(hashes)] == piece[K - 1:])[0]  # runs within one piece
    if not len(kept):
        return chosen
    # The pieces' runs one after the other with W - 1 blanks before, between and after them:
    # no window holds runs of two pieces, and every piece has the same blanks around it
    # wherever it stands.
    rank = numpy.cumsum(numpy.concatenate(([1], piece[kept][1:] != piece[kept][:-1])))
    places = numpy.arange(len(kept)) + rank * (W - 1)
    line = numpy.full(places[-1] + W, BLANK, numpy.uint64)
    line[places] = hashes[kept]
    where = numpy.full(len(line), -1, numpy.int64)
    where[places] = kept
    windows = sliding_window_view(line, W)[:, ::-1]
    best = numpy.arange(len(windows)) + (W - 1 - numpy.argmin(windows, axis=1))
    best = best[numpy.concatenate(([True], best[1:] != best[:-1]))]
    for i in where[best].tolist():
        if i >= 0:
            chosen[owner[i]].append(Print(int(hashes[i]), found[i][1], found[i + K - 1][1]))
    return chosen


def value(word: str) -> int:
    # surrogatepass: a notebook's JSON can hold a lone surrogate, which is still a token.
    return VALUES.setdefault(word, zlib.crc32(word.encode("utf-8", "surrogatepass")) + 1)
