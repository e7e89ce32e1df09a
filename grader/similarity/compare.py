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
identical, exercise for exercise, is listed as a group however common it is.

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
MIN_SHARED = 12
# Exercises alike on their own must say more: an exercise's natural code (the length check,
# the list of neuron outputs) is a larger share of it, and two people write it alike more
# often.
EXERCISE_LIKENESS = 0.8
EXERCISE_MIN_SHARED = 20
MAX_PAIRS = 300  # listed, most alike first; the report says how many more there were

Hashes = NDArray[numpy.uint64]  # an exercise's fingerprints, sorted, each once
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
    empty = numpy.zeros(0, numpy.uint64)
    kept = {who: {exercise: numpy.setdiff1d(values, stubs.get(exercise, empty),
                                            assume_unique=True)
                  for exercise, values in code[who].items() if exercise in NAMES}
            for who in names}
    limit = max(COMMON_FLOOR, math.ceil(COMMON_SHARE * len(names)))
    index = Index(kept, names)
    common = index.common(limit)
    shared = index.pairs(limit)
    groups = identical(kept, names)
    grouped = {who: number for number, group in enumerate(groups) for who in group}
    pairs = [score(first, second, kept, common) for (first, second), count in shared.items()
             if count >= MIN_SHARED and not (first in grouped
                                              and grouped[first] == grouped.get(second))]
    listed = sorted((pair for pair in pairs if pair.reported),
                    key=lambda p: (-p.likeness, -p.shared, p.first, p.second))
    return Alike(groups, listed[:MAX_PAIRS], max(0, len(listed) - MAX_PAIRS))


class Index:
    """The class's fingerprints sorted by exercise and value, with who has each."""

    def __init__(self, kept: Mapping[str, Mapping[str, Hashes]], names: list[str]) -> None:
        self.names = names
        parts = [(NAMES.index(exercise), number, values)
                 for number, who in enumerate(names) for exercise, values in kept[who].items()]
        self.exercise = numpy.concatenate(
            [numpy.full(len(v), e, numpy.int8) for e, _, v in parts]
            or [numpy.zeros(0, numpy.int8)])
        self.holder = numpy.concatenate(
            [numpy.full(len(v), n, numpy.int32) for _, n, v in parts]
            or [numpy.zeros(0, numpy.int32)])
        self.value = numpy.concatenate([v for _, _, v in parts]
                                       or [numpy.zeros(0, numpy.uint64)])
        order = numpy.lexsort((self.holder, self.value, self.exercise))
        self.exercise, self.holder, self.value = (
            self.exercise[order], self.holder[order], self.value[order])
        change = numpy.ones(len(order), bool)
        change[1:] = ((self.exercise[1:] != self.exercise[:-1])
                      | (self.value[1:] != self.value[:-1]))
        self.starts = numpy.flatnonzero(change)
        self.sizes = numpy.diff(numpy.append(self.starts, len(order)))

    def common(self, limit: int) -> dict[str, Hashes]:
        """Per exercise, the fingerprints more than `limit` submissions have."""
        starts = self.starts[self.sizes > limit]
        return {name: self.value[starts[self.exercise[starts] == number]]
                for number, name in enumerate(NAMES)}

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
        if sum(len(values) for values in kept[who].values()) < MIN_SHARED:
            continue
        digest = hashlib.sha256()
        for exercise in NAMES:
            digest.update(exercise.encode() + kept[who].get(exercise, numpy.zeros(0)).tobytes())
        groups[digest.digest()].append(who)
    return sorted((group for group in groups.values() if len(group) > 1),
                  key=lambda group: (-len(group), group))


def score(first: str, second: str, kept: Mapping[str, Mapping[str, Hashes]],
          common: Mapping[str, Hashes]) -> Pair:
    """How alike two submissions are, not counting the `common` fingerprints (common code is
    no evidence either way: it counts in neither the shared nor the whole)."""
    pair = Pair(first, second)
    sizes = [0, 0]
    for exercise in NAMES:
        if exercise not in kept[first] and exercise not in kept[second]:
            continue
        a, b = (numpy.setdiff1d(kept[who].get(exercise, numpy.zeros(0, numpy.uint64)),
                                common[exercise], assume_unique=True)
                for who in (first, second))
        sizes[0] += len(a)
        sizes[1] += len(b)
        both = numpy.intersect1d(a, b, assume_unique=True)
        if len(both):
            pair.exercises[exercise] = Match(len(both) / max(1, min(len(a), len(b))),
                                             frozenset(both.tolist()))
            pair.shared += len(both)
    pair.likeness = pair.shared / max(1, min(sizes))
    return pair


def lines_of(prints: Iterable[Print], hashes: frozenset[int]) -> frozenset[int]:
    """The lines the fingerprints `hashes` stand on."""
    return frozenset(line for p in prints if p.hash in hashes
                     for line in range(p.first_line, p.last_line + 1))
