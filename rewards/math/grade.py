"""Decide whether a predicted answer equals the gold answer. Runs inside a worker process.

Order of checks, cheapest first:

1. refusals: answers that are too long, too deeply nested or exponent towers (INVALID_INPUT);
2. fast paths without math-verify: multiple-choice letters, plain numbers compared as exact
   fractions (a decimal must be the value correctly rounded), identical text, bracketed lists of
   numbers, and simple expressions compared by sympy directly (`fastexpr`);
3. math-verify (`parse` + `verify`, with its signal timeouts off: the worker is killed from outside),
   after a decimal-for-an-exact-constant check (`2.828` for `2\\sqrt{2}`) it would miss;
4. guards on every "equal" from math-verify, each rejecting one known false positive:
   exact values that differ at high precision (`1/2^{99}` vs `1/2^{98}`), an equation against a
   bare value (`x+y=0` vs `0`), sequences with an ellipsis (`1,2,…,n` vs `1,3,…,2n-1`), an
   interval or pair against a set (`(1,2)` vs `\\{1,2\\}`), and extractions math-verify cut off
   mid-expression (unbalanced braces).

Prose and several boxed parts are left whole to math-verify's own extraction: no fast path or
shape guard may guess which part is the answer.

`verify(gold, pred)` in math-verify is not symmetric: gold always goes first.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import math_verify
import sympy

from rewards.math.config import MathConfig
from rewards.math.extract import boxed_contents
from rewards.math.fastexpr import compare, simple_expr
from rewards.math.normalize import (
    Number,
    NumberList,
    choice_letter,
    is_prose,
    leading_choice,
    normalize,
    number_list,
    plain_number,
)

__all__ = ["Answer", "Judgement", "grade", "prepare"]


class _NoTimeoutWarning(logging.Filter):
    """math-verify warns that its signal timeouts are off; here that is the design (workers are killed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Timeout is disabled" not in record.getMessage()


for _name in ("math_verify.parser", "math_verify.grader"):
    logging.getLogger(_name).addFilter(_NoTimeoutWarning())

_OK, _INVALID = "OK", "INVALID_INPUT"
_SHOW = 48  # characters of each answer shown in a detail


@dataclass(frozen=True, slots=True)
class Judgement:
    equal: bool
    status: str  # a rewards.types.Status value; plain str so it pickles cheaply across processes
    detail: str


def _show(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= _SHOW else s[: _SHOW - 1] + "…"


_UNWRAP = re.compile(r"^\s*(?:\$+|\\\(|\\\[)?\s*(.*?)\s*(?:\$+|\\\)|\\\])?\s*\.?\s*$", re.DOTALL)


def _core(text: str) -> str:
    """The answer without `$…$`, `\\(…\\)` and one outer `\\boxed{…}`."""
    m = _UNWRAP.match(text)
    core = (m.group(1) if m else text).rstrip(". ")
    b = re.fullmatch(r"\\(?:boxed|fbox)\s*\{(.*)\}", core, re.DOTALL)
    return b.group(1).strip() if b else core


def _text_key(core: str) -> str:
    """Spelling-insensitive key: identical keys are the same answer, no sympy needed."""
    s = re.sub(r"\\[dt]frac", r"\\frac", core)
    s = re.sub(r"\\left|\\right|\\displaystyle|\\[,;:! ]|\s+", "", s)
    return s.rstrip(".")


def _brace_depth(s: str) -> int:
    depth = deepest = 0
    for c in s:
        if c == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif c == "}":
            depth -= 1
    return deepest


def _power_depth(s: str) -> int:
    """Longest chain of nested exponents: `a^{b^{c}}` is 2. Towers are what make sympy hang."""
    stack: list[int] = []  # for each open brace: exponent depth inside it
    depth = deepest = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "^":
            deepest = max(deepest, depth + 1)
            if s[i + 1 : i + 2] == "{":
                stack.append(depth)
                depth += 1
                i += 2
                continue
        elif c == "{":
            stack.append(depth)
        elif c == "}" and stack:
            depth = stack.pop()
        i += 1
    return deepest


def _balanced(s: str) -> bool:
    depth = 0
    for c in s.replace("\\{", "").replace("\\}", ""):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


_ELLIPSIS = re.compile(r"\\[lc]?dots|,\s*\.\.\.\s*,|…")


def _top_level_parts(core: str) -> list[str]:
    """`core` split at `=` signs outside brackets (`\\leq`, `\\neq`, `:=` are not split)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(core):
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif depth == 0 and c == "=" and (i == 0 or core[i - 1] not in "\\<>!:"):
            parts.append(core[start:i])
            start = i + 1
    return [*parts, core[start:]]


def _is_equation(core: str) -> bool:
    """An equation to satisfy (`x^2+y^2-1=0`, `a+b=5`), not an answer naming its value (`x = 3`,
    `\\frac{NO}{BO} = \\frac{1}{2}`, `|AB| = 1`, `(p,q) = (3,2)`) nor a computation (`3+4 = 7`).
    math-verify reduces a predicted equation to its right side, so `2x+3=0` would equal `0`."""
    parts = _top_level_parts(core)
    if len(parts) < 2 or "," in core or ";" in core:
        return False
    # drop subscripts, commands, \text{} and words: what remains are variables, digits and operators
    lhs = re.sub(r"_\{[^{}]*\}|_\w|\\text\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z]{3,}|\$", "", parts[0])
    return bool(re.search(r"[A-Za-z]", lhs)) and bool(re.search(r"[-+\d^]", lhs))


_TOP_LEVEL_LIST = re.compile(r",|;|\\text\{\s*(?:and|or)\s*\}|\\quad")


def _depth0(core: str) -> str:
    """`core` with everything inside brackets removed: what is left is its top level."""
    out, depth = [], 0
    for c in core:
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


_UNIT = re.compile(
    r"(?:\\(?:text|mathrm|mbox|textrm)\s*\{\s*(?P<latex>[A-Za-z][A-Za-z ]*?)\s*\}|(?<=[\d\s])(?P<word>[A-Za-z]{2,}))"
    r"\s*(?P<power>\^\s*\{?\d\}?)?\s*$"
)


def _unit(core: str) -> str | None:
    """The unit a value ends with (`5\\text{ cm}^2` → `cm^2`, `12 meters` → `meter`), or None."""
    m = _UNIT.search(core)
    if m is None or not re.search(r"\d", core[: m.start()]):  # `\text{Evelyn}` is no unit
        return None
    name = (m.group("latex") or m.group("word")).replace(" ", "").lower()
    name = name[:-1] if len(name) > 2 and name.endswith("s") else name
    return name + re.sub(r"[\s{}]", "", m.group("power") or "")


def _is_constant(core: str) -> bool:
    """No variables and no `=`: `0`, `\\frac{3}{4}`, `2\\sqrt{3}`, `\\pi`."""
    return "=" not in core and not re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", core))


@dataclass(slots=True)
class Answer:
    """One side of a comparison, prepared once (gold answers are shared by a whole group)."""

    raw: str
    text: str  # after the named normalization steps
    core: str  # without $…$ and an outer \boxed{}
    key: str
    number: Number | None
    numbers: NumberList | None  # `(1, 2]`, `\{1, 2\}` of plain numbers
    letter: str | None
    equation: bool  # `x^2+y^2-1=0`: an equation to satisfy, not a named value
    constant: bool  # no variables: `0`, `2\sqrt{3}`
    ellipsis: bool
    unit: str | None  # `cm^2` in `5\text{ cm}^2`
    refusal: str | None  # why the answer is not even looked at (INVALID_INPUT)
    multipart: bool = False  # several answers (`1, 2`, `\boxed{1} \boxed{2}`): boxed parts may be combined
    _parsed: list[Any] | None = field(default=None, repr=False)
    _simple: Any = field(default=False, repr=False)  # False: not computed yet

    def simple(self) -> sympy.Expr | None:
        """The answer in fastexpr's strict subset (`x^2+2x+1`, `2\\sqrt{2}`), or None."""
        if self._simple is False:
            plain = self.key and not self.equation and self.unit is None and self.refusal is None
            self._simple = simple_expr(self.core) if plain else None
        return self._simple

    def parsed(self) -> list[Any]:
        if self._parsed is None:
            self._parsed = math_verify.parse(self.text, parsing_timeout=None)  # type: ignore[arg-type]
        return self._parsed


def prepare(raw: str, config: MathConfig) -> Answer:
    """Normalize and classify an answer; no sympy yet (math-verify parses lazily)."""
    refusal = None
    if len(raw) > config.max_answer_chars:
        refusal = f"answer has {len(raw)} characters (> {config.max_answer_chars})"
    elif _brace_depth(raw) > config.max_brace_depth:
        refusal = f"braces nested deeper than {config.max_brace_depth}"
    elif _power_depth(raw) > config.max_power_depth:
        refusal = f"exponent tower deeper than {config.max_power_depth}: refused rather than evaluated"
    text = normalize(raw) if refusal is None else raw
    boxes = boxed_contents(text)
    several = len({_text_key(b) for b in boxes}) > 1
    # a sentence, or several boxed parts: which part is the answer (or how parts combine) is
    # math-verify's call ("final answer is" beats an earlier \boxed{}), so no fast path and no
    # shape guard may guess it
    whole = several or is_prose(text)
    # otherwise math-verify reads the last \boxed{} first: that is the answer whose shape counts
    core = boxes[-1].strip() if boxes and not whole else _core(text)
    shaped = not whole and refusal is None
    letter = choice_letter(core)
    return Answer(
        raw=raw,
        text=text,
        core=core,
        key="" if whole else _text_key(core),
        number=plain_number(core) if shaped else None,
        numbers=number_list(core) if shaped else None,
        letter=letter if shaped and len(letter) == 1 and letter.isalpha() and letter.isupper() else None,
        equation=not whole and _is_equation(core),
        constant=not whole and _is_constant(core),
        ellipsis=not whole and bool(_ELLIPSIS.search(core)),
        unit=None if whole else _unit(core),
        refusal=refusal,
        multipart=several or (not whole and bool(_TOP_LEVEL_LIST.search(_depth0(core)))),
    )


def _numbers_equal(g: Number, p: Number, config: MathConfig) -> bool:
    """Exact numbers must be equal; a decimal must be the other value rounded to the digits it shows
    (0.33 and 2.6667 for 1/3 and 8/3) and within `float_rel_tol` (so 0.3 is not 1/3). A percentage
    on one side only may be written either way: 25% is 0.25, or 25 (math-verify's convention)."""
    if g.percent != p.percent:
        pct = g if g.percent else p
        readings = [Number(pct.value / 100, _shift(pct.places, 2))]
        if abs(pct.value) >= 1:  # `28%` for 28 is a dropped sign; `0.25%` for 1/4 is a wrong answer
            readings.append(Number(pct.value, pct.places))
        if g.percent:
            return any(_close(r, p, config) for r in readings)
        return any(_close(g, r, config) for r in readings)
    return _close(g, p, config)


def _lists_equal(g: NumberList, p: NumberList, config: MathConfig) -> bool:
    """Same brackets, items equal in order (in sorted order for a set `\\{…\\}`)."""
    if len(g.items) != len(p.items):
        return False
    a, b = list(g.items), list(p.items)
    if g.brackets == "{}":
        a, b = sorted(a, key=_sort_key), sorted(b, key=_sort_key)
    return all(
        x == y if isinstance(x, str) or isinstance(y, str) else _numbers_equal(x, y, config)
        for x, y in zip(a, b, strict=True)
    )


def _sort_key(x: Number | str) -> Fraction:
    if isinstance(x, str):
        return Fraction(10) ** 400 * (1 if x == "inf" else -1)
    return x.value


def _shift(places: int | None, by: int) -> int | None:
    return None if places is None else places + by


def _close(g: Number, p: Number, config: MathConfig) -> bool:
    a, b = g.value, p.value
    if a == b:
        return True
    places = p.places if p.places is not None else g.places  # the prediction is the approximation
    if places is None:
        return False
    half_ulp = Fraction(1, 2) * Fraction(10) ** -places
    return abs(a - b) <= half_ulp and abs(a - b) <= Fraction(config.float_rel_tol) * max(abs(a), abs(b))


def _decimal_matches(gold: Answer, pred: Number, config: MathConfig) -> bool:
    """A decimal answer for an exact constant gold (`2.828` for `2\\sqrt{2}`, `3.14159` for `\\pi`):
    math-verify compares at 6 decimals and misses these; the `_close` rule applies instead."""
    exact = next((x for x in gold.parsed() if isinstance(x, sympy.Expr)), None)
    if exact is None or exact.free_symbols or _has_float(exact):
        return False
    try:
        value = exact.evalf(40)
        if not value.is_real or not value.is_finite:
            return False
        return _close(Number(Fraction(str(value))), pred, config)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return False


def _has_float(e: Any) -> bool:
    return isinstance(e, sympy.Basic) and bool(e.atoms(sympy.Float))


def _numeric_guard(g: Any, p: Any, config: MathConfig) -> str | None:
    """Reject when two constant values differ at 50 digits; math-verify chops tiny gaps to zero."""
    if not (isinstance(g, sympy.Expr) and isinstance(p, sympy.Expr)) or g.free_symbols or p.free_symbols:
        return None
    floats = _has_float(g) or _has_float(p)
    try:
        diff = g - p
        if diff.is_Rational and not floats:
            return None if diff == 0 else "exact values differ"
        # evaluate first, then take sizes: Abs() of an exact radical asks sympy for its sign, which
        # can factor minimal polynomials for seconds; sympy floats also keep 1/2004! from underflowing
        d = abs(diff.evalf(50))
        if d.is_Float and d._prec < 8:  # evalf found no significant digit: a true zero (`\\sin(\\pi)`)
            return None
        scale = max(abs(g.evalf(50)), abs(p.evalf(50)))
        tol = config.float_rel_tol if floats else config.exact_rel_tol
        if not (d.is_number and scale.is_number):
            return None
        if bool(d > sympy.Float(tol) * scale):
            return f"values differ (by {sympy.N(d, 3)})"
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None  # not a plain number after all (an unevaluated object): trust math-verify
    return None


def _guard(gold: Answer, pred: Answer, g: Any, p: Any, config: MathConfig) -> str | None:
    """Why math-verify's "equal" for this pair of parses must not be trusted, or None."""
    if (gold.equation and pred.constant) or (pred.equation and gold.constant):
        return "an equation against a bare value"
    if gold.ellipsis or pred.ellipsis:
        return "sequences with an ellipsis are only equal when written the same"
    if (_ordered(g) and _unordered(p, pred)) or (_unordered(g, gold) and _ordered(p)):
        return "an ordered pair or interval against a set"
    if gold.unit and pred.unit and gold.unit != pred.unit:  # math-verify strips units: 5 cm = 5 m
        return f"different units ({gold.unit} vs {pred.unit})"
    return _numeric_guard(g, p, config)


def _ordered(e: Any) -> bool:
    return isinstance(e, (sympy.Interval, sympy.Tuple))


def _unordered(e: Any, side: Answer) -> bool:
    # math-verify matches (1,2) with \{1,2\} element by element, yet not with \{2,1\}; a list
    # written without set braces (`1, 2`, `{1,2}` grouping) keeps its order and may match a tuple
    explicit = "\\{" in side.core or "\\lbrace" in side.core
    return explicit and isinstance(e, sympy.FiniteSet) and len(e) > 1


def _pairs(gold: Answer, pred: Answer) -> tuple[list[tuple[Any, Any]], str | None]:
    g_parsed, p_parsed = gold.parsed(), pred.parsed()
    # math-verify returns [sympy value, extracted string]; guard both with the extracted strings
    g_str = next((x for x in g_parsed if isinstance(x, str)), "")
    p_str = next((x for x in p_parsed if isinstance(x, str)), "")
    # unbalanced only because math-verify's regex stopped early (`1-\frac{1}{\mathrm{e}}` → `1-\frac{1}{`)
    if (not _balanced(g_str) and _balanced(gold.core)) or (not _balanced(p_str) and _balanced(pred.core)):
        return [], "math-verify cut the answer off mid-expression"
    return [(g, p) for g in g_parsed for p in p_parsed], None


def grade(gold: Answer, pred: Answer, config: MathConfig) -> Judgement:
    """Is `pred` the same answer as `gold`? Never raises for bad input; sympy errors mean "not equal"."""
    shown = f"gold {_show(gold.core)}, got {_show(pred.core)}"
    if gold.refusal:
        return Judgement(False, _INVALID, f"gold refused: {gold.refusal}")
    if pred.refusal:
        if gold.key == pred.key and gold.key:
            return Judgement(True, _OK, f"{shown}: same text")
        return Judgement(False, _INVALID, f"answer refused: {pred.refusal}")
    if gold.letter is not None:
        same = (pred.letter or leading_choice(pred.core)) == gold.letter
        return Judgement(same, _OK, f"{shown}: {'same' if same else 'different'} choice")
    if gold.number is not None and pred.number is not None:
        same = _numbers_equal(gold.number, pred.number, config)
        return Judgement(same, _OK, f"{shown}: {'equal' if same else 'different'} numbers")
    if gold.key and gold.key == pred.key:
        return Judgement(True, _OK, f"{shown}: same text")
    if (
        gold.numbers is not None
        and pred.numbers is not None
        and gold.numbers.brackets == pred.numbers.brackets
    ):
        same = _lists_equal(gold.numbers, pred.numbers, config)
        return Judgement(
            same, _OK, f"{shown}: {'equal' if same else 'different'} numbers in {gold.numbers.brackets}"
        )
    g_simple = gold.simple()
    p_simple = pred.simple() if g_simple is not None else None
    if g_simple is not None and p_simple is not None:
        same_expr = compare(g_simple, p_simple)
        if same_expr is not None:
            return Judgement(
                same_expr, _OK, f"{shown}: {'identical' if same_expr else 'different'} expressions"
            )
    if not gold.parsed():
        return Judgement(False, _INVALID, f"gold {_show(gold.core)!r} could not be read as math")
    if not pred.parsed():
        return Judgement(False, _OK, f"{shown}: no math answer could be read")
    if (
        pred.number is not None
        and pred.number.places is not None
        and _decimal_matches(gold, pred.number, config)
    ):
        return Judgement(True, _OK, f"{shown}: the decimal is the value correctly rounded")
    pairs, why_not = _pairs(gold, pred)
    for g, p in pairs:
        if not math_verify.verify(g, p, timeout_seconds=None):  # type: ignore[arg-type]
            continue
        reason = _guard(gold, pred, g, p, config)
        if reason is None:
            return Judgement(True, _OK, f"{shown}: equal (math-verify)")
        why_not = reason
    return Judgement(False, _OK, f"{shown}: {why_not or 'not equal'}")
