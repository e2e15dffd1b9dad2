"""Interactive problems: an interactor (another uid) talks to the program; its exit code is the
verdict. Under runc and gVisor: the program cannot read the interactor's input, signal it, or
fake its verdict, and a silent program is a timeout, never a pass."""

from __future__ import annotations

import pytest

from sandbox import IOCase, JudgeSpec, RunStatus, Sandbox, Verdict

pytestmark = pytest.mark.docker

# Guess the number in [1, 1000] in at most 10 questions (binary search needs 10).
INTERACTOR = """import sys
secret = int(open(sys.argv[1]).read())
for turn in range(10):
    line = sys.stdin.readline()
    if not line:
        print("no answer", file=sys.stderr)
        sys.exit(1)
    guess = int(line)
    if guess == secret:
        print("correct", flush=True)
        sys.exit(0)
    print("higher" if guess < secret else "lower", flush=True)
print("too many guesses", file=sys.stderr)
sys.exit(1)
"""
BINARY = """lo, hi = 1, 1000
while True:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    reply = input()
    if reply == "correct":
        break
    lo, hi = (mid + 1, hi) if reply == "higher" else (lo, mid - 1)
"""
CASES = (IOCase("777\n", ""), IOCase("1\n", ""), IOCase("1000\n", ""))


async def verdicts(sb: Sandbox, source: str, timeout_ms: int = 1_000) -> list[Verdict]:
    r = await sb.judge(JudgeSpec("python", source, cases=CASES, interactor=INTERACTOR, timeout_ms=timeout_ms))
    assert r.status is RunStatus.OK, r
    return [t.verdict for t in r.tests]


async def test_the_interactor_decides(sb: Sandbox) -> None:
    assert await verdicts(sb, BINARY) == [Verdict.PASS] * 3
    linear = (
        "for g in range(1, 1001):\n    print(g, flush=True)\n    if input() == 'correct':\n        break\n"
    )
    assert await verdicts(sb, linear) == [Verdict.WRONG_ANSWER, Verdict.PASS, Verdict.WRONG_ANSWER]


HACKS = {
    "read its input": "import glob\nfor p in glob.glob('/work/judge/**', recursive=True):\n    try:\n"
    "        print(int(open(p).read()), flush=True)\n        input()\n    except Exception:\n        pass\n",
    "kill it": "import os, signal\nfor pid in os.listdir('/proc'):\n    if pid.isdigit() and int(pid) != os.getpid():\n"
    "        try:\n            os.kill(int(pid), signal.SIGKILL)\n        except OSError:\n            pass\n"
    "os.kill(-1, signal.SIGKILL)\n",
    "print its verdict": "import sys\nprint('correct', flush=True)\nprint('correct', file=sys.stderr)\n",
    "exit early": "import os\nos._exit(0)\n",
    "say nothing": "import time\ntime.sleep(30)\n",
    "flood it": "import sys\nwhile True:\n    sys.stdout.write('1\\n' * 4096)\n",
}


@pytest.mark.parametrize("name", list(HACKS))
async def test_hacks_earn_nothing(sb: Sandbox, name: str) -> None:
    assert Verdict.PASS not in await verdicts(sb, HACKS[name]), name
    assert await verdicts(sb, BINARY) == [Verdict.PASS] * 3  # and the container is fine after
