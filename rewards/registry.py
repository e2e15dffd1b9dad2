"""Rewards by name: how a reward is declared, found and described.

A reward is an async function over a whole group of samples,

    async def fn(samples: Sequence[Sample], params: P, ctx: Context) -> list[RewardResult]

registered with `@group_reward`. Most rewards judge one sample at a time and are plain
functions `(sample, params) -> RewardResult`, registered with `@sample_reward`, which
isolates each sample: an exception becomes status ERROR on that sample alone.

Parameters are a pydantic model with `extra="forbid"`, so a misspelt parameter is an
error that names it instead of a silently ignored default.
"""

from __future__ import annotations

import asyncio
import inspect
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from rewards.errors import InvalidRequest
from rewards.types import RewardResult, Sample, Status

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = [
    "Context",
    "NoParams",
    "Params",
    "Reward",
    "all_rewards",
    "get_reward",
    "group_reward",
    "sample_reward",
]


class Params(BaseModel):
    """Base of every reward's parameters: unknown fields are refused, values are validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(Params):
    pass


P = TypeVar("P", bound=Params)


@dataclass
class Context:
    """Shared resources a reward may use. Absent ones are None; rewards that need them say so.

    `math` is a `rewards.math.MathVerifier` (worker processes with hard deadlines) and
    `sandbox` a `sandbox.Sandbox` (warm container pool); both are owned by the caller.
    """

    math: Any = None
    sandbox: Any = None
    executor: Executor | None = None  # where per-sample rewards run; None = inline on the event loop
    _defaults: dict[str, asyncio.Future[list[RewardResult]]] = field(default_factory=dict, repr=False)

    async def default_run(self, name: str, samples: Sequence[Sample]) -> list[RewardResult]:
        """Reward `name` with its default parameters over `samples`, run at most once per
        Context (one Context serves one request): an `accuracy` column and the correctness
        that `cosine`/`length` read from `accuracy` share a single verification."""
        if name not in self._defaults:
            reward = get_reward(name)
            self._defaults[name] = asyncio.ensure_future(reward(samples, reward.parse_params({}), self))
        return await asyncio.shield(self._defaults[name])


GroupFn = Callable[[Sequence[Sample], Any, Context], Awaitable[list[RewardResult]]]


@dataclass(frozen=True)
class Reward(Generic[P]):
    name: str
    description: str
    params: type[P]
    fn: GroupFn
    value_range: tuple[float, float] = (0.0, 1.0)
    group: bool = False  # True when a sample's value depends on the rest of its group

    def parse_params(self, raw: dict[str, Any] | None, where: str = "params") -> P:
        try:
            return self.params.model_validate(raw or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{where}.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise InvalidRequest(f"reward {self.name!r}: {problems}") from None

    async def __call__(self, samples: Sequence[Sample], params: P, ctx: Context) -> list[RewardResult]:
        return await self.fn(samples, params, ctx)


_REGISTRY: dict[str, Reward[Any]] = {}


def _register(reward: Reward[Any]) -> None:
    if reward.name in _REGISTRY:
        raise RuntimeError(f"reward {reward.name!r} is registered twice")
    _REGISTRY[reward.name] = reward


def _description(fn: Callable[..., Any]) -> str:
    return inspect.cleandoc(fn.__doc__ or "").strip()


def group_reward(
    name: str,
    *,
    params: type[Params] = NoParams,
    value_range: tuple[float, float] = (0.0, 1.0),
    group: bool = True,
) -> Callable[[GroupFn], GroupFn]:
    """Register an async function that scores a whole group at once."""

    def decorate(fn: GroupFn) -> GroupFn:
        _register(Reward(name, _description(fn), params, fn, value_range, group))
        return fn

    return decorate


SampleFn = Callable[[Sample, Any], RewardResult]


def sample_reward(
    name: str,
    *,
    params: type[Params] = NoParams,
    value_range: tuple[float, float] = (0.0, 1.0),
) -> Callable[[SampleFn], SampleFn]:
    """Register a pure function of one sample; each sample is isolated from the others' failures."""

    def decorate(fn: SampleFn) -> SampleFn:
        def one(sample: Sample, p: Any) -> RewardResult:
            try:
                return fn(sample, p)
            except Exception as exc:  # one bad sample never fails its batch
                where = traceback.extract_tb(exc.__traceback__)[-1]
                return RewardResult.fail(
                    Status.ERROR, f"{type(exc).__name__}: {exc} (at {where.name}:{where.lineno})"
                )

        async def over_group(samples: Sequence[Sample], p: Any, ctx: Context) -> list[RewardResult]:
            if ctx.executor is None:
                return [one(s, p) for s in samples]
            # One hop per group, not per sample: most of these take microseconds a sample.
            return await asyncio.get_running_loop().run_in_executor(
                ctx.executor, lambda: [one(s, p) for s in samples]
            )

        _register(Reward(name, _description(fn), params, over_group, value_range, group=False))
        return fn

    return decorate


def get_reward(name: str) -> Reward[Any]:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise InvalidRequest(f"unknown reward {name!r}; known rewards: {known}") from None


def all_rewards() -> list[Reward[Any]]:
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]
