"""`format` and `tag_count` against hand-checked completions (open-r1's definitions)."""

from __future__ import annotations

import pytest
from score_one import one

from rewards import InvalidRequest

STRICT = "<think>\nadd them\n</think>\n<answer>\n4\n</answer>"
R1_PROMPT = "<｜User｜>What is 2+2?<｜Assistant｜><think>\n"  # DeepSeek-R1 template opens <think>


@pytest.mark.parametrize(
    "mode,completion,expected",
    [
        ("lenient", "<think>x</think><answer>1</answer>", 1.0),
        ("lenient", "  <think>\nx\n</think>\n\n<answer> 1 </answer>\n", 1.0),
        ("lenient", STRICT, 1.0),
        ("lenient", "<think>x</think><answer>1</answer> and more", 0.0),
        ("lenient", "preamble <think>x</think><answer>1</answer>", 0.0),
        ("lenient", "<think>x</think> so <answer>1</answer>", 0.0),
        ("lenient", "<think>a</think><think>b</think><answer>1</answer>", 0.0),
        ("lenient", "<answer>1</answer><think>x</think>", 0.0),
        ("lenient", "<think>x</think>", 0.0),
        ("lenient", "", 0.0),
        ("strict", STRICT, 1.0),
        ("strict", STRICT + "\n", 1.0),
        ("strict", "<think>x</think><answer>1</answer>", 0.0),
        ("strict", "<think>\nx\n</think>\n\n<answer>\n1\n</answer>", 0.0),
        ("think_only", "<think>\nadd them\n</think>\nThe answer is 4.", 1.0),
        ("think_only", "<think>add</think><answer>4</answer>", 1.0),
        ("think_only", "<think>add them</think>   ", 0.0),
        ("think_only", "add them</think> 4", 0.0),  # no opening tag anywhere
        ("think_only", "", 0.0),
    ],
)
async def test_format_modes(mode: str, completion: str, expected: float) -> None:
    r = await one("format", completion, mode=mode)
    assert r.value == expected, r.detail


async def test_format_says_why() -> None:
    assert (await one("format", "<think>x</think><answer>1</answer> extra")).detail == "text after </answer>"
    assert (await one("format", "<think>x</think>")).detail == "<answer> appears 0 times, not once"


async def test_prompt_opened_think_counts_in_every_mode() -> None:
    """open-r1 #560: with the tag in the prompt the completion starts inside the reasoning."""
    completion = "add them\n</think>\n<answer>\n4\n</answer>"
    for mode in ("strict", "lenient", "think_only"):
        assert (await one("format", completion, prompt=R1_PROMPT, mode=mode)).value == 1.0
    assert (await one("format", completion, prompt=R1_PROMPT, prompt_opens_think=False)).value == 0.0
    assert (await one("format", completion, prompt="plain", prompt_opens_think=True)).value == 1.0
    # opening it again after the prompt did is a repeated tag
    assert (await one("format", "<think>" + completion, prompt=R1_PROMPT)).value == 0.0


async def test_custom_tags() -> None:
    text = "<reasoning>x</reasoning><final>1</final>"
    assert (await one("format", text, think_tag="reasoning", answer_tag="final")).value == 1.0
    assert (await one("format", text)).value == 0.0


@pytest.mark.parametrize(
    "completion,expected",
    [
        (STRICT, 1.0),
        ("<think>\nx\n</think>\n", 0.5),  # open-r1: 0.25 + 0.25
        ("<think>\nx\n</think>\n<answer>\n4</answer>", 0.75),  # no newline before </answer>
        ("<think>x</think><answer>4</answer>", 0.0),
        ("<think>\na\n</think>\n<think>\nb\n</think>\n<answer>\n4\n</answer>", 0.5),  # repeated think tags
        ("", 0.0),
    ],
)
async def test_tag_count(completion: str, expected: float) -> None:
    assert (await one("tag_count", completion)).value == expected


async def test_tag_count_with_prompt_opened_think() -> None:
    assert (await one("tag_count", "x\n</think>\n<answer>\n4\n</answer>", prompt=R1_PROMPT)).value == 1.0


@pytest.mark.parametrize(
    "params,field",
    [
        ({"mode": "loose"}, "rewards[0].params.mode"),
        ({"think_tag": "<think>"}, "rewards[0].params.think_tag"),
        ({"thinktag": "x"}, "rewards[0].params.thinktag"),
    ],
)
async def test_bad_params_name_the_field(params: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidRequest, match=field.replace("[", r"\[").replace("]", r"\]")):
        await one("format", "x", **params)
