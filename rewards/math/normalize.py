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
    "answer_key",
    "clock_time",
    "function_name",
    "inequality_interval",
    "integer_matrix",
    "is_prose",
    "leading_choice",
    "normalize",
    "number_list",
    "plain_number",
    "split_top",
    "tuple_entries",
    "vector_entries",
]

# three words of four letters or more, not LaTeX commands (`\\frac`, `\\right`): a sentence
_PROSE = re.compile(r"(?:(?<![\\A-Za-z])[A-Za-z]{4,}\b.*){3}", re.DOTALL)


def is_prose(s: str) -> bool:
    return bool(_PROSE.search(s))


def answer_key(s: str) -> str:
    """Spelling-insensitive key of an answer: two answers with one key are the same answer, with no
    sympy needed (`\\dfrac{1}{2}` and `\\frac {1}{2}`). The one "same text" rule: extraction uses it to
    tell a repeated answer from a hedge, grading as its cheapest equality."""
    s = re.sub(r"\\[dt]frac", r"\\frac", s)
    s = re.sub(r"\\left|\\right|\\displaystyle|\\[,;:! ]|\s+", "", s)
    return s.rstrip(".")


# a LaTeX answer written in a Python or JSON string without escaping its backslashes: `"\frac"`
# holds a form feed and `rac`, `"\beta"` a backspace and `eta`. These control characters never
# belong in an answer; a tab or a newline may (so `\t`, `\n`, `\r` are left alone)
_CONTROL = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def escaped_controls(s: str) -> str:
    """`\\x0crac{1}{2}` → `\\frac{1}{2}`: the backslashes a string lost to its escapes are put back."""
    if not any(c in s for c in _CONTROL):
        return s
    return "".join(_CONTROL.get(c, c) for c in s)


def thousands_thin_space(s: str) -> str:
    """`56,\\!01,\\!789`, `14{,}916` → `5601789`, `14916`: digit groups kept apart by a thin space or
    a braced comma are one integer."""
    return re.sub(r"(?<=\d)(?:,?\\[!,](?=\d)|\s*\{\s*,\s*\}\s*(?=\d{3}))", "", s)


def trailing_backslash(s: str) -> str:
    """`185\\` → `185`: a stray backslash at the end (a line break, a cut-off escape) is no part of it."""
    return re.sub(r"(?<!\\)\\+\s*$", "", s) if s.rstrip().endswith("\\") else s


def strip_markdown_bold(s: str) -> str:
    """`**5**` → `5`: math-verify keeps the stars and parses `5**` as nothing."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", s, flags=re.DOTALL)


def roman_constants(s: str) -> str:
    """`\\mathrm{e}` → `e`: math-verify's regex stops at `\\mathrm{e}` and `1-\\frac{1}{\\mathrm{e}}` became 1."""
    return re.sub(r"\\(?:mathrm|operatorname|text|rm)\s*\{\s*([ei])\s*\}", r"\1", s)


def root_braces(s: str) -> str:
    """`\\sqrt[3]8`, `\\sqrt 2` → `\\sqrt[3]{8}`, `\\sqrt{2}`: a root of one token, braced, as
    math-verify reads roots (it read `\\sqrt[3]8` as nothing)."""
    return re.sub(r"\\sqrt(\[[^\[\]]*\])?\s*([0-9]+|[A-Za-z](?![A-Za-z]))", r"\\sqrt\1{\2}", s)


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


_WRAPPED = re.compile(
    r"^(?P<open>\s*(?:\$+|\\\(|\\\[|\\boxed\s*\{)?\s*)(?P<inner>.*?)(?P<close>\s*(?:\$+|\\\)|\\\]|\})?\s*\.?\s*)$",
    re.DOTALL,
)


def _whole_answer(s: str, rewrite: Callable[[str], str | None]) -> str:
    """Apply `rewrite` to the whole answer inside `$…$`, `\\(…\\)` or one `\\boxed{…}`; None: unchanged.
    Steps that only make sense for a complete answer (`2 1/4`, `-1 \\le x \\le 3`) use it."""
    m = _WRAPPED.match(s)
    if m is None:
        return s
    opened, inner, closed = m.group("open").strip(), m.group("inner"), m.group("close").strip().rstrip(".")
    pairs = {"": "", "$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
    if opened.startswith("\\boxed"):
        if closed != "}":
            return s
    elif pairs.get(opened) != closed:
        return s
    out = rewrite(inner.strip())
    if out is None:
        return s
    return f"\\boxed{{{out}}}" if opened.startswith("\\boxed") or opened else out


def mixed_number(s: str) -> str:
    """`2\\frac{1}{2}` and `2 1/4` → `\\frac{5}{2}` and `\\frac{9}{4}`: math-verify reads the first as
    the product 2·½ = 1 and the second as ¼. Plain `a b/c` only as a whole answer."""

    def improper(whole: str, num: str, den: str) -> str | None:
        w, n, d = int(whole), int(num), int(den)
        return f"\\frac{{{w * d + n}}}{{{d}}}" if 0 < n < d else None

    def latex(m: re.Match[str]) -> str:
        return improper(*m.groups()) or m.group(0)

    def plain(a: str) -> str | None:
        m = re.fullmatch(r"(-?)(\d+) +(\d+)/(\d+)", a)
        frac = m and improper(m.group(2), m.group(3), m.group(4))
        return f"{m.group(1)}{frac}" if m and frac else None

    s = re.sub(r"(?<![\d.^_{}\\a-zA-Z])(\d+)\s*\\[dt]?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}", latex, s)
    return _whole_answer(s, plain)


def bold_symbols(s: str) -> str:
    """`\\textbf{12}`, `\\mathbf{v}`, `\\mathcal{D}` → `12`, `v`, `D`: the typeface is not the answer, and
    math-verify reads `x = \\textbf{12}` as nothing (`\\mathbb{R}` keeps its meaning and stays)."""
    return re.sub(r"\\(?:textbf|mathbf|boldsymbol|bm|mathcal|mathit|textit|emph)\s*\{([^{}]*)\}", r"\1", s)


def prime_marks(s: str) -> str:
    """`A^{\\prime}`, `A^\\prime`, `A′` → `A'`: one spelling of a prime, so a primed name keeps it."""
    return re.sub(r"\^\s*\{?\s*\\prime\s*\}?|′", "'", s)


def empty_set(s: str) -> str:
    """`\\varnothing`, `∅`, `\\{\\}` → `\\emptyset`: one empty set, however it is typeset."""
    return re.sub(r"\\varnothing\b|∅|\\\{\s*\\\}|\\lbrace\s*\\rbrace", r"\\emptyset ", s)


_REPEATING = re.compile(r"(?<![\d.])(\d*)\.(\d*)\\(?:overline|dot)\s*\{(\d+)\}")


def repeating_decimal(s: str) -> str:
    """`0.\\overline{6}`, `0.1\\overline{6}`, `0.\\dot{3}` → the exact fraction (`\\frac{2}{3}`):
    math-verify reads the overline as a mark on a digit, and 0.\\overline{6} became 0.6."""

    def exact(m: re.Match[str]) -> str:
        whole, fixed, period = m.group(1) or "0", m.group(2), m.group(3)
        value = Fraction(int(whole)) + Fraction(int(fixed or "0"), 10 ** len(fixed))
        value += Fraction(int(period), (10 ** len(period) - 1) * 10 ** len(fixed))
        return f"\\frac{{{value.numerator}}}{{{value.denominator}}}" if value.denominator > 1 else str(value)

    return _REPEATING.sub(exact, s)


def sqrt_of_negative(s: str) -> str:
    """`\\sqrt{-4}` → `2i`, `\\sqrt{-3}` → `\\sqrt{3}i`: math-verify keeps `\\sqrt{-1}` as an unevaluated
    root, so it never equals `i`."""

    def imaginary(m: re.Match[str]) -> str:
        n = int(m.group(1))
        root = round(n**0.5)
        if root * root == n:
            return "i" if root == 1 else f"{root}i"
        return f"\\sqrt{{{n}}}i"

    return re.sub(r"\\sqrt\s*\{\s*-\s*(\d{1,12})\s*\}", imaginary, s)


_TRIG = re.compile(r"\\(?:sin|cos|tan|cot|sec|csc)\b")


def degrees_in_trig(s: str) -> str:
    """`\\sin(90^\\circ - x)` → `\\sin(\\frac{90\\pi}{180} - x)`: math-verify drops `^\\circ`, which is
    right for an answer in degrees (`30^\\circ` = 30) but wrong inside a trigonometric function."""
    if not _TRIG.search(s):
        return s
    return re.sub(r"(\d+(?:\.\d+)?)\s*\^\s*\{?\s*\\circ\s*\}?", r"\\frac{\1\\pi}{180}", s)


_LESS = r"(?:\\leqslant|\\leq|\\le|≤|<=|<|\\lt)"
_MORE = r"(?:\\geqslant|\\geq|\\ge|≥|>=|>|\\gt)"
_COMPARE = re.compile(rf"({_LESS}|{_MORE})(?![A-Za-z])")
_UNION = re.compile(
    r"\s*(?:\\text\s*\{\s*or\s*\}|\\quad\s*\\text\s*\{\s*or\s*\}\s*\\quad|\bor\b|\\lor|\\vee)\s*"
)


def _interval(text: str) -> str | None:
    """One inequality in one variable as an interval: `-1 \\le x < 3` → `[-1,3)`, `x > 2` → `(2,\\infty)`."""
    parts = _COMPARE.split(text)
    if len(parts) not in (3, 5):
        return None
    terms, ops = [p.strip() for p in parts[::2]], parts[1::2]
    variable = re.compile(r"[a-zA-Z]")
    if any(not t or "=" in t for t in terms):
        return None
    names = [t for t in terms if variable.fullmatch(t)]
    if len(names) != 1 or any(
        re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", "", t)) for t in terms if t not in names
    ):
        return None  # one variable, bounds free of it and of any other (`x < y < z` is no interval)
    less = [bool(re.fullmatch(_LESS, op)) for op in ops]
    strict = [op in ("<", ">", "\\lt", "\\gt") for op in ops]
    if len(terms) == 3:  # a < x < b (or a > x > b)
        if not variable.fullmatch(terms[1]) or less[0] != less[1] or terms[1] in terms[0] + terms[2]:
            return None
        lo, hi = (0, 2) if less[0] else (2, 0)
        s_lo, s_hi = (strict[0], strict[1]) if less[0] else (strict[1], strict[0])
        return f"{'(' if s_lo else '['}{terms[lo]},{terms[hi]}{')' if s_hi else ']'}"
    if variable.fullmatch(terms[0]) and terms[0] not in terms[1]:
        bound, upper = terms[1], less[0]  # x < b: b is the upper bound
    elif variable.fullmatch(terms[1]) and terms[1] not in terms[0]:
        bound, upper = terms[0], not less[0]  # a < x: a is the lower bound
    else:
        return None
    edge = ")" if strict[0] else "]"
    if upper:
        return f"(-\\infty,{bound}{edge}"
    return f"{'(' if strict[0] else '['}{bound},\\infty)"


def inequality_interval(s: str) -> str:
    """`-1 \\le x \\le 3` → `[-1,3]`, `x > 2 \\text{ or } x < -2` → `(-\\infty,-2) \\cup (2,\\infty)`: a solution set
    written as inequalities is the interval math-verify compares (`x \\in [-1, 3]` it already reads)."""

    def rewrite(answer: str) -> str | None:
        pieces = _UNION.split(answer)
        intervals = [_interval(p) for p in pieces]
        if any(i is None for i in intervals):
            return None
        return " \\cup ".join(i for i in intervals if i)

    return _whole_answer(s, rewrite)


# what names a function or a curve: `f(x)`, `g(t, s)`, `y` (not `x = 2y`: that states a value of x)
_NAMED = re.compile(
    r"\s*(y|[A-Za-z](?:_\{?\w+\}?)?\(\s*[a-z](?:\s*,\s*[a-z])*\s*\))\s*=(?![=<>])\s*(.+)", re.DOTALL
)


def function_name(s: str) -> str:
    """`f(x) = 2x+1`, `y = 2x+1` → `2x+1`: a function or curve named on the left is the expression on
    the right, whatever the name (a value, `x = 3`, is left to math-verify)."""

    def rhs(answer: str) -> str | None:
        m = _NAMED.fullmatch(answer)
        if m is None or "=" in m.group(2):
            return None
        variables = re.sub(r"\\[A-Za-z]+|\\text\s*\{[^{}]*\}", "", m.group(2))
        return m.group(2).strip() if re.search(r"[A-Za-z]", variables) else None

    return _whole_answer(s, rhs)


def choice_letter(s: str) -> str:
    """`(C)`, `\\text{(C)}`, `\\textbf{C)}` → `C`: a multiple-choice answer is its letter."""
    m = re.fullmatch(r"\s*(?:\\(?:text|textbf|textrm|mathrm)\s*\{)?\s*\(?\s*([A-E])\s*\)?\s*\}?\s*", s)
    return m.group(1) if m else s


# The one spelling of an answer phrase's name and what follows it (`Answer:`, `final answer is`,
# `答案是`); extract.py reads phrases with it, groups named, and a choice may open with one.
ANSWER_NAME = r"(?:(?i:\b(?P<final>final\s+)?answer\b)|(?P<final_zh>最终)?答案)"
ANSWER_SEP = r"\**\s*(?i:is\b|:|=|：|是|为)"
ANSWER_PHRASE = re.sub(r"\(\?P<\w+>", "(?:", ANSWER_NAME) + ANSWER_SEP  # without the groups

_LEADING_CHOICE = re.compile(
    rf"\s*(?:(?i:the\s+)?{ANSWER_PHRASE}\s*)?"  # `Answer: D`, `答案：D`
    r"(?:\\text(?:bf)?\s*\{\s*)?(?:(?i:option|choice)\s*)?\(?([A-E])(?:\)|\}|\.|:|\s|$)"
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
    escaped_controls,
    trailing_backslash,
    thousands_thin_space,
    strip_markdown_bold,
    bold_symbols,
    roman_constants,
    sqrt_parentheses,
    root_braces,
    plus_minus_sign,
    currency,
    degree_sign,
    degrees_in_trig,
    repeating_decimal,
    integral_decimals,
    sqrt_of_negative,
    empty_set,
    prime_marks,
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


# ---- other shapes compared without math-verify ---------------------------------------------------

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?", re.IGNORECASE)


def clock_time(s: str) -> int | None:
    """Seconds after midnight of a clock time (`9:05`, `09:05:00`, `9:05 A.M.`, `9:05\\text{ pm}`), else
    None. Without a.m./p.m. the time is read on the 24-hour clock."""
    core = re.sub(r"\\(?:text|mathrm|mbox)\s*\{([^{}]*)\}|\$|\\[,;! ]", r"\1", s).strip().rstrip(".").strip()
    m = _CLOCK.fullmatch(core)
    if m is None:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if minute > 59 or second > 59 or hour > 23 or (m.group(4) and not 1 <= hour <= 12):
        return None
    if m.group(4):
        hour = hour % 12 + (12 if m.group(4).lower() == "p" else 0)
    return hour * 3600 + minute * 60 + second


_MATRIX = re.compile(r"\\begin\{([pbB]?matrix)\}(.*?)\\end\{\1\}", re.DOTALL)
_ANGLE = re.compile(r"\\langle(.*)\\rangle", re.DOTALL)
_INTEGER = re.compile(r"-?\d{1,30}")


def split_top(s: str, sep: str, *, not_after: str = "", strip: bool = True) -> list[str]:
    """`s` split at `sep` outside brackets, except where `sep` follows one of `not_after`
    (`=` after `\\<>!:` is part of `\\leq`, `<=`, `:=`); the parts stripped unless told."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(s):
        if depth == 0 and s.startswith(sep, i) and not (i and s[i - 1] in not_after):
            parts.append(s[start:i])
            i += len(sep)
            start = i
            continue
        depth += (s[i] in "{([") - (s[i] in "})]")
        i += 1
    parts.append(s[start:])
    return [p.strip() for p in parts] if strip else parts


def vector_entries(s: str) -> tuple[str, ...] | None:
    """The entries of a vector written as a matrix with one row or one column
    (`\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}`) or in angle brackets (`\\langle 1, 2 \\rangle`), else None."""
    core = s.strip().strip("$").strip()
    if (m := _MATRIX.fullmatch(core)) is not None:
        rows = [r for r in split_top(m.group(2), "\\\\") if r]
        cells = [split_top(r, "&") for r in rows]
        if len(rows) == 1:
            entries = cells[0]
        elif all(len(c) == 1 for c in cells):
            entries = [c[0] for c in cells]
        else:
            return None
    elif (m := _ANGLE.fullmatch(core)) is not None:
        entries = split_top(m.group(1), ",")
    else:
        return None
    return tuple(entries) if len(entries) > 1 and all(entries) else None


def integer_matrix(s: str) -> tuple[tuple[int, ...], ...] | None:
    """The rows of a matrix of at least 2×2 whose every entry is an integer
    (`\\begin{pmatrix} 1 & -2 \\\\ 3 & 4 \\end{pmatrix}`; `matrix`, `pmatrix` and `bmatrix` are the
    same matrix to math-verify, `Bmatrix` is not), else None."""
    core = s.strip().strip("$").strip()
    if (m := _MATRIX.fullmatch(core)) is None or m.group(1) == "Bmatrix":  # braces: math-verify's call
        return None
    rows = [split_top(r, "&") for r in split_top(m.group(2), "\\\\") if r.strip()]
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return None
    if not all(_INTEGER.fullmatch(c.strip()) for r in rows for c in r):
        return None
    return tuple(tuple(int(c) for c in r) for r in rows)


def tuple_entries(s: str) -> tuple[str, ...] | None:
    """The entries of a tuple or list `(1, 2)`, `[1, 2]` (what a vector may be compared with), else None."""
    core = re.sub(r"\\left|\\right", "", s.strip().strip("$").strip())
    if len(core) < 2 or (core[0], core[-1]) not in (("(", ")"), ("[", "]")):
        return None
    entries = split_top(core[1:-1], ",")
    return tuple(entries) if len(entries) > 1 and all(entries) else None
