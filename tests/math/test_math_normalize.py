"""Each normalization step, on its own."""

from __future__ import annotations

from fractions import Fraction

import pytest

from rewards.math.normalize import (
    Number,
    choice_letter,
    currency,
    degree_sign,
    delimit_bare_latex,
    integral_decimals,
    mixed_number,
    number_list,
    plain_complex,
    plain_number,
    plain_text_math,
    plus_minus_sign,
    roman_constants,
    sqrt_parentheses,
    strip_markdown_bold,
)


@pytest.mark.parametrize(
    "step,before,after",
    [
        (strip_markdown_bold, "**5**", "5"),
        (strip_markdown_bold, "2 ** 3", "2 ** 3"),
        (roman_constants, "1-\\frac{1}{\\mathrm{e}}", "1-\\frac{1}{e}"),
        (roman_constants, "\\mathrm{cm}", "\\mathrm{cm}"),
        (sqrt_parentheses, "4\\sqrt(2)", "4\\sqrt{2}"),
        (plus_minus_sign, "14.0 + -1.0i", "14.0 -1.0i"),
        (choice_letter, "(C)", "C"),
        (choice_letter, "\\text{(B)}", "B"),
        (choice_letter, "CD", "CD"),
        (plain_text_math, "pi/2", "$\\pi /2$"),
        (plain_text_math, "exp(16)", "$e^{16}$"),
        (plain_text_math, "the pizza is pi", "the pizza is pi"),
        (plain_text_math, "$\\pi$", "$\\pi$"),
        (plain_text_math, "2*pi", "$2 \\cdot \\pi $"),
        (degree_sign, "30°", "30^\\circ"),
        (currency, "\\$18.90", "18.90"),
        (currency, "$x$", "$x$"),
        (integral_decimals, "14.0 - 2.50i", "14 - 2.50i"),
        (plain_complex, "14 -1i", "$14 -i$"),
        (plain_complex, "3 - 2j", "$3 - 2i$"),
        (mixed_number, "2\\frac{1}{2}", "\\frac{5}{2}"),
        (mixed_number, "x^2\\frac{1}{2}", "x^2\\frac{1}{2}"),
        (mixed_number, "2\\frac{5}{3}", "2\\frac{5}{3}"),
        (delimit_bare_latex, "\\sqrt{3}", "\\boxed{\\sqrt{3}}"),
        (delimit_bare_latex, "(1,2)", "\\boxed{(1,2)}"),
        (delimit_bare_latex, "2, 3", "\\boxed{2, 3}"),
        (delimit_bare_latex, "1000,99", "1000,99"),
        (delimit_bare_latex, "1 000", "1 000"),
        (delimit_bare_latex, "$x$", "$x$"),
        (delimit_bare_latex, "The final answer is surely five", "The final answer is surely five"),
    ],
)
def test_step(step, before: str, after: str) -> None:  # type: ignore[no-untyped-def]
    assert step(before) == after


@pytest.mark.parametrize(
    "text,number",
    [
        ("5", Number(Fraction(5))),
        ("-5", Number(Fraction(-5))),
        ("7,425,000", Number(Fraction(7425000))),
        ("1000.0", Number(Fraction(1000), 1)),
        ("$\\frac{1}{2}$", Number(Fraction(1, 2))),
        ("\\boxed{0.5}", Number(Fraction(1, 2), 1)),
        ("1.5e3", Number(Fraction(1500), -2)),
        ("\\frac12", Number(Fraction(1, 2))),
        ("28\\%", Number(Fraction(28), None, True)),
        ("12.5%", Number(Fraction(25, 2), 1, True)),
        ("0,111", None),
        ("x", None),
        ("1/0", None),
    ],
)
def test_plain_number(text: str, number: Number | None) -> None:
    assert plain_number(text) == number


@pytest.mark.parametrize(
    "text,brackets,size",
    [
        ("(1, 2]", "(]", 2),
        ("\\left(-3,4\\right]", "(]", 2),
        ("\\{3,1,2\\}", "{}", 3),
        ("[0,+\\infty)", "[)", 2),
        ("(\\frac{3}{5},\\frac{8}{3}]", "(]", 2),
        ("(1)", None, 0),
        ("(a,b)", None, 0),
        ("((1,2),(3,4))", None, 0),
    ],
)
def test_number_list(text: str, brackets: str | None, size: int) -> None:
    found = number_list(text)
    assert (found.brackets, len(found.items)) == (brackets, size) if found else brackets is None
