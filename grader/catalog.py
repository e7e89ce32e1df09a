"""The contract's exercises: names, points, and what builds on what."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Exercise:
    name: str
    points: int
    defines: tuple[str, ...]  # the contract's names in the module
    builds_on: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.py"

    @property
    def suite(self) -> Path:
        return SUITES / f"test_{self.name}.py"


EXERCISES: tuple[Exercise, ...] = (
    Exercise("dot_product", 10, ("dot",)),
    Exercise("activations", 20, ("sigmoid", "tanh", "relu", "step", "sigmoid_prime",
                                 "tanh_prime", "relu_prime", "chain_gradient")),
    Exercise("neuron", 10, ("neuron", "decision_boundary"), ("dot_product", "activations")),
    Exercise("perceptron", 30, ("GATES", "predict", "update", "train", "gate_weights"),
             ("dot_product", "activations")),
    Exercise("xor_network", 20, ("layer", "XOR_WEIGHTS", "xor"), ("dot_product", "activations")),
    Exercise("universal", 10, ("bump", "approximate", "evaluate"), ("activations",)),
)
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
# What exercises build on by the contract: graded first, and stood in for where they fail.
BLOCKS = frozenset(block for exercise in EXERCISES for block in exercise.builds_on)
NAMES = tuple(BY_NAME)
MAX_SCORE = sum(exercise.points for exercise in EXERCISES)

# Modules the contract lets every student file import, besides the earlier exercises.
ALLOWED_IMPORTS = frozenset({"math", "random", "typing", "__future__"})

PACKAGE = Path(__file__).parent
SUITES = PACKAGE / "suites"
KNOWN_GOOD = PACKAGE / "known_good"


def earlier(name: str) -> tuple[str, ...]:
    """The exercises before `name`, which its file may import."""
    return NAMES[: NAMES.index(name)]


def with_building_blocks(names: Sequence[str]) -> list[str]:
    """The exercises to grade so that `names` can be graded fairly, in contract order."""
    wanted = set(names)
    for name in names:
        wanted.update(BY_NAME[name].builds_on)
    return [name for name in NAMES if name in wanted]


def known_good_path(entry: str) -> Path:
    """Where a working block is: a module (`dot_product`) or one function of an exercise
    (`perceptron.predict`, in known_good/functions/perceptron.py). A student release has
    none."""
    module, _, function = entry.partition(".")
    return KNOWN_GOOD / "functions" / f"{module}.py" if function else KNOWN_GOOD / f"{module}.py"


@functools.cache  # read once per process, not once per worker that needs it
def known_good_source(entry: str) -> str:
    return known_good_path(entry).read_text(encoding="utf-8")


def known_good_names() -> frozenset[str]:
    """The exercises that have a working version to stand in for a student's: the building
    blocks, and those a later exercise's file may import (a student release has none)."""
    return frozenset(path.stem for path in KNOWN_GOOD.glob("*.py"))
