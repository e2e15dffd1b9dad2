"""LiveCodeBench (code_generation_lite): `public_test_cases` and `private_test_cases` (JSON lists
of `{"input", "output", "testtype"}`; the private ones usually zlib+base64-compressed pickles of
that JSON), `metadata` (JSON with `func_name`).

As lcb_runner's testing_util.py runs them: the harness's imports come first (its recursion limit
differs: see `_harness`); `functional` tests call `Solution().<func_name>` with one JSON value per
input line as the arguments and compare with the JSON output (a tuple result counts as a list),
a fresh `Solution()` per test; `stdin` tests compare token by token with numbers equal by value
(the harness compares lines as Decimals: `1.0` is `1`), tolerance 0.

The compressed private tests are a pickle. Request data is never unpickled as such: only a
pickle that holds plain strings, lists and dicts is read (no class or function can be named in
it), and its size is capped.
"""

from __future__ import annotations

import base64
import io
import json
import pickle
import zlib
from collections.abc import Mapping
from typing import Any

from rewards.datasets._fields import case_tests, json_field
from rewards.datasets._harness import IMPORTS
from rewards.errors import InvalidRequest
from rewards.types import CodeReference, IOCase
from sandbox.types import Comparator, OutputMatch

MAX_TESTS_BYTES = 64 << 20  # decompressed private tests

FUNCTIONAL_HELPERS = """
def _lcb(value):
    return list(value) if isinstance(value, tuple) else value

"""


def reference(row: Mapping[str, Any], language: str) -> CodeReference:
    tests = _tests(row, "public_test_cases") + (
        _tests(row, "private_test_cases") if row.get("private_test_cases") else []
    )
    if not tests:
        raise InvalidRequest("row.public_test_cases: no test cases")
    kinds = {t.get("testtype") for t in tests}
    if kinds == {"functional"}:
        meta = json_field(row, "metadata")
        fn = meta.get("func_name") if isinstance(meta, dict) else None
        if not isinstance(fn, str) or not fn.isidentifier():
            raise InvalidRequest("row.metadata: functional tests need a func_name")
        cases = [[_arguments(t["input"]), _json(t["output"], "output")] for t in tests]
        assertion = f"assert _lcb(Solution().{fn}(*_CASES[{{k}}][0])) == _CASES[{{k}}][1]"
        test_code = case_tests(FUNCTIONAL_HELPERS, cases, assertion)
        return CodeReference(language=language, test_code=test_code, prelude=IMPORTS)
    if kinds == {"stdin"}:
        return CodeReference(
            language=language,
            cases=tuple(IOCase(t["input"], t["output"]) for t in tests),
            prelude=IMPORTS if language == "python" else "",
            output_match=OutputMatch(Comparator.FLOAT, float_tolerance=0.0),
        )
    raise InvalidRequest(
        f"row: testtype must be all 'functional' or all 'stdin', got {sorted(map(str, kinds))}"
    )


def _tests(row: Mapping[str, Any], field: str) -> list[dict]:
    raw = row.get(field)
    if isinstance(raw, str) and not raw.lstrip().startswith("["):
        raw = _uncompress(raw, field)
    tests = json_field({field: raw}, field)
    if not isinstance(tests, list) or not all(
        isinstance(t, dict) and isinstance(t.get("input"), str) and isinstance(t.get("output"), str)
        for t in tests
    ):
        raise InvalidRequest(f"row.{field}: expected a list of {{'input', 'output', 'testtype'}}")
    return tests


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"names {module}.{name}: only plain data is read")


def _uncompress(text: str, field: str) -> str:
    try:
        packed = zlib.decompressobj()
        data = packed.decompress(base64.b64decode(text, validate=False), MAX_TESTS_BYTES)
        if packed.unconsumed_tail:
            raise InvalidRequest(f"row.{field}: over {MAX_TESTS_BYTES >> 20} MiB uncompressed")
        value = _PlainUnpickler(io.BytesIO(data)).load()
    except InvalidRequest:
        raise
    except Exception as exc:
        raise InvalidRequest(
            f"row.{field}: neither JSON nor LiveCodeBench's compressed form: {exc}"
        ) from None
    if not isinstance(value, str):
        raise InvalidRequest(f"row.{field}: the compressed form holds {type(value).__name__}, not JSON text")
    return value


def _arguments(text: str) -> list:
    return [_json(line, "input") for line in text.split("\n")]


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidRequest(f"row: a functional test's {what} is not JSON: {exc}") from None
