"""Test helpers: a started sandbox on the real daemon, or a pytest skip saying why not."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sandbox.config import SandboxConfig
from sandbox.doctor import doctor
from sandbox.errors import SandboxError
from sandbox.image import build
from sandbox.sandbox import Sandbox

__all__ = ["started_sandbox"]


@contextlib.asynccontextmanager
async def started_sandbox(config: SandboxConfig | None = None) -> AsyncIterator[Sandbox]:
    """Build the image if needed (offline), start a pool, remove every container afterwards."""
    import pytest

    config = config or SandboxConfig()
    daemon = doctor(config)[0]
    if not daemon.ok:
        pytest.skip(f"docker: {daemon.detail}")
    try:
        build(config)
    except SandboxError as exc:
        pytest.skip(f"cannot build the sandbox image: {exc}")
    async with Sandbox(config) as sb:
        yield sb
