"""The strict expression subset that skips math-verify's parser: what it accepts and decides."""

from __future__ import annotations

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
