"""MBPP: `test_list` (assert strings), `test_setup_code`, `challenge_test_list` (original) or
`test_imports` (sanitized).

The tests are the setup code then every assert of `test_list` and `challenge_test_list`, each
one test (the challenge tests check the same function, harder). `test_imports` (`import math`,
…) are the prelude: the tests and the program both have them, as in the sanitized release's
harness, which puts them before both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rewards.datasets._fields import need
from rewards.errors import InvalidRequest
from rewards.types import CodeReference


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    tests = list(need(row, "test_list", list)) + list(row.get("challenge_test_list") or [])
    imports = list(row.get("test_imports") or [])
    if not all(isinstance(t, str) for t in tests + imports):
        raise InvalidRequest("row.test_list: expected a list of assert statements (strings)")
    setup = row.get("test_setup_code") or ""
    if not isinstance(setup, str):
        raise InvalidRequest("row.test_setup_code: expected a string")
    return CodeReference(
        language=language,
        test_code="\n".join([setup, *tests]) + "\n",
        prelude="\n".join(imports) + ("\n" if imports else ""),
    )
