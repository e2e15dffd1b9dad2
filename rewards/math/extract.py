"""Find the final answer in a completion. Pure text work: no sympy, no math-verify.

Rules, in order (the first that finds something decides):

1. Text inside `<think>…</think>` is never an answer. With a closing tag only the text
   after the last `</think>` counts; an opened but never closed `<think>` leaves nothing.
2. The `<answer>…</answer>` block. Inside it, a `\\boxed{}` wins over the block's prose.
3. The last `\\boxed{}` / `\\fbox{}` outside the think block.
4. The configured fallbacks: "answer_phrase" (`final answer is …`, `Answer: …`), "last_number".

Several *different* final answers (two answer blocks, or `\\boxed{3}` and `\\boxed{4}`) give
no answer at all: a completion that hedges must not be credited for the right guess. The
boxed parts are kept (`Extraction.parts`): when the gold itself has several parts (`(2,2),
(6,2)`), grading may read them together as one multi-part answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rewards.math.config import MathConfig

__all__ = ["Extraction", "boxed_contents", "extract_answer", "outside_think"]

_BOX_OPENERS = re.compile(r"\\(?:boxed|fbox)\s*(\{)?")
# "final answer is …", "Answer: …", "**Final Answer:** …"; a phrase ends at the next phrase or line
_PHRASE = r"(?i:\b(?:final\s+)?answer\b)\**\s*(?i:is\b|:|=)\s*\**\s*:?\s*"
_ANSWER_PHRASE = re.compile(
    rf"(?i:\b(?P<final>final\s+)?answer\b)\**\s*(?i:is\b|:|=)\s*\**\s*:?\s*(?P<answer>(?:(?!{_PHRASE})[^\n])+)"
)
_REMARK = re.compile(r"\s*\((?=[^()]*[A-Za-z]{3,})[^()]*\)\s*$")  # "(approximately 0.5)"
_LAST_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a completion answers. `text` is handed to grading (None: nothing to grade)."""

    text: str | None
    source: str  # "answer block", "boxed", "answer phrase", "last number" or why nothing was found
    shown: str = ""  # the answer as the model wrote it, for details
    parts: tuple[str, ...] = ()  # with several different \boxed{} answers: each, in order

    @property
    def found(self) -> bool:
        return self.text is not None


def outside_think(completion: str, tag: str = "think") -> str | None:
    """The part of a completion that is not reasoning; None when the reasoning never closes."""
    close = f"</{tag}>"
    end = completion.rfind(close)
    if end >= 0:
        return completion[end + len(close) :]
    if f"<{tag}>" in completion:
        return None
    return completion


def boxed_contents(text: str) -> list[str]:
    """Contents of every `\\boxed{…}`/`\\fbox{…}` (and `\\boxed 5`), braces matched, in order."""
    found = []
    pos = 0
    while (m := _BOX_OPENERS.search(text, pos)) is not None:
        if m.group(1) is None:  # `\boxed 5`: the argument is the next token
            token = re.match(r"[^\s$]+", text[m.end() :])
            if token:
                found.append(token.group(0))
            pos = m.end()
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            c = text[i]
            if c == "\\":
                i += 2  # an escaped brace `\{` does not count
                continue
            depth += (c == "{") - (c == "}")
            i += 1
        if depth:  # unclosed: a truncated completion has no boxed answer here
            break
        found.append(text[m.end() : i - 1])
        pos = i
    return found


def _answer_blocks(text: str, tag: str) -> list[str]:
    return re.findall(rf"<{re.escape(tag)}>(.*?)</{re.escape(tag)}>", text, re.DOTALL)


def _same(a: str) -> str:
    """Key under which two answers count as the same final answer (spacing does not matter)."""
    return re.sub(r"\s+|\\[,;:! ]|\\left|\\right|\\displaystyle|\\dfrac|\\tfrac", "", a).replace("\\frac", "")


def _distinct(answers: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for a in answers:
        seen.setdefault(_same(a), a)
    return list(seen.values())


def _from_boxes(boxes: list[str], source: str) -> Extraction:
    distinct = _distinct([b for b in boxes if b.strip()])
    if len(distinct) > 1:
        shown = " | ".join(d.strip() for d in distinct[:4])
        return Extraction(None, f"several different final answers: {shown}", parts=tuple(distinct))
    if not distinct:
        return Extraction(None, "empty \\boxed{}")
    answer = distinct[0].strip()
    return Extraction(f"\\boxed{{{answer}}}", source, answer)


def _phrase_answer(text: str) -> Extraction | None:
    """The answer after "final answer is" (or, failing that, "answer is"/"Answer:"); different
    answers in several such phrases are a hedge, like several different boxes."""
    matches = list(_ANSWER_PHRASE.finditer(text))
    final = [m for m in matches if m.group("final")]
    answers = [_REMARK.sub("", m.group("answer")).strip().rstrip(".").strip() for m in final or matches]
    distinct = _distinct([a for a in answers if a])
    if len(distinct) > 1:
        shown = " | ".join(d for d in distinct[:4])
        return Extraction(None, f"several different final answers: {shown}", parts=tuple(distinct))
    return Extraction(distinct[0], "answer phrase", distinct[0]) if distinct else None


def _fallback(text: str, kind: str) -> Extraction | None:
    if kind == "answer_phrase":
        return _phrase_answer(text)
    if kind == "last_number":
        numbers = _LAST_NUMBER.findall(text)
        if numbers:
            return Extraction(numbers[-1], "last number", numbers[-1])
    return None


def extract_answer(completion: str, config: MathConfig) -> Extraction:
    """The final answer of `completion` per the rules in the module docstring."""
    text = outside_think(completion, config.think_tag)
    if text is None:
        return Extraction(None, f"no answer outside <{config.think_tag}> (it never closes)")
    blocks = _answer_blocks(text, config.answer_tag)
    if blocks:
        distinct = _distinct([b for b in blocks if b.strip()])
        if len(distinct) > 1:
            return Extraction(None, f"several different <{config.answer_tag}> blocks")
        if not distinct:
            return Extraction(None, f"empty <{config.answer_tag}> block")
        boxes = boxed_contents(distinct[0])
        if boxes:
            return _from_boxes(boxes, "boxed in answer block")
        answer = distinct[0].strip()
        return Extraction(answer, "answer block", answer)
    boxes = boxed_contents(text)
    if boxes:
        return _from_boxes(boxes, "boxed")
    for kind in config.fallbacks:
        found = _fallback(text, kind)
        if found is not None:
            return found
    if not text.strip():
        if not completion.strip():
            return Extraction(None, "empty completion")
        return Extraction(
            None, f"nothing after </{config.think_tag}>: answers inside <{config.think_tag}> never count"
        )
    return Extraction(None, "no final answer (no answer block, no \\boxed{})")
