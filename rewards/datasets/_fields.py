"""Reading a dataset row's fields, with errors that name the field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rewards.errors import InvalidRequest

__all__ = ["case_tests", "json_field", "need"]


def need(row: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = row.get(name)
    if not isinstance(value, kind):
        what = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InvalidRequest(f"row.{name}: expected {what}, got {type(value).__name__}")
    return value


def json_field(row: Mapping[str, Any], name: str) -> Any:
    """A field the dataset ships as a JSON string (APPS's input_output), or already decoded."""
    value = row.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise InvalidRequest(f"row.{name}: not valid JSON: {exc}") from None
    if value is None:
        raise InvalidRequest(f"row.{name}: required")
    return value


def case_tests(helpers: str, cases: list, assertion: str) -> str:
    """Test code for call-based cases: `helpers`, the cases as `_CASES` (JSON keeps lists and
    ints as the dataset has them), then one test per case, `assertion` formatted with its index
    `k` (e.g. "assert f(*_CASES[{k}][0]) == _CASES[{k}][1]")."""
    lines = [helpers, "import json\n", f"_CASES = json.loads({json.dumps(cases)!r})\n"]
    return "".join(lines + [assertion.format(k=k) + "\n" for k in range(len(cases))])
