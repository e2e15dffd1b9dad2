"""Tokenizer, task, config and rollout: the pure parts of the trainer."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from pydantic import ValidationError

from trainer.config import GenerationConfig, ModelConfig, SFTConfig, TrainConfig, load_config
from trainer.metrics import plot_metrics, reflection_rate
from trainer.models import build_model
from trainer.rollout import completion_mask, generate, token_logps
from trainer.tasks import worked_examples, worked_solution
from trainer.tokenizer import CharTokenizer, load_tokenizer

ROOT = Path(__file__).resolve().parents[2]


def test_char_tokenizer_round_trip_and_tags_are_single_tokens(tmp_path: Path) -> None:
    tok = CharTokenizer()
    text = "<think>7+5=12 4+8+1=13</think><answer>132</answer>"
    ids = tok.encode(text, add_special_tokens=False)
    assert len(ids) == len("7+5=12 4+8+1=13") + len("132") + 4
    assert tok.decode(ids) == text
    tok.save_pretrained(tmp_path)
    again = load_tokenizer(tmp_path)
    assert isinstance(again, CharTokenizer) and again.encode(text, add_special_tokens=False) == ids
    assert tok.padding_side == "left" and tok.pad_token_id != tok.eos_token_id


@pytest.mark.parametrize("a,b", [(0, 0), (7, 5), (47, 85), (99, 99), (5, 123), (500, 500)])
def test_worked_solution_is_right(a: int, b: int) -> None:
    assert worked_solution(a, b).endswith(f"<answer>{a + b}</answer>")


def test_a_slip_carries_through_to_a_wrong_answer() -> None:
    assert worked_solution(47, 85, {0: 1}) == "<think>7+5=13 4+8+1=13</think><answer>133</answer>"
    assert worked_solution(47, 85, {1: -1}) == "<think>7+5=12 4+8+1=12</think><answer>122</answer>"
    assert worked_solution(95, 5, {0: -1}) == "<think>5+5=9 9+0=9</think><answer>99</answer>"  # carry lost
    rows = worked_examples(400, 2, seed=0, slip_rate=0.5)
    wrong = sum(not str(r["completion"]).endswith(f"<answer>{r['math']['gold']}</answer>") for r in rows)
    assert 240 < wrong < 330  # ~1 - 0.5**2 of two-column sums; the gold stays true, so the referee can tell


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("loss:\n  loss_type: ppo\n")
    with pytest.raises(ValidationError, match=r"loss\.loss_type"):
        load_config(bad, TrainConfig)
    bad.write_text("generation:\n  num_generation: 8\n")  # misspelt
    with pytest.raises(ValidationError, match=r"generation\.num_generation"):
        load_config(bad, TrainConfig)
    with pytest.raises(ValidationError, match="data"):
        SFTConfig(data=tmp_path / "missing.jsonl")


@pytest.mark.parametrize("name", ["grpo_addition.yaml", "sft_addition.yaml"])
def test_example_configs_parse(name: str) -> None:
    load_config(ROOT / "examples" / name, TrainConfig if name.startswith("grpo") else SFTConfig)


def test_completion_mask_stops_after_the_first_eos() -> None:
    ids = torch.tensor([[5, 1, 0, 0], [5, 6, 7, 8], [1, 9, 1, 0]])  # eos = 1
    expected = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]])
    assert torch.equal(completion_mask(ids, eos_token_id=1), expected)


def test_rollout_groups_and_logps_match_what_generate_sampled() -> None:
    tok = CharTokenizer()
    model = build_model(ModelConfig(n_layer=1, n_embd=32, n_head=2, n_positions=64), tok).eval()
    torch.manual_seed(0)
    prompts = ["1+2=", "31+42="]  # different lengths: the first is left-padded
    r = generate(model, tok, prompts, GenerationConfig(num_generations=3, max_new_tokens=8))
    assert r.prompts == ["1+2="] * 3 + ["31+42="] * 3
    assert r.input_ids.shape[0] == 6 and len(r.completions) == 6
    # The loss must score the tokens with the distribution that sampled them (left padding included).
    enc = tok(prompts, padding=True, return_tensors="pt")
    out = model.generate(
        **enc, do_sample=True, top_k=0, max_new_tokens=8, output_logits=True, return_dict_in_generate=True,
        pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
    )  # fmt: skip
    P, T = enc["input_ids"].shape[1], len(out.logits)
    sampled = torch.stack(out.logits, 1).log_softmax(-1).gather(-1, out.sequences[:, P:, None]).squeeze(-1)
    mask = completion_mask(out.sequences[:, P:], tok.eos_token_id)
    with torch.no_grad():
        ours = token_logps(model, out.sequences, torch.cat([enc["attention_mask"], mask], 1), T)
    torch.testing.assert_close(ours * mask, sampled * mask, atol=1e-4, rtol=0)


def test_reflection_rate_and_plot(tmp_path: Path) -> None:
    assert reflection_rate(["Wait, let me re-check.", "12", "we verify it", "await"]) == 0.5
    rows = [{"step": i, "reward/accuracy": i / 10, "completion_length": 20.0, "loss": 0.1} for i in range(5)]
    png = plot_metrics(rows, tmp_path / "m.png")
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_sft_examples_mask_the_prompt_and_end_with_eos() -> None:
    from trainer.sft import IGNORE, encode_examples

    tok = CharTokenizer()
    [(ids, labels)] = encode_examples(tok, [{"prompt": "1+2=", "completion": "<answer>3</answer>"}])
    assert labels[:4] == [IGNORE] * 4  # "1+2=": no loss on the prompt
    assert labels[4:] == ids[4:] and ids[-1] == tok.eos_token_id
    assert tok.decode(ids[4:-1]) == "<answer>3</answer>"
    with pytest.raises(ValueError, match="row 1"):
        encode_examples(tok, [{"prompt": "1+2="}])


def test_sft_masks_the_tool_turns_of_a_tool_using_example() -> None:
    # The row shape trainer.tasks.tool_multiplication_examples writes, and the rollout produces.
    from trainer.sft import IGNORE, encode_examples
    from trainer.tasks import tool_multiplication_examples

    tok = CharTokenizer()
    [row] = tool_multiplication_examples(1, 3, 0)
    completion = str(row["completion"])
    [(ids, labels)] = encode_examples(tok, [row])
    p = len(ids) - len(completion) - 1
    learned = "".join(ch if lab != IGNORE else "_" for ch, lab in zip(completion, labels[p:-1], strict=True))
    turn = completion[completion.index("\n```output\n") : completion.index("\\boxed")]
    assert learned == completion.replace(turn, "_" * len(turn))  # only the tool's turn is masked
    assert "```python\nprint(" in learned and learned.endswith("\\boxed{" + completion.split("{")[1])
    assert labels[-1] == tok.eos_token_id
    # An unclosed turn is the model's own text: nothing masked past the prompt.
    [(_, labels)] = encode_examples(tok, [{"prompt": "q", "completion": "a\n```output\n5"}])
    assert IGNORE not in labels[len(labels) - len("a\n```output\n5") - 1 :]


def test_metrics_log_writes_strict_json(tmp_path: Path) -> None:
    import json
    import math

    from trainer.metrics import MetricsLog, tool_metrics

    with MetricsLog(tmp_path / "m.jsonl") as log:  # every completion used the tool: "without" is NaN
        log.log({"step": 1, "x": 1 / 3, **tool_metrics([1.0, 0.0], [1, 2], [0, 1])})
    row = json.loads((tmp_path / "m.jsonl").read_text(), parse_constant=lambda c: math.nan)
    assert row["tool/accuracy_without"] is None and row["x"] == 0.333333
    assert row["tool/accuracy_with"] == 0.5 and row["tool/error_rate"] == round(1 / 3, 6)
