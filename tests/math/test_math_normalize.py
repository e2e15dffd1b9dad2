"""Each normalization step, on its own."""

from __future__ import annotations

from fractions import Fraction

import pytest

from rewards.math.normalize import (
    Number,
    bold_symbols,
    choice_letter,
    clock_time,
    currency,
    degree_sign,
    degrees_in_trig,
    delimit_bare_latex,
    empty_set,
    escaped_controls,
    function_name,
    inequality_interval,
    integral_decimals,
    mixed_number,
    number_list,
    plain_complex,
    plain_number,
    plain_text_math,
    plus_minus_sign,
    prime_marks,
    repeating_decimal,
    roman_constants,
    root_braces,
    sqrt_of_negative,
    sqrt_parentheses,
    strip_markdown_bold,
    thousands_thin_space,
    trailing_backslash,
    tuple_entries,
    vector_entries,
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
        # issue 19: one class each
        (mixed_number, "2 1/4", "\\frac{9}{4}"),
        (mixed_number, "-2 1/4", "-\\frac{9}{4}"),
        (mixed_number, "\\boxed{2 1/4}", "\\boxed{\\frac{9}{4}}"),
        (mixed_number, "2 5/4", "2 5/4"),  # no mixed number
        (mixed_number, "1 000", "1 000"),
        (bold_symbols, "x = \\textbf{12}", "x = 12"),
        (bold_symbols, "\\mathcal{D}", "D"),
        (bold_symbols, "\\mathbb{R}", "\\mathbb{R}"),
        (empty_set, "\\varnothing", "\\emptyset "),
        (empty_set, "\\{ \\}", "\\emptyset "),
        (prime_marks, "A^{\\prime}", "A'"),
        (prime_marks, "f′(x)", "f'(x)"),
        (repeating_decimal, "0.\\overline{6}", "\\frac{2}{3}"),
        (repeating_decimal, "0.1\\overline{6}", "\\frac{1}{6}"),
        (repeating_decimal, "1.\\overline{3}", "\\frac{4}{3}"),
        (repeating_decimal, "0.\\overline{9}", "1"),
        (sqrt_of_negative, "\\sqrt{-4}", "2i"),
        (sqrt_of_negative, "\\sqrt{-1}", "i"),
        (sqrt_of_negative, "1+\\sqrt{-3}", "1+\\sqrt{3}i"),
        (sqrt_of_negative, "\\sqrt{4}", "\\sqrt{4}"),
        (degrees_in_trig, "\\sin(90^\\circ - x)", "\\sin(\\frac{90\\pi}{180}- x)"),
        (degrees_in_trig, "30^\\circ", "30^\\circ"),  # an angle as the answer stays in degrees
        (inequality_interval, "-1 \\le x \\le 3", "[-1,3]"),
        (inequality_interval, "-1 < x \\leq 3", "(-1,3]"),
        (inequality_interval, "3 \\ge x > -1", "(-1,3]"),
        (inequality_interval, "x > 2", "(2,\\infty)"),
        (inequality_interval, "x \\le 2", "(-\\infty,2]"),
        (inequality_interval, "5 < y", "(5,\\infty)"),
        (inequality_interval, "x < -2 \\text{ or } x > 2", "(-\\infty,-2) \\cup (2,\\infty)"),
        (inequality_interval, "$x \\ge 3$", "\\boxed{[3,\\infty)}"),
        (inequality_interval, "x < y < z", "x < y < z"),  # two variables: no interval
        (inequality_interval, "1 < x > 3", "1 < x > 3"),
        (function_name, "f(x) = 2x+1", "2x+1"),
        (function_name, "y = 2x+1", "2x+1"),
        (function_name, "x = 3", "x = 3"),  # a value, not a function
        (function_name, "x^2 + y = 1", "x^2 + y = 1"),
        (function_name, "x = 2y", "x = 2y"),  # a value of x, not a function
        (escaped_controls, "$\x0crac{\\sqrt{17}}{17}$", "$\\frac{\\sqrt{17}}{17}$"),
        (escaped_controls, "\x08eta", "\\beta"),
        (escaped_controls, "a\tb", "a\tb"),  # a tab may be a tab
        (thousands_thin_space, "56,\\!01,\\!78,\\!95,\\!760", "56017895760"),
        (thousands_thin_space, "14{,}916", "14916"),
        (thousands_thin_space, "1{,}5", "1{,}5"),  # a decimal comma, not thousands
        (trailing_backslash, "185\\", "185"),
        (trailing_backslash, "x \\\\", "x "),
        (root_braces, "\\sqrt[3]8", "\\sqrt[3]{8}"),
        (root_braces, "\\sqrt2x", "\\sqrt{2}x"),
        (root_braces, "\\sqrt{2}", "\\sqrt{2}"),
        (choice_letter, "\\mathrm{E}", "E"),
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


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("9:05", 9 * 3600 + 300),
        ("09:05:00", 9 * 3600 + 300),
        ("9:05 A.M.", 9 * 3600 + 300),
        ("9:05 p.m.", 21 * 3600 + 300),
        ("12:30 a.m.", 1800),
        ("9:05\\text{ PM}", 21 * 3600 + 300),
        ("25:00", None),
        ("9:60", None),
        ("13:00 pm", None),
        ("7:3", None),
        ("3:2", None),
    ],
)
def test_clock_time(text: str, seconds: int | None) -> None:
    assert clock_time(text) == seconds


def test_vectors_and_tuples() -> None:
    assert vector_entries("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}") == ("1", "2")
    assert vector_entries("\\begin{bmatrix} 1 & 2 & 3 \\end{bmatrix}") == ("1", "2", "3")
    assert vector_entries("\\langle 1, \\frac{1}{2} \\rangle") == ("1", "\\frac{1}{2}")
    assert vector_entries("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}") is None  # a matrix
    assert tuple_entries("(1, (2, 3))") == ("1", "(2, 3)")
    assert tuple_entries("\\left[1, 2\\right]") == ("1", "2")
    assert tuple_entries("(1)") is None
