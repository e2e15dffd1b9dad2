"""`reasoning_steps`, `repetition` and `soft_overlong` against values computed by hand from their formulas."""

from __future__ import annotations

import pytest
from score_one import one, run

from rewards import InvalidRequest, Sample, Status


@pytest.mark.parametrize(
    "completion,expected",
    [
        ("Step 1: add.\nStep 2: divide.\nStep 3: check.", 1.0),
        ("First, add. Second, divide. Next, check. Finally, answer.", 1.0),  # 4 markers, capped
        ("First, add. Finally, answer.", 2 / 3),
        ("Plan:\n1. add\n2. divide", 2 / 3),  # open-r1 counts only a list at the very start: 0
        ("Notes:\n- add\n* divide", 2 / 3),
        ("Just the answer: 4", 0.0),
        ("", 0.0),
    ],
)
async def test_reasoning_steps(completion: str, expected: float) -> None:
    assert (await one("reasoning_steps", completion)).value == pytest.approx(expected)


async def test_reasoning_steps_min_steps() -> None:
    assert (await one("reasoning_steps", "First, add.", min_steps=1)).value == 1.0
    with pytest.raises(InvalidRequest, match=r"params\.min_steps"):
        await one("reasoning_steps", "x", min_steps=0)


@pytest.mark.parametrize(
    "completion,params,expected",
    [
        # 3-grams: (a b c) (b c a) (c a b) (a b c): 3 distinct of 4 -> -1 * (1 - 3/4)
        ("a b c a b c", {}, -0.25),
        ("A b C a B c", {}, -0.25),  # case-insensitive
        ("the cat sat on the mat", {}, 0.0),
        ("go go go go go", {}, -(1 - 1 / 3)),  # 3 grams, all (go go go)
        ("go go go go go", {"max_penalty": -0.5}, -0.5 * (1 - 1 / 3)),
        # bigrams over characters: 好好 好学 学习 习好 好好 好学 学习 -> 4 distinct of 7
        ("好好学习好好学习", {"ngram_size": 2}, -(1 - 4 / 7)),
        ("a b", {}, 0.0),  # fewer tokens than n
        ("", {}, 0.0),
    ],
)
async def test_repetition(completion: str, params: dict, expected: float) -> None:
    r = await one("repetition", completion, **params)
    assert r.value == pytest.approx(expected), r.detail
    assert str(r.value) != "-0.0"


async def test_repetition_penalty_must_not_be_positive() -> None:
    with pytest.raises(InvalidRequest, match=r"params\.max_penalty"):
        await one("repetition", "x", max_penalty=0.5)


def tokens_sample(n: int | None, completion: str = "x") -> Sample:
    return Sample(f"{n}:{len(completion)}", "", completion, completion_tokens=n)


@pytest.mark.parametrize(
    "n,expected",
    [
        (0, 0.0),
        (16384, 0.0),  # L_max - L_cache with DAPO's 20480 / 4096
        (18432, -0.5),  # (16384 - 18432) / 4096
        (20480, -1.0),
        (20481, -1.0),
    ],
)
async def test_soft_overlong_dapo_defaults(n: int, expected: float) -> None:
    [r] = await run("soft_overlong", [tokens_sample(n)])
    assert r.value == pytest.approx(expected)


async def test_soft_overlong_in_characters_and_missing_tokens() -> None:
    params = {"length_unit": "chars", "max_length": 10, "cache_length": 4}
    values = [
        r.value
        for r in await run("soft_overlong", [tokens_sample(None, "x" * k) for k in (6, 8, 11)], **params)
    ]
    assert values == [0.0, -0.5, -1.0]
    [r] = await run("soft_overlong", [tokens_sample(None)])
    assert r.status is Status.INVALID_INPUT and "completion_tokens" in r.detail


async def test_soft_overlong_cache_longer_than_limit_names_the_field() -> None:
    with pytest.raises(InvalidRequest, match=r"params\.cache_length"):
        await run("soft_overlong", [tokens_sample(1)], max_length=100, cache_length=200)
