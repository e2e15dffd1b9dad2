"""Output comparison for stdin/stdout tests, one comparator per problem (`OutputMatch`).

- `lines` (the default): the whole output; only whitespace at the end of each line and blank
  lines at the very end are ignored (and \\r of CRLF, trailing whitespace too). A correct
  prefix fails, extra lines fail, different line breaks inside fail.
- `tokens`: the same whitespace-separated tokens in the same order (line breaks free).
- `float`: tokens, where two numbers within `float_tolerance`, absolute or relative, are equal,
  as Codeforces checkers do; two *integers* are compared exactly, whatever the tolerance
  (SandboxFusion's tolerance passes `1000000` for `1000001`). `nan`/`inf` tokens are text.
`ignore_case` folds case in any of them (off by default: `YES` is not `yes`).
"""

from __future__ import annotations

import math
import re

from sandbox.types import Comparator, OutputMatch

__all__ = ["difference"]

_INTEGER = re.compile(r"[+-]?\d+")


def difference(expected: str, actual: str, match: OutputMatch | None = None) -> str:
    """ "" when `actual` matches `expected`, else a short reason ("line 3: expected '7' got '8'")."""
    match = match or OutputMatch()
    if match.ignore_case:
        expected, actual = expected.casefold(), actual.casefold()
    if match.comparator is Comparator.LINES:
        return _line_difference(expected, actual)
    exp, got = expected.split(), actual.split()
    for i, (e, g) in enumerate(zip(exp, got, strict=False), 1):
        if e != g and not (match.comparator is Comparator.FLOAT and _close(e, g, match.float_tolerance)):
            return f"token {i}: expected {e[:40]!r} got {g[:40]!r}"
    return "" if len(exp) == len(got) else f"expected {len(exp)} tokens, got {len(got)}"


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().split("\n")]


def _line_difference(expected: str, actual: str) -> str:
    exp, got = _lines(expected), _lines(actual)
    for i, (e, g) in enumerate(zip(exp, got, strict=False), 1):
        if e != g:
            return f"line {i}: expected {e[:40]!r} got {g[:40]!r}"
    return "" if len(exp) == len(got) else f"expected {len(exp)} lines, got {len(got)}"


def _close(expected: str, actual: str, tolerance: float) -> bool:
    if _INTEGER.fullmatch(expected) and _INTEGER.fullmatch(actual):
        return int(expected) == int(actual)
    try:
        e, g = float(expected), float(actual)
    except ValueError:
        return False
    if not (math.isfinite(e) and math.isfinite(g)):
        return False  # "nan", "inf" are compared as text (already unequal)
    return abs(e - g) <= tolerance or abs(e - g) <= tolerance * abs(e)
