"""execute(): one program through the real daemon, every status, bad requests, cleanup."""

from __future__ import annotations

import asyncio
import socket
import subprocess

import pytest

from sandbox import (
    ExecuteSpec,
    LimitTooHigh,
    RunStatus,
    Sandbox,
    SandboxConfig,
    SourceTooLarge,
    UnsupportedLanguage,
)
from sandbox.container import OWNER_LABEL, POOL_LABEL
from sandbox.guest.clock import wall_backstop_s
from tests.conftest import labelled_containers

pytestmark = pytest.mark.docker


async def run(sb: Sandbox, source: str, language: str = "python", **kw) -> object:
    return await sb.execute(ExecuteSpec(language, source, **kw))


async def test_python_stdout_stdin_and_files(sb: Sandbox) -> None:
    r = await run(
        sb,
        "import sys; print(sys.stdin.read().upper(), open('data.txt').read())",
        stdin="abc",
        files={"data.txt": "42"},
    )
    assert (r.status, r.exit_code, r.stdout) == (RunStatus.OK, 0, "ABC 42\n")
    assert 0 < r.wall_ms < 2_000


@pytest.mark.parametrize(
    ("source", "status", "code"),
    [
        ("import sys; sys.exit(3)", RunStatus.RUNTIME_ERROR, 3),
        ("raise ValueError('boom')", RunStatus.RUNTIME_ERROR, 1),
        ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", RunStatus.RUNTIME_ERROR, -11),
        ("while True: pass", RunStatus.TIMEOUT, -9),
        ("x = bytearray(400 << 20); print(len(x))", RunStatus.MEMORY_LIMIT, -9),
        ("print('y' * (4 << 20))", RunStatus.OUTPUT_LIMIT, -9),
    ],
)
async def test_statuses(sb: Sandbox, source: str, status: RunStatus, code: int) -> None:
    r = await run(sb, source, timeout_ms=500, memory_mb=128)
    assert (r.status, r.exit_code) == (status, code), r
    assert r.detail or status is RunStatus.OK


async def test_cpu_time_limit_is_enforced_from_outside_and_prompt(sb: Sandbox) -> None:
    r = await run(
        sb,
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass",
        timeout_ms=300,
    )
    assert r.status is RunStatus.TIMEOUT and "of CPU time (limit 300 ms)" in r.detail, r
    assert 290 <= r.wall_ms < wall_backstop_s(0.3) * 1000, r


async def test_a_sleeping_program_times_out_at_the_wall_backstop(sb: Sandbox) -> None:
    r = await run(
        sb,
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)",
        timeout_ms=300,
    )
    assert r.status is RunStatus.TIMEOUT and r.detail.startswith("idle:"), r
    backstop_ms = wall_backstop_s(0.3) * 1000
    assert backstop_ms <= r.wall_ms < backstop_ms + 1_000, r


async def test_output_is_cut_at_the_cap(sb: Sandbox) -> None:
    r = await run(sb, "import sys\nsys.stdout.write('z' * (3 << 20))\nsys.stdout.flush()")
    assert r.status is RunStatus.OUTPUT_LIMIT
    assert len(r.stdout) == sb.config.output_cap_bytes


async def test_c_and_cpp(sb: Sandbox) -> None:
    c = await run(
        sb,
        '#include <stdio.h>\nint main(){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a*b);}',
        "c",
        stdin="6 7",
    )
    cpp = await run(
        sb,
        "#include <bits/stdc++.h>\nint main(){std::vector<int> v{3,1,2};std::sort(v.begin(),v.end());"
        "for(int x:v) std::cout<<x;}",
        "c++",
    )
    assert (c.status, c.stdout) == (RunStatus.OK, "42\n")
    assert (cpp.status, cpp.stdout) == (RunStatus.OK, "123")


async def test_javascript(sb: Sandbox) -> None:
    src = "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\nconsole.log(a * b);"
    r = await run(sb, src, "js", stdin="6 7")
    assert (r.status, r.stdout) == (RunStatus.OK, "42\n"), r
    assert (await run(sb, "process.exit(3)", "javascript")).exit_code == 3


async def test_compile_error_carries_the_compiler_message(sb: Sandbox) -> None:
    r = await run(sb, "int main() { return undefined_name; }", "c")
    assert r.status is RunStatus.COMPILE_ERROR
    assert "undefined_name" in r.detail and "error" in r.stderr


@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        (ExecuteSpec("cobol", "x"), UnsupportedLanguage, ["cobol", "python", "cpp", "javascript"]),
        (ExecuteSpec("python", "#" * (300 * 1024)), SourceTooLarge, ["source", "cap"]),
        (ExecuteSpec("python", "", timeout_ms=10**7), LimitTooHigh, ["timeout_ms"]),
        (ExecuteSpec("python", "", memory_mb=10**6), LimitTooHigh, ["memory_mb"]),
        (ExecuteSpec("python", "", files={"../etc/passwd": ""}), ValueError, ["files"]),
    ],
)
async def test_bad_requests_are_value_errors_naming_the_field(sb: Sandbox, spec, error, words) -> None:
    with pytest.raises(error) as info:
        await sb.execute(spec)
    assert isinstance(info.value, ValueError)
    assert all(w in str(info.value) for w in words)


async def test_nothing_of_one_run_is_visible_to_the_next(sb: Sandbox) -> None:
    # Visits are reused, so leave a process, files in every writable place, then look for them.
    # /work itself is root's: the program can neither write nor list it.
    litter = (
        "import os, subprocess\n"
        "subprocess.Popen(['sleep', '30'], start_new_session=True)\n"
        "for p in ('/tmp/x', '/work/run/x', '/dev/shm/x'): open(p, 'w').write('secret')\n"
        "for attempt in (lambda: open('/work/x', 'w'), lambda: os.listdir('/work'), lambda: os.chmod('/work', 0)):\n"
        "    try:\n        attempt()\n        raise SystemExit('allowed')\n    except PermissionError:\n        pass"
    )
    assert (await run(sb, litter)).status is RunStatus.OK
    for _ in range(sb.config.pool_size + 1):  # whichever container comes next
        probe = await run(
            sb,
            "import os\nprint(([p for p in os.listdir('/proc') if p.isdigit()],"
            "[f for d in ('/tmp', '/work/run', '/dev/shm') for f in os.listdir(d)]))",
        )
        assert probe.status is RunStatus.OK
        pids, files = eval(probe.stdout)
        assert sorted(pids, key=int)[0] == "1" and len(pids) == 2, pids  # the supervisor and the probe
        assert files == ["main.py"], files


async def test_sixteen_concurrent_runs(sb: Sandbox) -> None:
    results = await asyncio.gather(*(run(sb, f"print({i} * {i})") for i in range(16)))
    assert [r.stdout for r in results] == [f"{i * i}\n" for i in range(16)]


async def test_containers_are_labelled_and_removed_on_close() -> None:
    sandbox = Sandbox(SandboxConfig(pool_size=2))
    await sandbox.start()
    try:
        label = f"{POOL_LABEL}={sandbox._pool.id}"
        assert len(labelled_containers(label)) == 2
        assert (await sandbox.execute(ExecuteSpec("python", "print(1)"))).stdout == "1\n"
    finally:
        await sandbox.close()
    assert labelled_containers(label) == []


async def test_start_reaps_containers_of_dead_owners() -> None:
    dead_pid = 2**22 + 17  # above pid_max's default: no such process
    owner = f"{socket.gethostname()}/{dead_pid}"
    cfg = SandboxConfig(pool_size=1)
    subprocess.run(
        ["docker", "create", "--label", "referee=1", "--label", f"{OWNER_LABEL}={owner}", cfg.image],
        check=True,
        capture_output=True,
    )
    assert labelled_containers(f"{OWNER_LABEL}={owner}")
    async with Sandbox(cfg):
        assert labelled_containers(f"{OWNER_LABEL}={owner}") == []


async def test_one_container_serves_hundreds_of_runs() -> None:
    # Leaks (file descriptors, zombies, tmpfs space) only show after many runs in one container.
    async with Sandbox(SandboxConfig(pool_size=1, runs_per_container=10_000)) as sandbox:
        for i in range(300):
            r = await sandbox.execute(ExecuteSpec("python", "print(input())", stdin=str(i)))
            assert (r.status, r.stdout) == (RunStatus.OK, f"{i}\n"), (i, r)


async def test_memory_limit_follows_each_request(sb: Sandbox) -> None:
    grab = "x = bytearray(200 << 20)\nx[::4096] = b'1' * len(x[::4096])\nprint('ok')"  # touch every page
    small = await run(sb, grab, memory_mb=96)
    large = await run(sb, grab, memory_mb=512)
    assert (small.status, large.status) == (RunStatus.MEMORY_LIMIT, RunStatus.OK), (small, large)


async def test_each_program_gets_its_own_session_limits_and_oom_priority(sb: Sandbox) -> None:
    probe = (
        "import os, resource\nprint(open('/proc/self/oom_score_adj').read().strip(), os.getsid(0) == os.getpid(),"
        " os.getcwd(), resource.getrlimit(resource.RLIMIT_CPU)[0], resource.getrlimit(resource.RLIMIT_FSIZE)[1] >> 20)"
    )
    r = await run(sb, probe, timeout_ms=2_000)
    assert r.stdout.split() == ["1000", "True", "/work/run", "3", str(sb.config.work_tmpfs_mb)], r
