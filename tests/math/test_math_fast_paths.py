"""Fast paths that settle a pair without math-verify's parser must give its verdict: checked
against math-verify itself on random pairs of each shape they cover, and for the lazy gold
parse, that a group's verdicts do not depend on it."""

from __future__ import annotations

import random

import math_verify
import pytest

from rewards.math.config import MathConfig
from rewards.math.grade import grade, prepare
from rewards.math.workers import Job, _Worker

CONFIG = MathConfig()
BRACKETS = [("(", ")"), ("[", "]"), ("(", "]"), ("[", ")")]


def interval(r: random.Random, ends: tuple[int, int]) -> str:
    o, c = r.choice(BRACKETS)
    return f"{o}{ends[0]}, {ends[1]}{c}"


def test_intervals_with_ends_closed_differently_agree_with_math_verify() -> None:
    r = random.Random(7)
    fast = 0
    for _ in range(150):
        a = r.randint(-20, 20)
        ends = (a, a + r.randint(1, 9))
        other = ends if r.random() < 0.6 else (ends[0], ends[1] + r.randint(-1, 1))
        g, p = interval(r, ends), interval(r, other)
        judged = grade(prepare(g, CONFIG), prepare(p, CONFIG), CONFIG)
        truth = math_verify.verify(math_verify.parse(f"${g}$"), math_verify.parse(f"${p}$"))
        assert judged.equal is truth, (g, p, judged.detail)
        fast += "different intervals" in judged.detail
    assert fast > 30  # the path was taken, not just the slow one


@pytest.mark.parametrize(
    ("gold", "pred", "equal"),
    [
        ("(2, 1)", "[2, 1]", True),  # not an interval: a pair, which math-verify equates with a list
        ("(-\\infty, 3)", "[-\\infty, 3)", True),  # sympy opens an infinite end
        ("(1, 2)", "\\{1, 2\\}", False),
        ("(1, 2)", "(1, 2]", False),
    ],
)
def test_what_the_interval_path_leaves_to_math_verify(gold: str, pred: str, equal: bool) -> None:
    judged = grade(prepare(gold, CONFIG), prepare(pred, CONFIG), CONFIG)
    assert judged.equal is equal, judged.detail


@pytest.mark.parametrize(
    "gold",
    ["\\{-14, -5, -1\\}", "(9, 36)", "(-8, 58]", "2x^2 + 4x", "4\\sqrt{3}", "\\frac{26}{89}", "20 + 9i"],
)
def test_a_gold_parsed_lazily_gives_the_same_verdicts(gold: str) -> None:
    preds = [
        gold,
        "(36, 9)",
        "[-8, 58]",
        "x(2x + 4)",
        "\\sqrt{48}",
        "26/89",
        "9i + 20",
        "\\{-1, -5, -14\\}",
        "7",
    ]
    completions = tuple(f"<think>work</think> The answer is $\\boxed{{{p}}}$." for p in preds)
    job = Job("completions", gold, completions)
    lazy = _Worker(CONFIG)
    g, _ = lazy.gold(gold)
    eager = _Worker(CONFIG)
    e, _ = eager.gold(gold)
    e.parsed()  # what gold() did before for every gold
    assert [lazy.item(job, g, c) for c in completions] == [eager.item(job, e, c) for c in completions]


def complex_forms(r: random.Random, a: int, b: int) -> str:
    sign = "+" if b >= 0 else "-"
    return r.choice([
        f"{a} {sign} {abs(b)}i", f"{b}i + {a}", f"{a} + {b}i", f"({a}) + ({b})i", f"{a}+{b}\\cdot i",
        f"\\frac{{{2 * a}}}{{2}} {sign} {abs(b)}i", f"{a} {sign} i \\cdot {abs(b)}",
    ])  # fmt: skip


def test_complex_constants_get_the_verdict_of_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The complex fast path against referee's own slow path (math-verify, then comparison by value)."""
    r = random.Random(11)
    pairs = []
    for _ in range(60):
        a, b = r.randint(-9, 9), r.choice([-7, -3, -1, 1, 2, 5, 8])
        c, d = (a, b) if r.random() < 0.5 else (a + r.choice([0, 1]), b * r.choice([1, -1]))
        pairs.append((complex_forms(r, a, b), complex_forms(r, c, d)))
    pairs += [
        ("(1+i)^2", "2i"),
        ("2i", "(1+i)^2"),
        ("i^2 + 1", "0 + 0i"),
        ("\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i", "\\frac{1+\\sqrt{3}i}{2}"),
    ]
    fast = [grade(prepare(g, CONFIG), prepare(p, CONFIG), CONFIG) for g, p in pairs]
    assert sum("complex numbers" in j.detail for j in fast) > 40
    from rewards.math import grade as grade_module

    monkeypatch.setattr(grade_module.Answer, "complex", lambda self: None)
    slow = [grade(prepare(g, CONFIG), prepare(p, CONFIG), CONFIG) for g, p in pairs]
    assert [(pair, j.equal) for pair, j in zip(pairs, fast, strict=True)] == [
        (pair, j.equal) for pair, j in zip(pairs, slow, strict=True)
    ]


def matrix(r: random.Random, rows: list[list[int]]) -> str:
    env = r.choice(["pmatrix", "bmatrix", "matrix"])
    body = " \\\\ ".join(" & ".join(map(str, row)) for row in rows)
    return f"\\begin{{{env}}} {body} \\end{{{env}}}"


def test_integer_matrices_agree_with_math_verify() -> None:
    r = random.Random(5)
    fast = 0
    for _ in range(80):
        rows = [[r.randint(-9, 9) for _ in range(2)] for _ in range(2)]
        other = [row[:] for row in rows]
        change = r.random()
        if change < 0.3:
            other = [list(c) for c in zip(*rows, strict=True)]  # transposed
        elif change < 0.5:
            other[r.randint(0, 1)][r.randint(0, 1)] += 1
        g, p = matrix(r, rows), matrix(r, other)
        judged = grade(prepare(g, CONFIG), prepare(p, CONFIG), CONFIG)
        truth = math_verify.verify(math_verify.parse(f"${g}$"), math_verify.parse(f"${p}$"))
        assert judged.equal is truth, (g, p, judged.detail)
        fast += "integer matrices" in judged.detail
    assert fast > 40  # the rest are the same text, settled before


def test_a_braced_matrix_is_left_to_math_verify() -> None:
    b, p = (
        "\\begin{Bmatrix} 1 & 2 \\\\ 3 & 4 \\end{Bmatrix}",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
    )
    judged = grade(prepare(b, CONFIG), prepare(p, CONFIG), CONFIG)
    assert judged.equal is math_verify.verify(math_verify.parse(f"${b}$"), math_verify.parse(f"${p}$"))
    assert "integer matrices" not in judged.detail
