"""Score a group of samples with several weighted rewards.

`score` is the in-process equivalent of the gRPC `Score` call: the same validation,
the same statuses, the same weighted total. The rewards of one request run
concurrently; each sees the whole group, so group-level rewards (length) and
per-group work (parsing a shared math gold once) are possible.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rewards.errors import InvalidRequest
from rewards.registry import Context, Reward, get_reward
from rewards.types import RewardResult, Sample, SampleResult, Status

__all__ = ["Observer", "RewardSpec", "resolve", "score"]

# Called once per reward per request with (reward name, seconds, its results): how the
# server feeds its metrics without this package knowing about Prometheus.
Observer = Callable[[str, float, Sequence[RewardResult]], None]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewardSpec:
    name: str
    weight: float = 1.0
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Resolved:
    spec: RewardSpec
    reward: Reward[Any]
    params: Any


def resolve(specs: Sequence[RewardSpec]) -> list[_Resolved]:
    """Check names, weights and parameters up front, so a bad request fails before any work."""
    if not specs:
        raise InvalidRequest("rewards: at least one reward is required")
    seen: set[str] = set()
    resolved = []
    for i, spec in enumerate(specs):
        if spec.name in seen:
            raise InvalidRequest(f"rewards[{i}].name: reward {spec.name!r} is named twice")
        seen.add(spec.name)
        try:
            reward = get_reward(spec.name)
        except InvalidRequest as exc:
            raise InvalidRequest(f"rewards[{i}].name: {exc}") from None
        if not (-1e6 <= spec.weight <= 1e6) or spec.weight != spec.weight:
            raise InvalidRequest(f"rewards[{i}].weight: {spec.weight} is not a finite weight")
        resolved.append(
            _Resolved(spec, reward, reward.parse_params(dict(spec.params), f"rewards[{i}].params"))
        )
    return resolved


def _check_ids(samples: Sequence[Sample]) -> None:
    seen: set[str] = set()
    for i, s in enumerate(samples):
        if s.id in seen:
            raise InvalidRequest(f"samples[{i}].id: id {s.id!r} is used twice in one request")
        seen.add(s.id)


async def _run_one(
    r: _Resolved, samples: Sequence[Sample], ctx: Context, observe: Observer | None
) -> list[RewardResult]:
    start = time.perf_counter()
    results = await _run_guarded(r, samples, ctx)
    if observe is not None:
        observe(r.spec.name, time.perf_counter() - start, results)
    return results


async def _run_guarded(r: _Resolved, samples: Sequence[Sample], ctx: Context) -> list[RewardResult]:
    try:
        if r.params == r.reward.parse_params({}):  # shareable with rewards that read this one
            results = await ctx.default_run(r.spec.name, samples)
        else:
            results = await r.reward(samples, r.params, ctx)
    except Exception as exc:  # a broken reward marks its own column, never the others
        detail = f"{type(exc).__name__}: {exc}"
        log.exception("reward %s failed on a batch of %d", r.spec.name, len(samples))
        return [RewardResult.fail(Status.ERROR, detail)] * len(samples)
    if len(results) != len(samples):
        return [
            RewardResult.fail(
                Status.ERROR, f"reward returned {len(results)} results for {len(samples)} samples"
            )
        ] * len(samples)
    return results


async def score(
    samples: Sequence[Sample],
    specs: Sequence[RewardSpec],
    ctx: Context | None = None,
    *,
    observe: Observer | None = None,
) -> list[SampleResult]:
    """Score `samples` with every reward in `specs`; results come back in sample order.

    Raises `InvalidRequest` for a malformed request (before scoring anything). Per-sample
    problems are statuses on that sample's results, never exceptions.
    """
    resolved = resolve(specs)
    _check_ids(samples)
    ctx = ctx or Context()
    columns = await asyncio.gather(*(_run_one(r, samples, ctx, observe) for r in resolved))
    out = []
    for i, sample in enumerate(samples):
        by_name = {r.spec.name: col[i] for r, col in zip(resolved, columns, strict=True)}
        total = sum(r.spec.weight * col[i].value for r, col in zip(resolved, columns, strict=True))
        out.append(SampleResult(sample.id, total, by_name))
    return out
