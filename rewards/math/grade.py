"""Decide whether a predicted answer equals the gold answer. Runs inside a worker process.

Order of checks, cheapest first:

1. refusals: answers that are too long, too deeply nested or exponent towers (INVALID_INPUT);
2. the sample's answer type, when it states one (`by_type`): a `choice` gold only matches a
   choice, `text` compares words, `number`/`interval`/`equation` refuse other shapes, `set`
   ignores order;
3. fast paths without math-verify: multiple-choice letters, clock times, plain numbers compared
   as exact fractions under the precision rule (`_close`: a decimal for an exact value needs
   `numeric_precision` significant digits, a decimal gold is matched at its own precision),
   identical text, bracketed lists of numbers, vectors entry by entry, and simple expressions
   compared by sympy directly (`fastexpr`);
4. math-verify (`parse` + `verify`, with its signal timeouts off: the worker is killed from outside),
   after a decimal-against-constant check (`2.82843` for `2\\sqrt{2}`) it would get wrong;
5. guards on every "equal" from math-verify, each rejecting one known false positive:
   exact values that differ at high precision (`1/2^{99}` vs `1/2^{98}`), an equation against a
   bare value (`x+y=0` vs `0`), sequences with an ellipsis (`1,2,…,n` vs `1,3,…,2n-1`), an
   interval or pair against a set (`(1,2)` vs `\\{1,2\\}`), different units, a primed name
   against a bare one (`A'` vs `A`), and extractions math-verify cut off mid-expression;
6. after a "not equal", one more reading of shapes math-verify cannot relate (`_other_reading`):
   complex constants by value (`\\sqrt2 e^{i\\pi/4}` = `1+i`), inequalities against an interval,
   a function named differently on each side (`f(x) = 2x+1`, `y = 2x+1`).

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

from rewards.math.config import AnswerType, MathConfig
from rewards.math.extract import boxed_contents
from rewards.math.fastexpr import compare, complex_constant, complex_equal, simple_expr
from rewards.math.normalize import (
    Number,
    NumberList,
    answer_key,
    choice_letter,
    clock_time,
    function_name,
    inequality_interval,
    integer_matrix,
    is_prose,
    leading_choice,
    normalize,
    number_list,
    plain_number,
    split_top,
    tuple_entries,
    vector_entries,
)

__all__ = ["Answer", "Judgement", "by_type", "grade", "prepare", "significant_digits"]


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


def _shown(gold: Answer, pred: Answer) -> str:
    """How a detail names the two answers it compared."""
    return f"gold {_show(gold.core)}, got {_show(pred.core)}"


def _core(text: str) -> str:
    """The answer without `$…$`, `\\(…\\)` and one outer `\\boxed{…}`."""
    m = _UNWRAP.match(text)
    core = (m.group(1) if m else text).rstrip(". ")
    b = re.fullmatch(r"\\(?:boxed|fbox)\s*\{(.*)\}", core, re.DOTALL)
    return b.group(1).strip() if b else core


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
    return split_top(core, "=", not_after="\\<>!:", strip=False)


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
# words after a number that change its value or say something other than what it counts:
# `3 hundred`, `3 squared`, `2 halves`, `3 or more`, `3 pi`
_NOT_UNITS = frozenset(
    [
        "or",
        "and",
        "more",
        "less",
        "fewer",
        "times",
        "plus",
        "minus",
        "over",
        "only",
        "pi",
        "sqrt",
        "root",
        "roots",
        "squared",
        "cubed",
        "factorial",
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "half",
        "halves",
        "third",
        "thirds",
        "fourth",
        "fourths",
        "quarter",
        "quarters",
        "fifth",
        "fifths",
        "sixth",
        "sixths",
        "seventh",
        "sevenths",
        "eighth",
        "eighths",
        "ninth",
        "ninths",
        "tenth",
        "tenths",
        "hundredth",
        "hundredths",
        "thousandth",
        "thousandths",
        "percent",
        "digits",
        "digit",
    ]
)
# two-letter words are units only when they are known ones (`3 ab` is a product of variables)
_SHORT_UNITS = frozenset(
    [
        "cm",
        "mm",
        "km",
        "nm",
        "kg",
        "mg",
        "ml",
        "cl",
        "dl",
        "ft",
        "in",
        "yd",
        "mi",
        "lb",
        "oz",
        "hr",
        "ms",
        "ns",
        "kw",
        "mw",
        "hz",
        "pa",
        "db",
    ]
)


def _unit(core: str) -> tuple[str, str] | None:
    """The unit a value ends with and the value before it (`5\\text{ cm}^2` → (`cm^2`, `5`),
    `12 meters` → (`meter`, `12`)), or None."""
    m = _UNIT.search(core)
    if m is None or not re.search(r"\d", core[: m.start()]):  # `\text{Evelyn}` is no unit
        return None
    name = (m.group("latex") or m.group("word")).replace(" ", "").lower()
    if name in _NOT_UNITS or (m.group("word") and len(name) == 2 and name not in _SHORT_UNITS):
        return None  # `\\text{m}` is a unit; a bare `ab` after a number is a product
    name = name[:-1] if len(name) > 2 and name.endswith("s") else name
    return name + re.sub(r"[\s{}]", "", m.group("power") or ""), core[: m.start()].strip()


_PRIMES = re.compile(r"(?<=[A-Za-z}])'(?![A-Za-z])")  # not the `'` of `it's`; normalize spells primes `'`


def _primes(core: str) -> int:
    """Primes in the value an answer states (right of its last `=`): `A'` names another point than
    `A`, `f'` another function than `f`, and math-verify drops the prime."""
    return len(_PRIMES.findall(_top_level_parts(core)[-1]))


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
    time: int | None = None  # a clock time, in seconds after midnight
    primes: int = 0  # `A'`: primes on the value stated
    vector: tuple[str, ...] | None = None  # entries of a one-row/one-column matrix or `\langle…\rangle`
    entries: tuple[str, ...] | None = None  # entries of a tuple or list `(1, 2)`, `[1, 2]`
    matrix: tuple[tuple[int, ...], ...] | None = None  # rows of an integer matrix of at least 2×2
    _parsed: list[Any] | None = field(default=None, repr=False)
    _simple: Any = field(default=False, repr=False)  # False: not computed yet
    _complex: Any = field(default=False, repr=False)

    def simple(self) -> sympy.Expr | None:
        """The answer in fastexpr's strict subset (`x^2+2x+1`, `2\\sqrt{2}`), or None."""
        if self._simple is False:
            plain = self.key and not self.equation and self.unit is None and self.refusal is None
            self._simple = simple_expr(self.core) if plain else None
        return self._simple

    def complex(self) -> sympy.Expr | None:
        """The answer as an exact complex constant with `i` in it (`20 + 9i`), or None."""
        if self._complex is False:
            plain = (
                self.key
                and "i" in self.core
                and not self.equation
                and self.unit is None
                and self.refusal is None
            )
            value = complex_constant(self.core) if plain else None
            self._complex = value if value is not None and value.has(sympy.I) else None
        return self._complex

    def fast_path_reads(self) -> bool:
        """Whether one of grade()'s fast paths can read this answer without math-verify (a number,
        a letter, a list of numbers, an integer matrix, a fastexpr expression or complex constant)."""
        plain = (self.number, self.letter, self.numbers, self.matrix)
        return any(x is not None for x in plain) or self.simple() is not None or self.complex() is not None

    def parsed(self) -> list[Any]:
        if self._parsed is None:
            self._parsed = math_verify.parse(self.text, parsing_timeout=None)  # type: ignore[arg-type]
        return self._parsed


_OPTION = re.compile(r"\s*\(?([A-E])(?:\)|\.)\s+\S.*", re.DOTALL)


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
    several = len({answer_key(b) for b in boxes}) > 1
    # a sentence, or several boxed parts: which part is the answer (or how parts combine) is
    # math-verify's call ("final answer is" beats an earlier \boxed{}), so no fast path and no
    # shape guard may guess it
    whole = several or is_prose(text)
    # otherwise math-verify reads the last \boxed{} first: that is the answer whose shape counts
    core = boxes[-1].strip() if boxes and not whole else _core(text)
    shaped = not whole and refusal is None
    letter = choice_letter(core)
    if (option := _OPTION.fullmatch(core)) is not None:  # `C. x = 42`: an option with its text
        letter = option.group(1)
    unit = None if whole else _unit(core)
    number = plain_number(core) if shaped else None
    if number is None and shaped and unit is not None:  # `3 dollars`, `5\text{ cm}`
        number = plain_number(unit[1])
    return Answer(
        raw=raw,
        text=text,
        core=core,
        key="" if whole else answer_key(core),
        number=number,
        numbers=number_list(core) if shaped else None,
        letter=letter if shaped and len(letter) == 1 and letter.isalpha() and letter.isupper() else None,
        equation=not whole and _is_equation(core),
        constant=not whole and _is_constant(core),
        ellipsis=not whole and bool(_ELLIPSIS.search(core)),
        unit=unit[0] if unit else None,
        refusal=refusal,
        multipart=several or (not whole and bool(_TOP_LEVEL_LIST.search(_depth0(core)))),
        time=clock_time(core) if shaped else None,
        primes=0 if whole else _primes(core),
        vector=vector_entries(core) if shaped else None,
        entries=tuple_entries(core) if shaped else None,
        matrix=integer_matrix(core) if shaped else None,
    )


def _numbers_equal(g: Number, p: Number, config: MathConfig) -> bool:
    """Exact numbers must be equal; decimals follow `_close`. A percentage on one side only may be
    written either way: 25% is 0.25, or 25 (math-verify's convention)."""
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


_INTERVAL_BRACKETS = ("()", "[]", "(]", "[)")


def _ends_differ(g: NumberList, p: NumberList) -> bool:
    """Two finite intervals `(a, b]`, `[c, d)` (a < b, c < d) whose ends are closed differently:
    never the same set, as math-verify also finds (after a ~12 ms parse). Infinite ends are left
    to it (sympy opens them: `[-\\infty, 3)` is `(-\\infty, 3)`), as are pairs that do not
    increase, which it reads as tuples (`(2, 1)` equals `[2, 1]`)."""

    def finite_interval(n: NumberList) -> bool:
        if n.brackets not in _INTERVAL_BRACKETS or len(n.items) != 2:
            return False
        a, b = n.items
        return not isinstance(a, str) and not isinstance(b, str) and _sort_key(a) < _sort_key(b)

    return g.brackets != p.brackets and finite_interval(g) and finite_interval(p)


def _sort_key(x: Number | str) -> Fraction:
    if isinstance(x, str):
        return Fraction(10) ** 400 * (1 if x == "inf" else -1)
    return x.value


def _shift(places: int | None, by: int) -> int | None:
    return None if places is None else places + by


def significant_digits(n: Number) -> int:
    """Significant digits a decimal shows: 0.67 has 2, 3.14159 has 6, 1.5e3 has 2 (exact: unbounded)."""
    if n.places is None:
        return 10**9
    v, exponent = abs(n.value), 0  # exponent: floor(log10(v)), exactly (|exponent| ≤ 400 by plain_number)
    if v == 0:
        return max(n.places, 1)
    while v >= 10:
        v, exponent = v / 10, exponent + 1
    while v < 1:
        v, exponent = v * 10, exponent - 1
    return n.places + exponent + 1


def _rounds_to(exact: Fraction, decimal: Number) -> bool:
    """Whether `decimal` is `exact` correctly rounded to the places it shows."""
    assert decimal.places is not None
    return abs(exact - decimal.value) <= Fraction(1, 2) * Fraction(10) ** -decimal.places


def _close(g: Number, p: Number, config: MathConfig) -> bool:
    """The precision rule. Equal values are equal. A decimal gold is matched at its own precision:
    an exact answer must round to it (1/3 for a gold 0.33). A decimal answer for an exact gold
    earns credit only when it is that value correctly rounded to at least `numeric_precision`
    significant digits (0.666667 for 2/3; 0.67 is not enough: crediting two digits teaches the
    model to stop at two digits). Two different decimals are different answers."""
    if g.value == p.value:
        return True
    if g.places is not None and p.places is None:  # and close: gold 0.3 is no 1/3 (1 digit, 10% off)
        return _rounds_to(p.value, g) and abs(g.value - p.value) <= Fraction(config.float_rel_tol) * abs(
            p.value
        )
    if g.places is None and p.places is not None:
        return significant_digits(p) >= config.numeric_precision and _rounds_to(g.value, p)
    return False


def _precision_note(g: Number, p: Number, config: MathConfig) -> str:
    """Why a correctly rounded but short decimal got no credit, for the detail."""
    if g.places is None and p.places is not None and _rounds_to(g.value, p):
        return (
            f": {significant_digits(p)} significant digits; a decimal for an exact value needs"
            f" {config.numeric_precision} (numeric_precision)"
        )
    return ""


def _expr(side: Answer) -> sympy.Expr | None:
    """The first sympy expression math-verify read from an answer, or None."""
    return next((x for x in side.parsed() if isinstance(x, sympy.Expr)), None)


def _exact_value(side: Answer) -> Fraction | None:
    """The value of a constant answer (`2\\sqrt{2}`, `\\pi`) to 40 digits, or None when it is not one."""
    exact = _expr(side)
    if exact is None or exact.free_symbols or _has_float(exact):
        return None
    try:
        value = exact.evalf(40)
        if not value.is_real or not value.is_finite:
            return None
        return Fraction(str(value))
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None


def _decimal_against_constant(gold: Answer, pred: Answer, config: MathConfig) -> Judgement | None:
    """A decimal against an exact constant (`2.828` for `2\\sqrt{2}`, a gold `3.14` for `\\pi`): the
    precision rule of `_close`, where math-verify would compare at 6 decimals."""
    shown = _shown(gold, pred)
    if pred.number is not None and pred.number.places is not None and gold.number is None:
        value = _exact_value(gold)
        if value is None:
            return None
        g, p = Number(value), pred.number
    elif gold.number is not None and gold.number.places is not None and pred.number is None:
        value = _exact_value(pred)
        if value is None:
            return None
        g, p = gold.number, Number(value)
    else:
        return None
    if _close(g, p, config):
        return Judgement(True, _OK, f"{shown}: the decimal is the value correctly rounded")
    return Judgement(False, _OK, f"{shown}: different values{_precision_note(g, p, config)}")


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
    if gold.primes != pred.primes:  # math-verify reads `A'` as `A`
        return "primes differ (a primed name is another name)"
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


def _vectors(gold: Answer, pred: Answer, config: MathConfig) -> Judgement | None:
    """A vector written as a matrix or `\\langle…\\rangle` against one written as a tuple or list
    (`\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}` = `(1, 2)` = `[1, 2]`): entry by entry. math-verify reads
    `(1, 2)` as an open interval and the matrix as a matrix, so it never matches them."""
    g = gold.vector or (gold.entries if pred.vector else None)
    p = pred.vector or (pred.entries if gold.vector else None)
    if g is None or p is None:
        return None
    shown = _shown(gold, pred)
    if len(g) != len(p):
        return Judgement(False, _OK, f"{shown}: vectors of {len(g)} and {len(p)} entries")
    for i, (a, b) in enumerate(zip(g, p, strict=True)):
        entry = grade(prepare(a, config), prepare(b, config), config)
        if not entry.equal:
            return Judgement(False, entry.status, f"{shown}: entry {i + 1} differs ({entry.detail})")
    return Judgement(True, _OK, f"{shown}: equal vectors, entry by entry")


def _choice(side: Answer) -> str | None:
    """The option letter an answer gives: a lone letter, or the one it starts with (`C) 5`)."""
    return side.letter or leading_choice(side.core)


def _words(core: str) -> str:
    """A text answer as words: `\\text{Monday}`, `monday.` and `Monday` are one answer."""
    s = re.sub(r"\\(?:text|mathrm|textbf|mbox)\s*\{([^{}]*)\}", r"\1", core)
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip().lower())
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


_TRUTH = {"yes": True, "true": True, "no": False, "false": False}


def _truth(core: str) -> bool | None:
    """A yes/no answer as a truth value: `Yes`, `\\text{true}`, `TRUE` (None: no such answer)."""
    return _TRUTH.get(_words(core))


def _interval_like(side: Answer) -> bool:
    core = re.sub(r"\\left|\\right|\s+", "", side.core)
    return bool(
        re.fullmatch(r"[(\[].*[)\]](?:\\cup[(\[].*[)\]])*", core)
        or core in ("\\emptyset", "\\mathbb{R}", "\\R")
    )


def by_type(answer_type: AnswerType, gold: Answer, pred: Answer, config: MathConfig) -> Judgement | None:
    """What a stated answer type decides before any other check (None: grade as usual). The type
    is the sample's (`MathReference.answer_type`); a gold that does not fit it is INVALID_INPUT."""
    shown = _shown(gold, pred)
    if answer_type == "choice":
        g = _choice(gold)
        if g is None:
            return Judgement(
                False, _INVALID, f"gold {_show(gold.core)!r} is no choice letter (answer_type choice)"
            )
        p = _choice(pred)
        return Judgement(p == g, _OK, f"{shown}: {'same' if p == g else 'different'} choice")
    if answer_type == "text":
        same = _words(gold.core) == _words(pred.core) != ""
        return Judgement(same, _OK, f"{shown}: {'same' if same else 'different'} text (answer_type text)")
    if answer_type == "number":
        if not (gold.number or gold.constant):
            return Judgement(False, _INVALID, f"gold {_show(gold.core)!r} is no number (answer_type number)")
        if not (pred.number or _is_constant(_top_level_parts(pred.core)[-1])):
            return Judgement(False, _OK, f"{shown}: a number gold only matches a number")
    if answer_type == "interval":
        if not _interval_like(gold):
            return Judgement(
                False, _INVALID, f"gold {_show(gold.core)!r} is no interval (answer_type interval)"
            )
        if not _interval_like(pred):
            as_interval = inequality_interval(pred.core)  # `1 \\le x \\le 3` is the interval [1, 3]
            if as_interval == pred.core:
                return Judgement(False, _OK, f"{shown}: an interval gold only matches an interval")
            return grade(gold, prepare(as_interval, config), config)
    if answer_type == "equation":
        if "=" not in gold.raw:
            return Judgement(
                False, _INVALID, f"gold {_show(gold.core)!r} is no equation (answer_type equation)"
            )
        if "=" not in pred.raw:
            return Judgement(False, _OK, f"{shown}: an equation gold only matches an equation")
    if answer_type == "set":
        as_set = [
            side
            if "\\{" in side.core or side.core == "\\emptyset"
            else prepare(f"\\{{{side.core}\\}}", config)
            for side in (gold, pred)
        ]
        if as_set[0] is not gold or as_set[1] is not pred:
            return grade(as_set[0], as_set[1], config)
    return None


def grade(gold: Answer, pred: Answer, config: MathConfig, answer_type: AnswerType | None = None) -> Judgement:
    """Is `pred` the same answer as `gold`? Never raises for bad input; sympy errors mean "not equal"."""
    shown = _shown(gold, pred)
    if gold.refusal:
        return Judgement(False, _INVALID, f"gold refused: {gold.refusal}")
    if pred.refusal:
        if gold.key == pred.key and gold.key:
            return Judgement(True, _OK, f"{shown}: same text")
        return Judgement(False, _INVALID, f"answer refused: {pred.refusal}")
    if answer_type is not None and (typed := by_type(answer_type, gold, pred, config)) is not None:
        return typed
    if (g_truth := _truth(gold.core)) is not None and (p_truth := _truth(pred.core)) is not None:
        same = g_truth == p_truth
        return Judgement(same, _OK, f"{shown}: {'same' if same else 'different'} truth value")
    if gold.letter is not None:
        same = _choice(pred) == gold.letter
        return Judgement(same, _OK, f"{shown}: {'same' if same else 'different'} choice")
    if gold.time is not None and pred.time is not None:  # one alone may be a ratio (`7:32`)
        same = gold.time == pred.time
        return Judgement(same, _OK, f"{shown}: {'the same clock time' if same else 'different times'}")
    if gold.number is not None and pred.number is not None:
        if gold.unit and pred.unit and gold.unit != pred.unit:
            return Judgement(False, _OK, f"{shown}: different units ({gold.unit} vs {pred.unit})")
        same = _numbers_equal(gold.number, pred.number, config)
        note = "" if same else _precision_note(gold.number, pred.number, config)
        return Judgement(same, _OK, f"{shown}: {'equal' if same else 'different'} numbers{note}")
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
    if gold.numbers is not None and pred.numbers is not None and _ends_differ(gold.numbers, pred.numbers):
        return Judgement(
            False, _OK, f"{shown}: different intervals (an end open in one, closed in the other)"
        )
    if gold.matrix is not None and pred.matrix is not None:  # math-verify's verdict, without its parse
        same = gold.matrix == pred.matrix
        return Judgement(same, _OK, f"{shown}: {'equal' if same else 'different'} integer matrices")
    vectors = _vectors(gold, pred, config)
    if vectors is not None:
        return vectors
    g_simple = gold.simple()
    p_simple = pred.simple() if g_simple is not None else None
    if g_simple is not None and p_simple is not None:
        same_expr = compare(g_simple, p_simple)
        if same_expr is not None:
            return Judgement(
                same_expr, _OK, f"{shown}: {'identical' if same_expr else 'different'} expressions"
            )
    g_complex = gold.complex()
    p_complex = pred.complex() if g_complex is not None else None
    if g_complex is not None and p_complex is not None:
        # math-verify keeps `i` a letter; referee then compares complex constants by value
        # (_complex_equal), which this decides without the parse when it can
        same_value = complex_equal(g_complex, p_complex)
        if same_value is not None:
            return Judgement(
                same_value, _OK, f"{shown}: {'equal' if same_value else 'different'} complex numbers"
            )
    if not gold.parsed():
        return Judgement(False, _INVALID, f"gold {_show(gold.core)!r} could not be read as math")
    if not pred.parsed():
        return Judgement(False, _OK, f"{shown}: no math answer could be read")
    decimal = _decimal_against_constant(gold, pred, config)
    if decimal is not None:
        return decimal
    pairs, why_not = _pairs(gold, pred)
    for g, p in pairs:
        if not math_verify.verify(g, p, timeout_seconds=None):  # type: ignore[arg-type]
            continue
        reason = _guard(gold, pred, g, p, config)
        if reason is None:
            return Judgement(True, _OK, f"{shown}: equal (math-verify)")
        why_not = reason
    if why_not is None and (reading := _other_reading(gold, pred, config)) is not None:
        return reading
    return Judgement(False, _OK, f"{shown}: {why_not or 'not equal'}")


def _complex_value(side: Answer) -> tuple[Any, bool] | None:
    """The value of a constant written with `i` and `e` (math-verify keeps both as letters), and
    whether it used `i`; None when the answer has other variables."""
    expr = _expr(side)
    if expr is None:
        return None
    names = {s.name: s for s in expr.free_symbols if isinstance(s, sympy.Symbol)}
    if len(names) != len(expr.free_symbols) or not set(names) <= {"i", "e"}:
        return None
    constants = {"i": sympy.I, "e": sympy.E}
    try:
        value = expr.subs({symbol: constants[name] for name, symbol in names.items()}).evalf(30)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None
    return (value, "i" in names) if value.is_number and value.is_finite else None


def _complex_equal(gold: Answer, pred: Answer) -> bool | None:
    """Two complex constants in any form (`\\sqrt{2}e^{i\\pi/4}` and `1+i`), compared by value; None
    when neither uses `i` (that is no complex answer) or a side is no constant."""
    g, p = _complex_value(gold), _complex_value(pred)
    if g is None or p is None or not (g[1] or p[1]):
        return None
    try:
        scale = max(abs(g[0]), abs(p[0]), 1)
        return bool(abs(g[0] - p[0]) <= sympy.Float(1e-12) * scale)
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None


def _other_reading(gold: Answer, pred: Answer, config: MathConfig) -> Judgement | None:
    """The same pair read once more when math-verify says "not equal" and one side is written in
    a shape it cannot relate to the other's: complex constants (compared by value), inequalities
    against an interval (`-1 \\le x \\le 3`
    and `[-1, 3]`), and a function named differently on each side (`f(x) = 2x+1`, `y = 2x+1`).
    Only as a second reading: two inequalities, or two equations, math-verify relates itself."""
    complex_equal = _complex_equal(gold, pred)
    if complex_equal is not None:
        shown = _shown(gold, pred)
        return Judgement(True, _OK, f"{shown}: equal complex numbers") if complex_equal else None
    g_interval, p_interval = inequality_interval(gold.core), inequality_interval(pred.core)
    if (g_interval == gold.core) != (p_interval == pred.core):
        how = "read as an interval"
        g_text, p_text = g_interval, p_interval
    else:
        g_text, p_text = function_name(gold.core), function_name(pred.core)
        if g_text == gold.core or p_text == pred.core:
            return None
        how = "right sides compared"
    verdict = grade(prepare(g_text, config), prepare(p_text, config), config)
    if not verdict.equal:
        return None
    return Judgement(
        True,
        _OK,
        f"{_shown(gold, pred)}: {how}, {verdict.detail.rsplit(': ', 1)[-1]}",
    )
