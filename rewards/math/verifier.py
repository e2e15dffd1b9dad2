"""`MathVerifier`: the async face of the worker pool, safe to share across a grpc.aio server.

Calls may come from any event loop or thread: each job runs on a private thread pool that
blocks on a worker's pipe, so the event loop never waits on CPU work and never hangs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from rewards.math.config import AnswerType, MathConfig, Overrides
from rewards.math.grade import Judgement
from rewards.math.workers import Job, Kind, WorkerPool
from rewards.types import RewardResult, Status

__all__ = ["MathVerifier", "Verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether two answers are equal, and why. Only status OK is a real judgement."""

    equal: bool
    status: Status
    detail: str


def _verdict(j: Judgement) -> Verdict:
    return Verdict(j.equal and j.status == "OK", Status(j.status), j.detail)


class MathVerifier:
    """Verifies math answers in worker processes with hard deadlines.

    async with MathVerifier(MathConfig(workers=4)) as v:
        await v.verify("\\frac{1}{2}", "0.5")             # Verdict(equal=True, …)
        await v.score_group(gold, completions)            # one RewardResult per completion
    """

    def __init__(self, config: MathConfig | None = None) -> None:
        self.config = config or MathConfig()
        self.pool = WorkerPool(self.config)
        self._claimed = 0  # workers claimed by jobs in flight (may exceed `workers`: jobs queue)
        self._claims_lock = threading.Lock()
        # threads only wait on pipes; a few per worker lets groups queue without blocking the loop
        self._threads = ThreadPoolExecutor(
            max_workers=max(16, 4 * self.config.workers), thread_name_prefix="referee-math"
        )

    async def start(self) -> None:
        await asyncio.wrap_future(self._threads.submit(self.pool.start))

    async def close(self) -> None:
        await asyncio.wrap_future(self._threads.submit(self.pool.close))

    def close_sync(self) -> None:
        self.pool.close()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def __aenter__(self) -> MathVerifier:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def run(
        self,
        kind: Kind,
        gold: str,
        items: Sequence[str],
        *,
        answer_type: AnswerType | None = None,
        overrides: Overrides | None = None,
    ) -> list[Judgement]:
        """Judge `items` against `gold`, split over the workers (each parses the gold once), in order."""
        if not items:
            return []
        # split a group only over workers no other job has claimed: under load each group stays on
        # one worker (one gold parse, one verdict cache), alone it spreads over the cores for latency
        with self._claims_lock:
            chunks = max(1, min(self.config.workers - self._claimed, len(items)))
            self._claimed += chunks
        try:
            size = -(-len(items) // chunks)
            parts = [list(items[i : i + size]) for i in range(0, len(items), size)]
            futures = [
                asyncio.wrap_future(
                    self._threads.submit(
                        self.pool.run, Job(kind, gold, tuple(part), answer_type, overrides or Overrides())
                    )
                )
                for part in parts
            ]
            results = await asyncio.gather(*futures)
        finally:
            with self._claims_lock:
                self._claimed -= chunks
        return [j for part in results for j in part]

    async def verify(
        self,
        gold: str,
        pred: str,
        *,
        answer_type: AnswerType | None = None,
        overrides: Overrides | None = None,
    ) -> Verdict:
        """Compare two answers (gold first: math-verify is not symmetric). `pred` may hold text around
        its answer, as math-verify allows; a whole reply (with `<think>` or `<answer>` tags) is read
        as `score_group` reads a completion, so its reasoning is never the answer."""
        (j,) = await self.run("answers", gold, [pred], answer_type=answer_type, overrides=overrides)
        return _verdict(j)

    async def verify_many(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        """Many (gold, pred) pairs at once; pairs that share a gold go to the same jobs."""
        by_gold: dict[str, list[int]] = {}
        for i, (gold, _) in enumerate(pairs):
            by_gold.setdefault(gold, []).append(i)
        out: list[Verdict | None] = [None] * len(pairs)

        async def one_gold(gold: str, idx: list[int]) -> None:
            for i, j in zip(idx, await self.run("answers", gold, [pairs[i][1] for i in idx]), strict=True):
                out[i] = _verdict(j)

        await asyncio.gather(*(one_gold(g, idx) for g, idx in by_gold.items()))
        return [v for v in out if v is not None]

    async def score_group(
        self,
        gold: str,
        completions: Sequence[str],
        *,
        answer_type: AnswerType | None = None,
        overrides: Overrides | None = None,
    ) -> list[RewardResult]:
        """1.0 for each completion whose final answer equals `gold`, else 0.0 with the reason.
        `answer_type` is the sample's (None: inferred from the gold); `overrides` change the
        config for this call (fallbacks, numeric_precision)."""
        judgements = await self.run(
            "completions", gold, completions, answer_type=answer_type, overrides=overrides
        )
        return [
            RewardResult(1.0 if v.equal else 0.0, v.status, v.detail)
            for v in (_verdict(j) for j in judgements)
        ]
