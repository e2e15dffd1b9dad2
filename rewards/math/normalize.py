"""Small named rewrites of answer text applied before math-verify sees it.

Each step fixes one way math-verify 0.9.0 misreads an answer (a false positive or a false
negative found on real outputs); each has rows in tests/math/test_normalize.py. They run on
both gold and prediction, in the order of `STEPS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["STEPS", "normalize", "plain_number"]


def strip_markdown_bold(s: str) -> str:
    """`**5**` → `5`: math-verify keeps the stars and parses `5**` as nothing."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", s, flags=re.DOTALL)


def roman_constants(s: str) -> str:
    """`\\mathrm{e}` → `e`: math-verify's regex stops at `\\mathrm{e}` and `1-\\frac{1}{\\mathrm{e}}` became 1."""
    return re.sub(r"\\(?:mathrm|operatorname|text|rm)\s*\{\s*([ei])\s*\}", r"\1", s)


def sqrt_parentheses(s: str) -> str:
    """`\\sqrt(2)` → `\\sqrt{2}`: otherwise `4\\sqrt(2)` is read as 4."""
    return re.sub(r"\\sqrt\s*\(([^()]*)\)", r"\\sqrt{\1}", s)


def plus_minus_sign(s: str) -> str:
    """`14.0 + -1.0i` → `14.0 -1.0i`: math-verify reads only the `-1.0`."""
    return re.sub(r"\+\s*-", "-", s)


def integral_decimals(s: str) -> str:
    """`14.0` → `14`: the same number, and sympy's float `1.0*i - i` is not simplified to zero."""
    return re.sub(r"(?<![\d.])(\d+)\.0+(?![\d.])", r"\1", s)


_PLAIN_COMPLEX = re.compile(r"\s*[-+]?\s*\d+(?:\.\d+)?\s*[-+]\s*(\d+(?:\.\d+)?)?\s*\*?\s*[ij]\s*")


def plain_complex(s: str) -> str:
    """`14 -1i` → `$14 -i$`: in plain text math-verify reads only the last number of a complex."""
    if not _PLAIN_COMPLEX.fullmatch(s):
        return s
    s = re.sub(r"(?<![\d.])1\s*\*?\s*([ij])", r"\1", s.strip())
    return f"${s.replace('j', 'i').replace('*', '')}$"


def choice_letter(s: str) -> str:
    """`(C)`, `\\text{(C)}`, `\\textbf{C)}` → `C`: a multiple-choice answer is its letter."""
    m = re.fullmatch(r"\s*(?:\\text(?:bf)?\s*\{)?\s*\(?\s*([A-E])\s*\)?\s*\}?\s*", s)
    return m.group(1) if m else s


_PLAIN_FUNCS = re.compile(r"\b(sqrt|exp)\s*\(([^()]*)\)")


def plain_text_math(s: str) -> str:
    """`pi/2`, `exp(16)`, `sqrt(3)` in plain text (no LaTeX at all) → LaTeX math-verify can parse."""
    if "\\" in s or "$" in s or re.search(r"[A-Za-z]{3,}", re.sub(r"\b(?:sqrt|exp)\b", "", s)):
        return s  # LaTeX or prose: leave to math-verify
    if not re.search(r"\bpi\b|\bsqrt\s*\(|\bexp\s*\(", s):
        return s
    out = re.sub(r"\bpi\b", r"\\pi ", s)
    while (m := _PLAIN_FUNCS.search(out)) is not None:
        name, arg = m.groups()
        latex = f"\\sqrt{{{arg}}}" if name == "sqrt" else f"e^{{{arg}}}"
        out = out[: m.start()] + latex + out[m.end() :]
    return f"${out}$"


STEPS: tuple[Callable[[str], str], ...] = (
    strip_markdown_bold,
    roman_constants,
    sqrt_parentheses,
    plus_minus_sign,
    integral_decimals,
    plain_complex,
    choice_letter,
    plain_text_math,
)


def normalize(s: str) -> str:
    for step in STEPS:
        s = step(s)
    return s


# ---- exact numbers, for the fast path that needs no sympy --------------------------------------

_WRAPPERS = re.compile(
    r"^\s*(?:\$+|\\\(|\\\[)?\s*(?:\\boxed\s*\{(?P<boxed>.*)\}|(?P<bare>.*?))\s*(?:\$+|\\\)|\\\])?\s*$",
    re.DOTALL,
)
_INT = r"[1-9]\d{0,2}(?:,\d{3})+|\d+"  # `0,111` is a decimal comma, not thousands
_NUMBER = re.compile(
    rf"^(?P<sign>[-+−])?\s*(?:"
    rf"(?P<int>{_INT})(?:\.(?P<frac>\d+))?(?:\s*(?:[eE]|\\times\s*10\^|\\cdot\s*10\^)\{{?(?P<exp>[-+]?\d+)\}}?)?"
    rf"|\.(?P<frac_only>\d+)"
    rf"|\\[dt]?frac\s*\{{\s*(?P<num>\d+)\s*\}}\s*\{{\s*(?P<den>\d+)\s*\}}"
    rf"|\\[dt]?frac(?P<num1>\d)(?P<den1>\d)"
    rf"|(?P<pnum>\d+)\s*/\s*(?P<pden>\d+)"
    rf")$"
)


def plain_number(s: str) -> tuple[int, int, int | None] | None:
    """A plain number as an exact fraction: (numerator, denominator, decimal places shown).

    Decimal places are None for exact numbers (integers, fractions) and may be negative for
    scientific notation (`1.5e3` is precise to the hundreds: -2).

    Only unambiguous shapes: integers (with thousands separators), decimals, scientific
    notation, `a/b` and `\\frac{a}{b}`. Anything else (percent, units, text, symbols) is None
    and goes to math-verify.
    """
    m = _WRAPPERS.match(s)
    if m is None:
        return None
    core = (m.group("boxed") if m.group("boxed") is not None else m.group("bare")).strip()
    if len(core) > 64:
        return None
    n = _NUMBER.match(core)
    if n is None:
        return None
    g = n.groupdict()
    negative = g["sign"] in ("-", "−")
    places: int | None = None
    if g["int"] is not None:
        digits = g["int"].replace(",", "")
        frac = g["frac"] or ""
        num, den = int(digits + frac), 10 ** len(frac)
        places = len(frac) if frac else None
        if g["exp"] is not None:
            e = int(g["exp"])
            if abs(e) > 400:
                return None
            num, den = (num * 10**e, den) if e >= 0 else (num, den * 10**-e)
            places = len(frac) - e
    elif g["frac_only"] is not None:
        num, den, places = int(g["frac_only"]), 10 ** len(g["frac_only"]), len(g["frac_only"])
    elif g["num"] is not None:
        num, den = int(g["num"]), int(g["den"])
    elif g["num1"] is not None:
        num, den = int(g["num1"]), int(g["den1"])
    else:
        num, den = int(g["pnum"]), int(g["pden"])
    if den == 0:
        return None
    return (-num if negative else num), den, places
