"""Which submissions look copied: winnowed fingerprints of normalised code, compared across a
class, and a report of the pairs more alike than chance.

`fingerprint` turns an exercise's code into fingerprints (tokens with every name made the same,
comments, docstrings and layout dropped; hashes of k-grams of them, winnowed as MOSS does).
`compare` finds the pairs that share more of them than the stub everyone received or code
that much of the class shares. `pages` writes the report: `similarity.md`, a page per pair,
and a section of report.html. The report shows likeness, not proof.
"""
