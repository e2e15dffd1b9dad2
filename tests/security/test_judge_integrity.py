"""Judge integrity: a program must not earn credit it did not earn, must not turn its own failure
into "cannot score", and must not change the verdicts of later samples in a reused container.
Each class of the red-team pass is a case here, under runc and gVisor (`sb` in conftest.py)."""

from __future__ import annotations

import asyncio
import time

import pytest

from rewards import CodeReference, Context, Sample, Status, get_reward
from rewards.code import extract_code
from sandbox import IOCase, JudgeResult, JudgeSpec, RunStatus, Sandbox, Verdict
from tests.sandboxes import busy_function

pytestmark = pytest.mark.docker


async def code_reward(sb: Sandbox, completion: str, ref: CodeReference):
    reward = get_reward("code")
    [r] = await reward([Sample("s", "", completion, code=ref)], reward.parse_params({}), Context(sandbox=sb))
    return r


async def judge(sb: Sandbox, source: str, test_code: str, entry_point: str = "", **kw) -> JudgeResult:
    r = await sb.judge(JudgeSpec("python", source, test_code=test_code, entry_point=entry_point, **kw))
    assert r.status is RunStatus.OK, r
    return r


# --- 1. program functions never shadow builtins or the tests' own names ---------------------

SHADOWS = {
    "abs": (
        "def abs(x):\n    return 0\ndef f(x):\n    return 7\n",
        "def check(candidate):\n    assert abs(candidate(2) - 0.5) < 1e-6\n",
    ),
    "range": (
        "def range(*a):\n    return []\ndef f(x):\n    return 7\n",
        "def check(candidate):\n    for i in range(100):\n        assert candidate(i) == i * 2\n",
    ),
    "set (MBPP)": (
        "def set(x):\n    return 1\ndef f(x):\n    return [9]\n",
        "assert set(f([1, 2])) == set([2, 1])\n",
    ),
    "sorted, all, len, round": (
        "def sorted(x):\n    return 1\ndef all(x):\n    return True\ndef len(x):\n    return 3\n"
        "def round(x, n=0):\n    return 1\ndef f(x):\n    return [9, 9]\n",
        "assert sorted(f(1)) == sorted([1, 2])\nassert all(x > 100 for x in f(1))\nassert len(f(1)) == 3\n"
        "assert round(f(1)[0]) == 1\n",
    ),
    # LeetCode style: a program-defined zip would be handed (inputs, outputs) and could leak them.
    "zip hands over the outputs": (
        "import builtins\nLEAK = []\n"
        "def zip(a, b):\n    LEAK.extend(b)\n    return list(builtins.zip(a, b))\n"
        "def f(x):\n    return LEAK.pop(0) if LEAK else None\n",
        "inputs = [[1], [2], [3]]\noutputs = [2, 4, 6]\nfor inp, out in zip(inputs, outputs):\n    assert f(*inp) == out\n",
    ),
}


@pytest.mark.parametrize("name", list(SHADOWS))
async def test_program_names_never_shadow_builtins_in_the_tests(sb: Sandbox, name: str) -> None:
    source, tests = SHADOWS[name]
    r = await judge(sb, source, tests, entry_point="f")
    assert r.passed == 0, r


# HumanEval/38 as the dataset ships it: the prompt defines encode_cyclic, the tests call it.
HUMANEVAL_38_PROMPT = '''

def encode_cyclic(s: str):
    """
    returns encoded string by cycling groups of three characters.
    """
    # split string to groups. Each of length 3.
    groups = [s[(3 * i):min((3 * i + 3), len(s))] for i in range((len(s) + 2) // 3)]
    # cycle elements in each group. Unless group has fewer elements than 3.
    groups = [(group[1:] + group[0]) if len(group) == 3 else group for group in groups]
    return "".join(groups)


def decode_cyclic(s: str):
    """
    takes as input string encoded with encode_cyclic function. Returns decoded string.
    """
'''
HUMANEVAL_38_TEST = """

METADATA = {}


def check(candidate):
    from random import randint, choice
    import string

    letters = string.ascii_lowercase
    for _ in range(100):
        str = ''.join(choice(letters) for i in range(randint(10, 20)))
        encoded_str = encode_cyclic(str)
        assert candidate(encoded_str) == str

"""


async def test_prompt_helpers_come_from_the_prelude_not_the_program(sb: Sandbox) -> None:
    kw = {"entry_point": "decode_cyclic", "prelude": HUMANEVAL_38_PROMPT}
    hack = "def encode_cyclic(s):\n    return s\n\ndef decode_cyclic(s):\n    return s\n"
    assert (await judge(sb, hack, HUMANEVAL_38_TEST, **kw)).passed == 0
    # The canonical solution, as a completion that uses the prompt's helper without repeating it.
    good = "def decode_cyclic(s: str):\n    return encode_cyclic(encode_cyclic(s))\n"
    r = await judge(sb, good, HUMANEVAL_38_TEST + "\ncheck(decode_cyclic)\n", **kw)
    assert (r.passed, r.total) == (1, 1), r


# --- 2. a test is something that executes checks ---------------------------------------------

# EvalPlus (HumanEval+) layout, as its dataset ships it: the asserts live in a helper that
# check() loops over, and float results are checked by numpy's assert_allclose.
EVALPLUS_HELPERS = """
import numpy as np

def is_floats(x) -> bool:
    # check if it is float; List[float]; Tuple[float]
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)):
        return all(isinstance(i, float) for i in x)
    if isinstance(x, np.ndarray):
        return x.dtype == np.float64 or x.dtype == np.float32
    return False


def assertion(out, exp, atol):
    exact_match = out == exp

    if atol == 0 and is_floats(exp):
        atol = 1e-6
    if not exact_match and atol != 0:
        np.testing.assert_allclose(out, exp, atol=atol)
    else:
        assert exact_match
"""
EVALPLUS = (
    EVALPLUS_HELPERS
    + """


def check(candidate):
    inputs = [[1], [2], [-1], [64], [180], [1000], [0], [1729], [1728], [-8]]
    results = [True, False, True, True, False, True, True, False, True, True]
    for i, (inp, exp) in enumerate(zip(inputs, results)):
        assertion(candidate(*inp), exp, 0)
"""
)
ISCUBE = "def iscube(a):\n    a = abs(a)\n    return int(round(a ** (1. / 3))) ** 3 == a\n"
NOT_ISCUBE = ISCUBE.replace("== a", "!= a")  # wrong on every input

INDIRECT = {
    "EvalPlus assertion helper": (EVALPLUS, "iscube"),
    "under __main__": ("if __name__ == '__main__':\n    assert iscube(8)\n    assert not iscube(2)\n", ""),
    "pytest functions": (
        "def test_cube():\n    assert iscube(27)\n\ndef test_not():\n    assert not iscube(5)\n",
        "",
    ),
    "unittest": (
        "import unittest\nclass T(unittest.TestCase):\n    def test_a(self):\n        self.assertTrue(iscube(8))\n"
        "    def test_b(self):\n        self.assertFalse(iscube(9))\n",
        "",
    ),
    "assert in a nested helper": (
        "def check(candidate):\n    def same(x, y):\n        assert candidate(x) == y\n    same(8, True)\n    same(3, False)\n",
        "iscube",
    ),
}


@pytest.mark.parametrize("name", list(INDIRECT))
async def test_indirect_asserts_are_tests(sb: Sandbox, name: str) -> None:
    tests, entry = INDIRECT[name]
    good = await judge(sb, ISCUBE, tests, entry_point=entry)
    assert good.total >= 1 and good.passed == good.total, good
    wrong = await judge(sb, NOT_ISCUBE, tests, entry_point=entry)
    assert wrong.passed == 0, wrong


async def test_evalplus_float_results_go_through_numpy(sb: Sandbox) -> None:
    # HumanEval/2 (truncate_number) in EvalPlus's shape: results close but not equal to the
    # expected floats are judged by np.testing.assert_allclose, a check like an assert.
    tests = EVALPLUS_HELPERS + (
        "\n\ndef check(candidate):\n    inputs = [[3.5], [1.33], [123.456]]\n"
        "    results = [0.5, 0.33000000000000007, 0.45600000000000307]\n"
        "    for i, (inp, exp) in enumerate(zip(inputs, results)):\n        assertion(candidate(*inp), exp, 0)\n"
    )
    good = await judge(
        sb, "def truncate_number(x):\n    return x - int(x)\n", tests, entry_point="truncate_number"
    )
    assert (good.passed, good.total) == (1, 1), good
    near = "def truncate_number(x):\n    return round(x - int(x), 12)\n"  # within atol: passes via numpy
    assert (await judge(sb, near, tests, entry_point="truncate_number")).passed == 1
    off = "def truncate_number(x):\n    return x - int(x) + 1e-3\n"
    assert (await judge(sb, off, tests, entry_point="truncate_number")).passed == 0


async def test_failures_after_the_last_direct_assert_count(sb: Sandbox) -> None:
    tests = "def same(x, y):\n    assert iscube(x) == y\n\nassert iscube(8)\nsame(9, True)\nsame(10, True)\n"
    r = await judge(sb, ISCUBE, tests)
    assert (r.passed, r.total) == (1, 3), r


@pytest.mark.parametrize(
    "tests",
    [
        "def helper():\n    return iscube(8)\n",  # defines, never checks
        "x = iscube(8)\nprint(x)\n",
        "assert True, 'This prints if this assert fails'\n",
        "class Helper:\n    def check(self):\n        return 1\n",
    ],
)
async def test_test_code_without_checks_is_invalid_input_never_credit(sb: Sandbox, tests: str) -> None:
    with pytest.raises(ValueError, match="no test found"):
        await sb.judge(JudgeSpec("python", ISCUBE, test_code=tests))
    ref = CodeReference(language="python", test_code=tests)
    r = await code_reward(sb, f"```python\n{ISCUBE}```", ref)
    assert (r.value, r.status) == (0.0, Status.INVALID_INPUT), r


async def test_a_test_that_runs_no_check_is_not_a_pass(sb: Sandbox) -> None:
    # The loop's asserts only run if the program returns something to iterate over.
    r = await judge(sb, "def f():\n    return []\n", "for x in f():\n    assert x > 0\n", entry_point="f")
    assert r.tests[0].verdict is Verdict.WRONG_ANSWER and "no check" in r.tests[0].detail, r


# --- 3-5. the program's doing is a verdict on the program, never SANDBOX_ERROR --------------

BREAKERS = {
    "run dir replaced by a dangling link": "import os, shutil\nos.chdir('/')\nshutil.rmtree('/work/run', ignore_errors=True)\n"
    "try:\n    os.symlink('/nowhere', '/work/run')\nexcept OSError:\n    pass\n",
    "1,200-deep directory tree": "import os\nfor _ in range(1200):\n    os.mkdir('d')\n    os.chdir('d')\n",
    "files until the inode cap": "import os\ni = 0\ntry:\n    while True:\n        open(f'f{i}', 'w').close()\n"
    "        i += 1\nexcept OSError:\n    pass\n",
    "chmod of /work and its run dir": "import os\nfor p in ('/work/run', '/work'):\n    try:\n        os.chmod(p, 0)\n"
    "    except OSError:\n        pass\n",
    "SysV shared memory left behind": "import ctypes\nlibc = ctypes.CDLL(None)\nid = libc.shmget(0, 4 << 20, 0o1600)\n"
    "addr = libc.shmat(id, None, 0)\n",
}


@pytest.mark.parametrize("name", list(BREAKERS))
async def test_a_program_cannot_break_cleanup_or_poison_the_next_sample(sb: Sandbox, name: str) -> None:
    source = BREAKERS[name] + "\ndef f(x):\n    return x + 1\n"
    tests = "assert f(1) == 2\nassert f(2) == 3\n"
    r = await judge(sb, source, tests, entry_point="f", timeout_ms=10_000)  # a verdict, not SANDBOX_ERROR
    if not (name == "files until the inode cap" and sb.config.runtime == "runsc"):
        assert (r.passed, r.total) == (2, 2), r  # gVisor has no nr_inodes: there we stop the program
    stdio = await sb.judge(JudgeSpec("python", BREAKERS[name], cases=(IOCase("", ""),), timeout_ms=10_000))
    assert stdio.status is RunStatus.OK, stdio
    for _ in range(sb.config.pool_size + 1):  # whichever container comes next is as new
        nxt = await sb.judge(
            JudgeSpec("python", "print(int(input()) * 2)", cases=(IOCase("21", "42"),) * 2, memory_mb=128)
        )
        assert (nxt.status, nxt.passed) == (RunStatus.OK, 2), nxt


async def test_a_large_shared_memory_segment_does_not_reach_the_next_sample(sb: Sandbox) -> None:
    # 230 MiB of SysV shared memory, touched, never removed: it outlives its run. Under runc the
    # IPC namespace's shmmax refuses it; under gVisor the memory watch stops the run, and the
    # container is replaced either way.
    plant = (
        "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.shmat.restype = ctypes.c_void_p\n"
        "id = libc.shmget(0, 230 << 20, 0o1600)\n"
        "if id >= 0:\n    addr = libc.shmat(id, None, 0)\n    ctypes.memset(addr, 1, 230 << 20)\nprint(id)\n"
    )
    r = await sb.judge(JudgeSpec("python", plant, cases=(IOCase("", "-1"),), memory_mb=256))
    assert r.status is RunStatus.OK, r
    for _ in range(sb.config.pool_size + 1):
        nxt = await sb.judge(
            JudgeSpec(
                "python",
                "x = bytearray(150 << 20)\nprint(len(x) >> 20)",
                cases=(IOCase("", "150"),),
                memory_mb=256,
            )
        )
        assert (nxt.status, nxt.passed) == (RunStatus.OK, 1), nxt


async def test_verdicts_have_their_own_bounded_channel(sb: Sandbox) -> None:
    # 460 tests, each raising an exception whose message is 300 emoji (12 JSON bytes each).
    source = "def f(i):\n    raise ValueError('\\U0001f600' * 300)\n"
    tests = "".join(f"assert f({i}) == {i}\n" for i in range(460))
    r = await judge(sb, source, tests, entry_point="f")
    assert (r.total, r.passed) == (460, 0), r.detail
    assert all(t.verdict is Verdict.RUNTIME_ERROR for t in r.tests)


async def test_an_oversized_program_is_the_programs_fault(sb: Sandbox) -> None:
    ref = CodeReference(language="python", test_code="assert f(1) == 1\n", entry_point="f")
    big = "```python\n" + "x = 1\n" * 50_000 + "def f(x):\n    return x\n```"
    r = await code_reward(sb, big, ref)
    assert (r.value, r.status) == (0.0, Status.OK) and "over the" in r.detail, r


# --- 7. nothing passes between samples through IPC, xattrs or times -------------------------

PLANT = (
    "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
    "libc.msgget(1234, 0o1666)\n"  # a SysV message queue with a well-known key
    "for d in ('/work', '/work/run', '/tmp'):\n"
    "    try:\n        os.setxattr(d, 'user.secret', b'S3CRET')\n    except OSError:\n        pass\n"
    "    try:\n        os.utime(d, (123456789, 123456789))\n    except OSError:\n        pass\n"
    "try:\n    open('/dev/mqueue/secret', 'w').write('S3CRET')\nexcept OSError:\n    pass\n"
)
PROBE = (
    "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nseen = []\n"
    "if libc.msgget(1234, 0) >= 0:\n    seen.append('msg queue')\n"
    "for d in ('/work', '/work/run', '/tmp'):\n"
    "    try:\n        seen.append(os.getxattr(d, 'user.secret'))\n    except OSError:\n        pass\n"
    "    if int(os.stat(d).st_atime) == 123456789 or int(os.stat(d).st_mtime) == 123456789:\n"
    "        seen.append(d + ' times')\n"
    "if os.path.exists('/dev/mqueue') and os.listdir('/dev/mqueue'):\n    seen.append('mqueue')\n"
    "print(seen)\n"
)


async def test_a_reused_container_carries_nothing_between_samples(sb: Sandbox) -> None:
    assert (await sb.judge(JudgeSpec("python", PLANT, cases=(IOCase("", ""),)))).status is RunStatus.OK
    for _ in range(sb.config.pool_size + 1):
        r = await sb.judge(JudgeSpec("python", PROBE, cases=(IOCase("", "[]"),)))
        assert (r.status, r.passed) == (RunStatus.OK, 1), r


# --- 8. CPU time decides, not the wall clock --------------------------------------------------


async def test_a_correct_test_passes_next_to_spinning_samples(sb: Sandbox) -> None:
    # ~450 ms of CPU alone, limit 600 ms, while the pool's other containers spin on both cores.
    source = busy_function("f", 0.45)
    spin = JudgeSpec("python", "while True:\n    pass\n", cases=(IOCase("", ""),), timeout_ms=4_000)
    spinners = [asyncio.create_task(sb.judge(spin)) for _ in range(sb.config.pool_size - 1)]
    await asyncio.sleep(0.5)  # they are running
    r = await judge(sb, source, "assert f() > 0\n", entry_point="f", timeout_ms=600)
    spun = await asyncio.gather(*spinners)
    assert r.passed == 1, r
    assert all(x.tests[0].verdict is Verdict.TIMEOUT for x in spun), spun


async def test_a_sleeping_program_is_a_timeout_not_an_error(sb: Sandbox) -> None:
    r = await judge(
        sb,
        "import time\ndef f():\n    time.sleep(30)\n",
        "assert f() is None\n",
        entry_point="f",
        timeout_ms=300,
    )
    assert r.tests[0].verdict is Verdict.TIMEOUT and r.tests[0].detail.startswith("idle"), r


# --- 9. extraction is linear and off the event loop -------------------------------------------


def test_fence_extraction_is_linear() -> None:
    for text in ("```x\n" * 200_000, "```\n" * 250_000, "word " * 200_000):
        t0 = time.process_time()
        extract_code(text, "python")
        assert time.process_time() - t0 < 2.0  # the quadratic regex took 57 s on 98 KiB


# --- 10. setup calls get their own deadline ---------------------------------------------------


async def test_setup_calls_get_their_own_deadline(sb: Sandbox) -> None:
    source = "import time\ndef f(x):\n    time.sleep(0.05)\n    return x\n"
    tests = "first = f(1)\nassert first == 1\nslow = f(2)\nassert f(3) == 3\n"
    r = await judge(sb, source, tests, entry_point="f", timeout_ms=1_000)
    assert (r.passed, r.total) == (2, 2), r


async def test_humaneval_trailing_check_line_is_the_harness_not_a_failure(sb: Sandbox) -> None:
    tests = "METADATA = {}\n\ndef check(candidate):\n    assert candidate(8)\n    assert not candidate(9)\n\ncheck(iscube)\n"
    r = await judge(sb, ISCUBE, tests, entry_point="iscube")
    assert (r.passed, r.total) == (2, 2), r
