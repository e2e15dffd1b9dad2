"""deploy/compose.yaml brought up for real with Debian's docker-compose: the server image
built offline (deploy/build.sh), three replicas on the host's daemon, a load run through the
client across them (one replica killed mid-load), the HTTP face, and a teardown that leaves
no replica, sandbox container or network behind. Every address is 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sandbox.container import LABEL, OWNER_LABEL
from tests.deploy.groups import WANT, load

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
REPLICAS = 3
PROJECT = f"referee-test-{os.getpid()}"


def compose(*args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "deploy/compose.yaml"), "-p", PROJECT, *args],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"docker-compose {' '.join(args)}: {done.stderr}"
    return done.stdout


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True, timeout=60).stdout


def replica_ids() -> list[str]:
    return compose("ps", "-q", "referee").split()


def healthy(ids: list[str]) -> bool:
    states = json.loads(docker("inspect", *ids))
    return all(s["State"].get("Health", {}).get("Status") == "healthy" for s in states)


@pytest.fixture(scope="module")
def replicas() -> Iterator[dict[str, str]]:
    """{container id: its hostname}, all healthy; torn down and checked for leftovers after."""
    subprocess.run(["bash", str(ROOT / "deploy/build.sh")], check=True, timeout=900, capture_output=True)
    hostnames: set[str] = set()
    try:
        compose("up", "-d", "--scale", f"referee={REPLICAS}")
        ids = replica_ids()
        hostnames = {json.loads(docker("inspect", i))[0]["Config"]["Hostname"] for i in ids}
        deadline = time.monotonic() + 180
        while not healthy(ids):
            assert time.monotonic() < deadline, compose("logs", "--tail", "30")
            time.sleep(2)
        yield {i: json.loads(docker("inspect", i))[0]["Config"]["Hostname"] for i in ids}
    finally:
        compose("down", "--timeout", "30")
    assert compose("ps", "-q") == ""
    left = docker("ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}")
    assert left == "", "compose containers left behind"
    owners = docker("ps", "-a", "--filter", f"label={LABEL}", "--format", f'{{{{.Label "{OWNER_LABEL}"}}}}')
    assert not [o for o in owners.split() if o.partition("/")[0] in hostnames], "sandboxes of a replica left"
    assert PROJECT.replace("-", "") not in docker("network", "ls", "--format", "{{.Name}}").replace("-", "")


def port(index: int, inner: int) -> str:
    return compose("port", f"--index={index}", "referee", str(inner)).strip()


def scored(container: str) -> int:
    """Score calls answered by one replica, from its per-request log lines."""
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=60)
    return (logs.stdout + logs.stderr).count("method=Score")


def test_http_face_on_a_replica(replicas: dict[str, str]) -> None:
    url = f"http://{port(REPLICAS, 8080)}/run_code"
    body = requests.post(url, json={"code": "print(6 * 7)", "language": "python"}, timeout=60).json()
    assert body["status"] == "Success" and body["run_result"]["stdout"] == "42\n", body


def test_load_spreads_over_replicas_and_survives_a_killed_one(replicas: dict[str, str]) -> None:
    target = ",".join(port(i, 50051) for i in range(1, REPLICAS + 1))
    assert asyncio.run(load(target, 300)) == [WANT] * 300
    counts = [scored(c) for c in replicas]
    assert min(counts) >= 0.1 * sum(counts), counts  # round_robin over all three

    victim = next(iter(replicas))
    lost = asyncio.run(load(target, 300, at_half=lambda: docker("kill", victim)))
    assert lost == [WANT] * 300  # nothing lost, no credit
