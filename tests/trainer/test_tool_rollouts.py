"""Multi-turn tool rollouts: stops at code blocks, masks, call limits, session closing, scoring."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import torch

from trainer.config import GenerationConfig, ToolConfig
from trainer.metrics import tool_metrics
from trainer.tokenizer import CharTokenizer
from trainer.tools import ToolResult, closed_block, generate_with_tools

TOOL = ToolConfig(max_tool_calls=2)
BLOCK = "```python\nprint(2*3)\n```"


class ScriptedModel:
    """Stands in for a causal LM: each `generate` call emits the next scripted turn token by
    token, asking the stopping criteria after each token as transformers does."""

    def __init__(self, tok: CharTokenizer, turns: list[str]) -> None:
        self.tok, self.turns, self.training = tok, list(turns), False

    def eval(self) -> ScriptedModel:
        return self

    def train(self, mode: bool = True) -> ScriptedModel:
        return self

    def generate(self, input_ids: torch.Tensor, stopping_criteria: Any, max_new_tokens: int, **_: Any) -> Any:
        text = self.turns.pop(0) if self.turns else "<eos>"
        new = self.tok.encode(text, add_special_tokens=False)[:max_new_tokens]
        out = input_ids
        for t in new:
            out = torch.cat([out, torch.full((out.shape[0], 1), t)], dim=1)
            if all(bool(c(out, None).all()) for c in stopping_criteria) and len(stopping_criteria):
                break
        return out


class FakeTools:
    def __init__(self, text: str = "6", fail: bool = False) -> None:
        self.text, self.fail = text, fail
        self.calls: list[tuple[int, str]] = []
        self.closed = 0

    def run_cells(self, calls: Sequence[tuple[int, str]]) -> list[ToolResult]:
        if self.fail:
            raise RuntimeError("boom")
        self.calls += calls
        return [ToolResult(self.text) for _ in calls]

    def close_sessions(self) -> None:
        self.closed += 1


def rollout(turns: list[str], tools: FakeTools, tool: ToolConfig = TOOL, max_new: int = 120) -> Any:
    tok = CharTokenizer()
    gen = GenerationConfig(num_generations=2, max_new_tokens=max_new)
    return generate_with_tools(ScriptedModel(tok, turns), tok, ["2*3="], gen, tool, tools)  # type: ignore[arg-type]


def test_closed_block_finds_the_code_and_where_it_ends() -> None:
    assert closed_block("x " + BLOCK + " tail", TOOL) == ("print(2*3)", 2 + len(BLOCK))
    assert closed_block("```python\nprint(1)", TOOL) is None


def test_generation_stops_at_the_block_end_and_tool_tokens_are_masked() -> None:
    tools = FakeTools()
    r = rollout([BLOCK + "IGNORED", "\\boxed{6}<eos>"], tools)
    assert tools.calls == [(0, "print(2*3)"), (1, "print(2*3)")]
    turn = TOOL.output_start + "6" + TOOL.output_end
    assert r.transcripts[0] == BLOCK + turn + "\\boxed{6}"  # nothing after the fence was kept
    m, c = r.loss_mask[0], r.completion_mask[0]
    n_block, n_turn = len(BLOCK), len(turn)
    assert m[:n_block].eq(1).all() and m[n_block : n_block + n_turn].eq(0).all()
    assert m[n_block + n_turn : int(c.sum())].eq(1).all()  # the answer and EOS are the model's
    assert r.tool_calls == [1, 1] and r.tool_errors == [0, 0]


def test_max_tool_calls_is_respected() -> None:
    tools = FakeTools()
    r = rollout([BLOCK, BLOCK, BLOCK + "\\boxed{6}<eos>"], tools, ToolConfig(max_tool_calls=2), max_new=400)
    assert r.tool_calls == [2, 2] and len(tools.calls) == 4
    assert r.transcripts[0].endswith(BLOCK + "\\boxed{6}")  # the third block was not run


def test_sessions_are_closed_when_a_rollout_raises() -> None:
    tools = FakeTools(fail=True)
    with pytest.raises(RuntimeError):
        rollout([BLOCK], tools)
    assert tools.closed == 1


def test_reward_text_leaves_tool_output_out() -> None:
    r = rollout([BLOCK, "\\boxed{5}<eos>"], FakeTools(text="\\boxed{6}"))
    assert "\\boxed{6}" in r.transcripts[0]
    assert r.completions[0] == BLOCK + "\\boxed{5}"  # what the accuracy reward reads


def test_tool_metrics_split_accuracy_by_tool_use() -> None:
    m = tool_metrics([1.0, 0.0, 0.0], [1, 2, 0], [0, 1, 0])
    assert m["tool/calls_per_completion"] == 1.0 and m["tool/error_rate"] == pytest.approx(1 / 3)
    assert m["tool/accuracy_with"] == 0.5 and m["tool/accuracy_without"] == 0.0


@pytest.mark.docker
@pytest.mark.slow
def test_grpo_with_tools_against_a_real_server(
    referee_target: str, tiny_sft_model: Any, tmp_path: Any
) -> None:
    from trainer.config import TrainConfig
    from trainer.grpo import train

    cfg = TrainConfig.model_validate(
        {
            "model": {"path": str(tiny_sft_model)},
            "task": {"digits": 1},
            "referee": {"target": referee_target, "timeout_s": 30, "retries": 1},
            "generation": {"num_generations": 2, "max_new_tokens": 16},
            "tools": {"max_tool_calls": 1},
            "steps": 1,
            "prompts_per_step": 1,
            "out_dir": str(tmp_path),
            "save_model": False,
        }
    )
    [row] = train(cfg, log=lambda _: None)
    assert row["groups_scored"] == 1 and "tool/calls_per_completion" in row
