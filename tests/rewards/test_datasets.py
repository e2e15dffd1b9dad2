"""Dataset presets, without a sandbox: what each builds from a row, and errors naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rewards import InvalidRequest
from rewards.datasets import PRESETS, code_reference
from sandbox.guest.testplan import plan
from sandbox.types import Comparator


def test_humaneval_appends_the_harness_line_and_keeps_the_prompt_as_prelude() -> None:
    row = {
        "task_id": "X/0",
        "prompt": "def f(x):\n    '''doc'''\n",
        "entry_point": "f",
        "test": "def check(c):\n    assert c(1) == 1\n",
    }
    ref = code_reference("humaneval", row)
    assert ref.test_code.endswith("check(f)\n") and ref.prelude == row["prompt"] and ref.entry_point == "f"
    assert plan(ref.test_code).titles == ("assert c(1) == 1",)  # the check line is the harness's


def test_apps_call_based_is_one_test_per_case() -> None:
    io = {"inputs": [[1], [2]], "outputs": [[1], [4]], "fn_name": "sq"}
    ref = code_reference("apps", {"input_output": json.dumps(io)})
    assert len(plan(ref.test_code).titles) == 2 and ref.entry_point == "sq"


def test_codecontests_limits_and_comparator() -> None:
    row = {
        "public_tests": {"input": ["1\n"], "output": ["1\n"]},
        "time_limit": {"seconds": 1, "nanos": 500_000_000},
        "memory_limit_bytes": 256 << 20,
    }
    ref = code_reference("codecontests", row, "cpp")
    assert (ref.timeout_ms, ref.memory_mb, ref.language, ref.output_match.comparator) == (
        1500,
        256,
        "cpp",
        Comparator.FLOAT,
    )


@pytest.mark.parametrize(
    ("dataset", "row", "message"),
    [
        ("nope", {}, "unknown preset 'nope'; known: apps, codecontests"),
        ("humaneval", {"prompt": "x"}, "row.entry_point: expected str"),
        ("mbpp", {"test_list": "assert f()"}, "row.test_list: expected list"),
        ("apps", {"input_output": "{not json"}, "row.input_output: not valid JSON"),
        ("apps", {"input_output": json.dumps({"inputs": [1], "outputs": []})}, "1 inputs but 0 outputs"),
        (
            "apps",
            {"input_output": json.dumps({"inputs": [[1]], "outputs": [1], "fn_name": "a b"})},
            "not a Python name",
        ),
        ("livecodebench", {"public_test_cases": "[]"}, "no test cases"),
        ("livecodebench", {"public_test_cases": "@@@"}, "neither JSON nor"),
        ("codecontests", {"public_tests": {"input": ["1"], "output": []}}, "row.public_tests"),
        ("codecontests", {}, "no tests"),
        ("deepcoder", {"tests": "[]"}, "row.tests: expected a non-empty JSON list"),
        (
            "deepcoder",
            {"tests": json.dumps([{"input": "1", "output": "1", "testtype": "functional"}])},
            "func_name",
        ),
        ("primeintellect", {"verification_info": "{oops"}, "neither JSON nor a Python literal"),
        ("primeintellect", {"verification_info": "{'test_cases': []}"}, "non-empty list of test cases"),
        (
            "primeintellect",
            {
                "verification_info": repr(
                    {"test_cases": [{"type": "function_call", "input": 1, "output": [1], "fn_name": "f"}]}
                )
            },
            "input must be the list of arguments",
        ),
        (
            "primeintellect",
            {"verification_info": repr({"test_cases": [{"type": "x", "input": "", "output": ""}]})},
            "all 'stdin_stdout' or all 'function_call'",
        ),
    ],
)
def test_a_bad_row_names_its_field(dataset: str, row: dict, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message.replace("[", r"\[").replace("{", r"\{")):
        code_reference(dataset, row)


def test_primeintellect_row_as_ms_swift_documents_it() -> None:
    """A real row's verification_info (open-r1's python subset, as ms-swift's docs show it)."""
    info = {
        "language": "python",
        "test_cases": [
            {
                "input": "4\n4\n0001\n1000\n0011\n0111\n3\n010\n101\n0\n2\n00000\n00001\n4\n01\n001\n0001\n00001\n",
                "output": "1\n3 \n-1\n0\n\n2\n1 2 \n",
                "type": "stdin_stdout",
            }
        ],
    }
    ref = code_reference("primeintellect", {"verification_info": json.dumps(info)})
    assert (
        ref.language == "python" and len(ref.cases) == 1 and ref.output_match.comparator is Comparator.TOKENS
    )
    assert ref.cases[0].expected_stdout == info["test_cases"][0]["output"]


def test_every_preset_is_documented_in_the_api() -> None:
    proto = (Path(__file__).parents[2] / "proto/referee/v1/referee.proto").read_text()
    assert all(name in proto for name in PRESETS)
