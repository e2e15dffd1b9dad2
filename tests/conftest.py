"""Shared fixtures: a real `referee serve` process on localhost, and a client to it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

import referee.process
from referee.client import RefereeClient
from rewards.math import MathConfig, MathVerifier
from sandbox import Sandbox, SandboxConfig
from sandbox.container import POOL_LABEL
from tests.sandboxes import started_sandbox

ROOT = Path(__file__).resolve().parents[1]
# Ray clusters the tests start keep every address on loopback (Ray's single-machine IP choice,
# read once when `ray` is first imported: verl imports it, so it is set here, before any test
# module). Otherwise Ray binds the host's outward address, which tests never target.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
REFEREE = [sys.executable, "-m", "referee.cli"]


def children(pid: int) -> list[int]:
    """Children of every thread of `pid` (each thread keeps its own list); [] once it is gone."""
    try:
        return [
            int(c)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()
        ]
    except FileNotFoundError:
        return []


def labelled_containers(label: str, *, running_only: bool = False) -> list[str]:
    """Ids of the containers carrying `label` ("key=value"); a failing `docker ps` raises
    rather than reading as "none left"."""
    state = [] if running_only else ["-a"]
    return subprocess.run(
        ["docker", "ps", "-q", *state, "--filter", f"label={label}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def pool_containers(sb: Sandbox, *, running_only: bool = False) -> list[str]:
    return labelled_containers(f"{POOL_LABEL}={sb._pool.id}", running_only=running_only)


@contextlib.contextmanager
def started_verifier(timeout_ms: int, workers: int = 2) -> Iterator[MathVerifier]:
    """A math verifier with its worker pool up, closed afterwards (for module-scoped fixtures)."""
    v = MathVerifier(MathConfig(workers=workers, timeout_ms=timeout_ms))
    v.pool.start()
    try:
        yield v
    finally:
        v.close_sync()


def wait_serving(target: str, timeout_s: float = 120.0, tls_ca_file: Path | None = None) -> None:
    """Block until the server's health service says SERVING (i.e. it has warmed up)."""
    deadline = time.monotonic() + timeout_s
    channel = (
        grpc.secure_channel(target, grpc.ssl_channel_credentials(tls_ca_file.read_bytes()))
        if tls_ca_file
        else grpc.insecure_channel(target)
    )
    with channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                if (
                    stub.Check(health_pb2.HealthCheckRequest(), timeout=2).status
                    == health_pb2.HealthCheckResponse.SERVING
                ):
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.2)
    raise TimeoutError(f"server at {target} not SERVING after {timeout_s} s")


class ServerProcess(referee.process.ServerProcess):
    """`referee serve --port 0` from the checkout, returned once its health says SERVING."""

    def __init__(
        self, *args: str, env: dict[str, str] | None = None, tls_ca_file: Path | None = None
    ) -> None:
        super().__init__(*args, env=env, cwd=ROOT)
        wait_serving(self.target, tls_ca_file=tls_ca_file)


@pytest.fixture(scope="session")
def server() -> Iterator[ServerProcess]:
    srv = ServerProcess()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def client(server: ServerProcess) -> Iterator[RefereeClient]:
    with RefereeClient(server.target, timeout_s=120) as c:
        yield c


@pytest.fixture(scope="session")
async def sb() -> AsyncIterator[Sandbox]:
    """One warm sandbox for the sandbox and security suites."""
    async with started_sandbox(SandboxConfig(pool_size=4)) as sandbox:
        yield sandbox
