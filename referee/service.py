"""The calls every face of the server makes (gRPC, HTTP), whatever the wire format.

    face (decode, name the bad field) -> Service (limits, admission, metrics) -> Engine

One `Service` per server: the gRPC servicer and the HTTP endpoints share its in-flight
counts, so "256 requests at once" means 256 over both protocols, not 256 each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from referee.config import Settings
from referee.engine import Engine
from referee.metrics import Metrics
from rewards import InvalidRequest, RewardSpec, Sample, SampleResult
from sandbox import CellResult, ExecuteResult, ExecuteSpec, SessionInfo, SessionSpec

__all__ = ["RETRY_AFTER_MS", "Overloaded", "Service"]

log = logging.getLogger("referee.server")
RETRY_AFTER_MS = 500  # the hint sent with an overload refusal


class Overloaded(Exception):
    pass


class Service:
    def __init__(self, engine: Engine, settings: Settings, metrics: Metrics) -> None:
        self.engine = engine
        self.settings = settings
        self.limits = settings.server
        self.metrics = metrics
        self._in_flight = {"all": 0, "code": 0}
        self._waiting = 0
        self._freed = asyncio.Condition()
        metrics.gauge("referee_in_flight_code_requests", "requests with code samples being scored now",
                      lambda: self._in_flight["code"])  # fmt: skip
        for state in ("idle", "busy"):

            def containers(state: str = state) -> float:  # bound now, not when the loop has moved on
                return engine.sandbox_stats()[state]

            metrics.gauge(f"referee_sandbox_{state}_containers", f"sandbox containers {state}", containers)
        metrics.gauge("referee_sessions_open", "sandbox sessions open now", lambda: engine.open_sessions())

    @contextlib.asynccontextmanager
    async def admit(self, code: bool, wait_s: float = 0.0) -> AsyncIterator[None]:
        """A slot under the in-flight caps, waiting up to `wait_s` for one in a bounded line.
        gRPC clients get an immediate RESOURCE_EXHAUSTED and back off (wait_s=0); HTTP clients
        that only retry a timeout wait here instead. Never an unbounded queue."""
        kinds = ("all", "code") if code else ("all",)
        if wait_s and self._waiting >= self.limits.max_queued_requests:
            wait_s = 0.0
        deadline = asyncio.get_running_loop().time() + wait_s
        async with self._freed:
            self._waiting += 1
            try:
                while (busy := self._busy(kinds)) is not None:
                    left = deadline - asyncio.get_running_loop().time()
                    if left <= 0:
                        raise Overloaded(busy)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._freed.wait(), left)
            finally:
                self._waiting -= 1
            for kind in kinds:
                self._in_flight[kind] += 1
        self.metrics.in_flight.inc()
        try:
            yield
        finally:
            for kind in kinds:
                self._in_flight[kind] -= 1
            self.metrics.in_flight.dec()
            if self._waiting:  # only HTTP requests ever wait: most releases have no one to wake
                async with self._freed:
                    self._freed.notify_all()  # waiters re-check: a freed "all" slot may not be a code slot

    def _busy(self, kinds: Sequence[str]) -> str | None:
        """Why there is no slot now; None when there is one."""
        caps = {"all": self.limits.max_concurrent_requests, "code": self.limits.max_concurrent_code_requests}
        for kind in kinds:
            if self._in_flight[kind] >= caps[kind]:
                return (
                    f"server busy: {self._in_flight[kind]} {'code ' if kind == 'code' else ''}requests in "
                    f"flight (limit {caps[kind]}); retry after ~{RETRY_AFTER_MS} ms with backoff"
                )
        return None

    def check_batch(
        self, count: int, completion_chars: Sequence[int], field: str = "samples", part: str = ".completion"
    ) -> None:
        """The server's maxima on one batch, checked before its samples are decoded further;
        `field[i]part` names a completion in the request."""
        if not count:
            raise InvalidRequest(f"{field}: at least one sample is required")
        if count > self.limits.max_samples_per_request:
            raise InvalidRequest(
                f"{field}: {count} samples, more than max_samples_per_request="
                f"{self.limits.max_samples_per_request}"
            )
        for i, chars in enumerate(completion_chars):
            if chars > self.limits.max_completion_chars:
                raise InvalidRequest(
                    f"{field}[{i}]{part}: {chars} characters, more than "
                    f"max_completion_chars={self.limits.max_completion_chars}"
                )

    async def score(
        self, samples: Sequence[Sample], specs: Sequence[RewardSpec], wait_s: float = 0.0
    ) -> list[SampleResult]:
        """Score one batch (checked with `check_batch` first); InvalidRequest, Overloaded, TimeoutError."""
        async with self.admit(any(s.code is not None for s in samples), wait_s):
            results = await asyncio.wait_for(
                self.engine.score(samples, specs, observe=self.metrics.observe_reward),
                timeout=self.limits.request_timeout_s,
            )
        self.metrics.samples.inc(len(samples))
        return results

    async def execute(self, spec: ExecuteSpec, wait_s: float = 0.0) -> ExecuteResult:
        async with self.admit(True, wait_s):
            return await self.engine.execute(spec)

    async def create_session(self, spec: SessionSpec) -> SessionInfo:
        async with self.admit(False):
            return await (await self.engine.sessions()).create(spec)

    async def run_cell(self, session_id: str, code: str, timeout_ms: int | None) -> CellResult:
        async with self.admit(False):  # a session's container is its own: not a code slot
            return await (await self.engine.sessions()).run(session_id, code, timeout_ms)

    async def close_session(self, session_id: str) -> None:
        async with self.admit(False):
            await (await self.engine.sessions()).close(session_id)

    def record(self, method: str, code: str, seconds: float, peer: str, extra: str = "") -> None:
        """Every call's metrics and its one log line, on every face."""
        self.metrics.requests.labels(method, code).inc()
        self.metrics.request_seconds.labels(method).observe(seconds)
        log.info("rpc method=%s code=%s ms=%.1f peer=%s%s", method, code, seconds * 1000, peer, extra)
