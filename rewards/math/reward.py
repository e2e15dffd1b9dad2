"""The `accuracy` reward: the completion's final answer against the sample's math gold."""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Sequence
from typing import cast

from pydantic import Field

from rewards.math.config import ANSWER_TYPES, AnswerType, Fallback, MathConfig, Overrides
from rewards.math.verifier import MathVerifier
from rewards.registry import Context, Params, group_reward
from rewards.text import AnswerTag, ThinkTag
from rewards.types import RewardResult, Sample, Status

__all__ = ["AccuracyParams", "accuracy", "default_verifier"]


class AccuracyParams(Params):
    fallbacks: tuple[Fallback, ...] | None = None  # None = the verifier's (default: "answer_phrase" only)
    # significant digits a decimal answer needs for an exact gold (2/3, \sqrt2); None = the verifier's (6)
    numeric_precision: int | None = Field(None, ge=1, le=30)
    # None = the verifier's (think, answer), as the structure rewards take them per request
    think_tag: ThinkTag | None = None
    answer_tag: AnswerTag | None = None


_default: MathVerifier | None = None
_default_lock = threading.Lock()


def default_verifier() -> MathVerifier:
    """The process-wide verifier used when `ctx.math` is None: started on first use with
    `MathConfig()` (one worker per core) and closed at interpreter exit. Servers should own
    their verifier and pass it as `ctx.math` instead."""
    global _default
    with _default_lock:
        if _default is None or _default.pool.closed:
            _default = MathVerifier(MathConfig())
            _default.pool.start()
            atexit.register(_default.close_sync)
        return _default


@group_reward("accuracy", params=AccuracyParams, group=False)
async def accuracy(samples: Sequence[Sample], params: AccuracyParams, ctx: Context) -> list[RewardResult]:
    """1.0 when the completion's final answer equals the math gold, else 0.0 (DeepSeek-R1's
    rule-based accuracy reward). The answer is the `<answer>` block, else the last `\\boxed{}`
    outside `<think>`; several different final answers get 0. Equality is math-verify's
    (sympy) with guards against its known false positives; a check that runs past the
    deadline is killed and gives 0 with status TIMEOUT. Samples without a math reference get
    INVALID_INPUT. Uses `ctx.math`, or a process-wide verifier started on first use."""
    overrides = Overrides(
        fallbacks=params.fallbacks,
        numeric_precision=params.numeric_precision,
        think_tag=params.think_tag,
        answer_tag=params.answer_tag,
    )
    out: list[RewardResult | None] = [None] * len(samples)
    by_gold: dict[tuple[str, AnswerType | None], list[int]] = {}
    for i, s in enumerate(samples):
        if s.math is None:
            out[i] = RewardResult.fail(Status.INVALID_INPUT, "sample has no math reference (gold answer)")
        elif s.math.answer_type and s.math.answer_type not in ANSWER_TYPES:
            why = f"unknown answer_type {s.math.answer_type!r}; one of {', '.join(ANSWER_TYPES)}, or empty"
            out[i] = RewardResult.fail(Status.INVALID_INPUT, why)
        else:
            answer_type = cast("AnswerType", s.math.answer_type) if s.math.answer_type else None
            by_gold.setdefault((s.math.gold, answer_type), []).append(i)

    # Start no verifier for a batch with nothing to verify (the default one knows no settings).
    verifier = (ctx.math if ctx.math is not None else default_verifier()) if by_gold else None

    async def one_gold(gold: str, answer_type: AnswerType | None, idx: list[int]) -> None:
        assert verifier is not None
        results = await verifier.score_group(  # the gold is parsed once per worker
            gold, [samples[i].completion for i in idx], answer_type=answer_type, overrides=overrides
        )
        for i, r in zip(idx, results, strict=True):
            out[i] = r

    await asyncio.gather(*(one_gold(g, t, idx) for (g, t), idx in by_gold.items()))
    return [r if r is not None else RewardResult.fail(Status.ERROR, "not scored") for r in out]
