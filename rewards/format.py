"""Structure rewards: is the completion `<think>…</think><answer>…</answer>`?"""

from __future__ import annotations

import re

from rewards.registry import Params, sample_reward
from rewards.types import RewardResult, Sample


class FormatParams(Params):
    think_tag: str = "think"
    answer_tag: str = "answer"


@sample_reward("format", params=FormatParams)
def format_reward(sample: Sample, p: FormatParams) -> RewardResult:
    """1.0 when the completion is exactly `<think>…</think>` then `<answer>…</answer>` (whitespace
    between and around allowed), else 0.0. DeepSeek-R1's format reward (open-r1 `format_reward`)."""
    t, a = re.escape(p.think_tag), re.escape(p.answer_tag)
    pattern = rf"^\s*<{t}>\n?(?:(?!</?{t}>).)*?\n?</{t}>\s*<{a}>\n?(?:(?!</?{a}>).)*?\n?</{a}>\s*$"
    if re.match(pattern, sample.completion, re.DOTALL):
        return RewardResult(1.0, detail="think then answer")
    return RewardResult(0.0, detail=f"not <{p.think_tag}>…</{p.think_tag}><{p.answer_tag}>…</{p.answer_tag}>")
