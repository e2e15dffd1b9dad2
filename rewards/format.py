"""Structure rewards: `format` (is it `<think>…</think><answer>…</answer>`?) and `tag_count`.

Chat templates that open `<think>` in the prompt (DeepSeek-R1's, Qwen3's) make the completion
start inside the reasoning, so a strict check on the completion alone is always 0 (open-r1
#560). Both rewards therefore read the completion as the model wrote it *after* the prompt:
when the prompt ends with the opening think tag (or `prompt_opens_think` says so), that tag
is put back in front of the completion before checking.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from rewards.registry import Params, sample_reward
from rewards.text import AnswerTag, ThinkTag
from rewards.types import RewardResult, Sample

__all__ = ["FormatParams", "TagCountParams", "format_reward", "tag_count"]


class _Tags(Params):
    think_tag: ThinkTag = "think"
    answer_tag: AnswerTag = "answer"
    prompt_opens_think: bool | None = Field(
        None,
        description="the prompt already opened the think tag; None = detect it (prompt ends with the tag)",
    )


def with_prompt_tag(sample: Sample, p: _Tags) -> str:
    """The completion as seen from the opening think tag: the tag is prepended when the prompt opened it."""
    opened = re.search(rf"<{re.escape(p.think_tag)}>\s*$", sample.prompt)
    if p.prompt_opens_think is False or (p.prompt_opens_think is None and opened is None):
        return sample.completion
    return (opened.group() if opened else f"<{p.think_tag}>\n") + sample.completion


class FormatParams(_Tags):
    mode: Literal["strict", "lenient", "think_only"] = Field(
        "lenient",
        description="lenient: any whitespace around the tags; strict: open-r1's layout with newlines; "
        "think_only: reasoning closed by the think tag, then a non-empty answer (no answer tag needed)",
    )


def _problem(text: str, p: FormatParams) -> str | None:
    """Why `text` is not well formed in mode `p.mode`, or None when it is."""
    t_open, t_close = f"<{p.think_tag}>", f"</{p.think_tag}>"
    a_open, a_close = f"<{p.answer_tag}>", f"</{p.answer_tag}>"
    tags = (t_open, t_close) if p.mode == "think_only" else (t_open, t_close, a_open, a_close)
    for tag in tags:
        if (n := text.count(tag)) != 1:
            return f"{tag} appears {n} times, not once"
    at = [text.index(tag) for tag in tags]
    if at != sorted(at):
        return "tags out of order"
    if text[: at[0]].strip():
        return f"text before {t_open}"
    after_think = text[at[1] + len(t_close) :]
    if p.mode == "think_only":
        return None if after_think.strip() else f"no answer after {t_close}"
    if text[at[1] + len(t_close) : at[2]].strip():
        return f"text between {t_close} and {a_open}"
    if text[at[3] + len(a_close) :].strip():
        return f"text after {a_close}"
    if p.mode == "strict":
        t, a = re.escape(p.think_tag), re.escape(p.answer_tag)
        layout = rf"<{t}>\n.*?\n</{t}>\n<{a}>\n.*?\n</{a}>\n?"
        if not re.fullmatch(layout, text, re.DOTALL):
            return f"not the strict layout <{p.think_tag}>\\n…\\n</{p.think_tag}>\\n<{p.answer_tag}>\\n…\\n</{p.answer_tag}>"
    return None


@sample_reward("format", params=FormatParams, value_range=(0.0, 1.0))
def format_reward(sample: Sample, p: FormatParams) -> RewardResult:
    """1.0 when the completion has the reasoning format, else 0.0 (DeepSeek-R1's format reward).

    - lenient (default): `<think>…</think>` then `<answer>…</answer>`, any whitespace around them.
    - strict (open-r1 `format_reward`): exactly `<think>\\n…\\n</think>\\n<answer>\\n…\\n</answer>`,
      an optional final newline, nothing else.
    - think_only (DeepSeek-R1 chat template): `<think>…</think>` then a non-empty final answer;
      answer tags are not required.
    In every mode each tag appears exactly once (no nested or repeated blocks) and the think
    tag opened by the prompt counts (module docstring). Empty completion: 0.0.
    """
    problem = _problem(with_prompt_tag(sample, p), p)
    if problem is None:
        return RewardResult(1.0, detail=f"{p.mode} format")
    return RewardResult(0.0, detail=problem)


class TagCountParams(_Tags):
    pass


@sample_reward("tag_count", params=TagCountParams, value_range=(0.0, 1.0))
def tag_count(sample: Sample, p: TagCountParams) -> RewardResult:
    """0.25 for each of `<think>\\n`, `\\n</think>\\n`, `\\n<answer>\\n`, `\\n</answer>` found exactly
    once, in [0, 1] (open-r1 `tag_count_reward`, a dense signal toward the strict format). The
    think tag opened by the prompt counts. Empty completion: 0.0.
    """
    text = with_prompt_tag(sample, p)
    t, a = p.think_tag, p.answer_tag
    parts = (f"<{t}>\n", f"\n</{t}>\n", f"\n<{a}>\n", f"\n</{a}>")
    found = [part for part in parts if text.count(part) == 1]
    missing = [part.strip() for part in parts if part not in found]
    return RewardResult(
        0.25 * len(found), detail="missing or repeated: " + " ".join(missing) if missing else "all tags"
    )
