"""The registered `accuracy` reward, through the same `score` path the server uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rewards import Context, MathReference, RewardSpec, Sample, Status, get_reward, score
from rewards.math.reward import default_verifier
from tests.conftest import started_verifier


@pytest.fixture(scope="module")
def ctx() -> Iterator[Context]:
    with started_verifier(timeout_ms=2000) as v:
        yield Context(math=v)


def sample(i: int, completion: str, gold: str | None) -> Sample:
    return Sample(str(i), "prompt", completion, math=MathReference(gold) if gold is not None else None)


async def test_accuracy_groups_by_gold_and_flags_missing_references(ctx: Context) -> None:
    samples = [
        sample(0, "<think>2+2</think><answer>4</answer>", "4"),
        sample(1, "\\boxed{5}", "4"),
        sample(2, "\\boxed{\\frac{1}{2}}", "0.5"),
        sample(3, "\\boxed{4}", None),
        sample(4, "<think>\\boxed{4}</think>", "4"),
    ]
    results = await score(samples, [RewardSpec("accuracy")], ctx)
    acc = [r.rewards["accuracy"] for r in results]
    assert [a.value for a in acc] == [1.0, 0.0, 1.0, 0.0, 0.0]
    assert acc[3].status == Status.INVALID_INPUT and "math reference" in acc[3].detail
    assert "<think>" in acc[4].detail


async def test_fallbacks_are_a_parameter(ctx: Context) -> None:
    s = [sample(0, "so 2 + 2 = 4", "4")]
    strict = await score(s, [RewardSpec("accuracy")], ctx)
    lenient = await score(s, [RewardSpec("accuracy", params={"fallbacks": ["last_number"]})], ctx)
    assert strict[0].total == 0.0 and lenient[0].total == 1.0


def test_accuracy_is_registered_with_a_definition() -> None:
    reward = get_reward("accuracy")
    assert "boxed" in reward.description and reward.value_range == (0.0, 1.0)


async def test_without_ctx_math_a_process_wide_verifier_is_started() -> None:
    results = await score([sample(0, "\\boxed{3}", "3")], [RewardSpec("accuracy")])
    assert results[0].total == 1.0
    assert default_verifier() is default_verifier()
    default_verifier().close_sync()


async def test_a_batch_with_no_math_starts_no_verifier() -> None:
    import rewards.math.reward as reward

    before = reward._default
    results = await score([Sample("a", "", "\\boxed{3}")], [RewardSpec("accuracy")])
    assert results[0].rewards["accuracy"].status is Status.INVALID_INPUT
    assert reward._default is before  # the settings-less default pool was not started for nothing


async def test_the_think_and_answer_tags_are_per_request_as_for_the_structure_rewards(ctx: Context) -> None:
    s = [sample(0, "<reasoning>\\boxed{4}</reasoning><final>3</final>", "3")]
    accuracy = get_reward("accuracy")
    default = await accuracy(s, accuracy.parse_params({}), ctx)
    tagged = await accuracy(s, accuracy.parse_params({"think_tag": "reasoning", "answer_tag": "final"}), ctx)
    assert (default[0].value, tagged[0].value) == (0.0, 1.0), (default, tagged)
    with pytest.raises(Exception, match="think_tag"):
        accuracy.parse_params({"think_tag": "a b"})
