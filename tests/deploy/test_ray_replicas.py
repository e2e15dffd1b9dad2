"""referee.ray_replicas on a real multi-node Ray cluster on 127.0.0.1 (ray.cluster_utils: a head
and two worker nodes, each its own raylet): three replicas on three nodes, groups spread over
them through the client, one replica lost mid-load (its actor killed) losing no group and
giving no credit, and nothing left at shutdown (no server process, no sandbox container)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import ray
import requests
from ray.cluster_utils import Cluster

from referee.ray_replicas import start_replicas
from sandbox.container import OWNER_LABEL
from tests.conftest import labelled_containers
from tests.deploy.groups import WANT, load

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    try:
        for _ in range(2):
            c.add_node(num_cpus=1)
        c.connect()
        yield c
    finally:
        ray.shutdown()
        c.shutdown()


def scored(metrics_url: str) -> float:
    text = requests.get(metrics_url, timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("referee_requests_total{") and 'method="Score"' in line)  # fmt: skip


def alive(pid: int) -> bool:
    """Running (a zombie has exited: only its parent, here possibly no reaper, is missing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def gone(pids: list[int], within_s: float = 60) -> bool:
    """The lost replica's server drains (server.grace_s) after its actor's death, then exits."""
    deadline = time.monotonic() + within_s
    while any(alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def test_replicas_spread_survive_a_lost_one_and_leave_nothing(cluster: Cluster) -> None:
    replicas = start_replicas(3, env={"REFEREE_SANDBOX__POOL_SIZE": "2"})
    pids = [a["pid"] for a in replicas.addresses]
    try:
        assert all(a["target"].startswith("127.0.0.1:") for a in replicas.addresses)
        assert len({a["node_id"] for a in replicas.addresses}) == 3  # one per node
        assert asyncio.run(load(replicas.target, 300)) == [WANT] * 300
        counts = [scored(a["metrics_url"]) for a in replicas.addresses]
        assert min(counts) >= 0.1 * sum(counts), counts  # round_robin over all three

        def lose_one() -> None:
            ray.kill(replicas.actors[0])

        assert (
            asyncio.run(load(replicas.target, 300, at_half=lose_one)) == [WANT] * 300
        )  # nothing lost, no credit
    finally:
        replicas.stop()
    assert gone(pids), "a replica's server outlived its actor"
    owners = {f"{socket.gethostname()}/{p}" for p in pids}
    left = [c for c in labelled_containers("referee=1") if c]
    assert not left or not owners & set(_owners(left)), "sandbox containers of a replica left behind"


def _owners(ids: list[str]) -> list[str]:

    fmt = f'{{{{index .Config.Labels "{OWNER_LABEL}"}}}}'
    return subprocess.run(
        ["docker", "inspect", "-f", fmt, *ids], capture_output=True, text=True
    ).stdout.split()


def test_referee_ray_command(cluster: Cluster) -> None:
    """The one documented command: replicas up, a target printed, SIGTERM stops them all."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "referee.cli", "ray", "--replicas", "2", "--address", cluster.address],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "REFEREE_SANDBOX__POOL_SIZE": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("referee replicas: ipv4:127.0.0.1:"), line
        target = line.split(": ", 1)[1].strip()
        assert asyncio.run(load(target, 20)) == [WANT] * 20
        ports = [int(a.rsplit(":", 1)[1]) for a in target.removeprefix("ipv4:").split(",")]
        assert len(ports) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=120) == 0
        for port in ports:  # both servers stopped: nothing listens where they served
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
