"""GRPO-realistic math work, shared by math_throughput.py and load.py.

Each group is one prompt: a new gold (never seen before in the run), drawn round-robin from
many answer shapes (fractions, radicals, polynomials, intervals, sets, complex numbers,
tuples, matrices, big integers, decimals), and 16 completions whose reasoning is 1-32 kB (R1-
style: a long `<think>`, a short summary, a boxed answer). A policy's samples concentrate on
a few answers: equivalent forms of the gold, near misses, and now and then no answer.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Answers = list[tuple[str | None, bool]]  # (answer as written, is it the gold's value?)

STEP = (
    "Let me set up the problem. We have $f(x) = {a}x^2 + {b}x - {c}$ and we want the value asked for. "
    "First, $\\Delta = b^2 - 4ac = {b}^2 + 4 \\cdot {a} \\cdot {c}$, which is positive, so there are two "
    "real roots. Then $x_{{1,2}} = \\frac{{-{b} \\pm \\sqrt{{\\Delta}}}}{{2 \\cdot {a}}}$. Checking with "
    "$x = 1$: $f(1) = {a} + {b} - {c}$. Hmm, wait, let me reconsider the constraint $x > 0$.\n\n"
)


def _fraction(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(2, 40), r.randint(41, 97)
    g = f"\\frac{{{a}}}{{{b}}}"
    return g, [(g, True), (f"{a}/{b}", True), (f"\\dfrac{{{2 * a}}}{{{2 * b}}}", True),
               (f"\\frac{{{b}}}{{{a}}}", False), (f"{a / b + 0.01:.4f}", False)]  # fmt: skip


def _radical(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(2, 9), r.choice([2, 3, 5, 6, 7, 10, 11, 13])
    g = f"{a}\\sqrt{{{b}}}"
    return g, [(g, True), (f"\\sqrt{{{a * a * b}}}", True), (f"{a + 1}\\sqrt{{{b}}}", False),
               (f"{a * a * b}", False)]  # fmt: skip


def _polynomial(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(2, 9), r.randint(2, 30)
    g = f"{a}x^2 + {b}x"
    return g, [(g, True), (f"x({a}x + {b})", True), (f"{b}x + {a}x^2", True),
               (f"{a}x^2 - {b}x", False), (f"{a}x^2", False)]  # fmt: skip


def _interval(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(1, 20), r.randint(21, 60)
    g = f"({-a}, {b}]"
    return g, [
        (g, True),
        (f"\\left({-a},{b}\\right]", True),
        (f"({-a}, {b})", False),
        (f"[{-a}, {b}]", False),
    ]


def _set(r: random.Random) -> tuple[str, Answers]:
    xs = sorted(r.sample(range(-20, 40), 3))
    g = "\\{" + ", ".join(map(str, xs)) + "\\}"
    return g, [(g, True), ("\\{" + ", ".join(map(str, reversed(xs))) + "\\}", True),
               ("\\{" + ", ".join(map(str, xs[:2])) + "\\}", False)]  # fmt: skip


def _complex(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(1, 30), r.randint(1, 30)
    g = f"{a} + {b}i"
    return g, [(g, True), (f"{b}i + {a}", True), (f"{a} - {b}i", False), (f"{b} + {a}i", False)]


def _tuple(r: random.Random) -> tuple[str, Answers]:
    a, b = r.randint(-9, 9), r.randint(10, 40)
    g = f"({a}, {b})"
    return g, [(g, True), (f"\\left( {a}, {b} \\right)", True), (f"({b}, {a})", False)]


def _matrix(r: random.Random) -> tuple[str, Answers]:
    a, b, c, d = (r.randint(-9, 9) for _ in range(4))
    g = f"\\begin{{pmatrix}} {a} & {b} \\\\ {c} & {d} \\end{{pmatrix}}"
    return g, [(g, True), (f"\\begin{{bmatrix}}{a}&{b}\\\\{c}&{d}\\end{{bmatrix}}", True),
               (f"\\begin{{pmatrix}} {a} & {c} \\\\ {b} & {d} \\end{{pmatrix}}", b == c)]  # fmt: skip


def _big_integer(r: random.Random) -> tuple[str, Answers]:
    n = r.randint(10**11, 10**13)
    g = str(n)
    return g, [
        (g, True),
        (f"{n:,}", True),
        (str(n + 1), False),
        (f"{n / 10**12:.3f} \\times 10^{{12}}", False),
    ]


def _decimal(r: random.Random) -> tuple[str, Answers]:
    n = r.randint(100, 9999) / 100
    g = f"{n:.2f}"
    return g, [(g, True), (f"{n:.2f}0", True), (f"{n + 0.01:.2f}", False)]


SHAPES: list[Callable[[random.Random], tuple[str, Answers]]] = [
    _fraction, _radical, _polynomial, _interval, _set, _complex, _tuple, _matrix, _big_integer, _decimal,
]  # fmt: skip


def completion(r: random.Random, answer: str | None, chars: int) -> str:
    """An R1-style reply of about `chars` characters whose final answer is `answer`."""
    step = STEP.format(a=r.randint(1, 9), b=r.randint(1, 9), c=r.randint(1, 9))
    body = step * max(1, chars // len(step))
    final = f"Therefore the answer is $\\boxed{{{answer}}}$." if answer is not None else "I am not sure."
    return f"<think>{body}</think>\n{body[:400]}\n{final}"


Group = tuple[str, list[str]]


WORKLOADS = {  # name: (answer shapes, completion length range in characters)
    "realistic": (SHAPES, (1_000, 32_000)),
    "short": (SHAPES[:5], (1_000, 3_000)),  # the earlier benchmark: five shapes, 1-3 kB
}


def make_group(k: int, size: int = 16, workload: str = "realistic") -> tuple[Group, list[bool]]:
    """Group k (its own gold, of shape k mod the workload's shapes) and the truth per completion
    (does its answer equal the gold?). The same k always gives the same group."""
    shapes, (min_chars, max_chars) = WORKLOADS[workload]
    r = random.Random(k)
    gold, answers = shapes[k % len(shapes)](r)
    favourites = r.sample(answers, k=min(3, len(answers)))
    picks = [r.choice(favourites) if r.random() > 0.1 else (None, False) for _ in range(size)]
    sizes = [int(min_chars * (max_chars / min_chars) ** r.random()) for _ in picks]  # log-uniform
    completions = [completion(r, a, n) for (a, _), n in zip(picks, sizes, strict=True)]
    return (gold, completions), [right for _, right in picks]


def make_groups(n_groups: int, size: int = 16, workload: str = "realistic") -> tuple[list[Group], list[bool]]:
    """Groups 0..n-1 and the truth for all their completions, in order."""
    made = [make_group(k, size, workload) for k in range(n_groups)]
    return [g for g, _ in made], [t for _, ts in made for t in ts]
