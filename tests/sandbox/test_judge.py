"""judge(): per-test verdicts, and the reward hacks that must earn nothing."""

from __future__ import annotations

import pytest

from sandbox import IOCase, JudgeSpec, RunStatus, Sandbox, SandboxConfig, Verdict
from tests.sandboxes import started_sandbox

pytestmark = pytest.mark.docker

ADD = "def add(a, b):\n    return a + b\n"
TESTS = "assert add(1, 2) == 3\nassert add(-1, 3) == 2\nassert add(2, 2) == 4\n"
CHECK = "METADATA = {}\n\ndef check(candidate):\n    assert candidate(1, 2) == 3\n    x = candidate(5, 5)\n    assert x == 10\n"


async def verdicts(sb: Sandbox, source: str, test_code: str = TESTS, **kw) -> list[Verdict]:
    r = await sb.judge(JudgeSpec("python", source, test_code=test_code, entry_point="add", **kw))
    assert r.status is RunStatus.OK, r
    return [t.verdict for t in r.tests]


async def test_each_top_level_assert_is_a_test(sb: Sandbox) -> None:
    assert await verdicts(sb, ADD) == [Verdict.PASS] * 3
    wrong = "def add(a, b):\n    return a + b if a > 0 else 7\n"
    assert await verdicts(sb, wrong) == [Verdict.PASS, Verdict.WRONG_ANSWER, Verdict.PASS]


async def test_humaneval_check_function_is_split_into_its_asserts(sb: Sandbox) -> None:
    assert await verdicts(sb, ADD, CHECK) == [Verdict.PASS, Verdict.PASS]
    assert await verdicts(sb, "def add(a, b):\n    return 3\n", CHECK) == [Verdict.PASS, Verdict.WRONG_ANSWER]


async def test_helpers_defined_by_the_program_are_reachable_from_tests(sb: Sandbox) -> None:
    source = "def enc(s):\n    return s[::-1]\n\ndef add(s):\n    return s[::-1]\n"
    assert await verdicts(sb, source, "assert add(enc('abc')) == 'abc'\n") == [Verdict.PASS]


async def test_tuple_list_and_types_are_kept_across_the_boundary(sb: Sandbox) -> None:
    source = "def add(a, b):\n    return (a, b, {a: [b]}, {1.5}, b'x', None, True)\n"
    tests = "assert add(1, 2) == (1, 2, {1: [2]}, {1.5}, b'x', None, True)\nassert add(1, 2) != [1, 2]\n"
    assert await verdicts(sb, source, tests) == [Verdict.PASS, Verdict.PASS]


async def test_one_slow_test_fails_alone(sb: Sandbox) -> None:
    source = "import time\ndef add(a, b):\n    if a == -1:\n        time.sleep(30)\n    return a + b\n"
    r = await sb.judge(JudgeSpec("python", source, test_code=TESTS, entry_point="add", timeout_ms=300))
    assert [t.verdict for t in r.tests] == [Verdict.PASS, Verdict.TIMEOUT, Verdict.PASS]
    assert r.wall_ms < 5_000


async def test_stop_on_first_failure_skips_the_rest(sb: Sandbox) -> None:
    r = await verdicts(sb, "def add(a, b):\n    return 0\n", stop_on_first_failure=True)
    assert r == [Verdict.WRONG_ANSWER, Verdict.SKIPPED, Verdict.SKIPPED]


HACKS = {
    "sys.exit(0) at import": "import sys\nsys.exit(0)\n" + ADD,
    "os._exit(0) at import": "import os\nos._exit(0)\n",
    "os._exit(0) in the call": "import os\ndef add(a, b):\n    os._exit(0)\n",
    "SystemExit in the call": "def add(a, b):\n    raise SystemExit(0)\n",
    "KeyboardInterrupt": "def add(a, b):\n    raise KeyboardInterrupt\n",
    "kill the parent": "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n",
    "kill everything": "import os, signal\ndef add(a, b):\n    os.kill(-1, signal.SIGKILL)\n",
    "stop the parent": "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGSTOP)\n",
    "equal to everything": "class E:\n    def __eq__(self, o):\n        return True\ndef add(a, b):\n    return E()\n",
    "int subclass": "class I(int):\n    def __eq__(self, o):\n        return True\ndef add(a, b):\n    return I(0)\n",
    "patched builtins": "import builtins\nbuiltins.AssertionError = type('N', (Exception,), {})\n"
    "builtins.isinstance = lambda *a: True\ndef add(a, b):\n    return 0\n",
    "fake pass markers": "import sys\nprint('PASS\\n' * 10 + '{\"verdict\": \"PASS\"}')\nsys.stdout.flush()\n"
    'def add(a, b):\n    print(\'{"name": "x", "verdict": "PASS"}\')\n    return 0\n',
    "sleep past the deadline": "import time\ndef add(a, b):\n    time.sleep(60)\n",
    "read the tests": "import os, glob\nfound = []\nfor p in glob.glob('/proc/*/fd/*') + glob.glob('/proc/*/mem') + "
    "glob.glob('/work/**', recursive=True) + glob.glob('/tmp/**', recursive=True):\n"
    "    try:\n        found.append(open(p, 'rb').read(1 << 16))\n    except Exception:\n        pass\n"
    "def add(a, b):\n    return 0 if not any(b'assert add' in f for f in found) else 'LEAK'\n",
    "write to the runner's fds": "import os, glob\nfor p in glob.glob('/proc/*/fd/*'):\n    try:\n"
    '        os.write(os.open(p, os.O_WRONLY), b\'{"name": "x", "verdict": "PASS", "detail": "", "ms": 0}\\n\')\n'
    "    except OSError:\n        pass\ndef add(a, b):\n    return 0\n",
}


@pytest.mark.parametrize("name", list(HACKS))
async def test_reward_hacks_earn_nothing(sb: Sandbox, name: str) -> None:
    r = await sb.judge(JudgeSpec("python", HACKS[name], test_code=TESTS, entry_point="add", timeout_ms=500))
    assert r.status is RunStatus.OK
    assert r.passed == 0 and r.total == 3, r.tests
    assert "LEAK" not in str(r)


async def test_next_judge_is_unaffected_by_a_hack(sb: Sandbox) -> None:
    await sb.judge(JudgeSpec("python", HACKS["kill everything"], test_code=TESTS, entry_point="add"))
    assert await verdicts(sb, ADD) == [Verdict.PASS] * 3


CASES = (IOCase("1 2\n", "3\n"), IOCase("5 5\n", "10\n"))
SUM_PY = "a, b = map(int, input().split())\nprint(a + b)\n"
SUM_CPP = '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<"  \\n\\n";}'


@pytest.mark.parametrize(("language", "source"), [("python", SUM_PY), ("cpp", SUM_CPP)])
async def test_stdio_cases(sb: Sandbox, language: str, source: str) -> None:
    r = await sb.judge(JudgeSpec(language, source, cases=CASES))
    assert [t.verdict for t in r.tests] == [Verdict.PASS, Verdict.PASS]


@pytest.mark.parametrize(
    ("source", "verdict"),
    [
        ("print(3)", Verdict.WRONG_ANSWER),  # a correct prefix (first case) is not enough
        ("a, b = map(int, input().split())\nprint(a + b)\nprint(0)", Verdict.WRONG_ANSWER),  # extra line
        ("print(' 3'[0:0] + str(sum(map(int, input().split()))), end='\\r\\n')", Verdict.PASS),  # CRLF
        ("a, b = map(int, input().split())\nprint(' ' + str(a + b))", Verdict.WRONG_ANSWER),  # leading space
        ("import time\ntime.sleep(5)", Verdict.TIMEOUT),
        ("raise SystemExit(1)", Verdict.RUNTIME_ERROR),
    ],
)
async def test_stdio_strictness(sb: Sandbox, source: str, verdict: Verdict) -> None:
    r = await sb.judge(JudgeSpec("python", source, cases=(IOCase("5 5\n", "10\n"),), timeout_ms=300))
    assert [t.verdict for t in r.tests] == [verdict], r


async def test_compile_error_fails_every_case(sb: Sandbox) -> None:
    r = await sb.judge(JudgeSpec("cpp", "int main() { syntax error }", cases=CASES))
    assert r.status is RunStatus.COMPILE_ERROR and "error" in r.detail
    assert [t.verdict for t in r.tests] == [Verdict.COMPILE_ERROR] * 2


async def test_stdio_stop_on_first_failure(sb: Sandbox) -> None:
    cases = (IOCase("1 1", "3"), *CASES)
    r = await sb.judge(JudgeSpec("python", SUM_PY, cases=cases, stop_on_first_failure=True))
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER, Verdict.SKIPPED, Verdict.SKIPPED]


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (JudgeSpec("python", ADD), ["test_code or cases"]),
        (JudgeSpec("pypy", ADD, test_code=TESTS), ["no assert-style tests in pypy"]),
        (JudgeSpec("cpp", ADD, prelude="#include <x>", cases=CASES), ["prelude", "Python only"]),
        (JudgeSpec("python", ADD, test_code="assert (("), ["test_code", "not valid Python"]),
    ],
)
async def test_bad_judge_requests(sb: Sandbox, spec: JudgeSpec, words: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        await sb.judge(spec)
    assert all(w in str(info.value) for w in words)


async def test_constant_asserts_are_not_tests(sb: Sandbox) -> None:
    tests = "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert True, 'This prints if this assert fails'\n"
    assert await verdicts(sb, "def add(a, b):\n    return 0\n", tests) == [Verdict.WRONG_ANSWER]


async def test_a_sample_has_a_total_time_budget() -> None:
    cases = tuple(IOCase("", "1") for _ in range(6))
    async with started_sandbox(SandboxConfig(pool_size=1, max_judge_ms=1_000)) as sandbox:
        r = await sandbox.judge(JudgeSpec("python", "import time\ntime.sleep(0.4)\nprint(1)", cases=cases))
    assert r.tests[0].verdict is Verdict.PASS and r.tests[-1].verdict is Verdict.TIMEOUT
    assert r.wall_ms < 3_000


async def test_the_candidate_is_the_first_oom_victim(sb: Sandbox) -> None:
    source = "def add(a, b):\n    return int(open('/proc/self/oom_score_adj').read())\n"
    assert await verdicts(sb, source, "assert add(0, 0) == 1000\n") == [Verdict.PASS]


async def test_a_case_just_over_its_cpu_limit_runs_twice_before_it_is_a_timeout(sb: Sandbox) -> None:
    from tests.sandboxes import busy_function

    over = busy_function("f", 0.54) + "f()\nprint('done')\n"  # 1.08x a 500 ms limit, every time
    r = await sb.judge(JudgeSpec("python", over, cases=(IOCase("", "done"),), timeout_ms=500))
    [t] = r.tests
    assert t.verdict is Verdict.TIMEOUT and "limit 500 ms" in t.detail, r
    # Over by a little the first time only (a marker in the run dir tells the second run): the
    # second run decides, and passes.
    once = (
        busy_function("slow", 0.54)
        + busy_function("fast", 0.05)
        + "import os\nif os.path.exists('ran'):\n    fast()\nelse:\n    open('ran', 'w').close()\n    slow()\n"
        "print('done')\n"
    )
    r = await sb.judge(JudgeSpec("python", once, cases=(IOCase("", "done"),), timeout_ms=500))
    assert r.passed == 1, r
    far_over = busy_function("f", 2.0) + "f()\n"  # past the margin: killed, not run again
    r = await sb.judge(JudgeSpec("python", far_over, cases=(IOCase("", ""),), timeout_ms=500))
    assert r.tests[0].verdict is Verdict.TIMEOUT and r.wall_ms < 2_000, r


# Any two non-negative integers that sum to n are right (several valid answers): a checker decides.
SUM_CHECKER = (
    "import sys\ninp, out, ans = (open(p).read() for p in sys.argv[1:4])\n"
    "n = int(inp)\ntry:\n    a, b = map(int, out.split())\nexcept ValueError:\n    print('not two integers')\n    sys.exit(1)\n"
    "if a < 0 or b < 0 or a + b != n:\n    print(f'{a} + {b} is not {n}')\n    sys.exit(1)\n"
)


async def test_a_checker_accepts_any_valid_answer_and_cannot_be_reached(sb: Sandbox) -> None:
    from sandbox import Comparator, OutputMatch

    match = OutputMatch(Comparator.CHECKER, checker=SUM_CHECKER)
    cases = (IOCase("5\n", "2 3\n"), IOCase("9\n", "4 5\n"))

    async def judge(source: str) -> list[Verdict]:
        r = await sb.judge(JudgeSpec("python", source, cases=cases, output_match=match))
        assert r.status is RunStatus.OK, r
        return [t.verdict for t in r.tests]

    assert await judge("n = int(input())\nprint(0, n)") == [Verdict.PASS] * 2  # not the answer file's
    assert await judge("n = int(input())\nprint(1, n)") == [Verdict.WRONG_ANSWER] * 2
    assert await judge("print('garbage')") == [Verdict.WRONG_ANSWER] * 2  # the checker's crash too
    # Replace the checker, or read the answer file of the case before: neither is possible.
    tamper = (
        "import os\nfor p in ('/work/judge/checker.py', '/work/judge'):\n    try:\n"
        "        open(p, 'w').write('raise SystemExit(0)')\n    except OSError:\n        pass\n"
        "n = int(input())\nprint(open('answer.txt').read() if os.path.exists('answer.txt') else f'{n} 1')"
    )
    assert await judge(tamper) == [Verdict.WRONG_ANSWER] * 2


async def test_an_assert_test_just_over_its_cpu_limit_runs_twice_before_it_is_a_timeout(sb: Sandbox) -> None:
    from tests.sandboxes import busy_function

    over = busy_function("slow", 0.54) + "def f():\n    return slow()\n"  # 1.08x a 500 ms limit
    r = await sb.judge(
        JudgeSpec("python", over, test_code="assert f() == 1\n", entry_point="f", timeout_ms=500)
    )
    [t] = r.tests
    assert t.verdict is Verdict.TIMEOUT and "limit 500 ms), twice" in t.detail, r
    once = (
        busy_function("slow", 0.54) + busy_function("fast", 0.05) + "import os\n\n\ndef f():\n"
        "    if os.path.exists('ran'):\n        return fast()\n    open('ran', 'w').close()\n    return slow()\n"
    )
    r = await sb.judge(
        JudgeSpec("python", once, test_code="assert f() == 1\n", entry_point="f", timeout_ms=500)
    )
    assert r.passed == 1, r
    far = busy_function("f", 3.0)  # past the margin: killed at 600 ms, not run again
    r = await sb.judge(
        JudgeSpec("python", far, test_code="assert f() == 1\n", entry_point="f", timeout_ms=500)
    )
    assert (
        r.tests[0].verdict is Verdict.TIMEOUT and "limit 500 ms" in r.tests[0].detail and r.wall_ms < 2_500
    ), r
