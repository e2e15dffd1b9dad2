"""`language_consistency` with the real lingua models, against hand-counted passages."""

from __future__ import annotations

import time

import pytest
from score_one import run

from rewards import InvalidRequest, Sample, Status
from rewards.text import CLAUSE, NONE, SENTENCE, chain_of_thought, words


async def share(
    completion: str, language: str | None = "en", prompt: str = "", **params: object
) -> tuple[float, str]:
    [r] = await run("language_consistency", [Sample("s", prompt, completion, language=language)], **params)
    assert r.status is Status.OK, r.detail
    return r.value, r.detail


def test_words_skip_code_latex_numbers_and_urls() -> None:
    text = (
        "Let x be 3. We compute $x^2+1 = 10$ and \\(\\frac{a}{b}\\), see https://example.org/a, "
        "then `os.path` and foo_bar x2 are not words; l'entrée and well-known are.\n"
        "```python\nprint('bonjour le monde')\n```\n"
        "\\begin{align} a &= b \\end{align} done"
    )
    got = [w.text for w in words(text)]
    assert got == ["Let", "x", "be", "We", "compute", "and", "see", "then", "and", "are", "not", "words",
                   "l'entrée", "and", "well-known", "are", "done"]  # fmt: skip


def test_dollars_that_are_not_math_keep_the_prose_between_them() -> None:
    text = "Check $PATH first. It costs $5 and $10, so $x^2 = 4$ and 忽略了 it"
    assert [w.text for w in words(text)] == [
        "Check",
        "PATH",
        "first",
        "It",
        "costs",
        "and",
        "so",
        "and",
        "忽",
        "略",
        "了",
        "it",
    ]


def test_cjk_counts_per_character_and_marks_boundaries() -> None:
    ws = words("首先计算 the sum, 然后除以二。Next")
    assert [w.text for w in ws] == [
        "首",
        "先",
        "计",
        "算",
        "the",
        "sum",
        "然",
        "后",
        "除",
        "以",
        "二",
        "Next",
    ]
    assert [w.boundary for w in ws] == [SENTENCE, NONE, NONE, NONE, SENTENCE, NONE] + [SENTENCE] + [
        NONE
    ] * 4 + [SENTENCE]
    assert words("one, two")[1].boundary == CLAUSE


@pytest.mark.parametrize(
    "completion,cot",
    [
        ("<think>reason</think><answer>42</answer>", "reason"),
        ("reason</think> 42", "reason"),  # template opened <think> in the prompt
        ("<think>cut off mid-thought", "cut off mid-thought"),
        ("no tags at all", "no tags at all"),
    ],
)
def test_chain_of_thought(completion: str, cot: str) -> None:
    assert chain_of_thought(completion) == cot


@pytest.mark.parametrize(
    "completion,language,expected",
    [
        ("Let us add the two numbers and then divide the sum by two.", "en", 1.0),
        ("Hello world, ceci est du français", "en", 2 / 6),
        ("Hello world, ceci est du français", "fr", 4 / 6),
        ("So the answer is five, donc la réponse est cinq.", "en", 5 / 10),
        ("Wir berechnen die Summe. Then we divide by two.", "en", 5 / 9),
        ("Primero sumamos los dos números. Then we divide the total by two.", "es", 5 / 12),
        ("首先我们计算 the sum of squares, 然后除以二。", "zh", 11 / 15),
        ("首先我们计算 the sum of squares, 然后除以二。", "zh-CN", 11 / 15),
        ("首先我们计算 the sum of squares, 然后除以二。", "en", 4 / 15),
        ("まず二つの数を足します。", "ja", 1.0),  # kanji in Japanese are Japanese
        ("먼저 두 수를 더합니다. Then we divide.", "ko", 4 / 7),
        # a Chinese aside does not reset the English around it: 8 en + 7 zh + 3 en
        ("Okay, so I need to find the sum. 嗯，我们先算一下。 Then we divide.", "en", 11 / 18),
    ],
)
async def test_hand_counted_shares(completion: str, language: str, expected: float) -> None:
    value, detail = await share(completion, language)
    assert value == pytest.approx(expected), detail


async def test_only_the_chain_of_thought_counts_and_math_is_not_words() -> None:
    completion = (
        "<think>We compute $\\int_0^1 x^2 dx = 1/3$ and run ```python\nprint('bonjour le monde')\n``` "
        "so the result is 42.</think><answer>La réponse est 1/3</answer>"
    )
    assert await share(completion) == (1.0, "8/8 words in en")


@pytest.mark.parametrize(
    "prompt",
    [
        "<|im_start|>user\n计算一加一<|im_end|>\n<|im_start|>assistant\n",  # Qwen
        "<｜User｜>计算一加一<｜Assistant｜><think>\n",  # DeepSeek-R1
        "<|start_header_id|>user<|end_header_id|>\n\n计算一加一<|eot_id|>",  # Llama 3
    ],
)
async def test_chat_template_tokens_and_roles_are_not_words(prompt: str) -> None:
    assert [w.text for w in words(prompt)] == list("计算一加一")
    value, detail = await share("先算一加一。", None, prompt)
    assert value == 1.0 and "in zh" in detail


async def test_target_detected_from_the_prompt() -> None:
    prompt = "Calculez la somme des deux nombres, puis divisez-la par deux."
    value, detail = await share("Nous additionnons les deux nombres puis nous divisons.", None, prompt)
    assert value == 1.0 and "in fr" in detail


@pytest.mark.parametrize(
    "sample,params,why",
    [
        (Sample("s", "", "text", language=None), {"detect_from_prompt": False}, "detect_from_prompt is off"),
        (Sample("s", "$x^2$ 42", "text", language=None), {}, "prompt has no words"),
        (Sample("s", "", "text", language="xx"), {}, "sample.language: 'xx' is not an ISO 639-1 code"),
    ],
)
async def test_missing_or_unknown_target_is_invalid_input(sample: Sample, params: dict, why: str) -> None:
    [r] = await run("language_consistency", [sample], **params)
    assert (r.status, r.value) == (Status.INVALID_INPUT, 0.0)
    assert why in r.detail


async def test_empty_chain_of_thought_has_a_defined_value() -> None:
    assert await share("") == (0.0, "no words in the chain of thought")
    assert await share("<think>$1+1=2$</think>") == (0.0, "no words in the chain of thought")
    assert (await share("", empty_value=1.0))[0] == 1.0


async def test_target_outside_the_candidates_is_added() -> None:
    value, _ = await share("Сначала сложим два числа.", "ru", languages=["en"])
    assert value == 1.0


@pytest.mark.parametrize("languages", [["klingon"], [], ["en"] * 17], ids=["unknown", "none", "too-many"])
async def test_bad_candidate_languages_name_the_field(languages: list[str]) -> None:
    with pytest.raises(InvalidRequest, match=r"rewards\[0\]\.params\.languages"):
        await run("language_consistency", [Sample("s", "", "x", language="en")], languages=languages)


@pytest.mark.parametrize(
    "degenerate",
    [
        "\\[ a " * 20_000,  # openers without closers were retried from each one: seconds
        "\\begin{x} a " * 10_000,
        "a" * 100_000,  # one "word" of 100k letters: lingua's cost is superlinear in length
        "x@y " * 25_000,
        "好" * 100_000,
    ],
    ids=["open-math", "open-env", "long-word", "at-signs", "long-cjk-run"],
)
async def test_degenerate_outputs_stay_fast(degenerate: str) -> None:
    """RL policies do emit such loops; a reward that takes seconds on them stalls a batch."""
    start = time.perf_counter()
    await run("language_consistency", [Sample("s", "", degenerate, language="en")])
    assert time.perf_counter() - start < 3.0  # quadratic behaviour took 8-16 s; linear takes < 0.5 s
