"""A generated task for runs without downloads: multi-digit addition with worked steps.

    prompt      "47+85="
    completion  "<think>7+5=12 4+8+1=13</think><answer>132</answer>"

The worked steps add column by column from the right, carrying, the way a person
does on paper. Each step only needs the two digits of its column and the carry just
written, so a tiny model can learn it, and the gold answer is exact, so the referee's
`accuracy` reward judges it like any math answer.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Problem",
    "addition_problem",
    "make_problem",
    "multiplication_problems",
    "problems",
    "prompt_source",
    "read_jsonl",
    "tool_multiplication_examples",
    "worked_examples",
    "worked_solution",
]


@dataclass(frozen=True)
class Problem:
    prompt: str
    gold: str
    language: str | None = None  # target language of the reasoning, for `language_consistency`

    def sample(self, id: str, completion: str, completion_tokens: int | None = None) -> dict[str, object]:
        """A completion of this problem as a sample in the API's JSON shape."""
        s: dict[str, object] = {
            "id": id,
            "prompt": self.prompt,
            "completion": completion,
            "math": {"gold": self.gold},
        }
        if self.language:
            s["language"] = self.language
        if completion_tokens is not None:
            s["completion_tokens"] = completion_tokens
        return s


def addition_problem(rng: random.Random, digits: int) -> tuple[int, int]:
    """Two operands with up to `digits` digits each."""
    hi = 10**digits - 1
    return rng.randint(0, hi), rng.randint(0, hi)


def make_problem(a: int, b: int) -> Problem:
    return Problem(prompt=f"{a}+{b}=", gold=str(a + b))


def worked_solution(a: int, b: int, slips: dict[int, int] | None = None) -> str:
    """The column-by-column reasoning and the answer, in the R1 format.

    `slips={column: delta}` writes those columns' sums off by `delta` and carries on from
    the wrong sum, as a careless student (or a sampled chain of thought) would: every
    later step and the answer follow from it, so only checking the answer can tell."""
    xs, ys = str(a)[::-1], str(b)[::-1]
    steps, units, carry = [], [], 0
    for i in range(max(len(xs), len(ys))):
        x, y = int(xs[i]) if i < len(xs) else 0, int(ys[i]) if i < len(ys) else 0
        s = x + y + carry
        if slips and i in slips:
            s = s + slips[i] if s + slips[i] >= 0 else s + 1
        steps.append(f"{x}+{y}+{carry}={s}" if carry else f"{x}+{y}={s}")
        units.append(s % 10)
        carry = s // 10
    answer = int(str(carry) + "".join(str(u) for u in reversed(units)))
    return f"<think>{' '.join(steps)}</think><answer>{answer}</answer>"


def worked_examples(n: int, digits: int, seed: int, slip_rate: float = 0.0) -> list[dict[str, object]]:
    """`n` SFT rows `{"prompt", "completion", "math": {"gold"}}` (the API's sample shape).

    Each column's sum is off by one with probability `slip_rate`: noisy cold-start data,
    from which RL must learn to avoid slips by the reward alone (the gold stays true)."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for _ in range(n):
        a, b = addition_problem(rng, digits)
        columns = max(len(str(a)), len(str(b)))
        slips = {i: rng.choice((-1, 1)) for i in range(columns) if rng.random() < slip_rate}
        p = make_problem(a, b)
        rows.append(
            {"prompt": p.prompt, "completion": worked_solution(a, b, slips), "math": {"gold": p.gold}}
        )
    return rows


def problems(digits: int, seed: int) -> Iterator[Problem]:
    """An endless stream of fresh addition problems."""
    rng = random.Random(seed)
    while True:
        yield make_problem(*addition_problem(rng, digits))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open() as f:
        return [json.loads(line) for line in f if line.strip()]


def problems_from_jsonl(path: Path, seed: int) -> Iterator[Problem]:
    """Rows `{"prompt", "math": {"gold"} | "gold"[, "language"]}`, reshuffled every epoch."""
    rows = read_jsonl(path)
    if not rows:
        raise ValueError(f"task.data: {path} has no rows")
    items = []
    for i, r in enumerate(rows, 1):
        gold = r.get("math", {}).get("gold") if isinstance(r.get("math"), dict) else r.get("gold")
        if not isinstance(r.get("prompt"), str) or gold is None:
            raise ValueError(f"task.data: {path} line {i} needs 'prompt' and 'math.gold' (or 'gold')")
        items.append(Problem(r["prompt"], str(gold), r.get("language")))
    rng = random.Random(seed)
    while True:
        rng.shuffle(items)
        yield from items


def prompt_source(data: Path | None, digits: int, seed: int) -> Iterator[Problem]:
    return problems_from_jsonl(data, seed) if data is not None else problems(digits, seed)


def tool_multiplication_examples(n: int, digits: int, seed: int) -> list[dict[str, object]]:
    """`n` SFT rows for tool use: `a*b=` -> a code block, its output turn, then `\\boxed{a*b}`.

    The turn text matches trainer.config.ToolConfig's default fences, so a model trained on
    these writes blocks that `generate_with_tools` stops at and runs."""
    rng = random.Random(seed)
    lo, hi = 10 ** (digits - 1), 10**digits - 1
    rows: list[dict[str, object]] = []
    for _ in range(n):
        a, b = rng.randint(lo, hi), rng.randint(lo, hi)
        completion = f"```python\nprint({a}*{b})\n```\n```output\n{a * b}\n```\n\\boxed{{{a * b}}}"
        rows.append({"prompt": f"{a}*{b}=", "completion": completion, "math": {"gold": str(a * b)}})
    return rows


def multiplication_problems(digits: int, seed: int) -> Iterator[Problem]:
    """An endless stream of `a*b=` with `digits`-digit operands."""
    rng = random.Random(seed)
    lo, hi = 10 ** (digits - 1), 10**digits - 1
    while True:
        a, b = rng.randint(lo, hi), rng.randint(lo, hi)
        yield Problem(prompt=f"{a}*{b}=", gold=str(a * b))
