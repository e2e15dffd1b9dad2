"""verl 0.9.1's own code against `referee serve --http-port`: its SandboxFusion caller
(`call_sandbox_api`, `check_correctness`, `compute_score`), `default_compute_score` for an
APPS-style row, and its reward-loop manager built by `load_reward_manager` from a config, both
with `reward.sandbox_fusion.url` and with our `trainer/verl.py` as `custom_reward_function`.

verl's result codes (check_correctness): True pass, False wrong answer, -1 API/sandbox error,
-2 runtime error, -3 timeout, -4 compile error.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from omegaconf import OmegaConf
from verl import DataProto
from verl.trainer.ppo.reward import load_reward_manager
from verl.utils.reward_score import default_compute_score
from verl.utils.reward_score.sandbox_fusion.utils import call_sandbox_api, check_correctness

import trainer.verl
from tests.clients.conftest import Referee
from trainer.tokenizer import CharTokenizer

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SUM = "a, b = map(int, input().split())\nprint(a + b)\n"
CASES = {"inputs": ["1 2\n", "40 2\n", "-5 5\n"], "outputs": ["3\n", "42\n", "0\n"]}
CPP_SUM = "#include <iostream>\nint main(){long a,b; std::cin>>a>>b; std::cout<<a+b<<std::endl;}\n"


def run_code_url(referee: Referee) -> str:
    return referee.http + "/run_code"


def test_call_sandbox_api_runs_a_program(referee: Referee) -> None:
    response, error = call_sandbox_api(run_code_url(referee), SUM, "20 22\n", 10, 10, 1024, "python")
    assert error is None, error
    assert response is not None and response["status"] == "Success", response
    assert response["run_result"]["stdout"] == "42\n" and response["run_result"]["return_code"] == 0


@pytest.mark.parametrize(
    ("language", "code", "want"),
    [
        ("python", SUM, True),
        ("python", "a, b = map(int, input().split())\nprint(a - b)\n", False),
        ("python", "raise SystemExit('no')", -2),
        ("python", "import os\nprint(3)\nos.kill(os.getpid(), 9)", -2),  # right first line, then killed
        ("python", "x = bytearray(1 << 31)\nprint(3)", -2),  # past memory_limit_mb
        ("python", "while True: pass", -3),
        ("cpp", CPP_SUM, True),
        ("cpp", "int main( {", -4),
        (
            "go",
            'package main\nimport "fmt"\nfunc main(){var a, b int; fmt.Scan(&a, &b); fmt.Println(a+b)}\n',
            True,
        ),
    ],
)
def test_check_correctness_verdicts(referee: Referee, language: str, code: str, want: object) -> None:
    results, metadata = check_correctness(
        run_code_url(referee), CASES, code, timeout=2, memory_limit_mb=256, language=language
    )
    if want in (True, False):
        # The killed one prints "3" for case 0: it must still not pass.
        assert results == [want] * 3, metadata
    else:
        assert results == [want] * 3, [m.get("status") for m in metadata]


def test_check_correctness_call_based_fn_name(referee: Referee) -> None:
    """TACO/LeetCode call-based rows: verl wraps the code and feeds JSON arguments on stdin."""
    cases = {
        "fn_name": "twoSum",
        "inputs": ["[2, 7, 11, 15]\n9", "[3, 3]\n6"],
        "outputs": ["[0, 1]", "[0, 1]"],
    }
    code = (
        "class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n"
        "        for i, x in enumerate(nums):\n            if target - x in seen:\n"
        "                return [seen[target - x], i]\n            seen[x] = i\n"
    )
    results, metadata = check_correctness(run_code_url(referee), cases, code, timeout=5)
    assert results == [True, True], metadata


def test_many_cases_wait_for_a_slot_rather_than_fail(referee: Referee) -> None:
    """check_correctness sends every case at once from 32 threads; the server admits two code
    requests at a time. A refused request would be verl's -1, a correct program scored 0."""
    n = 48
    cases = {"inputs": [f"{i} {i}\n" for i in range(n)], "outputs": [f"{2 * i}\n" for i in range(n)]}
    results, metadata = check_correctness(run_code_url(referee), cases, SUM, timeout=5)
    assert results == [True] * n, [m.get("status") for m in metadata if m.get("status") != "success"]


def apps_completion(code: str) -> str:
    return f"<think>Read two integers and add them.</think>\nHere is my solution:\n```python\n{code}```\n"


def test_default_compute_score_apps_row(referee: Referee) -> None:
    gt = json.dumps(CASES)  # verl's code datasets keep the tests as a JSON string
    url = run_code_url(referee)
    right = default_compute_score(
        "apps", apps_completion(SUM), gt, sandbox_fusion_url=url, memory_limit_mb=1024
    )
    half = "a, b = map(int, input().split())\nprint(a + b if a > 0 else 7)\n"  # fails the -5 5 case
    partial = default_compute_score("apps", apps_completion(half), gt, sandbox_fusion_url=url)
    nothing = default_compute_score("apps", "no code block here", gt, sandbox_fusion_url=url)
    assert (right, partial, nothing) == (1.0, pytest.approx(2 / 3), 0.0)


def data_proto(
    prompt: str, response: str, data_source: str, ground_truth: Any, extra: dict[str, Any]
) -> DataProto:
    """One sample the way verl's rollout hands it to the reward loop."""
    tok = CharTokenizer()
    p, r = tok.encode(prompt, add_special_tokens=False), tok.encode(response, add_special_tokens=False)
    return DataProto.from_dict(
        tensors={
            "prompts": torch.tensor([p]),
            "responses": torch.tensor([r]),
            "attention_mask": torch.ones(1, len(p) + len(r), dtype=torch.long),
        },
        non_tensors={
            "data_source": np.array([data_source], dtype=object),
            "reward_model": np.array([{"ground_truth": ground_truth, "style": "rule"}], dtype=object),
            "extra_info": np.array([extra], dtype=object),
        },
    )


def reward_config(**reward: Any) -> Any:
    return OmegaConf.create({"reward": {"reward_manager": {"source": "register", "name": "naive"}, **reward}})


def rewards(cfg: Any, *samples: DataProto) -> list[dict[str, Any]]:
    """Each sample's result from the reward manager that verl's reward loop builds from `cfg`
    (built on the running loop, as verl's reward-loop worker does)."""

    async def run() -> list[dict[str, Any]]:
        manager = load_reward_manager(cfg, CharTokenizer())
        return [await manager.run_single(data) for data in samples]

    return asyncio.run(run())


def test_reward_manager_with_sandbox_fusion_url(referee: Referee) -> None:
    cfg = reward_config(
        sandbox_fusion={"url": run_code_url(referee), "max_concurrent": 8, "memory_limit_mb": 1024}
    )
    gt = json.dumps(CASES)
    right = data_proto("Add:", apps_completion(SUM), "apps", gt, {})
    wrong = data_proto("Add:", apps_completion("print(-1)\n"), "apps", gt, {})
    assert [r["reward_score"] for r in rewards(cfg, right, wrong)] == [1.0, 0.0]


def test_our_compute_score_as_verl_custom_reward_function(referee: Referee) -> None:
    cfg = reward_config(
        custom_reward_function={
            "path": str(Path(trainer.verl.__file__)),
            "name": "compute_score",
            "reward_kwargs": {
                "target": referee.grpc,
                "token_file": str(referee.token_file),
                "rewards": ["accuracy", "format"],
            },
        }
    )
    text = "<think>47 and 85: units 12, carry 1, tens 13.</think><answer>132</answer>"
    right = data_proto("47+85=", text, "addition", "132", {"index": 0, "question": "47+85="})
    wrong = data_proto("47+85=", text.replace("132", "122"), "addition", "132", {})
    out, bad = rewards(cfg, right, wrong)
    assert out["reward_score"] == 2.0 and out["reward_extra_info"]["accuracy"] == 1.0, out
    assert bad["reward_score"] == 1.0 and bad["reward_extra_info"]["accuracy"] == 0.0, bad


def test_referee_installs_beside_verl() -> None:
    """`trainer/verl.py` runs inside verl's process: referee's dependencies must not break
    verl's (omegaconf's ANTLR grammar) nor theirs break math-verify's, in one environment."""
    import math_verify

    cfg = OmegaConf.create({"data": {"max": 2}, "limit": "${data.max}"})  # interpolation: the grammar
    assert cfg.limit == 2
    assert math_verify.verify(math_verify.parse("$\\frac{1}{2}$"), math_verify.parse("$0.5$"))
    assert math_verify.parse("$x^2+1$")  # the LaTeX grammar loads with this runtime
