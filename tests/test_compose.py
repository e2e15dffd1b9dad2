"""Composition in-process: weights, isolation of failures, request validation."""

from __future__ import annotations

import pytest

from rewards import InvalidRequest, RewardResult, RewardSpec, Sample, Status, score
from rewards.registry import Params, group_reward, sample_reward

GOOD = "<think>x</think><answer>1</answer>"


class BoomParams(Params):
    on: str = "boom"


@sample_reward("test_boom", params=BoomParams)
def _boom(sample: Sample, p: BoomParams) -> RewardResult:
    """Raises on one completion, to prove a failure stays on its sample."""
    if sample.completion == p.on:
        raise RuntimeError("kaboom")
    return RewardResult(1.0)


@group_reward("test_broken_group")
async def _broken(samples, params, ctx):  # type: ignore[no-untyped-def]
    """A group reward that fails outright."""
    raise RuntimeError("whole group failed")


async def test_weighted_total_and_order() -> None:
    samples = [Sample("a", "p", GOOD), Sample("b", "p", "plain")]
    a, b = await score(samples, [RewardSpec("format", weight=2.0), RewardSpec("test_boom", weight=0.5)])
    assert (a.id, a.total, b.id, b.total) == ("a", 2.5, "b", 0.5)


async def test_an_exception_marks_only_its_sample() -> None:
    ok, bad = await score([Sample("ok", "p", "fine"), Sample("bad", "p", "boom")], [RewardSpec("test_boom")])
    assert ok.rewards["test_boom"] == RewardResult(1.0)
    assert bad.rewards["test_boom"].status is Status.ERROR and bad.rewards["test_boom"].value == 0.0
    assert "kaboom" in bad.rewards["test_boom"].detail


async def test_a_broken_reward_marks_only_its_column() -> None:
    [r] = await score([Sample("a", "p", GOOD)], [RewardSpec("format"), RewardSpec("test_broken_group")])
    assert r.rewards["format"].value == 1.0
    assert r.rewards["test_broken_group"].status is Status.ERROR and r.total == 1.0


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        ([], "at least one reward"),
        ([RewardSpec("nope")], "rewards[0].name: unknown reward 'nope'; known rewards:"),
        ([RewardSpec("format"), RewardSpec("format")], "rewards[1].name: reward 'format' is named twice"),
        ([RewardSpec("format", weight=float("nan"))], "rewards[0].weight"),
        ([RewardSpec("format", params={"think": "x"})], "rewards[0].params.think"),
        ([RewardSpec("test_boom", params={"on": 3})], "rewards[0].params.on"),
    ],
)
async def test_invalid_requests_name_the_field(specs: list[RewardSpec], message: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        await score([Sample("a", "p", GOOD)], specs)
    assert message in str(info.value)


async def test_duplicate_sample_ids_are_refused() -> None:
    with pytest.raises(InvalidRequest, match=r"samples\[1\]\.id"):
        await score([Sample("a", "p", ""), Sample("a", "p", "")], [RewardSpec("format")])


CALLS: list[int] = []


@sample_reward("test_counted")
def _counted(sample: Sample, p: Params) -> RewardResult:
    """1.0 for completions that say 'right'; counts its calls."""
    CALLS.append(1)
    return RewardResult(float("right" in sample.completion))


async def test_a_reward_read_by_another_runs_once_per_request() -> None:
    samples = [Sample("a", "p", "right " * 5), Sample("b", "p", "wrong")]
    CALLS.clear()
    results = await score(
        samples,
        [
            RewardSpec("test_counted"),
            RewardSpec("cosine", params={"correct_from": "test_counted", "length_unit": "chars"}),
            RewardSpec("length", params={"correct_from": "test_counted", "length_unit": "chars"}),
        ],
    )
    assert len(CALLS) == len(samples)  # one run shared by the column, cosine and length
    assert [r.rewards["test_counted"].value for r in results] == [1.0, 0.0]
    assert results[0].rewards["cosine"].value > 0 > results[1].rewards["cosine"].value
    # Non-default parameters are a different computation and run on their own.
    CALLS.clear()
    await score(samples, [RewardSpec("test_counted", weight=2.0), RewardSpec("format")])
    assert len(CALLS) == len(samples)
