from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox import Sandbox, SandboxConfig
from sandbox.testing import started_sandbox


@pytest.fixture(scope="session")
async def sb() -> AsyncIterator[Sandbox]:
    async with started_sandbox(SandboxConfig(pool_size=4)) as sandbox:
        yield sandbox
