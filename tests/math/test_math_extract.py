"""Where the final answer is found, and when there is none."""

from __future__ import annotations

import pytest

from rewards.math.config import MathConfig
from rewards.math.extract import boxed_contents, extract_answer

STRICT = MathConfig(workers=1)
LAST_NUMBER = MathConfig(workers=1, fallbacks=("answer_phrase", "last_number"))


@pytest.mark.parametrize(
    "completion,answer",
    [
        ("so the answer is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}"),
        ("\\boxed{1} wait, no: \\boxed{1}", "1"),  # the same answer twice is one answer
        ("<think>maybe \\boxed{3}</think> It is \\boxed{4}.", "4"),
        ("<think>\\boxed{3}</think><answer>4</answer>", "4"),
        ("<answer>The result is \\boxed{7}</answer>", "7"),
        ("\\fbox{12}", "12"),
        ("\\boxed 5", "5"),
        ("\\boxed{\\{1, 2\\}}", "\\{1, 2\\}"),
        ("The final answer is 42.", "42"),
        ("Answer: $x=3$", "$x=3$"),
        ("reasoning only ends here</think> \\boxed{9}", "9"),  # prompt opened the think block
        ("**Final Answer:** 5", "5"),
        ("**Final Answer**: $5$", "$5$"),
        ("I think the answer is 4. Wait, no: the final answer is 5.", "5"),  # "final answer" wins
        ("Answer: 1/2 (approximately 0.5)", "1/2"),
    ],
)
def test_answer_found(completion: str, answer: str) -> None:
    found = extract_answer(completion, STRICT)
    assert found.found and found.shown == answer


@pytest.mark.parametrize(
    "completion,why",
    [
        ("<think>it is \\boxed{3}</think>", "nothing after </think>"),
        ("<think>it is \\boxed{3}", "never closes"),
        ("\\boxed{3} or maybe \\boxed{4}", "several different final answers"),
        ("<answer>3</answer><answer>4</answer>", "several different <answer> blocks"),
        ("The answer is 5.\nThe answer is 6.", "several different final answers"),
        ("", "empty completion"),
        ("I think it is 42", "no final answer"),
        ("\\boxed{", "no final answer"),
        ("\\boxed{}", "empty"),
    ],
)
def test_no_answer(completion: str, why: str) -> None:
    found = extract_answer(completion, STRICT)
    assert not found.found and why in found.source


def test_last_number_is_an_opt_in_fallback() -> None:
    assert not extract_answer("so 2 + 2 = 4", STRICT).found
    assert extract_answer("so 2 + 2 = 4", LAST_NUMBER).text == "4"


def test_braces_are_matched_and_escaped_braces_skipped() -> None:
    assert boxed_contents("\\boxed{\\frac{a}{b}} and \\boxed{\\{x\\}}") == ["\\frac{a}{b}", "\\{x\\}"]


def test_a_megabyte_completion_is_linear() -> None:
    text = "word " * 200_000 + "\\boxed{1}"
    assert extract_answer(text, STRICT).shown == "1"
