"""The pairs of a class whose code is more alike than chance, from their fingerprints.

A fingerprint counts for a pair when both have it, the stub does not, and it is rare in the
class: one that more than COMMON_SHARE of the class has (at least COMMON_FLOOR submissions)
is the usual way to write that line, not evidence, and counts for nothing. A pair's likeness
in an exercise is the share of the smaller submission's other fingerprints that the other
has (so copying one function of three still shows), overall the same over all six
exercises. A pair is reported when its overall likeness reaches LIKENESS with at least
MIN_SHARED fingerprints, or when the exercises whose likeness reaches EXERCISE_LIKENESS
share at least EXERCISE_MIN_SHARED together: a short function written the same way by two
people is not enough (the reference dot product has 5, its neuron 10). Code handed in
identical, exercise for exercise, is listed as a group however common it is, when there is
enough of it (SAME_MIN).

Only submissions that share a fingerprint are ever paired: the class's fingerprints sorted
(arrays, so that a class of 1,000 costs megabytes, not a dict entry per fingerprint) give the
pairs, and a class of n costs about n times its fingerprints, not n².
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy
from numpy.typing import NDArray

from grader.catalog import NAMES
from grader.similarity.fingerprint import Print

COMMON_SHARE = 0.05
COMMON_FLOOR = 10
LIKENESS = 0.5
MIN_SHARED = 20
# Exercises alike on their own must say more: an exercise's natural code (the length check,
# the list of neuron outputs) is a larger share of it, and two people write it alike more
# often.
EXERCISE_LIKENESS = 0.8
EXERCISE_MIN_SHARED = 20
MAX_PAIRS = 300  # listed, most alike first; the report says how many more there were
# Code handed in the same is a group only when there is enough of it: two students who wrote
# just the obvious dot product and neuron are not a ring.
SAME_MIN = 60

Hashes = NDArray[numpy.uint64]  # an exercise's fingerprints, sorted, each once
EMPTY: Hashes = numpy.zeros(0, numpy.uint64)
Code = Mapping[str, Mapping[str, Hashes]]  # submission -> exercise -> fingerprints


def hashes_of(prints: Iterable[Print]) -> Hashes:
    return numpy.unique(numpy.fromiter((p.hash for p in prints), numpy.uint64))


@dataclass(frozen=True)
class Match:
    """How alike a pair is in one exercise."""

    likeness: float
    shared: frozenset[int]  # the fingerprints that count, which both have

    @property
    def alike(self) -> bool:
        return self.likeness >= EXERCISE_LIKENESS


@dataclass
class Pair:
    first: str
    second: str
    likeness: float = 0.0
    shared: int = 0
    exercises: dict[str, Match] = field(default_factory=dict)

    @property
    def reported(self) -> bool:
        """Alike overall, or in some exercises that together share enough."""
        return ((self.likeness >= LIKENESS and self.shared >= MIN_SHARED)
                or sum(len(match.shared) for match in self.exercises.values()
                       if match.alike) >= EXERCISE_MIN_SHARED)


@dataclass(frozen=True)
class Alike:
    """What the report lists."""

    groups: list[list[str]]  # submissions that handed in the same code, each group by name
    pairs: list[Pair]  # most alike first (then by name), at most MAX_PAIRS
    more: int = 0  # pairs alike enough beyond MAX_PAIRS


def alike(code: Code, stubs: Mapping[str, Hashes]) -> Alike:
    names = sorted(code)
    limit = max(COMMON_FLOOR, math.ceil(COMMON_SHARE * len(names)))
    index = Index(code, names, stubs)
    shared = index.pairs(limit)
    groups = identical(index.per_submission(), names)
    grouped = {who: number for number, group in enumerate(groups) for who in group}
    counted = index.per_submission(index.sizes_of_rows <= limit)
    sets: dict[tuple[str, str], frozenset[int]] = {}
    pairs = [score(first, second, counted, sets) for (first, second), count in shared.items()
             if count >= MIN_SHARED and not (first in grouped
                                              and grouped[first] == grouped.get(second))]
    listed = sorted((pair for pair in pairs if pair.reported),
                    key=lambda p: (-p.likeness, -p.shared, p.first, p.second))
    return Alike(groups, listed[:MAX_PAIRS], max(0, len(listed) - MAX_PAIRS))


class Index:
    """The class's fingerprints but the stub's, sorted by exercise and value, with who has
    each: whole-class array work, not a Python call per submission."""

    def __init__(self, code: Code, names: list[str], stubs: Mapping[str, Hashes]) -> None:
        self.names = names
        parts = [(NAMES.index(exercise), number, values) for number, who in enumerate(names)
                 for exercise, values in code[who].items() if exercise in NAMES]
        exercise = numpy.concatenate([numpy.full(len(v), e, numpy.int8) for e, _, v in parts]
                                     or [numpy.zeros(0, numpy.int8)])
        holder = numpy.concatenate([numpy.full(len(v), n, numpy.int32) for _, n, v in parts]
                                   or [numpy.zeros(0, numpy.int32)])
        value = numpy.concatenate([v for _, _, v in parts] or [numpy.zeros(0, numpy.uint64)])
        stub = numpy.zeros(len(value), bool)
        for number, name in enumerate(NAMES):
            if name in stubs:
                here = exercise == number
                stub[here] = numpy.isin(value[here], stubs[name])
        exercise, holder, value = exercise[~stub], holder[~stub], value[~stub]
        order = numpy.lexsort((holder, value, exercise))
        self.exercise, self.holder, self.value = exercise[order], holder[order], value[order]
        change = numpy.ones(len(order), bool)
        change[1:] = ((self.exercise[1:] != self.exercise[:-1])
                      | (self.value[1:] != self.value[:-1]))
        self.starts = numpy.flatnonzero(change)
        self.sizes = numpy.diff(numpy.append(self.starts, len(order)))
        self.sizes_of_rows = numpy.repeat(self.sizes, self.sizes)  # how many have each row's

    def per_submission(self, rows: NDArray[numpy.bool_] | None = None
                       ) -> dict[str, dict[str, Hashes]]:
        """The `rows` chosen (all by default), as each submission's fingerprints per
        exercise."""
        chosen = numpy.arange(len(self.value)) if rows is None else numpy.flatnonzero(rows)
        order = chosen[numpy.lexsort((self.value[chosen], self.exercise[chosen],
                                      self.holder[chosen]))]
        holder, exercise, value = self.holder[order], self.exercise[order], self.value[order]
        change = numpy.ones(len(order), bool)
        change[1:] = (holder[1:] != holder[:-1]) | (exercise[1:] != exercise[:-1])
        starts = numpy.flatnonzero(change).tolist()
        found: dict[str, dict[str, Hashes]] = {who: {} for who in self.names}
        if not starts:
            return found
        for start, end in zip(starts, [*starts[1:], len(order)], strict=True):
            found[self.names[holder[start]]][NAMES[exercise[start]]] = value[start:end]
        return found

    def pairs(self, limit: int) -> Counter[tuple[str, str]]:
        """How many fingerprints each pair shares, of those no more than `limit` have."""
        counted: Counter[tuple[int, int]] = Counter()
        chosen = (self.sizes >= 2) & (self.sizes <= limit)
        holders = self.holder.tolist()
        for start, size in zip(self.starts[chosen].tolist(), self.sizes[chosen].tolist(),
                               strict=True):
            counted.update(itertools.combinations(holders[start:start + size], 2))
        return Counter({(self.names[a], self.names[b]): n for (a, b), n in counted.items()})


def identical(kept: Mapping[str, Mapping[str, Hashes]], names: list[str]) -> list[list[str]]:
    """Groups of submissions whose code is the same through and through (names, comments and
    layout aside). However many of the class hand in the same code, which leaves every line of
    it common, they are listed: six exercises written alike to the last token are no chance."""
    groups: dict[bytes, list[str]] = defaultdict(list)
    for who in names:
        if sum(len(values) for values in kept[who].values()) < SAME_MIN:
            continue
        digest = hashlib.sha256()
        for exercise in NAMES:
            digest.update(exercise.encode() + kept[who].get(exercise, EMPTY).tobytes())
        groups[digest.digest()].append(who)
    return sorted((group for group in groups.values() if len(group) > 1),
                  key=lambda group: (-len(group), group))


def score(first: str, second: str, counted: Mapping[str, Mapping[str, Hashes]],
          sets: dict[tuple[str, str], frozenset[int]]) -> Pair:
    """How alike two submissions are, by the fingerprints that count (common code is no
    evidence either way: it is in neither the shared nor the whole). `sets` keeps each
    submission's fingerprints as a set once made: a submission is in many pairs."""
    pair = Pair(first, second)
    sizes = [0, 0]
    for exercise in NAMES:
        a, b = (sets.get((who, exercise)) or sets.setdefault(
            (who, exercise), frozenset(counted[who].get(exercise, EMPTY).tolist()))
            for who in (first, second))
        sizes[0] += len(a)
        sizes[1] += len(b)
        both = a & b
        if both:
            pair.exercises[exercise] = Match(len(both) / max(1, min(len(a), len(b))), both)
            pair.shared += len(both)
    pair.likeness = pair.shared / max(1, min(sizes))
    return pair


def lines_of(prints: Iterable[Print], hashes: frozenset[int]) -> frozenset[int]:
    """The lines the fingerprints `hashes` stand on."""
    return frozenset(line for p in prints if p.hash in hashes
                     for line in range(p.first_line, p.last_line + 1))
