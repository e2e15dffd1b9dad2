"""Small named rewrites of answer text applied before math-verify sees it.

Each step fixes one way math-verify 0.9.0 misreads an answer (a false positive or a false
negative found on real outputs); each has rows in tests/math/test_normalize.py. They run on
both gold and prediction, in the order of `STEPS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "STEPS",
    "Number",
    "NumberList",
    "is_prose",
    "leading_choice",
    "normalize",
    "number_list",
    "plain_number",
]

# three words of four letters or more, not LaTeX commands (`\\frac`, `\\right`): a sentence
_PROSE = re.compile(r"(?:(?<![\\A-Za-z])[A-Za-z]{4,}\b.*){3}", re.DOTALL)


def is_prose(s: str) -> bool:
    return bool(_PROSE.search(s))


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


def currency(s: str) -> str:
    """`\\$18.90` → `18.90`: a dollar sign is a unit, and math-verify cannot parse it inside math."""
    return re.sub(r"\\\$\s*(?=[-\d.])", "", s)


def degree_sign(s: str) -> str:
    """`30°` → `30^\\circ`: math-verify strips `^\\circ` but not the Unicode sign."""
    return s.replace("°", "^\\circ")


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


def mixed_number(s: str) -> str:
    """`2\\frac{1}{2}` → `\\frac{5}{2}`: math-verify reads a mixed number as the product 2·½ = 1."""

    def improper(m: re.Match[str]) -> str:
        whole, num, den = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return f"\\frac{{{whole * den + num}}}{{{den}}}" if num < den else m.group(0)

    return re.sub(
        r"(?<![\d.^_{}\\a-zA-Z])(\d+)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}", improper, s
    )


def choice_letter(s: str) -> str:
    """`(C)`, `\\text{(C)}`, `\\textbf{C)}` → `C`: a multiple-choice answer is its letter."""
    m = re.fullmatch(r"\s*(?:\\text(?:bf)?\s*\{)?\s*\(?\s*([A-E])\s*\)?\s*\}?\s*", s)
    return m.group(1) if m else s


_LEADING_CHOICE = re.compile(
    r"\s*(?:\\text(?:bf)?\s*\{\s*)?(?:(?i:option|choice)\s*)?\(?([A-E])(?:\)|\}|\.|:|\s|$)"
)


def leading_choice(s: str) -> str | None:
    """The option letter an answer starts with (`C) 5`, `\\textbf{(C)} 5`, `Option C`), or None.
    Used only against a gold that is a letter."""
    m = _LEADING_CHOICE.match(s)
    return m.group(1) if m else None


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
    return "$" + out.replace("*", " \\cdot ") + "$"


_DELIMITED = re.compile(r"\$|\\\(|\\\[|\\boxed|\\fbox")


def delimit_bare_latex(s: str) -> str:
    """`\\frac{1}{2}`, `x^2+1`, `(1,2)` → `\\boxed{…}`: math-verify only reads LaTeX inside delimiters
    (bare, `\\sqrt{3}` is nothing and `(1,2)` is 2). Prose and plain digits are left to its own search."""
    # a lone number (`1 000`, `1,22` with a decimal comma) is read better by math-verify's own search
    if (
        _DELIMITED.search(s)
        or is_prose(s)
        or re.fullmatch(r"\s*-?(?:[\d\s]*|\d+,\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?\s*", s)
    ):
        return s
    depth = 0
    for c in s:
        depth += (c == "{") - (c == "}")
        if depth < 0:
            break
    return f"\\boxed{{{s.strip()}}}" if depth == 0 else f"${s.strip()}$"


STEPS: tuple[Callable[[str], str], ...] = (
    strip_markdown_bold,
    roman_constants,
    sqrt_parentheses,
    plus_minus_sign,
    currency,
    degree_sign,
    integral_decimals,
    plain_complex,
    mixed_number,
    choice_letter,
    plain_text_math,
    delimit_bare_latex,
)


def normalize(s: str) -> str:
    for step in STEPS:
        s = step(s)
    return s


# ---- exact numbers, for the fast path that needs no sympy --------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """A plain number, exactly. `places` is the decimals shown (None: exact; negative for `1.5e3`)."""

    value: Fraction
    places: int | None = None
    percent: bool = False


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
    rf")\s*(?P<percent>\\?%|\\text\{{\s*\\?%\s*\}})?$"
)


def plain_number(s: str) -> Number | None:
    """The value of `s` when it is a plain number, else None (math-verify decides).

    Only unambiguous shapes: integers (with thousands separators), decimals, scientific
    notation, `a/b` and `\\frac{a}{b}`, each optionally a percentage.
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
    places: int | None = None
    if g["int"] is not None:
        frac = g["frac"] or ""
        value = Fraction(int(g["int"].replace(",", "") + frac), 10 ** len(frac))
        places = len(frac) if frac else None
        if g["exp"] is not None:
            e = int(g["exp"])
            if abs(e) > 400:
                return None
            value *= Fraction(10) ** e
            places = len(frac) - e
    elif g["frac_only"] is not None:
        value, places = Fraction(int(g["frac_only"]), 10 ** len(g["frac_only"])), len(g["frac_only"])
    else:
        num, den = (
            (g["num"], g["den"])
            if g["num"]
            else (g["num1"], g["den1"])
            if g["num1"]
            else (g["pnum"], g["pden"])
        )
        if int(den) == 0:
            return None
        value = Fraction(int(num), int(den))
    return Number(-value if g["sign"] in ("-", "−") else value, places, g["percent"] is not None)


@dataclass(frozen=True, slots=True)
class NumberList:
    """`(1, 2]`, `[-\\infty, 3)`, `\\{1, 2\\}` with plain numbers only: brackets and items."""

    brackets: str  # e.g. "(]" or "{}"
    items: tuple[Number | str, ...]  # a Number, or "inf" / "-inf"


_OPEN = {"(": "(", "[": "[", "\\{": "{", "\\lbrace": "{"}
_CLOSE = {")": ")", "]": "]", "\\}": "}", "\\rbrace": "}"}


def _bracket(s: str, table: dict[str, str], at_start: bool) -> tuple[str, str] | None:
    for token, name in table.items():
        if s.startswith(token) if at_start else s.endswith(token):
            return name, s[len(token) :] if at_start else s[: -len(token)]
    return None


def number_list(s: str) -> NumberList | None:
    """A bracketed list of plain numbers (and infinities), or None: the fast path for intervals,
    tuples and sets that needs no LaTeX parser. Bare lists (`1, 2`) are left to math-verify."""
    core = re.sub(r"\\left|\\right|\s+", "", s)
    opened = _bracket(core, _OPEN, at_start=True)
    closed = opened and _bracket(opened[1], _CLOSE, at_start=False)
    if not opened or not closed or len(core) > 200:
        return None
    inner = closed[1]
    if not inner or any(c in inner for c in "()[]") or "\\{" in inner:  # nested or empty: not flat
        return None
    items: list[Number | str] = []
    for part in inner.split(","):
        if re.fullmatch(r"[+]?\\infty", part):
            items.append("inf")
        elif part == "-\\infty":
            items.append("-inf")
        elif (n := plain_number(part)) is not None and not n.percent:
            items.append(n)
        else:
            return None
    if len(items) < 2:
        return None
    return NumberList(opened[0] + closed[0], tuple(items))
