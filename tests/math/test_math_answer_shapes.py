"""Issue 19's surfaces through the real worker pool: answer types, the precision rule and its
per-request override, prose golds, whole replies handed to `verify`, and the labeled sets."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from referee.verify import verify_jsonl
from rewards import Context, MathReference, RewardSpec, Sample, Status, score
from rewards.math import MathConfig, MathVerifier, Overrides
from tests.conftest import started_verifier

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
THINK = "<think>\n" + "\n".join(f"Step {i}: {i} + {i} = {2 * i}." for i in range(200)) + "\n</think>\n"


@pytest.fixture(scope="module")
def verifier() -> Iterator[MathVerifier]:
    with started_verifier(timeout_ms=3000) as v:
        yield v


@pytest.mark.parametrize("path", sorted(DATA.glob("*labeled*.jsonl")), ids=lambda p: p.name)
def test_labeled_sets_give_no_false_positive(path: Path) -> None:
    out = io.StringIO()
    with path.open() as src:
        code = verify_jsonl(src, out, report=True, fmt="json", config=MathConfig(workers=2))
    report = json.loads(out.getvalue())
    ours = report["total"]["referee"]
    wrong = [(w["gold"][:40], w["pred"][-60:], w["referee"]["detail"]) for w in report["referee_wrong"]]
    assert ours["false_positives"] == 0 and code == 0, wrong
    assert ours["accuracy"] >= 0.99, wrong
    assert ours["accuracy"] > report["total"]["math_verify"]["accuracy"]


@pytest.mark.parametrize(
    "gold,completion,answer_type,expected",
    [
        ("B", "\\boxed{B}", "choice", True),
        ("B", "\\boxed{(B) 12}", "choice", True),
        ("B", "\\boxed{12}", "choice", False),  # a choice gold only matches a choice
        ("(B) 12", "\\boxed{B}", "choice", True),  # a gold written with its option text
        ("B", "Let me check each option.\nB", "choice", True),  # a last line that is a lone letter
        ("B", "Let me check each option.\nB", None, False),  # without the type: no answer found
        ("5", "\\boxed{x}", "number", False),
        ("5", "\\boxed{x = 5}", "number", True),
        ("5", "\\boxed{5}", "number", True),
        ("[1, 3]", "\\boxed{1 \\le x \\le 3}", "interval", True),
        ("[1, 3]", "\\boxed{\\{1, 3\\}}", "interval", False),
        ("1, 2", "\\boxed{2, 1}", "set", True),
        ("(1, 2)", "\\boxed{(2, 1)}", "set", False),  # a tuple is no set
        ("1, 2", "\\boxed{1, 3}", "set", False),
        ("y = 2x + 1", "\\boxed{y = 2x + 1}", "equation", True),
        ("y = 2x + 1", "\\boxed{2x + 1}", "equation", False),  # an equation gold only matches one
        ("\\text{Monday}", "\\boxed{monday}", "text", True),
        ("\\text{Monday}", "\\boxed{Tuesday}", "text", False),
        ("x^2 + 2x + 1", "\\boxed{(x+1)^2}", "expression", True),
    ],
)
async def test_answer_type_sharpens_extraction_and_comparison(
    verifier: MathVerifier, gold: str, completion: str, answer_type: str | None, expected: bool
) -> None:
    [r] = await verifier.score_group(gold, [completion], answer_type=answer_type)  # type: ignore[arg-type]
    assert (r.value == 1.0) is expected and r.status == Status.OK, r.detail


async def test_a_gold_that_does_not_fit_its_type_is_invalid_input(verifier: MathVerifier) -> None:
    [r] = await verifier.score_group("x^2", ["\\boxed{x^2}"], answer_type="number")
    assert r.status == Status.INVALID_INPUT and "answer_type number" in r.detail


async def test_the_precision_rule_is_stated_and_configurable_per_request(verifier: MathVerifier) -> None:
    short, precise = "so $p \\approx \\boxed{0.67}$", "so $p \\approx \\boxed{0.666667}$"
    strict = await verifier.score_group("\\frac{2}{3}", [short, precise])
    assert [r.value for r in strict] == [0.0, 1.0]
    assert "2 significant digits" in strict[0].detail and "numeric_precision" in strict[0].detail
    lenient = await verifier.score_group("\\frac{2}{3}", [short], overrides=Overrides(numeric_precision=2))
    assert lenient[0].value == 1.0, lenient[0].detail


async def test_a_prose_gold_is_read_as_its_dataset_writes_it(verifier: MathVerifier) -> None:
    [r] = await verifier.score_group("Answer is 7.0", ["\\boxed{7}"])
    assert r.value == 1.0 and "answer phrase" in r.detail, r.detail
    r, wrong = await verifier.score_group(
        "She sold 48/2 = 24 clips.\n#### 72", ["\\boxed{72}", "\\boxed{24}"]
    )
    assert r.value == 1.0 and "####" in r.detail and wrong.value == 0.0, r.detail


async def test_verify_reads_a_whole_reply_as_the_accuracy_reward_does(verifier: MathVerifier) -> None:
    inside = await verifier.verify("5", "<think>the answer is 5</think> The answer is 3.")
    assert not inside.equal and "whole reply" in inside.detail, inside.detail
    after = await verifier.verify("5", THINK + "The answer is $\\boxed{5}$.")
    assert after.equal, after.detail
    truncated = await verifier.verify("5", THINK.replace("</think>", "") + "so 5")
    assert not truncated.equal and "never closes" in truncated.detail


async def test_minerva_replies_and_chinese_choice_answers(verifier: MathVerifier) -> None:
    minerva = THINK + "Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct."
    [a, b] = await verifier.score_group("\\frac{1}{2}", [minerva, minerva.replace("{1}{2}", "{1}{3}")])
    assert (a.value, b.value) == (1.0, 0.0), (a.detail, b.detail)
    [c, d] = await verifier.score_group("D", ["分析：A、B、C 都不对。\n答案：D", "分析：\n答案：B"])
    assert (c.value, d.value) == (1.0, 0.0), (c.detail, d.detail)


async def test_accuracy_reward_takes_answer_type_and_numeric_precision(verifier: MathVerifier) -> None:
    def sample(i: int, completion: str, answer_type: str) -> Sample:
        return Sample(str(i), "p", completion, math=MathReference("\\frac{2}{3}", answer_type))

    samples = [
        sample(0, "\\boxed{0.67}", ""),
        sample(1, "\\boxed{0.67}", "number"),
        sample(2, "\\boxed{1}", "fraction"),
    ]
    default = await score(samples, [RewardSpec("accuracy")], Context(math=verifier))
    assert [r.rewards["accuracy"].value for r in default] == [0.0, 0.0, 0.0]
    bad = default[2].rewards["accuracy"]
    assert bad.status == Status.INVALID_INPUT and "unknown answer_type 'fraction'" in bad.detail
    lenient = await score(
        samples[:2], [RewardSpec("accuracy", params={"numeric_precision": 2})], Context(math=verifier)
    )
    assert [r.rewards["accuracy"].value for r in lenient] == [1.0, 1.0]


@pytest.mark.parametrize(
    "completion,expected",
    [
        ("She sold 48 + 24 clips.\n#### 72", 1.0),  # GSM8K's answer line, as verl's gsm8k reads it
        ("She sold 48 + 24 clips.\n#### 70", 0.0),
        ("#### 72\n#### 70", 0.0),  # two different answer lines: a hedge
        # Minerva replies box intermediate results; the final statement after them decides
        (
            "So $\\boxed{20}$, then $\\boxed{52}$.\nFinal Answer: The final answer is $72$. I hope it is correct.",
            1.0,
        ),
        (
            "So $\\boxed{72}$, then $\\boxed{52}$.\nFinal Answer: The final answer is $52$. I hope it is correct.",
            0.0,
        ),
        (
            "Final Answer: The final answer is $72$. I hope it is correct. [Note: checked twice, 3 + 4 = 7]",
            1.0,
        ),
        ("The final answer is $\\boxed{72}$.", 1.0),
        (
            "So $\\boxed{72}$.\nFinal answer: the value boxed above.",
            1.0,
        ),  # a phrase that points back at the box
    ],
)
async def test_answer_lines_as_harnesses_write_them(
    verifier: MathVerifier, completion: str, expected: float
) -> None:
    [r] = await verifier.score_group("72", [completion])
    assert r.value == expected and r.status == Status.OK, r.detail


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        ("yes", "True", True),
        ("No", "false", True),
        ("\\text{Yes}", "no", False),
        ("true", "\\boxed{TRUE}", True),
    ],
)
async def test_yes_and_no_are_truth_values(
    verifier: MathVerifier, gold: str, pred: str, expected: bool
) -> None:
    v = await verifier.verify(gold, pred)
    assert v.equal is expected and v.status == Status.OK, v.detail
