"""MultiPL-E (HumanEval and MBPP translated into 18+ languages): `name`, `language`, `prompt`,
`tests`, `stop_tokens`.

MultiPL-E's evaluator runs `prompt + completion + "\\n" + tests` as one program in the row's
language, and passes it when it exits 0 (`evaluation/src/main.py`, `eval_<lang>.py`). Here the
prompt is the prelude and `tests` the test code, in the row's language: the sandbox assembles
them the same way and passes the run only when the trusted end of the tests ran (an `exit(0)`
before them fails; see sandbox/languages.py `Tests`). The completion is the continuation of the
prompt, as MultiPL-E's generator cuts it at `stop_tokens`; a completion that repeats the prompt
first is taken as the whole program.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rewards.datasets._fields import need
from rewards.types import CodeReference

# Python rows keep HumanEval's `check(candidate)`, called as `check(<entry point>)` in test_check.
_CHECKED = re.compile(r"^\s*check\(\s*([A-Za-z_]\w*)\s*\)", re.M)


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    tests = need(row, "tests", str)
    # The Python judge hands the tests the prompt's definitions, the program's entry point aside.
    checked = _CHECKED.search(tests)
    return CodeReference(
        language=language,
        test_code=tests,
        prelude=need(row, "prompt", str),
        entry_point=checked.group(1) if checked else "",
    )


def row_language(row: Mapping[str, Any]) -> str:
    """The row's language in MultiPL-E's naming (`cpp`, `rs`, `go_test.go`, …); our aliases
    take the rest."""
    value = row.get("language")
    return value.removesuffix("_test.go") if isinstance(value, str) else ""
