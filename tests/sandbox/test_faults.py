"""Infrastructure faults: a daemon that is down, goes away and comes back, containers killed under us.

We cannot stop the shared dockerd, so "down" is a socket nobody serves, and "goes away and
comes back" is a unix-socket proxy to the real daemon that we stop and restart.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import ExecuteSpec, IOCase, JudgeSpec, RunStatus, Sandbox, SandboxConfig
from sandbox.container import POOL_LABEL
from tests.conftest import labelled_containers, pool_containers
from tests.daemon_proxy import DaemonProxy

pytestmark = pytest.mark.docker

HELLO = ExecuteSpec("python", "print('hi')")


async def test_daemon_down_is_sandbox_error_with_a_clear_detail(tmp_path: Path) -> None:
    async with Sandbox(SandboxConfig(docker_url=f"unix://{tmp_path}/none.sock", pool_size=1)) as sb:
        r = await sb.execute(HELLO)
        j = await sb.judge(JudgeSpec("python", "print(1)", cases=(IOCase("", "1"),)))
    assert r.status is RunStatus.SANDBOX_ERROR and "docker daemon unreachable" in r.detail
    assert j.status is RunStatus.SANDBOX_ERROR and "dockerd" in j.detail


async def test_recovers_when_the_daemon_comes_back(tmp_path: Path) -> None:
    proxy = DaemonProxy(tmp_path / "docker.sock")
    await proxy.start()
    sb = Sandbox(SandboxConfig(docker_url=f"unix://{proxy.path}", pool_size=2))
    try:
        await sb.start()
        assert (await sb.execute(HELLO)).status is RunStatus.OK
        await proxy.stop()  # the daemon "crashes": attach streams die, nothing answers
        r = await sb.execute(HELLO)
        assert r.status is RunStatus.SANDBOX_ERROR and "unreachable" in r.detail
        await proxy.start()  # and comes back
        assert (await sb.execute(HELLO)).status is RunStatus.OK
        assert (await sb.execute(HELLO)).status is RunStatus.OK
    finally:
        await sb.close()
        await proxy.stop()


async def test_containers_killed_under_the_pool_are_replaced() -> None:
    async with Sandbox(SandboxConfig(pool_size=2)) as sb:
        ids = pool_containers(sb, running_only=True)
        assert len(ids) == 2
        subprocess.run(["docker", "kill", *ids], capture_output=True, check=True)
        results = await asyncio.gather(*(sb.execute(HELLO) for _ in range(3)))
    assert [r.status for r in results] == [RunStatus.OK] * 3


async def test_a_supervisor_that_stops_answering_is_killed_from_outside() -> None:
    # `docker pause` freezes the whole container, supervisor included: only the host deadline is left.
    async with Sandbox(SandboxConfig(pool_size=1, host_grace_ms=500)) as sb:
        cid = pool_containers(sb, running_only=True)[0]
        run = asyncio.create_task(
            sb.execute(ExecuteSpec("python", "import time; time.sleep(0.5)", timeout_ms=800))
        )
        await asyncio.sleep(0.2)
        subprocess.run(["docker", "pause", cid], capture_output=True, check=True)
        r = await run
        assert r.status is RunStatus.TIMEOUT and "no answer" in r.detail, r
        assert r.wall_ms >= 800 + 500
        assert (await sb.execute(HELLO)).status is RunStatus.OK  # on a fresh container


async def test_containers_of_a_killed_server_remove_themselves() -> None:
    # SIGKILL leaves no chance to clean up: the attach stream closing ends the supervisor
    # (stdin_once) and auto_remove deletes the container; start-up reaping is the backstop.
    script = (
        "import asyncio, sys, time\nfrom sandbox import Sandbox, SandboxConfig\n"
        "async def main():\n    sb = Sandbox(SandboxConfig(pool_size=2))\n    await sb.start()\n"
        "    print(sb._pool.id, flush=True)\n    time.sleep(60)\nasyncio.run(main())\n"
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE, cwd=Path(__file__).resolve().parents[2]
    )
    assert proc.stdout is not None
    pool_id = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()

    def containers() -> list[str]:
        return labelled_containers(f"{POOL_LABEL}={pool_id}")

    assert len(containers()) == 2
    proc.kill()
    await proc.wait()
    for _ in range(50):
        if not containers():
            break
        await asyncio.sleep(0.2)
    assert containers() == []


async def test_container_killed_mid_run_is_retried_once_then_sandbox_error() -> None:
    slow = ExecuteSpec("python", "import time; time.sleep(1.0); print('done')", timeout_ms=5_000)
    async with Sandbox(SandboxConfig(pool_size=2)) as sb:
        # Killed once mid-run: the visit is retried on a fresh container, the program reruns.
        run = asyncio.create_task(sb.execute(slow))
        await asyncio.sleep(0.4)
        subprocess.run(["docker", "kill", *pool_containers(sb, running_only=True)], capture_output=True)
        r = await run
        assert (r.status, r.stdout) == (RunStatus.OK, "done\n"), r

        # Killed again and again: SANDBOX_ERROR naming the container, never credit.
        run = asyncio.create_task(sb.execute(slow))
        while not run.done():
            subprocess.run(["docker", "kill", *pool_containers(sb, running_only=True)], capture_output=True)
            await asyncio.sleep(0.3)
        r = await run
        assert r.status is RunStatus.SANDBOX_ERROR and "went away" in r.detail, r
        assert (await sb.execute(HELLO)).status is RunStatus.OK  # recovered, no restart
    assert pool_containers(sb) == []


async def test_exhausted_pool_queues_visits_and_never_grows() -> None:
    # Five times more concurrent programs than containers: each waits for a lease; the pool
    # never holds more than pool_size containers (plus replacements of retired ones, here none).
    spec = ExecuteSpec("python", "import time; time.sleep(0.3); print('ok')")
    async with Sandbox(SandboxConfig(pool_size=2)) as sb:
        runs = asyncio.gather(*(sb.execute(spec) for _ in range(10)))
        seen = 0
        while not runs.done():
            seen = max(seen, len(pool_containers(sb)))
            await asyncio.sleep(0.1)
        results = await runs
    assert [(r.status, r.stdout) for r in results] == [(RunStatus.OK, "ok\n")] * 10
    assert seen <= 2
    assert pool_containers(sb) == []
