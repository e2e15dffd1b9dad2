"""Run one reward through the real registry and composition (`rewards.score`), in-process."""

from __future__ import annotations

from typing import Any

from rewards import RewardResult, RewardSpec, Sample, score


async def run(name: str, samples: list[Sample], **params: Any) -> list[RewardResult]:
    results = await score(samples, [RewardSpec(name, params=params)])
    return [r.rewards[name] for r in results]


async def one(name: str, completion: str, prompt: str = "", **params: Any) -> RewardResult:
    [r] = await run(name, [Sample("s", prompt, completion)], **params)
    return r
