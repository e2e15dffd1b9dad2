"""The adversarial suite runs once per container runtime: runc, and gVisor (runsc) where the
daemon can run it (else those cases are skipped with the fix, as `referee doctor` names it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox import Sandbox, SandboxConfig, doctor
from tests.sandboxes import skip_unless_ci, started_sandbox

RUNTIMES = ["runc", "runsc"]


@pytest.fixture(scope="session", params=RUNTIMES)
async def sb(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    config = SandboxConfig(runtime=request.param, pool_size=4 if request.param == "runc" else 2)
    if request.param == "runsc":
        smoke = doctor(config)[-1]
        if not smoke.ok:
            skip_unless_ci(f"runsc cannot run here: {smoke.detail[:120]} — fix: {smoke.fix}")
    async with started_sandbox(config) as sandbox:
        yield sandbox
