"""C++ checkers written against testlib's checker API (`#include "testlib.h"`), under runc and
gVisor: they accept any valid answer, tell wrong answers and format errors apart, give no verdict
when they fail themselves, and the program can neither replace them nor read the answer."""

from __future__ import annotations

import pytest

from sandbox import Comparator, IOCase, JudgeSpec, OutputMatch, RunStatus, Sandbox, Verdict

pytestmark = pytest.mark.docker

# Codeforces-style: any two non-negative integers that sum to n are right.
SUM_CHECKER = r"""
#include "testlib.h"
int main(int argc, char* argv[]) {
    registerTestlibCmd(argc, argv);
    int n = inf.readInt();
    long long a = ouf.readLong(0, n, "a"), b = ouf.readLong(0, n, "b");
    if (!ouf.seekEof()) quitf(_pe, "extra output after two integers");
    if (a + b != n) quitf(_wa, "%lld + %lld != %d", a, b, n);
    long long jury = ans.readLong();
    ensuref(jury >= 0, "the jury's answer is negative");
    quitf(_ok, "%lld + %lld = %d", a, b, n);
}
"""
CASES = (IOCase("5\n", "2 3\n"), IOCase("9\n", "4 5\n"), IOCase("0\n", "0 0\n"))


async def judge(sb: Sandbox, source: str, checker: str = SUM_CHECKER, cases: tuple = CASES):
    match = OutputMatch(Comparator.CHECKER, checker=checker, checker_language="cpp")
    return await sb.judge(JudgeSpec("python", source, cases=cases, output_match=match))


async def test_a_cpp_checker_accepts_any_valid_answer(sb: Sandbox) -> None:
    r = await judge(sb, "n = int(input())\nprint(0, n)")  # not the answer file's pair
    assert r.status is RunStatus.OK and [t.verdict for t in r.tests] == [Verdict.PASS] * 3, r
    r = await judge(sb, "n = int(input())\nprint(1, n)")
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER] * 3, r
    assert "wrong answer" in r.tests[0].detail or "is not in" in r.tests[0].detail, r.tests[0]
    r = await judge(sb, "print('two numbers')")  # a presentation error is no pass either
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER] * 3 and "expected an integer" in r.tests[
        0
    ].detail


async def test_a_checker_that_fails_or_does_not_compile_gives_no_verdict(sb: Sandbox) -> None:
    negative = (IOCase("5\n", "-1\n"),)  # the jury's own answer breaks the checker's ensuref
    r = await judge(sb, "n = int(input())\nprint(0, n)", cases=negative)
    [t] = r.tests
    assert t.verdict is Verdict.SANDBOX_ERROR and "cannot judge" in t.detail and "negative" in t.detail, t
    r = await judge(sb, "print(0, 5)", checker='#include "testlib.h"\nint main( {', cases=negative)
    [t] = r.tests
    assert t.verdict is Verdict.SANDBOX_ERROR and "checker does not compile" in t.detail, t


async def test_the_program_cannot_replace_the_checker_or_read_the_answer(sb: Sandbox) -> None:
    tamper = (
        "import os, shutil\n"
        "for p in ('/work/judge/checker', '/work/judge/private/checker', 'checker'):\n"
        "    try:\n"
        "        with open(p, 'w') as f:\n"
        "            f.write('#!/bin/sh\\nexit 0\\n')\n"
        "        os.chmod(p, 0o755)\n"
        "    except OSError:\n"
        "        pass\n"
        "n = int(input())\n"
        "print(open('answer.txt').read() if os.path.exists('answer.txt') else f'{n} 1')\n"
    )
    r = await judge(sb, tamper)
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER] * 3, r
    exit_early = "import os\nos._exit(0)\n"  # an empty output is no valid answer either
    r = await judge(sb, exit_early)
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER] * 3, r


MEAN_CHECKER = r"""
#include "testlib.h"
using namespace std;
int main(int argc, char* argv[]) {
    setName("a labelled mean within 1e-6");
    registerTestlibCmd(argc, argv);
    string label;
    ouf.readWordTo(label);
    quitif(label != "mean", _pe, "expected the word mean, found %s", compress(label).c_str());
    double jury = ans.readDouble(), got = ouf.readDouble();
    quitif(!doubleCompare(jury, got, 1e-6), _wa, "expected %.9f, found %.9f", jury, got);
    vector<int> xs = inf.readInts(inf.readInt());  // the input, read whole: the header's containers
    quitf(_ok, "%.9f over %d numbers", got, (int)xs.size());
}
"""


async def test_a_float_checker_with_testlib_idioms(sb: Sandbox) -> None:
    cases = (IOCase("2\n1 2\n", "1.5\n"), IOCase("3\n1 1 2\n", "1.333333333\n"))
    mean = "n = int(input())\nxs = list(map(int, input().split()))\nprint('mean', sum(xs) / n)\n"
    r = await judge(sb, mean, checker=MEAN_CHECKER, cases=cases)
    assert [t.verdict for t in r.tests] == [Verdict.PASS] * 2, r
    r = await judge(sb, mean.replace("/ n", "/ (n + 1)"), checker=MEAN_CHECKER, cases=cases)
    assert [t.verdict for t in r.tests] == [Verdict.WRONG_ANSWER] * 2 and "expected 1.5" in r.tests[
        0
    ].detail, r
    r = await judge(sb, mean.replace("'mean'", "'avg'"), checker=MEAN_CHECKER, cases=cases)
    assert "expected the word mean" in r.tests[0].detail, r
