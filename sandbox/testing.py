"""Test helpers: a started sandbox on the real daemon, or a pytest skip saying why not (under
CI, `CI=true`, a failure instead: a broken image or runtime must not land green)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sandbox.config import SandboxConfig
from sandbox.doctor import doctor
from sandbox.errors import SandboxError
from sandbox.image import build
from sandbox.sandbox import Sandbox

__all__ = ["cpu_bound_function", "skip_unless_ci", "started_sandbox"]


def skip_unless_ci(reason: str) -> None:
    """Skip the test, or under CI fail it: what CI cannot run there is a bug, not a skip."""
    import os

    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this: {reason}")
    pytest.skip(reason)


@contextlib.asynccontextmanager
async def started_sandbox(config: SandboxConfig | None = None) -> AsyncIterator[Sandbox]:
    """Build the image if needed (offline), start a pool, remove every container afterwards."""
    config = config or SandboxConfig()
    daemon = doctor(config)[0]
    if not daemon.ok:
        skip_unless_ci(f"docker: {daemon.detail}")
    try:
        build(config)
    except SandboxError as exc:
        skip_unless_ci(f"cannot build the sandbox image: {exc}")
    async with Sandbox(config) as sb:
        yield sb


def cpu_bound_function(name: str, cpu_s: float) -> str:
    """Source of `def name()` that needs about cpu_s of CPU time in this machine's Python (the
    loop is timed here first), for tests and benchmarks of CPU-time limits."""
    import time

    t0, n = time.process_time(), 0
    while time.process_time() - t0 < 0.15:
        s = 0
        for i in range(100_000):
            s += i
        n += 100_000
    iterations = int(n * cpu_s / (time.process_time() - t0))
    return f"def {name}():\n    s = 0\n    for i in range({iterations}):\n        s += i\n    return s\n"
