"""APPS and TACO: `input_output`, a JSON string `{"inputs": [...], "outputs": [...], "fn_name"?}`.

With `fn_name` the tests are call-based, as apps/eval/testing_util.py runs them: the harness's
imports come first, each input list is the argument list of `Solution().<fn_name>` when the
program defines `class Solution` (LeetCode rows), else of `<fn_name>`, and a result equals the
expected output as that harness decides: a tuple counts as a list, an expected output wrapped in
a one-element list (APPS wraps many) also matches its element, and JSON's string keys of a
dict become ints again. One test per case, each with a fresh `Solution()`.

Without `fn_name` they are stdin/stdout cases (inputs and outputs as strings, or lists of
lines), compared token by token. The harness's own comparison also tries looser forms (sets of
tokens among them, which pass wrong answers); tokens is the strict part they share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rewards.datasets._fields import case_tests, json_field, need
from rewards.datasets._harness import IMPORTS
from rewards.errors import InvalidRequest
from rewards.types import CodeReference, IOCase
from sandbox.types import Comparator, OutputMatch

# Test-code helpers, trusted: they run in the judge's runner beside the tests.
CALL_BASED_HELPERS = '''
def _same(out, exp):
    """apps/eval/testing_util.py's call-based comparison."""
    if isinstance(out, tuple):
        out = list(out)
    if out == exp:
        return True
    if isinstance(exp, list) and exp and out == exp[0]:
        return True
    try:
        return isinstance(out[0], tuple) and [list(x) for x in out] == exp[0]
    except (TypeError, IndexError, KeyError):
        return False


def _target():
    try:
        return Solution().{fn}
    except NameError:
        return {fn}

'''


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    io = json_field(row, "input_output")
    if (
        not isinstance(io, dict)
        or not isinstance(io.get("inputs"), list)
        or not isinstance(io.get("outputs"), list)
    ):
        raise InvalidRequest('row.input_output: expected {"inputs": [...], "outputs": [...]}')
    if len(io["inputs"]) != len(io["outputs"]):
        raise InvalidRequest(f"row.input_output: {len(io['inputs'])} inputs but {len(io['outputs'])} outputs")
    if not io["inputs"]:
        raise InvalidRequest("row.input_output: no test cases")
    fn = io.get("fn_name")
    if fn is not None:
        return _call_based(need(io, "fn_name", str), io["inputs"], io["outputs"], language)
    cases = tuple(
        IOCase(_text(i, "inputs"), _text(o, "outputs"))
        for i, o in zip(io["inputs"], io["outputs"], strict=True)
    )
    return CodeReference(
        language=language,
        cases=cases,
        prelude=IMPORTS if language == "python" else "",
        output_match=OutputMatch(Comparator.TOKENS),
    )


def _call_based(fn: str, inputs: list, outputs: list, language: str) -> CodeReference:
    if not fn.isidentifier():
        raise InvalidRequest(f"row.input_output.fn_name: {fn!r} is not a Python name")
    cases = [[_int_keys(i), _int_keys(o)] for i, o in zip(inputs, outputs, strict=True)]
    tests = case_tests(
        CALL_BASED_HELPERS.format(fn=fn), cases, "assert _same(_target()(*_CASES[{k}][0]), _CASES[{k}][1])"
    )
    return CodeReference(language=language, test_code=tests, entry_point=fn, prelude=IMPORTS)


def _int_keys(value: Any) -> Any:
    """JSON made a dict's int keys strings (first level, or in a one-element list): undo it."""

    def undo(d: dict) -> dict:
        try:
            return {int(k): v for k, v in d.items()}
        except (TypeError, ValueError):
            return d

    if isinstance(value, dict):
        return [undo(value)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [undo(value[0]), *value[1:]]
    return value


def _text(value: Any, field: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "\n".join(value)
    raise InvalidRequest(f"row.input_output.{field}: expected strings or lists of lines")
