"""The load both replica tests drive: GRPO-shaped math groups whose verdicts are known, so a
group lost, retried or answered twice by a dying replica shows as a wrong list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from referee.client import AsyncRefereeClient

SIZE = 16
WANT = [1.0 - i % 2 for i in range(SIZE)]  # half right, half wrong: a retry never turns wrong into credit


def group(k: int) -> list[dict[str, object]]:
    return [{"id": str(i), "prompt": "p", "completion": f"\\boxed{{{k + i % 2}}}", "math": {"gold": str(k)}}
            for i in range(SIZE)]  # fmt: skip


async def load(target: str, groups: int, *, concurrency: int = 6,
               at_half: Callable[[], object] | None = None) -> list[list[float]]:  # fmt: skip
    """Every group's totals, in order; `at_half` runs (in a thread) once half have been sent."""
    out: list[list[float]] = [[] for _ in range(groups)]
    queue = list(range(groups))
    async with AsyncRefereeClient(target, timeout_s=120, retries=4) as client:

        async def worker() -> None:
            while queue:
                k = queue.pop()
                out[k] = [r.total for r in await client.score(group(k), ["accuracy"])]
                if at_half is not None and k == groups // 2:
                    await asyncio.to_thread(at_half)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out
