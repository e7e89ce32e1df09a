"""Working versions standing in for a student's broken ones, so that one mistake costs once.

Across exercises, the building blocks are the plugin's (grader/plugin.py). Here:

- inside an exercise, where a function others call (`@of`) fails its own tests, the failed
  tests that build on it (`@builds_on`) are graded again in a fresh worker with a working one;
  where none exists (a student release), the note says to fix that function first;
- an exercise whose file imports an earlier one that lost points is graded again, whole, with a
  working version of it;
- a property test (`@property_of`) counts only where its function passes a test of its value.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from grader.catalog import BLOCKS, BY_NAME, known_good_path
from grader.runs import ExerciseState, Item, Part, Run, run_tests


class StandIns:
    """The plugin's part that grades again with working versions (a mixin of GradingPlugin)."""

    known_good: frozenset[str]
    parts: dict[tuple[str, Part], list[Item]]
    exercises: list[str]  # in suite order

    def of_exercise(self, name: str) -> list[Item]:
        return [*self.parts.get((name, "public"), []), *self.parts.get((name, "hidden"), [])]

    def after_imported(self, session: pytest.Session, run: Run) -> None:
        """An exercise that lost points while its file imports an earlier one (neuron, say)
        that lost points too is graded again, whole, in a fresh worker with a working version
        of that one: so late, since the earlier one's hidden tests must be over before a
        working version of it is in any worker."""
        for name in self.exercises:
            state = run.state(name)
            if name not in run.graded or state.problem or not state.lost_points():
                continue
            if any(d not in BLOCKS and d in self.known_good and run.state(d).lost_points()
                   for d in run.imports.get(name, ()) if d in run.exercises):
                run.exercises[name] = ExerciseState(imports_stood_in=True)
                run.fresh_worker()
                run.in_worker.append(name)
                run_tests(session, sorted(self.of_exercise(name),
                                          key=lambda i: (i.test.hidden, i.place)))
                run.fresh_worker()

    def with_working(self, session: pytest.Session, run: Run, name: str) -> None:
        """Where functions of the exercise (predict, update, layer, bump) failed their own
        tests, the failed tests that build on them are graded again, in a fresh worker, with
        working ones in the student's module, and that grading counts. A test is never given
        a working version of the function it checks, and the worker never runs that
        function's own tests."""
        items = self.of_exercise(name)
        # The tests of functions others call come first: update's, graded again with a
        # working predict, say whether update itself is broken before train's are graded.
        regraded: dict[tuple[str, ...], int] = {}
        for candidates in ([i for i in items if i.test.of], [i for i in items if not i.test.of]):
            for working, count in self.regrade(session, run, name, items, candidates).items():
                regraded[working] = regraded.get(working, 0) + count
        for working, count in regraded.items():
            names, many = " and ".join(working), len(working) > 1
            run.state(name).notes.append(
                f"{names} did not pass all {'their' if many else 'its'} tests, so "
                f"{tests(count)} of what calls {'them' if many else 'it'} "
                f"{'was' if count == 1 else 'were'} graded with a working {names}: a mistake "
                "there costs points only once.")
        run.state(name).notes.extend(self.fix_first(run, name, items))

    def properties_of_answers(self, run: Run, name: str) -> None:
        """A property test passed by a function that passes none of its value tests (a stub, a
        constant) does not count: a wrong answer earns nothing. Where the function answers
        some, the property counts whatever its values, so that a wrong value costs once."""
        items = self.of_exercise(name)
        results = run.state(name).results
        for item in items:
            function = item.test.property_of
            if not function or results[item.place].status != "passed":
                continue
            values = [i for i in items if i.test.of == function and not i.test.property_of]
            # Where no test of its value runs (a release has no hidden tests), it counts.
            if values and not any(results[i.place].status == "passed" for i in values):
                results[item.place] = replace(
                    results[item.place], status="failed", score=0,
                    message=f"not counted yet: this property counts once {function} passes "
                            "one of the tests of its values")

    def fix_first(self, run: Run, name: str, items: list[Item]) -> list[str]:
        """Where no working version can stand in (a student release has none), which failed
        functions the failed tests of their callers may be failing through."""
        results = run.state(name).results
        notes = []
        for function in sorted({i.test.of for i in items if i.test.of}):
            if (known_good_path(f"{name}.{function}").is_file()
                    or all(results[i.place].status == "passed" for i in items
                           if i.test.of == function)):
                continue
            callers = [i for i in items if function in i.test.builds_on
                       and i.test.of != function and results[i.place].status != "passed"]
            if callers:
                notes.append(f"{function} did not pass all its tests, and {tests(len(callers))} "
                             f"of what calls it failed too: fix {function} first, they may "
                             f"pass with it.")
        return notes

    def regrade(self, session: pytest.Session, run: Run, name: str, items: list[Item],
                candidates: list[Item]) -> dict[tuple[str, ...], int]:
        """The failed `candidates` graded again with working versions of the functions they
        build on that fail their own tests (among `items`); how many, by those functions."""
        state = run.state(name)
        failed = {i.test.of for i in items if i.test.of
                  and state.results[i.place].status != "passed"
                  and known_good_path(f"{name}.{i.test.of}").is_file()}  # none in a release
        groups: dict[tuple[str, ...], list[Item]] = {}
        for item in candidates:
            working = tuple(sorted((set(item.test.builds_on) & failed) - {item.test.of}))
            if working and state.results[item.place].status in ("failed", "error"):
                groups.setdefault(working, []).append(item)
        own = state.substitutes
        for working, dependents in groups.items():
            state.substitutes = [*(own or []), *(f"{name}.{function}" for function in working)]
            run.fresh_worker()
            run.in_worker.append(name)
            run_tests(session, sorted(dependents, key=lambda i: (i.test.hidden, i.place)))
            run.fresh_worker()  # hidden tests ran in it, with working functions
        state.substitutes = own
        return {working: len(dependents) for working, dependents in groups.items()}



def tests(count: int) -> str:
    return f"{count} test" if count == 1 else f"{count} tests"


def stood_in_for(run: Run, name: str) -> list[str]:
    """What the exercise builds on, by the contract and by its own imports, in contract order."""
    wanted = set(BY_NAME[name].builds_on) | run.imports.get(name, frozenset())
    return [other for other in BY_NAME if other in wanted]
