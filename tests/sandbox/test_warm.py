"""Warm Python interpreters (guest/warm.py): a run started ahead behaves as `python3 -E main.py`
started for it, is really started ahead, serves one run only, and a lost one costs nothing."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import AsyncIterator

import pytest

from sandbox import ExecuteSpec, RunStatus, Sandbox, SandboxConfig
from tests.sandboxes import started_sandbox

pytestmark = pytest.mark.docker

# How long ago this process started, seen from inside it: a warm interpreter is older than its run.
AGE = (
    "import os\n"
    "with open('/proc/self/stat') as f:\n"
    "    start = int(f.read().rpartition(')')[2].split()[19])\n"
    "with open('/proc/uptime') as f:\n"
    "    print(float(f.read().split()[0]) - start / os.sysconf('SC_CLK_TCK'))\n"
)

# Programs whose whole observable behaviour must not depend on how the interpreter was started.
PROGRAMS = {
    "traceback": "def f():\n    raise ValueError('boom')\n\n\ntry:\n    f()\nexcept ValueError as e:\n"
    "    raise KeyError('chained') from e\n",
    "syntax error": "x = (\n",
    "bad indentation": "if True:\nprint(1)\n",
    "exit code": "import sys\nprint('a')\nsys.exit(3)\n",
    "exit message": "raise SystemExit('bye')\n",
    "site exit": "print('x')\nexit(4)\n",
    "stdin": "import sys\nprint(input()[::-1], sys.stdin.read().split())\n",
    "threads and atexit": "import atexit, threading, time\natexit.register(lambda: print('bye'))\n"
    "threading.Thread(target=lambda: (time.sleep(0.2), print('late'))).start()\nprint('main')\n",
    "main module": "import sys, __main__\nx = 5\nprint(__name__, __main__.x, sys.argv, sys.path[0], __file__,"
    " __spec__, __package__, __cached__, type(__loader__).__name__, sorted(globals()))\n"
    "if __name__ == '__main__':\n    print('guarded')\n",
    "pickle of a main class": "import pickle\n\n\nclass A:\n    pass\n\n\nprint(type(pickle.loads(pickle.dumps(A()))))\n",
    "warnings": "import warnings\nwarnings.warn('careful')\nprint(1)\n",
    "unraisable at exit": "class A:\n    def __del__(self):\n        raise RuntimeError('in del')\n\n\na = A()\n",
    "fds": "import os\nprint(sorted(int(f) for f in os.listdir('/proc/self/fd')))\n",
    "identity": "import os, resource\nprint(os.getuid(), os.getgid(), os.getgroups(), os.getcwd(),"
    " resource.getrlimit(resource.RLIMIT_CPU), open('/proc/self/status').read().split('CapBnd:')[1].split()[0])\n",
    "flags": "import sys\nprint(sys.flags.ignore_environment, sys.flags.no_site, sys.flags.isolated, sys.orig_argv[1:])\n",
    "output at exit without newline": "import sys\nsys.stdout.write('no newline')\n",
    "keyboard interrupt text": "print('before')\nraise KeyboardInterrupt\n",
}


@pytest.fixture(scope="module")
async def warm() -> AsyncIterator[Sandbox]:
    async with started_sandbox(SandboxConfig(pool_size=1)) as sb:
        yield sb


@pytest.fixture(scope="module")
async def cold() -> AsyncIterator[Sandbox]:
    async with started_sandbox(SandboxConfig(pool_size=1, warm_python=False)) as sb:
        yield sb


async def _run(sb: Sandbox, source: str, stdin: str = "") -> tuple:
    r = await sb.execute(ExecuteSpec("python", source, stdin=stdin, timeout_ms=3000))
    no_addresses = re.compile(r"0x[0-9a-f]+")  # reprs of objects differ from run to run (ASLR)
    return r.status, r.exit_code, no_addresses.sub("0x", r.stdout), no_addresses.sub("0x", r.stderr)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
async def test_a_warm_run_is_the_run_a_fresh_interpreter_gives(
    warm: Sandbox, cold: Sandbox, name: str
) -> None:
    await asyncio.sleep(0.3)  # the warm one is ready, not still starting
    source, stdin = PROGRAMS[name], "hello\n1 2 3\n"
    got, want = await _run(warm, source, stdin), await _run(cold, source, stdin)
    if name == "keyboard interrupt text":  # a fresh one exits by SIGINT, a warm one with 1
        got, want = got[2:], want[2:]
    assert got == want


async def test_the_interpreter_is_started_before_the_request(warm: Sandbox, cold: Sandbox) -> None:
    for sb in (warm, cold):
        await sb.execute(ExecuteSpec("python", "pass"))
    await asyncio.sleep(1.0)
    warm_age = float((await warm.execute(ExecuteSpec("python", AGE))).stdout)
    cold_age = float((await cold.execute(ExecuteSpec("python", AGE))).stdout)
    assert warm_age >= 0.8 and cold_age < 0.5, (warm_age, cold_age)


async def test_each_run_gets_its_own_interpreter(warm: Sandbox) -> None:
    """State a run leaves in its interpreter (builtins, modules, the import system) is gone at
    the next run: a warm interpreter serves one run only."""
    taint = (
        "import builtins, sys, os\nbuiltins.leak = 1\nsys.modules['json'] = None\nos.environ['X'] = '1'\n"
        "sys.path.insert(0, '/tmp')\nprint(os.getpid())\n"
    )
    check = (
        "import builtins, sys, os, json\nprint(hasattr(builtins, 'leak'), os.environ.get('X'),"
        " '/tmp' in sys.path, os.getpid())\n"
    )
    first = await warm.execute(ExecuteSpec("python", taint))
    second = await warm.execute(ExecuteSpec("python", check))
    assert second.status is RunStatus.OK, second
    leak, env, path, pid = second.stdout.split()
    assert (leak, env, path) == ("False", "None", "False") and pid != first.stdout.strip()


async def test_an_interpreter_lost_before_its_run_costs_nothing(warm: Sandbox) -> None:
    """Killed from outside while it waits: the run starts a fresh interpreter instead."""
    await warm.execute(ExecuteSpec("python", "pass"))
    await asyncio.sleep(0.3)
    (c,) = warm._pool._idle
    kill = (
        "import os\nfor p in os.listdir('/proc'):\n"
        "    if p.isdigit() and b'/warm' + b'.py' in open(f'/proc/{p}/cmdline', 'rb').read():\n"
        "        os.kill(int(p), 9); print('killed', p)\n"
    )
    out = subprocess.run(
        ["docker", "exec", c.id, "/usr/bin/python3", "-c", kill], capture_output=True, text=True, timeout=30
    )
    assert out.stdout.startswith("killed"), out
    r = await warm.execute(ExecuteSpec("python", AGE))
    assert r.status is RunStatus.OK and float(r.stdout) < 0.5, r


async def test_other_argv_and_languages_are_not_served_warm(warm: Sandbox) -> None:
    """A run the warm interpreter cannot be (another language, a compiled run) gets its own."""
    await warm.execute(ExecuteSpec("python", "pass"))
    await asyncio.sleep(0.3)
    r = await warm.execute(ExecuteSpec("bash", "echo $BASH_VERSION | cut -c1"))
    assert (r.status, r.stdout) == (RunStatus.OK, "5\n"), r
    r = await warm.execute(ExecuteSpec("python", AGE))
    assert r.status is RunStatus.OK and float(r.stdout) < 0.5, r  # a bash run: none was kept
