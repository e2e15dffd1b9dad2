"""One typed configuration for the math verifier: every limit and switch in one place."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ANSWER_TYPES", "AnswerType", "Fallback", "MathConfig", "Overrides"]

# Where to look for a final answer when a completion has neither an answer block nor a \boxed{}.
Fallback = Literal["answer_phrase", "last_number"]

# What kind of answer a sample expects; it sharpens extraction and comparison (rewards/math/types.py).
AnswerType = Literal["choice", "number", "expression", "interval", "set", "equation", "text"]
ANSWER_TYPES: tuple[AnswerType, ...] = get_args(AnswerType)


class MathConfig(BaseModel):
    """Settings of `MathVerifier`. Defaults are strict: no credit unless the answer is clearly given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)  # worker processes (= cores)
    timeout_ms: int = Field(3000, ge=10)  # hard deadline per verification (gold parse counts separately)
    memory_mb: int = Field(2048, ge=256)  # address space a worker may add (RLIMIT_AS headroom)
    # a decimal answer for an exact value (2/3, \sqrt2) needs this many significant digits, correctly
    # rounded (0.666667 yes, 0.67 no); a decimal gold is matched at its own precision
    numeric_precision: int = Field(6, ge=1, le=30)
    float_rel_tol: float = Field(
        1e-2, ge=0.0, le=0.1
    )  # decimal golds: rounded AND this close (0.33=1/3, 0.3≠1/3)
    exact_rel_tol: float = Field(
        1e-12, ge=0.0, le=1e-3
    )  # exact values must agree this closely (1/2^99≠1/2^98)
    fallbacks: tuple[Fallback, ...] = ("answer_phrase",)  # tried in order without <answer> or \boxed{}
    think_tag: str = "think"  # text inside <think>…</think> is never credited
    answer_tag: str = "answer"  # <answer>…</answer> wins over \boxed{} when present
    max_answer_chars: int = Field(20_000, ge=16)  # longer answers are refused (INVALID_INPUT)
    max_brace_depth: int = Field(32, ge=4)  # deeper {…} nesting is refused: it only ever comes from junk
    max_power_depth: int = Field(3, ge=1)  # deeper towers (a^{b^{c^{d}}}) refused unless same text
    cache_size: int = Field(65536, ge=0)  # verdicts kept per worker (and 1/4 as many parsed answers)


@dataclass(frozen=True, slots=True)
class Overrides:
    """What one request may change on top of the verifier's `MathConfig` (None: keep it)."""

    fallbacks: tuple[Fallback, ...] | None = None
    numeric_precision: int | None = None
    think_tag: str | None = None
    answer_tag: str | None = None

    def apply(self, config: MathConfig) -> MathConfig:
        update = {k: v for k, v in asdict(self).items() if v is not None}
        return config.model_validate({**config.model_dump(), **update}) if update else config
