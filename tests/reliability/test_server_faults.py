"""Faults injected into a live server's own parts; the sandbox's daemon faults are in
tests/sandbox/test_faults.py."""

from __future__ import annotations

import os
import signal
import time

import pytest

from referee.client import RefereeClient
from tests.conftest import ServerProcess, children

pytestmark = pytest.mark.docker


def math_workers(server_pid: int) -> list[int]:
    """The math workers: children of the server's multiprocessing forkserver."""
    return [w for child in children(server_pid) for w in children(child)]


def group(k: int) -> list[dict[str, object]]:
    return [
        {"id": f"s{i}", "prompt": "p", "completion": f"\\boxed{{{k + i % 2}}}", "math": {"gold": str(k)}}
        for i in range(16)
    ]


def test_killed_math_workers_are_replaced_and_never_give_credit() -> None:
    srv = ServerProcess(env={"REFEREE_SANDBOX__POOL_SIZE": "1", "REFEREE_MATH__WORKERS": "2"})
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
    finally:
        assert srv.stop() == 0
