"""CodeContests (deepmind/code_contests): `public_tests`, `private_tests`, `generated_tests`
(each `{"input": [...], "output": [...]}`), `time_limit` (`{"seconds", "nanos"}`),
`memory_limit_bytes`.

Every test of the three sets, compared token by token with numbers within 1e-6 (absolute or
relative) and integers exactly: the usual Codeforces checker for problems whose answer is one
value per token. Problems with several valid answers need their checker, which the dataset does
not ship. The row's time and memory limits are the limits of each test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rewards.errors import InvalidRequest
from rewards.types import CodeReference, IOCase
from sandbox.types import Comparator, OutputMatch

SETS = ("public_tests", "private_tests", "generated_tests")


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    cases: list[IOCase] = []
    for name in SETS:
        tests = row.get(name) or {}
        inputs, outputs = tests.get("input") or [], tests.get("output") or []
        if not isinstance(inputs, list) or not isinstance(outputs, list) or len(inputs) != len(outputs):
            raise InvalidRequest(f"row.{name}: expected {{'input': [...], 'output': [...]}} of equal length")
        if not all(isinstance(x, str) for x in inputs + outputs):
            raise InvalidRequest(f"row.{name}: inputs and outputs must be strings")
        cases += [IOCase(i, o) for i, o in zip(inputs, outputs, strict=True)]
    if not cases:
        raise InvalidRequest(f"row: no tests in {', '.join(SETS)}")
    limit = row.get("time_limit") or {}
    timeout_ms = (
        int(limit.get("seconds", 0) * 1000 + limit.get("nanos", 0) / 1e6) if isinstance(limit, dict) else 0
    )
    memory = row.get("memory_limit_bytes") or 0
    return CodeReference(
        language=language,
        cases=tuple(cases),
        timeout_ms=timeout_ms or None,
        memory_mb=int(memory) >> 20 or None,
        output_match=OutputMatch(Comparator.FLOAT),
    )
