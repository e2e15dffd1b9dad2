"""Faults injected into a live server's own parts; the sandbox's daemon faults are in
tests/sandbox/test_faults.py."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from referee.client import RefereeClient
from sandbox.container import OWNER_LABEL
from tests.conftest import ServerProcess, children, labelled_containers
from tests.daemon_proxy import DaemonProxy

pytestmark = pytest.mark.docker


def math_workers(server_pid: int) -> list[int]:
    """The math workers: children of the server's multiprocessing forkserver."""
    return [w for child in children(server_pid) for w in children(child)]


def assert_nothing_left_behind(srv: ServerProcess, pids: set[int], tmpdir: Path) -> None:
    """After a graceful stop: no container labelled with the server as owner, none of the
    processes it started (`pids`, gathered while it ran) alive, nothing in its TMPDIR."""
    owner = f"{socket.gethostname()}/{srv.proc.pid}"
    for _ in range(50):  # auto_remove finishes a moment after the server exits
        left = labelled_containers(f"{OWNER_LABEL}={owner}")
        if not left:
            break
        time.sleep(0.2)
    assert left == [], f"containers left: {left}"
    for _ in range(50):  # the forkserver and resource tracker exit when they see their parent's pipe close
        alive = [p for p in pids if Path(f"/proc/{p}").exists()]
        if not alive:
            break
        time.sleep(0.2)
    assert alive == [], "processes left: " + ", ".join(Path(f"/proc/{p}/cmdline").read_text() for p in alive)
    assert list(tmpdir.iterdir()) == [], "temp files left"


def descendants(pid: int) -> set[int]:
    found = set(children(pid))
    for c in list(found):
        found |= descendants(c)
    return found


def group(k: int) -> list[dict[str, object]]:
    return [
        {"id": f"s{i}", "prompt": "p", "completion": f"\\boxed{{{k + i % 2}}}", "math": {"gold": str(k)}}
        for i in range(16)
    ]


def test_killed_math_workers_are_replaced_and_never_give_credit(tmp_path: Path) -> None:
    srv = ServerProcess(
        env={"REFEREE_SANDBOX__POOL_SIZE": "1", "REFEREE_MATH__WORKERS": "2", "TMPDIR": str(tmp_path)}
    )
    started: set[int] = set()
    try:
        with RefereeClient(srv.target, timeout_s=60) as client:
            client.score(group(1), ["accuracy"])
            workers = math_workers(srv.proc.pid)
            assert len(workers) >= 2, workers
            for w in workers:
                os.kill(w, signal.SIGKILL)
            statuses = set()
            for k in range(2, 12):
                for i, r in enumerate(client.score(group(k), ["accuracy"])):
                    v = r.rewards["accuracy"]
                    statuses.add(str(v.status))
                    # Right answers may be lost to the fault, wrong ones are never credited.
                    assert v.value == (1.0 if i % 2 == 0 else 0.0) or (v.value == 0.0 and v.status != "OK"), v
                time.sleep(0.1)
            last = client.score(group(99), ["accuracy"])
            assert [r.rewards["accuracy"].value for r in last] == [1.0, 0.0] * 8, "the pool did not recover"
            assert set(math_workers(srv.proc.pid)).isdisjoint(workers)
            started = descendants(srv.proc.pid)
    finally:
        assert srv.stop() == 0
    assert_nothing_left_behind(srv, started, tmp_path)


class ThreadedDaemonProxy:
    """The sandbox suite's unix-socket proxy to dockerd, on its own event loop thread, so a
    server process can be pointed at it and the test can cut and restore "the daemon"."""

    def __init__(self, path: Path) -> None:
        self.proxy = DaemonProxy(path)
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def _run(self, coro: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def start(self) -> None:
        self._run(self.proxy.start())

    def stop(self) -> None:
        self._run(self.proxy.stop())


CODE = [{"id": "c", "prompt": "p", "completion": "def f(x):\n    return x + 1\n",
         "code": {"language": "python", "test_code": "assert f(1) == 2", "entry_point": "f"}}]  # fmt: skip


def test_daemon_lost_and_back_while_requests_arrive(tmp_path: Path) -> None:
    daemon = ThreadedDaemonProxy(tmp_path / "docker.sock")
    daemon.start()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    srv = ServerProcess(
        env={
            "REFEREE_SANDBOX__POOL_SIZE": "2",
            "REFEREE_SANDBOX__DOCKER_URL": f"unix://{daemon.proxy.path}",
            "TMPDIR": str(tmpdir),
        }
    )
    started: set[int] = set()
    try:
        with RefereeClient(srv.target, timeout_s=60) as client:
            assert client.score(CODE, ["code"])[0].rewards["code"].value == 1.0
            daemon.stop()
            lost = client.score(CODE, ["code"])[0].rewards["code"]
            assert (lost.value, lost.status) == (0.0, "SANDBOX_ERROR") and "unreachable" in lost.detail
            assert client.score(group(5), ["accuracy"])[0].total == 1.0  # math does not need the daemon
            daemon.start()
            back = [client.score(CODE, ["code"])[0].rewards["code"] for _ in range(3)]
            assert back[-1].value == 1.0 and back[-1].status == "OK", back  # no restart needed
            started = descendants(srv.proc.pid)
    finally:
        assert srv.stop() == 0
        daemon.stop()
    assert_nothing_left_behind(srv, started, tmpdir)
