"""DeepCoder (agentica-org/DeepCoder-Preview-Dataset) and PrimeIntellect's verifiable coding
problems (PrimeIntellect/verifiable-coding-problems, SYNTHETIC-1): rows that gather other
datasets' tests in a few shapes.

DeepCoder's `tests` is a JSON string, by subset:
- taco: APPS's `{"inputs": [...], "outputs": [...], "fn_name"?}` (judged as `apps` does);
- lcbv5, codeforces: LiveCodeBench's `[{"input", "output", "testtype": "stdin"|"functional"}]`,
  the function's name in the row's `metadata.func_name` (judged as `livecodebench` does);
- primeintellect: PrimeIntellect's `[{"type": "stdin_stdout"|"function_call", "input",
  "output", "fn_name"}]`.

PrimeIntellect's rows hold the same list under `verification_info` (a JSON string, or a
Python literal as its readers `ast.literal_eval` it): `{"language", "test_cases": [...]}`;
`language` is the program's when the request names none. `function_call` cases give the
argument list as `input` and the return value wrapped in a one-element list as `output`; rllm
and prime-rl judge them with TACO's harness (a result equals the output or its only element),
so they are judged as `apps` judges call-based rows. `stdin_stdout` cases are compared token by
token (genesys compares stripped lines; TACO's harness is looser still).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from typing import Any

from rewards.datasets import apps, livecodebench
from rewards.datasets._fields import json_field
from rewards.errors import InvalidRequest
from rewards.types import CodeReference

__all__ = ["deepcoder", "primeintellect", "primeintellect_language"]


def deepcoder(row: Mapping[str, Any], language: str) -> CodeReference:
    tests = json_field(row, "tests")
    if isinstance(tests, dict):  # the taco subset
        return apps.reference({"input_output": tests}, language)
    if not isinstance(tests, list) or not tests or not all(isinstance(t, dict) for t in tests):
        raise InvalidRequest(
            "row.tests: expected a non-empty JSON list of test objects (or TACO's inputs/outputs)"
        )
    if all("type" in t for t in tests):  # the primeintellect subset
        return _prime_cases(tests, language, "row.tests")
    metadata = row.get("metadata")
    if isinstance(metadata, Mapping):
        metadata = json.dumps(dict(metadata))
    return livecodebench.reference({"public_test_cases": tests, "metadata": metadata or "{}"}, language)


def primeintellect(row: Mapping[str, Any], language: str) -> CodeReference:
    return _prime_cases(
        _verification_info(row).get("test_cases"), language, "row.verification_info.test_cases"
    )


def primeintellect_language(row: Mapping[str, Any]) -> str:
    """The language a PrimeIntellect row asks the program in ("" when it says none)."""
    try:
        value = _verification_info(row).get("language")
    except InvalidRequest:
        return ""
    return value if isinstance(value, str) else ""


def _verification_info(row: Mapping[str, Any]) -> dict:
    raw = row.get("verification_info")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            try:  # the published column is sometimes a Python literal, read with ast.literal_eval
                raw = ast.literal_eval(raw)
            except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
                raise InvalidRequest(
                    f"row.verification_info: neither JSON nor a Python literal: {exc}"
                ) from None
    if not isinstance(raw, dict):
        raise InvalidRequest('row.verification_info: expected {"language", "test_cases": [...]}')
    return raw


def _prime_cases(tests: Any, language: str, field: str) -> CodeReference:
    if not isinstance(tests, list) or not tests or not all(isinstance(t, dict) for t in tests):
        raise InvalidRequest(f"{field}: expected a non-empty list of test cases")
    kinds = {t.get("type") for t in tests}
    if kinds == {"stdin_stdout"}:
        stdio = {"inputs": [t.get("input") for t in tests], "outputs": [t.get("output") for t in tests]}
        return apps.reference({"input_output": stdio}, language)
    if kinds == {"function_call"}:
        names = {t.get("fn_name") for t in tests}
        if len(names) != 1 or not isinstance(fn := names.pop(), str):
            raise InvalidRequest(
                f"{field}: function_call cases need one fn_name, got {sorted(map(str, names))}"
            )
        inputs = [t.get("input") for t in tests]
        if not all(isinstance(i, list) for i in inputs):
            raise InvalidRequest(f"{field}: a function_call case's input must be the list of arguments")
        calls = {"inputs": inputs, "outputs": [t.get("output") for t in tests], "fn_name": fn}
        return apps.reference({"input_output": calls}, language)
    raise InvalidRequest(
        f"{field}: type must be all 'stdin_stdout' or all 'function_call', got {sorted(map(str, kinds))}"
    )
