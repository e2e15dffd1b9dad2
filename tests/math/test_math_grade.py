"""Regression table for equality: one row per bug a real answer revealed (real math-verify, no mocks)."""

from __future__ import annotations

import pytest

from rewards.math.config import MathConfig
from rewards.math.grade import grade, prepare

CONFIG = MathConfig(workers=1)


def equal(gold: str, pred: str) -> bool:
    return grade(prepare(gold, CONFIG), prepare(pred, CONFIG), CONFIG).equal


# math-verify 0.9.0 says "equal" to every one of these (DESIGN.md, "what the field has learned")
KNOWN_FALSE_POSITIVES = [
    ("$\\frac{1}{2004!}$", "$\\frac{1}{2006!}$"),
    ("$\\frac{1}{2^{99}}$", "$\\frac{1}{2^{98}}$"),
    ("$1,2,\\ldots,n$", "$\\boxed{1,3,\\ldots,2n-1}$"),
    ("0", "2x+3=0"),
    ("$0$", "x^2+y^2-1=0"),
    ("$4$", "$4\\sqrt(2)$"),
    ("$1-\\frac{1}{\\mathrm{e}}$", "$1+\\frac{1}{\\mathrm{e}}$"),
    ("$10^{-7}$", "$2 \\cdot 10^{-7}$"),
    ("$(1,2)$", "$\\{1,2\\}$"),  # an interval or pair is not a set
    ("5\\text{ cm}", "5\\text{ m}"),  # units are stripped, so they must agree when both are given
]


@pytest.mark.parametrize("gold,pred", KNOWN_FALSE_POSITIVES)
def test_known_false_positives_are_rejected(gold: str, pred: str) -> None:
    assert not equal(gold, pred)


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        # numbers
        ("7425000", "7,425,000", True),
        ("1000", "1000.0", True),
        ("\\frac{1}{2}", "0.5", True),
        ("\\frac12", "\\dfrac{1}{2}", True),
        # the precision rule: a decimal for an exact gold needs 6 significant digits, correctly rounded
        ("\\frac{1}{3}", "0.33", False),
        ("\\frac{1}{3}", "0.3333", False),
        ("\\frac{1}{3}", "0.333333", True),
        ("\\frac{1}{3}", "0.333334", False),  # not the correct rounding
        ("\\frac{2}{3}", "0.67", False),
        ("\\frac{2}{3}", "0.666667", True),
        ("\\frac{1}{3}", "0.3", False),
        ("0.5", "0.51", False),
        ("3.14159", "3.14", False),  # a decimal gold at its own precision: 3.14 is less
        ("3.14", "3.14159", False),  # two different decimals
        ("0.33", "\\frac{1}{3}", True),  # a decimal gold at its own precision: 1/3 rounds to it
        ("0.3", "\\frac{1}{3}", False),  # rounds right but 10% off
        ("3.14", "\\pi", True),
        ("1.41", "\\sqrt{2}", True),
        ("1.42", "\\sqrt{2}", False),
        ("2\\sqrt{2}", "2.828", False),
        ("2\\sqrt{2}", "2.82843", True),
        ("2\\sqrt{2}", "2.8", False),
        ("\\sqrt{2}", "1.41", False),
        ("\\pi", "3.14", False),
        ("\\pi", "3.14159", True),
        ("\\pi", "3.141593", True),
        ("\\pi", "3.1416", False),
        ("\\pi", "3.14158", False),  # not the correct rounding
        ("\\frac{5}{7}", "0.714286", True),
        ("\\frac{5}{7}", "0.71", False),
        ("\\frac{1}{4}", "0.25", True),  # terminating: the decimal is the exact value
        ("1500", "1.5e3", True),
        ("-5", "5", False),
        ("0,111", "0.111", True),  # decimal comma
        ("1/2", "\\frac{1}{2}", True),
        ("2", "2.0001", False),
        # math-verify false negatives fixed by normalization
        ("$\\frac{\\pi}{2}$", "pi/2", True),
        ("$e^{16}$", "exp(16)", True),
        ("$14-i$", "14.0 + -1.0i", True),
        ("$5$", "**5**", True),
        ("$\\sqrt{3}$", "sqrt(3)", True),
        # expressions, equations, relations
        ("x = 3", "3", True),
        ("3", "x=3", True),
        ("$x^2+2x+1$", "$(x+1)^2$", True),
        ("$x^2+2x+1$", "$(x-1)^2$", False),
        ("$a +3z = 0$", "$0$", False),
        ("$x > 5$", "$x < 5$", False),
        ("$(p,q)=(3,2)$", "$(3,2)$", True),
        ("$|AB|=1$", "$1$", True),
        # sets, intervals, tuples, matrices
        ("$[0,9)$", "$[0,9)$", True),
        ("$(0,9)$", "$[0,9)$", False),
        ("$\\{1,2,3\\}$", "$\\{3,2,1\\}$", True),
        ("$(3,1)$", "$(1,3)$", False),
        ("(-\\infty, 3]", "\\left(-\\infty,3\\right]", True),
        ("(\\frac{1}{2}, 1]", "(0.5, 1]", True),
        ("(\\frac{1}{2}, 1]", "(0.4, 1]", False),
        ("(\\frac{3}{5},\\frac{8}{3}]", "(0.6,2.66667]", True),
        ("(\\frac{3}{5},\\frac{8}{3}]", "(0.6,2.67]", False),
        ("(\\frac{3}{5},\\frac{8}{3}]", "(0.6,2.7]", False),
        ("\\{1, 2, 3\\}", "\\{3, 1, 2\\}", True),
        ("\\{1, 2, 3\\}", "\\{3, 1, 4\\}", False),
        (
            "$\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}$",
            "$\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}$",
            False,
        ),
        # text and choices
        ("C", "\\boxed{C}", True),
        ("C", "(C)", True),
        ("\\text{(C)}", "C", True),
        ("C", "D", False),
        ("C", "C) 5", True),
        ("C", "\\textbf{(C)} 5", True),
        ("C", "Option C", True),
        ("C", "D) 5", False),
        ("C", "Check", False),
        ("$\\pm 2021$", "$2021$", False),
        ("$20^\\circ$", "$20$", True),
        ("5\\text{ cm}", "5", True),
        ("5\\text{ cm}", "5 \\text{cm}", True),
        ("12 \\text{ meters}", "12 meter", True),
        ("5\\text{ cm}^2", "5\\text{ cm}", False),
        ("$28\\%$", "$28$", True),
        ("25\\%", "0.25", True),
        ("\\frac{1}{4}", "0.25\\%", False),
        ("1", "\\boxed{2}\\boxed{1}", False),  # several answers read together: {1, 2}
        ("$(2, 2), (6, 2)$", "\\boxed{(2, 2)} \\text{ and } \\boxed{(6, 2)}", True),
        ("1", "\\boxed{1} so \\boxed{1}", True),
        ("ab", "ba", True),
        ("0", "\\sin(\\pi)", True),  # evalf gives 0.e-122, not a gap
        ("\\frac{1}{1024}", "0.001", False),
    ],
)
def test_equality(gold: str, pred: str, expected: bool) -> None:
    assert equal(gold, pred) is expected


@pytest.mark.parametrize(
    "pred,status",
    [
        ("x" * 30_000, "INVALID_INPUT"),
        ("{" * 100 + "1" + "}" * 100, "INVALID_INPUT"),
        ("5^{5^{5^{5^5}}}", "INVALID_INPUT"),
        ("\x00\x01\xff junk", "OK"),
        ("", "OK"),
    ],
)
def test_bad_answers_are_refused_with_a_status(pred: str, status: str) -> None:
    j = grade(prepare("1", CONFIG), prepare(pred, CONFIG), CONFIG)
    assert (j.equal, j.status) == (False, status)
    assert j.detail


def test_detail_names_both_sides() -> None:
    j = grade(prepare("\\frac{1}{2}", CONFIG), prepare("0.5", CONFIG), CONFIG)
    assert "\\frac{1}{2}" in j.detail and "0.5" in j.detail and "equal" in j.detail
