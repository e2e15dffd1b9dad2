"""Find the final answer in a completion, and in a gold. Pure text work: no sympy, no math-verify.

`final_answer` is the one place that decides what a completion answers; the worker pool only
moves work to it. Rules, in order (the first that finds something decides):

1. Text inside `<think>…</think>` is never an answer. With a closing tag only the text
   after the last `</think>` counts; an opened but never closed `<think>` leaves nothing
   (not even an `<answer>` block inside it: NeMo-RL credits one, but then reasoning could hold
   the answer).
2. The `<answer>…</answer>` block. Inside it, a `\\boxed{}` wins over the block's prose.
3. The last `\\boxed{}` / `\\fbox{}` outside the think block, unless a "final answer is …"
   statement comes after it (Minerva-style replies box intermediate results).
4. The configured fallbacks: "answer_phrase" (`final answer is …`, `Answer: …`, `答案：…`, and
   lm-evaluation-harness's Minerva line `Final Answer: The final answer is $X$. I hope it is
   correct.`), "last_number".
5. For a `choice` question, a last line that is a lone letter.

Several *different* final answers (two answer blocks, or `\\boxed{3}` and `\\boxed{4}`) give
no answer at all: a completion that hedges must not be credited for the right guess. The same
answer boxed twice in two spellings is one answer, and when the gold itself has several parts
(`(2,2), (6,2)`), the boxed parts are read together as one multi-part answer.

`gold_answer` reads a gold as its dataset writes it (GSM8K's `#### 72`, a solution's `\\boxed{}`,
`Answer is 7.0`); `is_reply` tells a whole reply handed to `verify` from a bare answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rewards.math.config import AnswerType, MathConfig
from rewards.math.normalize import ANSWER_NAME, ANSWER_PHRASE, ANSWER_SEP, answer_key, is_prose

__all__ = [
    "Extraction",
    "boxed_contents",
    "extract_answer",
    "final_answer",
    "gold_answer",
    "is_reply",
    "outside_think",
]

_BOX_OPENERS = re.compile(r"\\(?:boxed|fbox)\s*(\{)?")
# "final answer is …", "Answer: …", "**Final Answer:** …", "答案：…"; a phrase ends at the next phrase or line
_ANSWER_PHRASE = re.compile(  # its name and separator: normalize.py's one spelling
    rf"{ANSWER_NAME}{ANSWER_SEP}\s*\**\s*[:：]?\s*(?P<answer>(?:(?!{ANSWER_PHRASE})[^\n])+)"
)
_REMARK = re.compile(r"\s*\((?=[^()]*[A-Za-z]{3,})[^()]*\)\s*$")  # "(approximately 0.5)"
# lm-evaluation-harness's Minerva prompt ends every answer with this sentence
_HOPE = re.compile(r"\s*\.?\s*I hope it is correct\b.*$", re.IGNORECASE)  # and whatever follows it
# "Final Answer: The final answer is $X$": what comes between two phrases is no answer
_FILLER = re.compile(
    r"(?i:the|my|our|so|thus|hence|therefore|so the|thus the|hence the|therefore the)?[\s,.*]*"
)
_HASHES = re.compile(r"^[ \t]*####[ \t]*(\S[^\n]*)$", re.MULTILINE)  # GSM8K's answer line: `#### 72`
_MATHY = re.compile(r"[\d$\\]|^\W*[A-E]\W*$")  # a number, LaTeX, or a lone choice letter
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


def _distinct(answers: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for a in answers:
        seen.setdefault(answer_key(a), a)
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


def _is_final(phrase: re.Match[str]) -> bool:
    """Whether an answer phrase says *final* answer (`final answer is`, `最终答案`)."""
    return bool(phrase.group("final") or phrase.group("final_zh"))


def _phrase_answer(text: str) -> Extraction | None:
    """The answer after "final answer is" or a GSM8K-style `#### 72` line (or, failing those,
    "answer is"/"Answer:"); different answers in several such phrases are a hedge, like several
    different boxes."""
    matches = [m for m in _ANSWER_PHRASE.finditer(text) if not _FILLER.fullmatch(m.group("answer"))]
    final = [m.group("answer") for m in matches if _is_final(m)]
    final += _HASHES.findall(text)
    answers = [
        _REMARK.sub("", _HOPE.sub("", a)).strip().rstrip(".。").strip()
        for a in final or [m.group("answer") for m in matches]
    ]
    distinct = _distinct([a for a in answers if a])
    if len(distinct) > 1:
        shown = " | ".join(d for d in distinct[:4])
        return Extraction(None, f"several different final answers: {shown}", parts=tuple(distinct))
    return Extraction(distinct[0], "answer phrase", distinct[0]) if distinct else None


def _final_after_boxes(text: str) -> Extraction | None:
    """A "final answer is …" statement made after the last `\\boxed{}`: the reply's last word on its
    answer (Minerva-style replies box intermediate results), so it outranks the boxes."""
    last_box = max(m.start() for m in _BOX_OPENERS.finditer(text))
    finals = [m for m in _ANSWER_PHRASE.finditer(text) if _is_final(m)]
    if not finals or finals[-1].start() < last_box:
        return None
    found = _phrase_answer(text[last_box:])
    if found is None or found.text is None or not _MATHY.search(found.text):
        return None  # "Final answer: the value boxed above" points back at the box
    return Extraction(found.text, "final answer phrase", found.shown)


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
    if boxes and "answer_phrase" in config.fallbacks and (final := _final_after_boxes(text)) is not None:
        return final  # `\boxed{200}` … `\boxed{255}` … "The final answer is $10,455$."
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


_LONE_CHOICE = re.compile(r"\s*\**\(?([A-E])\)?[.)]?\**\s*")


def _last_line_choice(text: str) -> Extraction | None:
    """A reply to a multiple-choice question whose last line is the letter alone (`(D)`, `D.`)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    m = _LONE_CHOICE.fullmatch(lines[-1]) if lines else None
    return Extraction(m.group(1), "last line", m.group(1)) if m else None


def final_answer(
    completion: str,
    config: MathConfig,
    *,
    same: Callable[[str, str], bool],
    gold_parts: bool = False,
    answer_type: AnswerType | None = None,
) -> Extraction:
    """The final answer of a completion: the one place that decides it.

    `extract_answer`'s rules, then two readings of several different boxed answers, which need
    `same(a, b)` (are two boxed answers one answer?): written differently, one answer
    (`\\boxed{12}` … `\\boxed{12.0}`) is that answer; for a gold with several parts
    (`gold_parts`), they are read together. A `choice` question also takes a last line that is
    a lone letter."""
    found = extract_answer(completion, config)
    if found.text is None and found.parts:
        parts = found.parts
        if len(parts) <= 4 and all(same(parts[0], p) for p in parts[1:]):
            return Extraction(f"\\boxed{{{parts[-1]}}}", "boxed (repeated)", parts[-1])
        if gold_parts:
            joined = ", ".join(f"\\boxed{{{p}}}" for p in parts)
            return Extraction(joined, "boxed parts read together", joined)
    if found.text is None and answer_type == "choice":
        reply = outside_think(completion, config.think_tag)
        return (reply and _last_line_choice(reply)) or found
    return found


def is_reply(text: str, config: MathConfig) -> bool:
    """Whether an answer handed to `verify` is a whole reply: it has reasoning or answer tags, or
    lines of prose. A reply is read with `final_answer`, as the accuracy reward reads it, where the
    reasoning is never the answer."""
    tags = (config.think_tag, config.answer_tag)
    if any(f"<{tag}>" in text or f"</{tag}>" in text for tag in tags):
        return True
    if _ANSWER_PHRASE.search(text) is not None or _HASHES.search(text) is not None:
        return True  # "The answer is 3.14", "… #### 72": a sentence that says which part is the answer
    return "\n" in text.strip() and is_prose(text)


_GOLD_PHRASE = re.compile(r"\s*(?i:the\s+)?(?i:final\s+)?(?i:answer)\s*(?i:is\b|:)")


def gold_answer(gold: str) -> Extraction:
    """The final answer of a gold as its dataset writes it. Most golds are the answer alone; some
    datasets ship prose around it: GSM8K's `…\\n#### 72`, a MATH `solution` ending in `\\boxed{}`,
    `Answer is 7.0`. `source` says what was taken ("" when the gold is the answer itself)."""
    if "####" in gold:
        tail = gold.rsplit("####", 1)[1].strip()
        return Extraction(tail, "after ####", tail) if tail else Extraction(gold, "", gold)
    if not (_GOLD_PHRASE.match(gold) or is_prose(gold)):
        return Extraction(gold, "", gold)
    boxes = _distinct([b for b in boxed_contents(gold) if b.strip()])
    if len(boxes) == 1:
        return Extraction(boxes[0].strip(), "its \\boxed{}", boxes[0].strip())
    phrase = None if boxes else _phrase_answer(gold)
    if phrase is not None and phrase.text:
        return Extraction(phrase.text, "its answer phrase", phrase.text)
    return Extraction(gold, "", gold)
