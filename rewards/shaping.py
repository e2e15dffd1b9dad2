"""Text-shape rewards: `reasoning_steps` (visible step structure) and `repetition` (n-gram loops)."""

from __future__ import annotations

import re

from pydantic import Field

from rewards.registry import Params, sample_reward
from rewards.text import tokens
from rewards.types import RewardResult, Sample

__all__ = ["RepetitionParams", "StepsParams", "reasoning_steps", "repetition"]

# open-r1's pattern, with ^ per line (MULTILINE) so that every numbered list item counts,
# not only a list at the very start of the completion.
_STEP = re.compile(r"(Step \d+:|^\d+\.|\n-|\n\*|First,|Second,|Next,|Finally,)", re.MULTILINE)


class StepsParams(Params):
    min_steps: int = Field(3, ge=1, description="step markers needed for full credit")


@sample_reward("reasoning_steps", params=StepsParams, value_range=(0.0, 1.0))
def reasoning_steps(sample: Sample, p: StepsParams) -> RewardResult:
    """min(1, markers / min_steps), in [0, 1] (open-r1 `reasoning_steps_reward`, min_steps 3).

    Markers: "Step N:", a line starting "N.", a line starting "-" or "*" (after a newline),
    and "First,", "Second,", "Next,", "Finally,". Unlike open-r1, "N." counts at the start of
    every line, not only of the completion. Empty completion: 0.0.
    """
    n = len(_STEP.findall(sample.completion))
    return RewardResult(min(1.0, n / p.min_steps), detail=f"{n} step markers")


class RepetitionParams(Params):
    ngram_size: int = Field(3, ge=1, description="n of the n-grams compared")
    max_penalty: float = Field(-1.0, le=0.0, description="value when every n-gram is a repeat (<= 0)")


@sample_reward("repetition", params=RepetitionParams, value_range=(-1.0, 0.0))
def repetition(sample: Sample, p: RepetitionParams) -> RewardResult:
    """max_penalty × (1 − distinct n-grams / n-grams), in [max_penalty, 0] (open-r1
    `get_repetition_penalty_reward`, from Yeo et al. 2025, "Demystifying Long Chain-of-Thought
    Reasoning in LLMs"; defaults n=3, max_penalty=−1).

    Tokens are lower-cased whitespace-separated words, with each CJK character a token (open-r1
    needs jieba for Chinese; per-character n-grams need nothing). A completion with fewer than
    n tokens (empty included) has no n-grams and gets 0.0.
    """
    toks = tokens(sample.completion)
    grams = [tuple(toks[i : i + p.ngram_size]) for i in range(len(toks) - p.ngram_size + 1)]
    if not grams:
        return RewardResult(0.0, detail=f"fewer than {p.ngram_size} tokens")
    distinct = len(set(grams))
    value = p.max_penalty * (1.0 - distinct / len(grams)) + 0.0  # + 0.0 turns -0.0 into 0.0
    return RewardResult(value, detail=f"{distinct}/{len(grams)} distinct {p.ngram_size}-grams")
