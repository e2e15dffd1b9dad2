"""Each normalization step, on its own."""

from __future__ import annotations

import pytest

from rewards.math.normalize import (
    choice_letter,
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
    ],
)
def test_step(step, before: str, after: str) -> None:  # type: ignore[no-untyped-def]
    assert step(before) == after


@pytest.mark.parametrize(
    "text,number",
    [
        ("5", (5, 1, None)),
        ("-5", (-5, 1, None)),
        ("7,425,000", (7425000, 1, None)),
        ("1000.0", (10000, 10, 1)),
        ("$\\frac{1}{2}$", (1, 2, None)),
        ("\\boxed{0.5}", (5, 10, 1)),
        ("1.5e3", (15000, 10, -2)),
        ("\\frac12", (1, 2, None)),
        ("0,111", None),
        ("28\\%", None),
        ("x", None),
        ("1/0", None),
    ],
)
def test_plain_number(text: str, number: tuple[int, int, int | None] | None) -> None:
    assert plain_number(text) == number
