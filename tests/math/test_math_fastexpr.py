"""The strict expression subset that skips math-verify's parser: what it accepts and decides."""

from __future__ import annotations

import random

import math_verify
import pytest

from rewards.math.fastexpr import compare, simple_expr


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        ("x^2+2x+1", "(x+1)^2", True),
        ("x^2+2x+1", "(x-1)^2", False),
        ("2\\sqrt{2}", "\\sqrt{8}", True),
        ("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", True),
        ("\\frac{1}{x}", "x^{-1}", True),
        ("x(x+1)", "x^2+x", True),
        ("\\pi r^2", "r^2\\pi", True),
        ("2x+3", "2y+3", False),
        ("\\frac{1}{2^{50}}", "2^{-50}", True),
        ("\\frac{1}{2^{50}}", "2^{-49}", False),
        ("\\sqrt{x^2}", "x", False),  # not an identity: x < 0
        ("x^2y", "y x^2", True),
        ("-x^2", "-(x^2)", True),
        ("2^{-1}", "\\frac{1}{2}", True),
    ],
)
def test_compare(gold: str, pred: str, expected: bool) -> None:
    g, p = simple_expr(gold), simple_expr(pred)
    assert g is not None and p is not None
    assert compare(g, p) is expected


@pytest.mark.parametrize(
    "text",
    [
        "xy",  # a product or a name: ambiguous, so math-verify's call
        "x2",
        "e^2",  # e and i are constants
        "3+4i",
        "2^{100}",  # no giant expansions
        "x = 3",
        "1.5x",
        "\\sin x",
        "__import__('os')",
        "x.real",
        "(1, 2)",
    ],
)
def test_outside_the_subset(text: str) -> None:
    assert simple_expr(text) is None


def _random_expr(rng: random.Random, depth: int = 0) -> str:
    atoms = ["x", "y", "2", "3", "\\pi", "\\sqrt{2}", "\\frac{1}{2}", "\\frac{x}{3}", "(x+1)", "x^2", "2x"]
    if depth > 2 or rng.random() < 0.3:
        return rng.choice(atoms)
    a, b = _random_expr(rng, depth + 1), _random_expr(rng, depth + 1)
    return rng.choice([f"{a}+{b}", f"{a}-{b}", f"({a})({b})", f"\\frac{{{a}}}{{{b}}}", f"({a})^2"])


def test_every_verdict_agrees_with_math_verify() -> None:
    rng = random.Random(7)
    decided = 0
    for _ in range(80):
        gold = _random_expr(rng)
        pred = _random_expr(rng) if rng.random() < 0.5 else gold.replace("x+1", "1+x")
        g, p = simple_expr(gold), simple_expr(pred)
        verdict = compare(g, p) if g is not None and p is not None else None
        if verdict is not None:
            decided += 1
            assert verdict == math_verify.verify(
                math_verify.parse(f"${gold}$"), math_verify.parse(f"${pred}$")
            )
    assert decided > 40
