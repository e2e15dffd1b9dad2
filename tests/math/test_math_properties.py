"""Property-based tests (hypothesis) of math extraction and verification.

Whatever the completion and the gold, extraction is total and well typed, grading never lets
an exception escape (nor turns one into status ERROR), a reward is 0 or 1 and only OK may be
1; on well-formed answers grading is reflexive and symmetric. Real math-verify, real sympy,
the real worker pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rewards.math import Extraction, MathConfig, MathVerifier, extract_answer
from rewards.math.config import Fallback, Overrides
from rewards.math.extract import boxed_contents, outside_think
from rewards.math.normalize import plain_number
from rewards.types import RewardResult, Status
from tests.conftest import started_verifier

STRICT = MathConfig(workers=1)
LENIENT = MathConfig(workers=1, fallbacks=("answer_phrase", "last_number"))
NO_FALLBACK = MathConfig(workers=1, fallbacks=(), think_tag="reason", answer_tag="final")
CONFIGS = st.sampled_from([STRICT, LENIENT, NO_FALLBACK])

PURE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POOL = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- strategies ---------------------------------------------------------------------------

_LEAVES = [
    "x", "y", "n", "\\pi", "e", "i", "\\infty", "", " ", "A", "(B)", "0.5", "1/3", "-7", "\\sqrt{2}",
    "(1,2)", "\\{1,2\\}", "[0, 1)", "=", "x=3", "\\,", "%", "30^\\circ", "5\\text{ cm}", "1,2,\\ldots,n",
    "\\$18.90", "**5**", "\\{", "\\}", "}", "{", "\\boxed", "\\boxed 5", "\\fbox{", "<think>", "</think>",
    "<answer>", "</answer>", "$", "\\(", "\\]", "\n", "final answer is", "Answer:", "°", "\x00",
]  # fmt: skip


def _wrap(ch: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("\\boxed{{{}}}".format, ch),
        st.builds("\\fbox{{{}}}".format, ch),
        st.builds("{{{}}}".format, ch),
        st.builds("\\frac{{{}}}{{{}}}".format, ch, ch),
        st.builds("\\dfrac{}{}".format, ch, ch),  # `\dfrac12`: arguments without braces
        st.builds("{}^{{{}}}".format, ch, ch),
        st.builds("\\sqrt{{{}}}".format, ch),
        st.builds("\\left({}\\right)".format, ch),
        st.builds("${}$".format, ch),
        st.builds("{} + {}".format, ch, ch),
        st.builds("{}, {}".format, ch, ch),
        st.builds("{}{}".format, ch, ch),
        st.builds("<think>{}</think>{}".format, ch, ch),
        st.builds("<think>{}".format, ch),
        st.builds("<answer>{}</answer>".format, ch),
        st.builds("The answer is {}.".format, ch),
        st.builds("**Final Answer:** {}\n".format, ch),
        st.builds("{}{{".format, ch),  # truncated: an unclosed brace
    )


latexish = st.recursive(
    st.one_of(st.integers(-(10**6), 10**6).map(str), st.sampled_from(_LEAVES), st.text(max_size=6)),
    _wrap,
    max_leaves=10,
)
anything = st.one_of(st.text(max_size=300), latexish)

# text without backslashes, braces or tags: nothing in it can open or close a \boxed{} or a block
plain = st.text(alphabet=st.characters(blacklist_characters="\\{}<>"), max_size=20)
balanced = st.recursive(
    plain, lambda ch: st.one_of(st.builds("{{{}}}".format, ch), st.builds(str.__add__, ch, ch)), max_leaves=8
)


def _decimal(q: Fraction, places: int) -> str:
    """`q` rounded to `places` decimals (half away from zero), written out: `-4.50`."""
    n = int((abs(q) * 10**places + Fraction(1, 2)) // 1)
    return f"{'-' if q < 0 else ''}{n // 10**places}.{n % 10**places:0{places}d}"


@st.composite
def rational_spelling(draw: st.DrawFn, q: Fraction, exact: bool = False) -> str:
    """One way to write `q`: integer, `\\frac`, `a/b`, unreduced fraction, exact decimal and, unless
    `exact`, `q` rounded to 1-4 decimals."""
    a, sign = abs(q), "-" if q < 0 else ""
    kinds = ["frac", "dfrac", "slash", "unreduced"] + ([] if exact else ["rounded"])
    if q.denominator == 1:
        kinds.append("int")
    places = next((p for p in range(1, 8) if (a * 10**p).denominator == 1), None)
    if places is not None:
        kinds.append("exact decimal")
    kind = draw(st.sampled_from(kinds))
    if kind == "int":
        return str(q.numerator)
    if kind == "frac":
        return f"{sign}\\frac{{{a.numerator}}}{{{a.denominator}}}"
    if kind == "dfrac":
        return f"{sign}\\dfrac{{{a.numerator}}}{{{a.denominator}}}"
    if kind == "slash":
        return f"{q.numerator}/{q.denominator}"
    if kind == "unreduced":
        k = draw(st.integers(2, 6))
        return f"{sign}\\frac{{{k * a.numerator}}}{{{k * a.denominator}}}"
    if kind == "exact decimal":
        assert places is not None
        return _decimal(q, places)
    return _decimal(q, draw(st.integers(1, 4)))


rationals = st.builds(Fraction, st.integers(-300, 300), st.integers(1, 40))


@st.composite
def rational_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Two spellings of one value (often), or of two independent values."""
    q = draw(rationals)
    other = q if draw(st.booleans()) else draw(rationals)
    return draw(rational_spelling(q)), draw(rational_spelling(other))


X = sympy.Symbol("x")
# a small grammar of polynomials in x, each with its sympy value
polynomial: st.SearchStrategy[tuple[str, sympy.Expr]] = st.recursive(
    st.one_of(st.just(("x", X)), st.integers(0, 9).map(lambda n: (str(n), sympy.Integer(n)))),
    lambda ch: st.one_of(
        st.builds(lambda a, b: (f"{a[0]}+{b[0]}", a[1] + b[1]), ch, ch),
        st.builds(lambda a, b: (f"{a[0]}-({b[0]})", a[1] - b[1]), ch, ch),
        st.builds(lambda a, b: (f"({a[0]})({b[0]})", a[1] * b[1]), ch, ch),
        st.builds(lambda a, b: (f"({a[0]}) \\cdot ({b[0]})", a[1] * b[1]), ch, ch),
        st.builds(lambda a, n: (f"({a[0]})^{{{n}}}", a[1] ** n), ch, st.integers(2, 3)),
    ),
    max_leaves=6,
)


@st.composite
def polynomial_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A polynomial and the same one expanded or factored by sympy (often), or another one."""
    text, value = draw(polynomial)
    if not draw(st.booleans()):
        return text, draw(polynomial)[0]
    expanded = sympy.expand(value)
    forms = [sympy.latex(expanded), sympy.latex(sympy.factor(expanded)), str(expanded).replace("**", "^")]
    return text, draw(st.sampled_from(forms))


def _rounded(a: str, b: str) -> bool:
    """A rounded decimal against another value (`0.33` and `\\frac{1}{3}`): by design not symmetric.
    A decimal gold is matched at its own precision (gold 0.33 accepts 1/3); a decimal answer for
    an exact gold needs `numeric_precision` digits (gold 1/3 refuses 0.33)."""
    na, nb = plain_number(a), plain_number(b)
    return na is not None and nb is not None and na.value != nb.value


well_formed_pair = st.one_of(rational_pair(), polynomial_pair()).filter(lambda p: not _rounded(*p))

# ---- extraction: pure functions -------------------------------------------------------------


@PURE
@given(anything, CONFIGS)
def test_extract_answer_is_total_and_well_typed(completion: str, config: MathConfig) -> None:
    found = extract_answer(completion, config)
    assert isinstance(found, Extraction)
    assert found.text is None or isinstance(found.text, str)
    assert isinstance(found.source, str) and found.source  # always says where, or why nothing
    assert isinstance(found.shown, str)
    assert isinstance(found.parts, tuple) and all(isinstance(p, str) for p in found.parts)
    assert found.found == (found.text is not None)
    if found.found:
        assert found.text is not None and found.text.strip()  # an answer is never blank
        assert not found.parts  # parts are kept only for a hedge (no single answer)


@PURE
@given(anything, CONFIGS)
def test_reasoning_is_never_an_answer(reasoning: str, config: MathConfig) -> None:
    tag = config.think_tag
    assert not extract_answer(f"<{tag}>{reasoning}</{tag}>", config).found
    if f"</{tag}>" not in reasoning:  # opened and never closed: nothing outside it
        assert not extract_answer(f"<{tag}>{reasoning}", config).found


@PURE
@given(anything)
def test_outside_think_is_none_or_a_suffix(completion: str) -> None:
    rest = outside_think(completion)
    assert rest is None or (isinstance(rest, str) and completion.endswith(rest))
    if rest is None:
        assert "<think>" in completion and "</think>" not in completion


@PURE
@given(anything)
def test_boxed_contents_are_pieces_of_the_text(text: str) -> None:
    boxes = boxed_contents(text)
    assert isinstance(boxes, list)
    assert all(isinstance(b, str) and b in text for b in boxes)


@PURE
@given(plain, balanced, plain, st.sampled_from(["boxed", "fbox"]))
def test_boxed_contents_match_braces(before: str, inside: str, after: str, command: str) -> None:
    assert boxed_contents(f"{before}\\{command}{{{inside}}}{after}") == [inside]
    if inside.strip():
        found = extract_answer(f"{before}\\{command}{{{inside}}}{after}", STRICT)
        assert (found.text, found.shown) == (f"\\boxed{{{inside.strip()}}}", inside.strip())


# ---- grading through the worker pool --------------------------------------------------------


@pytest.fixture(scope="module")
def verifier() -> Iterator[MathVerifier]:
    with started_verifier(timeout_ms=2000) as v:
        yield v


def _check_result(r: RewardResult) -> None:
    assert isinstance(r, RewardResult) and isinstance(r.status, Status)
    assert r.value in (0.0, 1.0)
    # ERROR means grading raised inside the worker: `grade` promises never to raise for bad input
    assert r.status is not Status.ERROR, r.detail
    if r.status is not Status.OK:
        assert r.value == 0.0 and r.detail


@POOL
@given(anything, st.lists(anything, min_size=1, max_size=4), st.sampled_from([None, ("last_number",)]))
async def test_score_group_is_total_and_in_range(
    verifier: MathVerifier, gold: str, completions: list[str], fallbacks: tuple[Fallback, ...] | None
) -> None:
    results = await verifier.score_group(gold, completions, overrides=Overrides(fallbacks=fallbacks))
    assert len(results) == len(completions)
    for r in results:
        _check_result(r)


@POOL
@given(st.lists(st.tuples(anything, anything), min_size=1, max_size=4))
async def test_verify_is_total(verifier: MathVerifier, pairs: list[tuple[str, str]]) -> None:
    verdicts = await verifier.verify_many(pairs)
    assert len(verdicts) == len(pairs)
    for v in verdicts:
        assert isinstance(v.equal, bool) and isinstance(v.status, Status) and isinstance(v.detail, str)
        assert v.status is not Status.ERROR, v.detail
        assert not v.equal or v.status is Status.OK  # only a real judgement says equal


@POOL
@given(well_formed_pair)
async def test_grading_is_reflexive_and_symmetric(verifier: MathVerifier, pair: tuple[str, str]) -> None:
    a, b = pair
    ab, ba, aa, bb = await verifier.verify_many([(b, a), (a, b), (a, a), (b, b)])
    for v in (ab, ba, aa, bb):
        assert v.status is Status.OK, v.detail  # well-formed answers are always judged
    assert aa.equal and bb.equal, (aa.detail, bb.detail)
    assert ab.equal == ba.equal, (ab.detail, ba.detail)


@POOL
@given(rationals, st.data())
async def test_any_spelling_of_a_value_is_credited(
    verifier: MathVerifier, q: Fraction, data: st.DataObject
) -> None:
    gold = data.draw(rational_spelling(q, exact=True), label="gold")
    pred = data.draw(rational_spelling(q, exact=True), label="pred")
    completion = data.draw(st.sampled_from(["\\boxed{{{}}}", "<think>hmm</think><answer>{}</answer>",
                                            "So the final answer is ${}$."]), label="form").format(pred)  # fmt: skip
    [r] = await verifier.score_group(gold, [completion])
    assert (r.value, r.status) == (1.0, Status.OK), r.detail
