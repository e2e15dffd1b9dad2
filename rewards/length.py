"""Length rewards: `soft_overlong` (DAPO), `cosine` (Yeo et al. 2025) and `length` (Kimi k1.5).

Length is counted in tokens when the trainer sends `sample.completion_tokens` (the papers'
unit), or in characters with `length_unit="chars"`; a token length that was not sent is
INVALID_INPUT rather than a silent switch of unit, because every threshold depends on it.

`cosine` and `length` also need to know whether the answer is right. They never verify
anything themselves: they run a registered per-sample reward (`correct_from`, default
`accuracy`, the math verifier through `ctx.math`) and call a sample correct when that reward
is OK and at least `correct_threshold`. The correctness column is computed once per request
and shared by both, and with the request's own `accuracy` column (`Context.default_run`). A correctness TIMEOUT counts as wrong (a timeout
never earns credit) and keeps status TIMEOUT; any other failure (no gold, sandbox down) is
passed through as that status with value 0 ("cannot score").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from rewards.registry import Context, Params, get_reward, group_reward, sample_reward
from rewards.types import RewardResult, Sample, Status

__all__ = ["CosineParams", "LengthParams", "OverlongParams", "cosine", "length", "soft_overlong"]


class _Length(Params):
    length_unit: Literal["tokens", "chars"] = Field(
        "tokens",
        description="tokens: sample.completion_tokens as sent by the trainer; chars: len(completion)",
    )


def _length(sample: Sample, unit: str) -> int | RewardResult:
    """The completion's length, or the INVALID_INPUT result saying why it is unknown."""
    if unit == "chars":
        return len(sample.completion)
    if sample.completion_tokens is None:
        return RewardResult.fail(
            Status.INVALID_INPUT, "completion_tokens is not set: send it, or use length_unit='chars'"
        )
    return sample.completion_tokens


class _Correctness(Params):
    correct_from: str = Field(
        "accuracy", description="registered per-sample reward that decides whether an answer is correct"
    )
    correct_threshold: float = Field(
        1.0, description="a sample is correct when correct_from's value is >= this"
    )

    @field_validator("correct_from")
    @classmethod
    def _usable(cls, name: str) -> str:
        reward = get_reward(name)  # InvalidRequest is a ValueError: reported under this field
        if reward.group or "correct_from" in reward.params.model_fields:
            raise ValueError(f"{name!r} must be a per-sample reward that does not itself need correctness")
        return name


async def _correctness(samples: Sequence[Sample], p: _Correctness, ctx: Context) -> list[RewardResult]:
    """`correct_from`'s results (default params), computed once per request (ctx is per request)."""
    return await ctx.default_run(p.correct_from, samples)


class _LengthAndCorrectness(_Length, _Correctness):
    pass


def _verdict(r: RewardResult, p: _Correctness) -> bool | RewardResult:
    """True/False, or the failed result to return when correctness cannot be known."""
    if r.status is Status.OK:
        return r.value >= p.correct_threshold
    if r.status is Status.TIMEOUT:
        return False
    return RewardResult.fail(r.status, f"correctness unknown ({p.correct_from}: {r.detail})")


def _judge(sample: Sample, judged: RewardResult, p: _LengthAndCorrectness) -> tuple[int, bool] | RewardResult:
    """(length, correct), or the failed result when either is unknown."""
    n = _length(sample, p.length_unit)
    if isinstance(n, RewardResult):
        return n
    correct = _verdict(judged, p)
    return correct if isinstance(correct, RewardResult) else (n, correct)


def _as_timeout(r: RewardResult, judged: RewardResult) -> RewardResult:
    """Keep the TIMEOUT status of a correctness check that was counted as wrong."""
    if judged.status is Status.TIMEOUT:
        return RewardResult(r.value, Status.TIMEOUT, f"{r.detail}; counted wrong: {judged.detail}")
    return r


class OverlongParams(_Length):
    max_length: int = Field(20480, gt=0, description="L_max: beyond it the value is -1")
    cache_length: int = Field(
        4096, gt=0, description="L_cache: the last L_cache units before L_max ramp 0 to -1"
    )

    @field_validator("cache_length")
    @classmethod
    def _within(cls, cache: int, info: ValidationInfo) -> int:
        if cache > info.data.get("max_length", cache):
            raise ValueError("cache_length must not exceed max_length")
        return cache


@sample_reward("soft_overlong", params=OverlongParams, value_range=(-1.0, 0.0))
def soft_overlong(sample: Sample, p: OverlongParams) -> RewardResult:
    """DAPO's soft overlong punishment (Yu et al. 2025, "DAPO", overlong reward shaping),
    in [-1, 0]: with length L,

        0                                  if L <= L_max - L_cache
        ((L_max - L_cache) - L) / L_cache  if L_max - L_cache < L <= L_max
        -1                                 if L > L_max

    Defaults are DAPO's: L_max = 20480 tokens, L_cache = 4096. Empty completion: 0.0.
    """
    n = _length(sample, p.length_unit)
    if isinstance(n, RewardResult):
        return n
    start = p.max_length - p.cache_length
    value = 0.0 if n <= start else -1.0 if n > p.max_length else (start - n) / p.cache_length
    return RewardResult(value, detail=f"{n} {p.length_unit}, punished from {start}, limit {p.max_length}")


class CosineParams(_LengthAndCorrectness):
    max_length: int = Field(4096, gt=0, description="L_max: at or beyond it the value is exceed_value")
    correct_short: float = Field(2.0, description="r_0^c: value of a correct answer of length 0")
    correct_long: float = Field(1.0, description="r_L^c: value of a correct answer of length L_max")
    wrong_short: float = Field(-10.0, description="r_0^w: value of a wrong answer of length 0")
    wrong_long: float = Field(0.0, description="r_L^w: value of a wrong answer of length L_max")
    exceed_value: float = Field(-10.0, description="r_e: value at or beyond L_max, right or wrong")


def _cosine_value(n: int, correct: bool, p: CosineParams) -> float:
    if n >= p.max_length:
        return p.exceed_value
    short, long = (p.correct_short, p.correct_long) if correct else (p.wrong_short, p.wrong_long)
    return long + 0.5 * (short - long) * (1.0 + math.cos(math.pi * n / p.max_length))


@group_reward("cosine", params=CosineParams, value_range=(-10.0, 2.0), group=False)
async def cosine(samples: Sequence[Sample], p: CosineParams, ctx: Context) -> list[RewardResult]:
    """Cosine length scaling by correctness (Yeo et al. 2025, "Demystifying Long Chain-of-Thought
    Reasoning in LLMs"): with length L < L_max and CosFn(t, T, lo, hi) =
    lo + (hi - lo)(1 + cos(tπ/T))/2,

        correct:  CosFn(L, L_max, r_L^c, r_0^c)   (shorter right answers earn more)
        wrong:    CosFn(L, L_max, r_L^w, r_0^w)   (longer wrong answers are punished less)
        L >= L_max: r_e

    Defaults are the paper's (r_0^c=2, r_L^c=1, r_0^w=-10, r_L^w=0, r_e=-10), with L_max = 4096
    tokens; the range is [-10, 2] with them. Correctness: see the module docstring. Empty
    completion: length 0, so r_0 of its verdict.
    """
    verdicts = await _correctness(samples, p, ctx)
    out = []
    for sample, judged in zip(samples, verdicts, strict=True):
        known = _judge(sample, judged, p)
        if isinstance(known, RewardResult):
            out.append(known)
            continue
        n, correct = known
        detail = f"{'correct' if correct else 'wrong'}, {n}/{p.max_length} {p.length_unit}"
        out.append(_as_timeout(RewardResult(_cosine_value(n, correct, p), detail=detail), judged))
    return out


class LengthParams(_LengthAndCorrectness):
    pass


@group_reward("length", params=LengthParams, value_range=(-0.5, 0.5), group=True)
async def length(samples: Sequence[Sample], p: LengthParams, ctx: Context) -> list[RewardResult]:
    """Kimi k1.5's length reward (Kimi Team 2025, "Kimi k1.5", length penalty), in [-0.5, 0.5].
    Within a group (the samples of one request with the same prompt), with min_len and max_len
    the shortest and longest completion,

        λ = 0.5 - (len - min_len) / (max_len - min_len)
        correct: λ        wrong: min(0, λ)

    and 0 for every sample when all lengths are equal. Samples whose length or correctness is
    unknown get that status and do not count toward min_len/max_len. Correctness: see the
    module docstring. Empty completion: length 0.
    """
    verdicts = await _correctness(samples, p, ctx)
    out: list[RewardResult | None] = [None] * len(samples)
    known: dict[str, list[tuple[int, int, bool]]] = {}  # prompt -> (index, length, correct)
    for i, (sample, judged) in enumerate(zip(samples, verdicts, strict=True)):
        found = _judge(sample, judged, p)
        if isinstance(found, RewardResult):
            out[i] = found
        else:
            known.setdefault(sample.prompt, []).append((i, *found))
    for group in known.values():
        lo, hi = min(n for _, n, _ in group), max(n for _, n, _ in group)
        for i, n, correct in group:
            lam = 0.5 - (n - lo) / (hi - lo) if hi > lo else 0.0
            value = lam if correct else min(0.0, lam)
            detail = f"{'correct' if correct else 'wrong'}, {n} {p.length_unit} in [{lo}, {hi}]"
            r = RewardResult(value, detail=detail)
            out[i] = _as_timeout(r, verdicts[i])
    return [r if r is not None else RewardResult.fail(Status.ERROR, "not scored") for r in out]
