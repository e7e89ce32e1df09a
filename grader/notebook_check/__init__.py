"""`check()` in a notebook: grade an exercise as the running kernel last ran it, no save needed.

The kernel is the student's own process, so it never grades: `client` sends the code of the
cells the kernel ran (`kernel` picks them) to a grading process of its own (`server`), which
grades them as `grade` grades a notebook, with the same workers and suites, and answers with
the report as JSON, text and HTML (`display`). The messages are `protocol`'s.
"""
