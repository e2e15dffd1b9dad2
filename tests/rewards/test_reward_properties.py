"""Property-based tests (hypothesis) of every reward in the catalog, through `rewards.score`.

For random samples (completions, prompts, languages, token counts, math golds, code
references), scored the way the server scores them: no exception escapes, every value is finite
and within the reward's declared range, a non-OK status gives no credit and says why, and one
sample (or one bad sample) never changes another sample's result in the same request.

The math verifier is real (worker processes, real math-verify). No sandbox is configured, as
on a server started without Docker: the `code` reward must then answer SANDBOX_ERROR, never fail.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rewards import (
    CodeReference,
    Context,
    IOCase,
    MathReference,
    RewardResult,
    RewardSpec,
    Sample,
    SampleResult,
    Status,
    all_rewards,
    get_reward,
    score,
)
from rewards.math import MathVerifier
from tests.conftest import started_verifier

# The built-in catalog, enumerated as ListRewards does. Other test modules register helper
# rewards named "test_*" into the same registry; those are not part of the catalog.
CATALOG = [r.name for r in all_rewards() if not r.name.startswith("test_")]
# a few non-default parameters that change the code path (ranges are declared for the defaults,
# and none of these moves the range)
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("accuracy", {"fallbacks": ["answer_phrase", "last_number"]}),
    ("format", {"mode": "strict"}),
    ("format", {"mode": "think_only", "prompt_opens_think": True}),
    ("tag_count", {"prompt_opens_think": True}),
    ("reasoning_steps", {"min_steps": 1}),
    ("repetition", {"ngram_size": 1}),
    ("soft_overlong", {"length_unit": "chars", "max_length": 200, "cache_length": 100}),
    ("cosine", {"length_unit": "chars", "max_length": 300}),
    ("length", {"length_unit": "chars"}),
    ("language_consistency", {"detect_from_prompt": False}),
]
DEFAULTS = [RewardSpec(name) for name in CATALOG]
SPECS = DEFAULTS + [RewardSpec(n, params=p) for n, p in VARIANTS]

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- strategies ---------------------------------------------------------------------------

PIECES = [
    "<think>", "</think>", "<answer>", "</answer>", "\n", " ", "\\boxed{", "}", "{", "\\boxed{4}",
    "\\boxed{\\frac{1}{2}}", "\\frac{1}{2}", "1/2", "0.5", "x^2+1", "(1,2)", "The final answer is 4.",
    "Answer: 7", "Step 1: ", "1. ", "\n- ", "First, ", "Finally, ", "the the the the ", "我们先计算。",
    "Nous calculons d'abord la moitié. ", "Let me think about this carefully. ", "```python\nprint(1)\n```",
    "$", "\\(", "10^{10^{10}}", "\x00", "😀", "**5**", "</answer><answer>", "<think></think>",
]  # fmt: skip
ANSWERS = ["4", "1/2", "\\frac{1}{2}", "0.5", "x^2+1", "(1,2)"]
FORMS = [
    "<think>\n{r}\n</think>\n<answer>\n{a}\n</answer>", "<think>{r}</think><answer>{a}</answer>",
    "{r}\n</think>\n<answer>\n{a}\n</answer>", "<think>{r}</think> So it is $\\boxed{{{a}}}$.",
    "{r} The final answer is {a}.",
]  # fmt: skip
REASONING = [
    "Step 1: halve it.", "Step 2: check.", "First, we compute.", "Finally, done.", "1. one", "2. two",
    "- a point", "Let me think about this carefully.", "我们先计算一半。", "Nous calculons la moitié.",
]  # fmt: skip
# well-formed completions (so that right answers, full format credit and long correct answers occur)
well_formed = st.builds(
    lambda form, r, a: form.format(r="\n".join(r), a=a),
    st.sampled_from(FORMS),
    st.lists(st.sampled_from(REASONING), max_size=6),
    st.sampled_from(ANSWERS),
)
completions = st.one_of(
    well_formed,
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=12).map("".join),
    st.builds(str.__mul__, st.sampled_from(["the cat sat ", "1 2 ", "是", "<think>"]), st.integers(0, 60)),
)
prompts = st.one_of(
    st.sampled_from(
        ["", "What is half of one?", "Quelle est la moitié de un ?", "一半是多少？", "Solve.\n<think>\n"]
    ),
    st.text(max_size=40),
)
GOLDS = ["\\{1,2\\}", "B", "7", "", "\\boxed{", "10^{-7}", "\\text{Evelyn}"]
golds = st.one_of(st.sampled_from(ANSWERS), st.sampled_from(GOLDS), st.text(max_size=20))
languages = st.one_of(
    st.none(), st.sampled_from(["", "en", "zh", "zh-CN", "fr", "xx", "EN"]), st.text(max_size=6)
)
tokens = st.one_of(st.none(), st.integers(0, 40_000), st.just(2**32 - 1))  # uint32 on the wire
code_refs = st.one_of(
    st.none(),
    st.builds(CodeReference, st.sampled_from(["python", "c", "cobol", ""]), st.text(max_size=30)),
    st.builds(
        lambda lang, stdin, out: CodeReference(lang, cases=(IOCase(stdin, out),)),
        st.sampled_from(["python", "cpp"]),
        st.text(max_size=10),
        st.text(max_size=10),
    ),
)


@st.composite
def sample(draw: st.DrawFn, i: int, prompt: str | None = None) -> Sample:
    return Sample(
        id=f"s{i}",
        prompt=draw(prompts) if prompt is None else prompt,
        completion=draw(completions),
        language=draw(languages),
        math=draw(st.one_of(st.none(), st.builds(MathReference, golds))),
        code=draw(code_refs),
        completion_tokens=draw(tokens),
    )


@st.composite
def batch(draw: st.DrawFn) -> list[Sample]:
    """1-5 samples; prompts often shared, so that group rewards see real groups."""
    shared = draw(prompts)
    n = draw(st.integers(1, 5))
    return [draw(sample(i, shared if draw(st.booleans()) else None)) for i in range(n)]


# samples that each break something: a hanging answer (killed at the deadline), a hanging gold,
# no gold, junk bytes, deep braces, a long completion, a bad language, an impossible token count
BAD = [
    Sample("bad", "", "\\boxed{10^{10^{10^{10}}}}", math=MathReference("1"), completion_tokens=5),
    Sample("bad", "", "\\boxed{1}", math=MathReference("10^{10^{10^{10}}}"), completion_tokens=5),
    Sample("bad", "", "<think>no gold</think>\\boxed{1}", completion_tokens=5),
    Sample("bad", "", "\x00\xff\ud7ff" * 500, "xx-Qaaa", MathReference("\x00")),
    Sample("bad", "", "{" * 5000 + "1" + "}" * 5000, math=MathReference("{" * 5000), completion_tokens=0),
    Sample("bad", "", "1+" * 30_000 + "1", "klingon", MathReference("1+" * 30_000)),
    Sample("bad", "", "\\boxed{1}", "", MathReference("1"), CodeReference("cobol"), 2**32 - 1),
]

# ---- the checks ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def verifier() -> Iterator[MathVerifier]:
    with started_verifier(timeout_ms=1500) as v:
        yield v


async def _score(
    samples: Sequence[Sample], specs: Sequence[RewardSpec], v: MathVerifier
) -> list[SampleResult]:
    # one Context per request, as the server makes (it caches the shared `accuracy` column)
    return await score(samples, specs, Context(math=v))


def _check(spec: RewardSpec, r: RewardResult) -> None:
    reward = get_reward(spec.name)
    lo, hi = reward.value_range
    assert isinstance(r.status, Status) and isinstance(r.detail, str)
    assert isinstance(r.value, float) and math.isfinite(r.value), r
    assert lo <= r.value <= hi, (spec, r)
    if r.status is not Status.OK:
        assert r.detail, r  # every failure says why
        if r.status is Status.TIMEOUT and "correct_from" in reward.params.model_fields:
            # cosine/length: a correctness check that timed out counts as a wrong answer and keeps
            # status TIMEOUT with the wrong answer's value (rewards/length.py): never credit
            assert r.value <= 0.0, r
        else:
            assert r.value == 0.0, r


def _same(a: RewardResult, b: RewardResult) -> bool:
    """Equal results; a TIMEOUT depends on the machine's load, not on the sample: any verdict matches."""
    return Status.TIMEOUT in (a.status, b.status) or a == b


def _check_all(samples: Sequence[Sample], specs: Sequence[RewardSpec], results: list[SampleResult]) -> None:
    assert [r.id for r in results] == [s.id for s in samples]
    for res in results:
        assert set(res.rewards) == {s.name for s in specs}
        for spec in specs:
            _check(spec, res.rewards[spec.name])
        total = sum(spec.weight * res.rewards[spec.name].value for spec in specs)
        assert math.isfinite(res.total) and res.total == pytest.approx(total)


@pytest.mark.parametrize(
    "spec", SPECS, ids=[f"{s.name}{'-' + str(i) if s.params else ''}" for i, s in enumerate(SPECS)]
)
@FUZZ
@given(samples=batch())
async def test_every_reward_is_total_in_range_and_isolates_samples(
    verifier: MathVerifier, spec: RewardSpec, samples: list[Sample]
) -> None:
    results = await _score(samples, [spec], verifier)
    _check_all(samples, [spec], results)
    got = {r.id: r.rewards[spec.name] for r in results}
    for g in got.values():  # shown by --hypothesis-show-statistics: which outcomes were reached
        event(f"{g.status.value}, value {'0' if g.value == 0 else '> 0' if g.value > 0 else '< 0'}")
    # scored apart, each sample (per-sample rewards) or each prompt group (group rewards) gets
    # exactly what it got in the batch
    if get_reward(spec.name).group:
        parts = [[s for s in samples if s.prompt == p] for p in dict.fromkeys(s.prompt for s in samples)]
    else:
        parts = [[s] for s in samples]
    for part in parts:
        for res in await _score(part, [spec], verifier):
            apart = res.rewards[spec.name]
            assert _same(got[res.id], apart), (spec, part, got[res.id], apart)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(samples=batch(), bad=st.sampled_from(BAD), data=st.data())
async def test_a_bad_sample_never_changes_the_others(
    verifier: MathVerifier, samples: list[Sample], bad: Sample, data: st.DataObject
) -> None:
    """Every reward in one request, as a trainer sends it. The bad sample has a prompt of its own:
    the length reward compares lengths within a prompt group, by design."""
    own_prompt = "#" * (1 + max(len(s.prompt) for s in samples))  # longer than any other: unique
    at = data.draw(st.integers(0, len(samples)), label="at")
    with_bad = [*samples[:at], replace(bad, prompt=own_prompt), *samples[at:]]
    results = await _score(with_bad, DEFAULTS, verifier)
    _check_all(with_bad, DEFAULTS, results)
    without = {r.id: r for r in await _score(samples, DEFAULTS, verifier)}
    for res in results:
        if res.id == "bad":
            continue
        for spec in DEFAULTS:
            mine, theirs = res.rewards[spec.name], without[res.id].rewards[spec.name]
            assert _same(mine, theirs), (spec, res.id, mine, theirs)
