"""Text a student controls, made safe for a terminal, a text file, Markdown and a spreadsheet.

Printed output, exception messages and entry names reach places that act on some characters:
a terminal obeys ANSI escapes and carriage returns (a line can be rewritten to read "100/100"),
an editor shows bidirectional overrides as reordered text, and a spreadsheet runs a cell that
starts with `=` as a formula. Such characters are shown, not obeyed.
"""

from __future__ import annotations

# C0 controls but the newline, DEL, C1 controls, and the bidirectional overrides and isolates.
CONTROLS = [*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0),
            *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
SHOWN = str.maketrans({code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                       for code in CONTROLS})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def visible(text: str) -> str:
    """The text with every control character written out (`\\x1b`), newlines kept."""
    return text.translate(SHOWN)


def cell(text: str) -> str:
    """A CSV cell no spreadsheet reads as a formula (OWASP's advice: a leading quote)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def uncell(text: str) -> str:
    """What `cell` was given, for a program reading back a CSV it wrote."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


MARKDOWN = str.maketrans({char: f"\\{char}" for char in "\\`*_{}[]()<>#+-.!|~&"})


def markdown(text: str) -> str:
    """The text as Markdown shows it, not as Markdown reads it: no emphasis, link, table cell,
    HTML tag or entity of its own (every character Markdown acts on is backslash-escaped)."""
    return visible(text).translate(MARKDOWN).replace("\n", " ")
