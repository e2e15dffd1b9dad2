"""Output comparison for stdin/stdout tests: the whole output, tolerant of trailing whitespace only.

A correct prefix fails, extra lines fail, different line breaks inside fail; what is
ignored is whitespace at the end of each line and blank lines at the very end (and \\r of
CRLF, which is trailing whitespace too).
"""

from __future__ import annotations

__all__ = ["first_difference", "same_output"]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().split("\n")]


def same_output(expected: str, actual: str) -> bool:
    return _lines(expected) == _lines(actual)


def first_difference(expected: str, actual: str) -> str:
    """A short reason for a mismatch, e.g. "line 3: expected '7' got '8'"."""
    exp, got = _lines(expected), _lines(actual)
    for i, (e, g) in enumerate(zip(exp, got, strict=False), 1):
        if e != g:
            return f"line {i}: expected {e[:40]!r} got {g[:40]!r}"
    return f"expected {len(exp)} lines, got {len(got)}"
