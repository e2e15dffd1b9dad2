"""A fast path for simple expressions that skips math-verify's ANTLR parser (~30 ms a parse).

Only a strict subset of LaTeX is accepted: integers, single-letter variables (not `e` or `i`,
which are constants), `+ - * / ^`, parentheses and braces, `\\frac`, `\\sqrt`, `\\cdot`,
`\\times`, `\\pi`. Anything else returns None and goes to math-verify. The text is rewritten to
Python syntax that holds only those names and operators, so `parse_expr` evaluates nothing else.

`compare` trusts only what it can prove: equal when `expand(gold - pred)` is exactly 0, different
when the two differ at a rational point; otherwise None (math-verify decides).
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy
from sympy.parsing.sympy_parser import implicit_multiplication, parse_expr, standard_transformations

__all__ = ["compare", "complex_constant", "complex_equal", "simple_expr"]

_TOKEN = re.compile(r"\\[dt]?frac|\\sqrt|\\cdot|\\times|\\left|\\right|\\pi|[a-dfghj-z]|\d+|[-+*/^(){}]|\s+")
_COMPLEX_TOKEN = re.compile(r"\\[dt]?frac|\\sqrt|\\cdot|\\times|\\left|\\right|\\pi|i|\d+|[-+*/^(){}]|\s+")
_VARIABLES = {c: sympy.Symbol(c) for c in "abcdfghjklmnopqrstuvwxyz"}
_NAMES = {**_VARIABLES, "pi": sympy.pi, "sqrt": sympy.sqrt}
_TRANSFORMS = (*standard_transformations, implicit_multiplication)
_POINTS = (Fraction(3, 7), Fraction(-5, 11), Fraction(13, 17))  # fixed: verdicts are reproducible


def _group(s: str, start: int) -> tuple[str, int] | None:
    """The text of the `{…}` group opening at `start`, and the index after it."""
    if start >= len(s) or s[start] != "{":
        return None
    depth = 0
    for i in range(start, len(s)):
        depth += (s[i] == "{") - (s[i] == "}")
        if depth == 0:
            return s[start + 1 : i], i + 1
    return None


def _to_python(s: str, token: re.Pattern[str] = _TOKEN) -> str | None:
    out, i = [], 0
    while i < len(s):
        m = token.match(s, i)
        if m is None:
            return None
        tok = m.group(0)
        if tok in ("\\frac", "\\dfrac", "\\tfrac"):
            num = _group(s, m.end())
            den = num and _group(s, num[1])
            if not num or not den:
                return None
            a, b = _to_python(num[0], token), _to_python(den[0], token)
            if a is None or b is None:
                return None
            out.append(f"(({a})/({b}))")
            i = den[1]
            continue
        if tok == "\\sqrt":
            arg = _group(s, m.end())
            inner = arg and _to_python(arg[0], token)
            if not arg or inner is None:
                return None
            out.append(f"sqrt({inner})")
            i = arg[1]
            continue
        out.append(
            {"\\cdot": "*", "\\times": "*", "\\left": "", "\\right": "", "\\pi": " pi ", "^": "**"}.get(
                tok, tok
            )
        )
        i = m.end()
    return "".join(out).replace("{", "(").replace("}", ")")


def _giant_power(python: str) -> bool:
    """An exponent above 64: no giant expansions."""
    return any(int(n) > 64 for n in re.findall(r"\*\*\(?\s*(\d+)", python))


def _parse(core: str, token: re.Pattern[str], local_dict: dict, global_dict: dict) -> sympy.Expr | None:
    """`core` rewritten to Python in the subset `token` admits, then parsed by sympy with only
    these names; None when it is outside the subset or Python rejects it."""
    text = _to_python(core, token)
    if text is None or not text.strip() or _giant_power(text):
        return None
    try:
        expr = parse_expr(text, local_dict=local_dict, global_dict=global_dict, transformations=_TRANSFORMS)
    except Exception:  # a syntax the subset lets through but Python rejects: math-verify's turn
        return None
    return expr if isinstance(expr, sympy.Expr) else None


def simple_expr(core: str) -> sympy.Expr | None:
    """`core` as a sympy expression when it is in the strict subset, else None."""
    names = re.sub(r"\\[a-z]+", " ", core)
    if len(core) > 200 or re.search(r"[a-z]{2}|[a-z]\d", names):  # `xy`, `x2`: names or products?
        return None
    global_dict = {"Integer": sympy.Integer, "Symbol": sympy.Symbol, "sqrt": sympy.sqrt, "pi": sympy.pi,
                   "Rational": sympy.Rational, "Float": sympy.Float}  # fmt: skip
    return _parse(core, _TOKEN, dict(_NAMES), global_dict)


def complex_constant(core: str) -> sympy.Expr | None:
    """`core` as an exact complex constant when it is the subset with `i` as the imaginary unit
    and no other letter (`20 + 9i`, `\\frac{1}{2} - \\frac{\\sqrt{3}}{2}i`), else None."""
    if len(core) > 200 or re.search(r"\^\s*\{?\s*i", core):  # `e^{i\\theta}` is math-verify's
        return None
    names = {"i": sympy.I, "pi": sympy.pi, "sqrt": sympy.sqrt}
    expr = _parse(core, _COMPLEX_TOKEN, names, {"Integer": sympy.Integer, "Rational": sympy.Rational})
    return expr if expr is not None and expr.is_number else None


def complex_equal(gold: sympy.Expr, pred: sympy.Expr) -> bool | None:
    """Exactly equal (True), apart by more than rounding (False), or None (undecided)."""
    diff = sympy.expand(gold - pred)
    if diff == 0:
        return True
    try:
        d = abs(diff.evalf(50))
        scale = max(abs(gold.evalf(50)), abs(pred.evalf(50)), 1)
        return False if d.is_Float and bool(d > sympy.Float("1e-12") * scale) else None
    except (TypeError, ValueError, ArithmeticError):
        return None


def compare(gold: sympy.Expr, pred: sympy.Expr) -> bool | None:
    """True (identical), False (differ at a point) or None (undecided)."""
    diff = sympy.expand(gold - pred)
    if diff == 0:
        return True
    if diff.is_Rational:  # two constants a nonzero rational apart (2^{-50} vs 2^{-49})
        return False
    symbols = sorted(diff.free_symbols, key=str)
    for k in range(len(_POINTS)):
        point = {
            s: sympy.Rational(_POINTS[(k + j) % 3].numerator, _POINTS[(k + j) % 3].denominator) * (j + 1)
            for j, s in enumerate(symbols)
        }
        try:
            d = abs(diff.subs(point).evalf(50))
            scale = max(abs(gold.subs(point).evalf(50)), abs(pred.subs(point).evalf(50)))
            # stay in sympy floats (no underflow); a difference with no significant digit is a zero
            if d.is_Float and d._prec >= 8 and bool(d > sympy.Float("1e-12") * scale):
                return False
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            continue  # a pole or a non-number at this point: try the next
    return None
