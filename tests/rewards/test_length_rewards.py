"""`cosine` (Yeo et al. 2025) and `length` (Kimi k1.5) with hand-computed values.

Correctness comes from a registered reward (`correct_from`); the oracle below stands in for
`accuracy` so that each case states its verdict, and one test uses the real `accuracy`.
"""

from __future__ import annotations

import math

import pytest
from score_one import run

from rewards import InvalidRequest, MathReference, RewardResult, RewardSpec, Sample, Status, score
from rewards.registry import NoParams, sample_reward

CALLS: list[int] = []


@sample_reward("test_oracle", params=NoParams)
def _oracle(sample: Sample, p: NoParams) -> RewardResult:
    """RIGHT in the completion: correct; SLOW: timeout; NOGOLD: cannot be judged."""
    CALLS.append(1)
    if "SLOW" in sample.completion:
        return RewardResult.fail(Status.TIMEOUT, "verifier ran past its deadline")
    if "NOGOLD" in sample.completion:
        return RewardResult.fail(Status.INVALID_INPUT, "sample has no math reference")
    return RewardResult(1.0 if "RIGHT" in sample.completion else 0.0)


def sample(i: int, verdict: str, n_chars: int, prompt: str = "p") -> Sample:
    return Sample(str(i), prompt, verdict + "." * (n_chars - len(verdict)))


ORACLE = {"correct_from": "test_oracle", "length_unit": "chars"}


def cos_fn(t: float, big_t: float, lo: float, hi: float) -> float:
    """The paper's CosFn: hi at t = 0, lo at t = T."""
    return lo + 0.5 * (hi - lo) * (1 + math.cos(t * math.pi / big_t))


@pytest.mark.parametrize(
    "verdict,n,expected",
    [
        ("RIGHT", 5, cos_fn(5, 100, 1.0, 2.0)),  # ~2: short and right
        ("RIGHT", 50, 1.5),  # cos(pi/2) = 0: midway between r_0^c = 2 and r_L^c = 1
        ("RIGHT", 99, cos_fn(99, 100, 1.0, 2.0)),
        ("WRONG", 50, -5.0),  # midway between r_0^w = -10 and r_L^w = 0
        ("WRONG", 5, cos_fn(5, 100, 0.0, -10.0)),
        ("RIGHT", 100, -10.0),  # at L_max: r_e
        ("WRONG", 150, -10.0),
    ],
)
async def test_cosine_paper_defaults(verdict: str, n: int, expected: float) -> None:
    [r] = await run("cosine", [sample(0, verdict, n)], max_length=100, **ORACLE)
    assert r.value == pytest.approx(expected), r.detail


async def test_cosine_in_tokens_and_custom_values() -> None:
    s = Sample("t", "p", "RIGHT", completion_tokens=1024)
    params = {"correct_from": "test_oracle", "correct_short": 1.0, "correct_long": 0.5}
    [r] = await run("cosine", [s], **params)
    assert r.value == pytest.approx(cos_fn(1024, 4096, 0.5, 1.0))


async def test_cosine_empty_completion_is_length_zero() -> None:
    [r] = await run("cosine", [Sample("e", "p", "")], **ORACLE)
    assert r.value == -10.0 and r.status is Status.OK  # wrong at length 0: r_0^w


async def test_length_kimi_group() -> None:
    # lengths 10, 20, 30 -> lambda = 0.5, 0.0, -0.5
    group = [sample(0, "RIGHT", 10), sample(1, "WRONG", 10), sample(2, "RIGHT", 20), sample(3, "WRONG", 30)]
    values = [r.value for r in await run("length", group, **ORACLE)]
    assert values == pytest.approx([0.5, 0.0, 0.0, -0.5])  # wrong: min(0, lambda)


async def test_length_groups_by_prompt_and_equal_lengths_give_zero() -> None:
    samples = [
        sample(0, "RIGHT", 10, "p1"),
        sample(1, "RIGHT", 40, "p1"),
        sample(2, "RIGHT", 25, "p2"),
        sample(3, "WRONG", 25, "p2"),
    ]
    values = [r.value for r in await run("length", samples, **ORACLE)]
    assert values == pytest.approx([0.5, -0.5, 0.0, 0.0])


async def test_unknown_correctness_passes_through_and_timeout_counts_wrong() -> None:
    samples = [sample(0, "RIGHT", 10), sample(1, "NOGOLD", 20), sample(2, "SLOW", 30), sample(3, "RIGHT", 50)]
    results = await run("length", samples, **ORACLE)
    assert [r.status for r in results] == [Status.OK, Status.INVALID_INPUT, Status.TIMEOUT, Status.OK]
    # NOGOLD is out of the group: lengths 10, 30, 50; SLOW at 30 is wrong: min(0, 0) = 0
    assert [r.value for r in results] == pytest.approx([0.5, 0.0, 0.0, -0.5])
    cos = await run("cosine", samples, max_length=100, **ORACLE)
    assert cos[2].value == pytest.approx(cos_fn(30, 100, 0.0, -10.0)) and cos[2].status is Status.TIMEOUT
    assert cos[1].value == 0.0 and "no math reference" in cos[1].detail


async def test_missing_token_count_is_invalid_input() -> None:
    [r] = await run("length", [Sample("a", "p", "RIGHT")], correct_from="test_oracle")
    assert r.status is Status.INVALID_INPUT and "completion_tokens" in r.detail


async def test_correctness_is_computed_once_per_request() -> None:
    CALLS.clear()
    samples = [sample(i, "RIGHT", 10 + i) for i in range(4)]
    specs = [RewardSpec("cosine", params=ORACLE), RewardSpec("length", params=ORACLE)]
    await score(samples, specs)
    assert len(CALLS) == len(samples)


@pytest.mark.parametrize(
    "source,why",
    [
        ("no_such_reward", "unknown reward 'no_such_reward'"),
        ("length", "must be a per-sample reward"),
        ("cosine", "must be a per-sample reward"),
    ],
)
async def test_bad_correctness_source_names_the_field(source: str, why: str) -> None:
    with pytest.raises(InvalidRequest, match=rf"params\.correct_from: .*{why}"):
        await run("cosine", [sample(0, "RIGHT", 5)], correct_from=source)


async def test_with_the_real_accuracy_reward() -> None:
    gold = MathReference("1/2")
    samples = [
        Sample("right", "Half?", "<think>halve</think><answer>\\frac{1}{2}</answer>", math=gold),
        Sample(
            "wrong", "Half?", "<think>thinking about it for a long while</think><answer>2</answer>", math=gold
        ),
    ]
    right, wrong = await run("cosine", samples, length_unit="chars", max_length=1000)
    assert right.value > 1.9 and "correct" in right.detail, right.detail
    assert -10 < wrong.value < -9 and "wrong" in wrong.detail, wrong.detail
