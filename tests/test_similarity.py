"""The similarity report: copies in disguise found, independent work left alone, the stub and
common code never counted, the report escaped, the same on every run, shards and merges."""

from __future__ import annotations

import html
import json
import shutil

import pytest

from grader import cli
from grader.catalog import NAMES
from grader.similarity import compare, pages, records
from grader.similarity.fingerprint import fingerprints, tokens

from .conftest import EXERCISES
from .similarity_corpus import AUTHORS, DISGUISES, authored, corpus, measured


def hashes(code: str) -> set[int]:
    return {p.hash for p in fingerprints(code)}


@pytest.mark.parametrize("disguise", ["renamed", "reordered"])
def test_renaming_and_reordering_leave_the_fingerprints_as_they_were(disguise):
    """Renamed: every name of the author's own, builtins' names too (`sum = 0`)."""
    for author in AUTHORS:
        for name, code in authored(author).items():
            assert hashes(DISGUISES[disguise](code)) == hashes(code), (author, name)


@pytest.mark.parametrize("disguise", ["recommented", "reformatted", "padded"])
def test_new_comments_layout_and_lines_that_do_nothing_leave_nearly_all_fingerprints(disguise):
    """Laid out anew by ast.unparse, which also writes `[y] = v` as `(y,) = v` and the like."""
    for author in AUTHORS:
        for name, code in authored(author).items():
            before, after = hashes(code), hashes(DISGUISES[disguise](code))
            assert len(before & after) >= 0.85 * len(before), (author, name)


def test_names_numbers_strings_comments_and_docstrings_are_all_alike():
    one = 'def f(a, b):\n    """Add."""\n    return a + 2 * b  # twice\n'
    other = "def g(x,y):\n    return (x + 5 * y)\n"
    assert tokens(one) == [(word, line + (1 if line > 1 else 0)) for word, line in tokens(other)]


def test_a_docstring_is_dropped_and_a_string_in_code_is_a_string():
    code = 'def f():\n    """Doc\n    string."""\n    return """a\nb""" + x  # c\n    pass\n'
    assert tokens(code) == [("def", 1), ("V", 1), (":", 1), ("return", 4), ("S", 4),
                            ("+", 5), ("V", 5)]


def test_a_lone_surrogate_is_a_token_like_any_other():
    assert len(fingerprints("x = 1 \ud800 2 + " + " + ".join("abcdefghij") + "\n")) > 0


def test_the_corpus_copies_are_found_and_the_independent_work_is_not():
    precision, recall, wrong, missed = measured()
    assert wrong == [] and precision == 1.0
    assert recall >= 0.9, missed


def class_of(names: dict[str, str]) -> dict[str, dict[str, compare.Hashes]]:
    """Submission -> its fingerprints, each submission the work of the author named."""
    made = corpus()
    return {who: {n: compare.hashes_of(fingerprints(code)) for n, code in made[source][0].items()}
            for who, source in names.items()}


def alike(code: dict[str, dict[str, compare.Hashes]]) -> compare.Alike:
    return compare.alike(code, records.stubs())


def test_the_stub_never_counts():
    stub = {n: compare.hashes_of(fingerprints((EXERCISES / f"{n}.py").read_text()))
            for n in NAMES}
    code = {who: stub for who in ("a", "b")}
    assert alike(code) == compare.Alike([], [])
    # Without the stub left out, the two would be listed.
    assert [(p.first, p.second) for p in compare.alike(code, {}).pairs] == [("a", "b")]


def test_code_much_of_the_class_shares_is_no_evidence():
    """Twelve students with the reference's activations: the usual way to write them."""
    made = corpus()
    code = {f"s{i}": {
        "activations": compare.hashes_of(fingerprints(made["ref"][0]["activations"])),
        "perceptron": compare.hashes_of(fingerprints(made[AUTHORS[1 + i % 3]][0]["perceptron"]))}
        for i in range(12)}
    found = alike(code)
    assert len(found.groups) == 3  # the same perceptron, and the same activations
    assert found.pairs == []  # the activations alone: common, no evidence


def test_identical_work_is_listed_as_one_group_however_many_hand_it_in():
    code = class_of({f"s{i:02d}": "bea" for i in range(12)} | {"x": "chen"})
    assert alike(code) == compare.Alike([[f"s{i:02d}" for i in range(12)]], [])


def test_a_short_function_alike_is_not_enough():
    """Two students whose only likeness is the reference dot product and neuron."""
    made = corpus()
    code = {who: {n: compare.hashes_of(fingerprints(
        made["ref" if n in ("dot_product", "neuron") else own][0][n])) for n in NAMES}
        for who, own in (("a", "bea"), ("b", "chen"))}
    assert alike(code) == compare.Alike([], [])


def test_the_same_short_work_is_no_group():
    """Two students who wrote only the obvious dot product and neuron, the rest the stub."""
    made = corpus()
    code = {who: {n: compare.hashes_of(fingerprints(made["ref"][0][n] if n in (
        "dot_product", "neuron") else (EXERCISES / f"{n}.py").read_text())) for n in NAMES}
        for who in ("a", "b")}
    assert alike(code) == compare.Alike([], [])


def test_pairs_come_most_alike_first_and_the_same_every_time():
    """w took three exercises from z (bea) and three from v (chen); y is x in disguise."""
    code = class_of({"x": "chen", "y": "chen-all", "z": "bea", "w": "bea-partial",
                     "v": "ref"})
    pairs = alike(code).pairs
    assert [(p.first, p.second) for p in pairs] == [("x", "y"), ("w", "z"), ("w", "x"),
                                                     ("w", "y")]
    assert pairs[0].likeness >= pairs[1].likeness >= pairs[2].likeness
    again = alike(dict(reversed(code.items()))).pairs
    assert [(p.first, p.second, p.shared) for p in again] == [
        (p.first, p.second, p.shared) for p in pairs]


def test_a_class_alike_beyond_the_cap_lists_the_most_alike_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(compare, "MAX_PAIRS", 1)
    found = alike(class_of({"x": "chen", "y": "chen-all", "z": "bea", "w": "bea-partial"}))
    assert [(p.first, p.second) for p in found.pairs] == [("x", "y")] and found.more == 3


def test_the_pages_escape_every_name_and_line():
    hostile = "<b>a|*x*</b>"
    pair = compare.Pair(hostile, "b", 1.0, 20, {"dot_product": compare.Match(
        1.0, frozenset({7}))})
    page = pages.pair_page(1, pair, {"dot_product": ("x = '<script>'", frozenset({1}))},
                           {"dot_product": ("", frozenset())})
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>a" not in page and "&lt;b&gt;a|*x*&lt;/b&gt;" in page
    assert "<mark>" in page
    group = pages.group_page(1, [hostile, "c"], {"dot_product": "<script>"})
    assert "<script>" not in group and "<b>a" not in group
    found = compare.Alike([[hostile, "c"]], [pair])
    summary = pages.summary_markdown(found, 2, [hostile])
    # Not compared, its group, the overall table, dot_product's table: escaped each time.
    assert summary.count("\\<b\\>a\\|\\*x\\*\\</b\\>") == 4 and "<b>" not in summary
    assert "Likeness, not proof" in summary
    section = pages.report_section(found, 2)
    assert section.count(html.escape(hostile)) == 2 and "<b>a" not in section


@pytest.fixture(scope="module")
def alike_class(tmp_path_factory):
    """A class graded by grade bulk: two copies (one under a hostile name), independent work."""
    folder = tmp_path_factory.mktemp("class") / "class"
    made = corpus()
    for who, source in {"chen": "chen", "<b>chen|*copy*": "chen-all", "bea": "bea",
                        "bea-renamed": "bea-renamed", "ref": "ref"}.items():
        (folder / who).mkdir(parents=True)
        for name, code in made[source][0].items():
            (folder / who / f"{name}.py").write_text(code)
    out = folder.parent / "out"
    assert cli.main(["bulk", str(folder), "--out", str(out), "--jobs", "2"]) in (0, 1)
    return folder, out


def test_grade_bulk_writes_the_report(alike_class):
    _, out = alike_class
    summary = (out / "similarity.md").read_text()
    assert "5 submissions compared: 1 groups handed in the same code, 1 pairs look alike." \
        in summary
    assert "| 1 | bea, bea\\-renamed | [group 1](similarity/same-1.html) |" in summary
    assert "| 1 | \\<b\\>chen\\|\\*copy\\* | chen | 99% |" in summary
    page = (out / "similarity" / "pair-1.html").read_text()
    assert "&lt;b&gt;chen|*copy*" in page and "<mark>" in page
    assert "bea-renamed" in (out / "similarity" / "same-1.html").read_text()
    report = (out / "report.html").read_text()
    assert 'href="similarity/pair-1.html"' in report and "Likeness, not proof" in report
    assert 'href="similarity/same-1.html"' in report


def test_shards_merge_into_the_same_report(alike_class, tmp_path):
    folder, out = alike_class
    shards = []
    for k in (1, 2):
        shard = tmp_path / f"shard{k}"
        assert cli.main(["bulk", str(folder), "--out", str(shard), "--shard", f"{k}/2"]) in (0, 1)
        shards.append(str(shard))
    assert cli.main(["merge", *shards, "--out", str(tmp_path / "merged")]) in (0, 1)
    for name in ("similarity.md", "similarity/pair-1.html", "similarity/same-1.html",
                 "report.html"):
        assert (tmp_path / "merged" / name).read_bytes() == (out / name).read_bytes(), name


def test_a_result_without_its_code_record_is_named_not_compared(alike_class, tmp_path):
    _, out = alike_class
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    (copy / "code" / "bea.json").write_text("{not json")
    section = records.write_report(copy, ["bea", "bea-renamed", "chen", "ref",
                                          "<b>chen|*copy*"])
    assert "4 submissions compared" in section
    assert "Not compared (1)" in (copy / "similarity.md").read_text()


@pytest.mark.parametrize("prints", [[[-1, 1, 1]], [[2**70, 1, 1]], [[1e400, 1, 1]],
                                    [[5, 1, 10**9]], [[5, 2, 1]], "x", [[5, 1]],
                                    [[5, 1, 1], [5, 1]], [[5, 1, 1], 7], ["abc"],
                                    [[5, 1, True]]])
def test_a_code_record_that_is_not_one_is_not_compared(alike_class, tmp_path, prints):
    _, out = alike_class
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    path = copy / "code" / "bea.json"
    path.write_text(json.dumps({"exercises": {"dot_product": {"code": "x", "prints": prints}}})
                    .replace("Infinity", "1e400"))
    assert records.read(path) is None
    section = records.write_report(copy, ["bea", "chen"])
    assert "1 submissions compared" in section


def test_a_merge_into_an_earlier_merge_keeps_no_code_the_shards_no_longer_have(alike_class,
                                                                               tmp_path):
    folder, _ = alike_class
    shard, merged = tmp_path / "shard", tmp_path / "merged"
    assert cli.main(["bulk", str(folder), "--out", str(shard), "--shard", "1/1"]) in (0, 1)
    assert cli.main(["merge", str(shard), "--out", str(merged)]) in (0, 1)
    assert "bea\\-renamed" in (merged / "similarity.md").read_text()
    (shard / "code" / "bea-renamed.json").unlink()  # as an entry refused on regrading has none
    assert cli.main(["merge", str(shard), "--out", str(merged)]) in (0, 1)
    assert not (merged / "code" / "bea-renamed.json").exists()
    assert "Not compared (1)" in (merged / "similarity.md").read_text()


def test_a_notebook_with_a_lone_surrogate_gets_its_row(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    book = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "source": "z = 1 \ud800 2\ndef dot(w, x):\n"
         "    return 0", "outputs": [], "execution_count": None}]}
    (folder / "sur.ipynb").write_text(json.dumps(book))
    assert cli.main(["bulk", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "similarity.md").is_file()
    assert "sur," in (tmp_path / "out" / "gradebook.csv").read_text()


def test_a_page_marks_the_matching_code_not_the_docstring_between():
    code = ('def dot(w, x):\n    """The dot product."""\n    if len(w) != len(x):\n'
            '        raise ValueError("lengths differ")\n'
            '    return sum(a * b for a, b in zip(w, x))\n')
    prints = fingerprints(code)
    pair = compare.Pair("a", "b", 1.0, len(prints), {"dot_product": compare.Match(
        1.0, frozenset(p.hash for p in prints))})
    assert records.marked(code, prints, pair, "dot_product") == {1, 3, 4, 5}
    assert records.marked(code, prints, pair, "neuron") == frozenset()
