"""Test helpers: a started sandbox on the real daemon, or a pytest skip saying why not (under
CI, `CI=true`, a failure instead: a broken image or runtime must not land green). Here, not in
the shipped sandbox package, which must not import pytest."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import pytest

from sandbox.config import SandboxConfig
from sandbox.doctor import doctor
from sandbox.errors import SandboxError
from sandbox.image import build
from sandbox.sandbox import Sandbox

__all__ = ["busy_function", "skip_unless_ci", "started_sandbox"]


def skip_unless_ci(reason: str) -> None:
    """Skip the test, or under CI fail it: what CI cannot run there is a bug, not a skip."""
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


def busy_function(name: str, cpu_s: float) -> str:
    """Source of `def name()` that burns cpu_s of its own process's CPU time, whatever the
    machine's speed or load: for tests and benchmarks of CPU-time limits."""
    return (
        f"import time as _time\n\n\ndef {name}():\n    t0 = _time.process_time()\n"
        f"    while _time.process_time() - t0 < {cpu_s}:\n        pass\n    return 1\n"
    )
