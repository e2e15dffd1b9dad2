"""The engine: rewards plus the resources they run on (math workers, sandbox pool).

Both the gRPC server and the in-process CLI paths use one `Engine`, so scoring means
the same thing everywhere. Resources start lazily on first use (a math-only `referee
score` never touches Docker) or eagerly with `warm_up()` (the server, before it
reports SERVING).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType

from referee.config import Settings
from rewards import Context, RewardSpec, Sample, SampleResult
from rewards import score as score_samples
from rewards.compose import Observer
from rewards.math import MathVerifier
from sandbox import ExecuteResult, ExecuteSpec, Sandbox
from sandbox.session import Sessions

__all__ = ["Engine"]


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._math: MathVerifier | None = None
        self._sandbox: Sandbox | None = None
        self._lock = asyncio.Lock()
        # Per-sample rewards (language identification can take 100 ms a group) run here so the
        # event loop keeps answering other requests meanwhile.
        self._executor = ThreadPoolExecutor(
            max_workers=settings.server.reward_threads, thread_name_prefix="referee-reward"
        )

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def math(self) -> MathVerifier:
        async with self._lock:
            if self._math is None:
                verifier = MathVerifier(self.settings.math)
                await verifier.start()
                self._math = verifier
            return self._math

    async def sandbox(self) -> Sandbox:
        async with self._lock:
            if self._sandbox is None:
                sandbox = Sandbox(self.settings.sandbox)
                await sandbox.start()
                self._sandbox = sandbox
            return self._sandbox

    def sandbox_stats(self) -> dict[str, int]:
        """Sandbox containers by state; all zero before the sandbox has started."""
        return self._sandbox.stats() if self._sandbox is not None else {"idle": 0, "busy": 0}

    def open_sessions(self) -> int:
        return len(self._sandbox.sessions) if self._sandbox is not None else 0

    async def warm_up(self) -> None:
        await self.math()
        await self.sandbox()

    async def score(
        self, samples: Sequence[Sample], specs: Sequence[RewardSpec], *, observe: Observer | None = None
    ) -> list[SampleResult]:
        """Score one batch. Raises `rewards.InvalidRequest` for a malformed request."""
        needs_code = any(s.code is not None for s in samples)
        ctx = Context(
            executor=self._executor,
            math=await self.math() if any(s.math is not None for s in samples) else None,
            sandbox=await self.sandbox() if needs_code else None,
        )
        return await score_samples(samples, specs, ctx, observe=observe)

    async def execute(self, spec: ExecuteSpec) -> ExecuteResult:
        return await (await self.sandbox()).execute(spec)

    async def sessions(self) -> Sessions:
        return (await self.sandbox()).sessions

    async def close(self) -> None:
        async with self._lock:
            if self._sandbox is not None:
                await self._sandbox.close()
                self._sandbox = None
            if self._math is not None:
                await self._math.close()
                self._math = None
        self._executor.shutdown(wait=False, cancel_futures=True)
