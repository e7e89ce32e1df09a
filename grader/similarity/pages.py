"""The similarity report: `similarity.md`, a self-contained page per pair with the two codes
side by side and their matching lines marked, and the section of report.html. Pure functions
of the pairs and the codes: nothing is printed. Every name and every line of code is escaped
(HTML for the pages, Markdown for the summary)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from grader.catalog import NAMES
from grader.escape import markdown, visible
from grader.similarity.compare import (
    EXERCISE_LIKENESS,
    EXERCISE_MIN_SHARED,
    LIKENESS,
    MIN_SHARED,
    Alike,
    Pair,
)

CAVEAT = ("Likeness, not proof: two submissions can share code for honest reasons (a worked "
          "example from class, a study group, the one obvious way to write a line). Read the "
          "pages side by side before concluding anything.")
METHOD = ("Each exercise's code is compared as fingerprints of its tokens with every name, "
          "number and string made the same and comments, docstrings and layout dropped, so "
          "renaming, reordering and re-commenting do not hide a copy. The stub's code and code "
          "that much of the class shares do not count. A pair is listed when at least "
          f"{LIKENESS:.0%} of the smaller one's fingerprints are shared, and at least "
          f"{MIN_SHARED} are; or when exercises alike at {EXERCISE_LIKENESS:.0%} or more "
          f"share at least {EXERCISE_MIN_SHARED} together.")
PAGE_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
table.side { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.side td { vertical-align: top; width: 50%; padding: 0 .5rem; }
pre { font: 12px/1.35 ui-monospace, monospace; white-space: pre-wrap; margin: 0; }
mark { background: #ffe08a; }
.n { color: #8e8e93; user-select: none; }
"""


def page_name(rank: int) -> str:
    return f"similarity/pair-{rank}.html"


def group_name(number: int) -> str:
    return f"similarity/same-{number}.html"


def percent(value: float) -> str:
    return f"{min(value, 1.0):.0%}"


def most_alike(pair: Pair) -> list[str]:
    return [name for name in NAMES if name in pair.exercises
            and pair.exercises[name].alike]


def summary_markdown(found: Alike, compared: int, without_code: Sequence[str]) -> str:
    pairs = found.pairs
    lines = ["# Submissions that look alike", "", CAVEAT, "", METHOD, "",
             f"{compared} submissions compared: {len(found.groups)} groups handed in the same "
             f"code, {len(pairs) + found.more} pairs look alike"
             + (f" (the {len(pairs)} most alike are listed)." if found.more else ".")]
    if without_code:
        lines += ["", f"Not compared ({len(without_code)}): graded before the kit kept their "
                  "code, or refused; `grade bulk --force` compares them: "
                  + ", ".join(markdown(name) for name in without_code[:20])
                  + (" ..." if len(without_code) > 20 else "")]
    if found.groups:
        lines += ["", "## The same code", "", "Names, comments and layout aside, these "
                  "submissions are the same in every exercise.", "",
                  "| group | submissions | the code |", "| --- | --- | --- |"]
        lines += [f"| {number} | {', '.join(markdown(who) for who in group)} | "
                  f"[group {number}]({group_name(number)}) |"
                  for number, group in enumerate(found.groups, start=1)]
    lines += ["", "## Overall", "", "| rank | submission | submission | likeness | shared | "
              "alike in | side by side |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for rank, pair in enumerate(pairs, start=1):
        lines.append(f"| {rank} | {markdown(pair.first)} | {markdown(pair.second)} | "
                     f"{percent(pair.likeness)} | {pair.shared} | "
                     f"{', '.join(most_alike(pair)) or '-'} | [pair {rank}]({page_name(rank)}) |")
    for name in NAMES:
        ranked = sorted(((pair.exercises[name], rank, pair) for rank, pair in
                         enumerate(pairs, start=1) if name in pair.exercises
                         and pair.exercises[name].alike),
                        key=lambda item: (-item[0].likeness, item[1]))
        if not ranked:
            continue
        lines += ["", f"## {name}", "", "| submission | submission | likeness | shared | "
                  "side by side |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {markdown(pair.first)} | {markdown(pair.second)} | "
                  f"{percent(match.likeness)} | {len(match.shared)} | "
                  f"[pair {rank}]({page_name(rank)}) |" for match, rank, pair in ranked]
    return "\n".join(lines) + "\n"


def page(title: str, parts: list[str]) -> str:
    return "\n".join(["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                      f"<title>{title}</title>", f"<style>{PAGE_STYLE}</style></head><body>",
                      f"<h1>{title}</h1>", *parts, "</body></html>"]) + "\n"


def shown(name: str) -> str:
    return html.escape(visible(name))


def pair_page(rank: int, pair: Pair, first: Mapping[str, tuple[str, frozenset[int]]],
              second: Mapping[str, tuple[str, frozenset[int]]]) -> str:
    """The pair's page: per exercise they share code in, the two codes side by side, the
    matching lines marked."""
    parts = [f"<p>Likeness {percent(pair.likeness)} overall ({pair.shared} shared "
             f"fingerprints). Marked lines match. {html.escape(CAVEAT)}</p>"]
    for name in NAMES:
        if name not in pair.exercises:
            continue
        match = pair.exercises[name]
        (left, marked_left), (right, marked_right) = (
            side.get(name, ("", frozenset())) for side in (first, second))
        parts += [f"<h2>{name}: {percent(match.likeness)} ({len(match.shared)} shared)</h2>",
                  '<table class="side"><tr>',
                  f"<th>{shown(pair.first)}</th><th>{shown(pair.second)}</th></tr>",
                  f"<tr><td>{listing(left, marked_left)}</td>",
                  f"<td>{listing(right, marked_right)}</td></tr></table>"]
    return page(f"Pair {rank}: {shown(pair.first)} and {shown(pair.second)}", parts)


def group_page(number: int, group: Sequence[str], code: Mapping[str, str]) -> str:
    """A group's page: who is in it, and the code (as the first of them wrote it)."""
    parts = [f"<p>{len(group)} submissions whose code is the same in every exercise, names, "
             f"comments and layout aside: {', '.join(shown(who) for who in group)}. Below, "
             f"as {shown(group[0])} wrote it. {html.escape(CAVEAT)}</p>"]
    parts += [f"<h2>{name}</h2>{listing(code[name], frozenset())}" for name in NAMES
              if name in code]
    return page(f"Group {number}: the same code", parts)


def listing(code: str, marked: frozenset[int]) -> str:
    rows = []
    for number, line in enumerate(code.split("\n"), start=1):
        text = html.escape(visible(line))
        shown_line = f"<mark>{text}</mark>" if number in marked else text
        rows.append(f'<span class="n">{number:4d} </span>{shown_line}')
    return "<pre>" + "\n".join(rows) + "</pre>"


def report_section(found: Alike, compared: int) -> str:
    """report.html's section: the groups and pairs, linked to their pages."""
    groups = [f'<li><a href="{group_name(number)}">group {number}</a>: '
              f"{', '.join(shown(who) for who in group)}</li>"
              for number, group in enumerate(found.groups, start=1)]
    rows = [f'<tr><td>{rank}</td><td class="note">{shown(pair.first)}</td>'
            f'<td class="note">{shown(pair.second)}</td><td>{percent(pair.likeness)}</td>'
            f"<td>{pair.shared}</td><td class=\"note\">{', '.join(most_alike(pair)) or '-'}</td>"
            f'<td><a href="{page_name(rank)}">pair {rank}</a></td></tr>'
            for rank, pair in enumerate(found.pairs, start=1)]
    table = ("<table><thead><tr><th>rank</th><th>submission</th><th>submission</th>"
             "<th>likeness</th><th>shared</th><th>alike in</th><th>side by side</th></tr>"
             f"</thead><tbody>{''.join(rows)}</tbody></table>") if rows else (
             "<p>No pair is more alike than chance.</p>")
    same = (f"<p>The same code in every exercise:</p><ul>{''.join(groups)}</ul>"
            if groups else "")
    more = f"<p>{found.more} more pairs, less alike, are not listed.</p>" if found.more else ""
    return (f'<h2 id="similarity">Submissions that look alike</h2><p>{html.escape(CAVEAT)} '
            f"{compared} submissions compared; see similarity.md for each exercise.</p>"
            f"{same}{table}{more}")
