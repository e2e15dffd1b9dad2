"""The loop end to end: a real referee server plus the trainer, and the failure paths."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from fake_referee import fake_referee

from referee.client import RefereeUnavailable
from trainer.config import TrainConfig
from trainer.grpo import train


def tiny_config(model: Path, target: str, out: Path, **over: object) -> TrainConfig:
    return TrainConfig.model_validate(
        {
            "model": {"path": str(model)},
            "task": {"digits": 1},
            "referee": {"target": target, "timeout_s": 30, "retries": 1},
            "generation": {"num_generations": 4, "max_new_tokens": 16},
            "steps": 2,
            "prompts_per_step": 2,
            "out_dir": str(out),
            **over,
        }
    )


def test_grpo_against_a_real_server_runs_with_finite_loss(
    referee_target: str, tiny_sft_model: Path, tmp_path: Path
) -> None:
    cfg = tiny_config(tiny_sft_model, referee_target, tmp_path, num_iterations=2, loss={"beta": 0.04})
    rows = train(cfg, log=lambda _: None)
    assert [r["step"] for r in rows] == [1, 2]
    for r in rows:
        assert r["groups_skipped"] == 0 and r["groups_scored"] == 2
        assert math.isfinite(r["loss"]) and math.isfinite(r["kl"]) and 0 <= r["clipfrac"] <= 1
        assert 0 <= r["reward/accuracy"] <= 1 and "reward/format" in r
    logged = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in logged] == [1, 2] and logged[-1]["loss"] == pytest.approx(
        rows[-1]["loss"], abs=1e-5
    )
    assert (tmp_path / "metrics.png").stat().st_size > 0
    assert (tmp_path / "model" / "config.json").is_file()


def test_groups_that_cannot_be_scored_are_skipped_and_counted(tiny_sft_model: Path, tmp_path: Path) -> None:
    data = tmp_path / "prompts.jsonl"
    prompts = ["SANDBOX 1+1=", "FAIL_RPC 2+2=", "3+4="]  # see fake_referee: daemon error, failed call, fine
    data.write_text("".join(json.dumps({"prompt": p, "gold": "7"}) + "\n" for p in prompts))
    with fake_referee() as (target, servicer):
        cfg = tiny_config(
            tiny_sft_model, target, tmp_path, prompts_per_step=3, task={"data": str(data)}, save_model=False
        )
        messages: list[str] = []
        rows = train(cfg, log=messages.append)
    assert [(r["groups_scored"], r["groups_skipped"]) for r in rows] == [(1, 2), (1, 2)]
    assert rows[-1]["groups_skipped_total"] == 4
    assert all(math.isfinite(r["loss"]) for r in rows)
    assert servicer.calls >= 6  # one Score call per group
    assert any("skipped 2 group(s)" in m for m in messages)


def test_a_step_with_no_scorable_group_takes_no_gradient_step(tiny_sft_model: Path, tmp_path: Path) -> None:
    data = tmp_path / "prompts.jsonl"
    data.write_text(json.dumps({"prompt": "SANDBOX 1+1=", "gold": "2"}) + "\n")
    with fake_referee() as (target, _):
        rows = train(
            tiny_config(tiny_sft_model, target, tmp_path, task={"data": str(data)}, save_model=False),
            log=print,
        )
    assert all(r["groups_scored"] == 0 and "loss" not in r and "reward/accuracy" not in r for r in rows)


def test_unreachable_server_fails_fast_naming_the_address(tiny_sft_model: Path, tmp_path: Path) -> None:
    cfg = tiny_config(
        tiny_sft_model, "127.0.0.1:9", tmp_path, referee={"target": "127.0.0.1:9", "retries": 0}
    )
    with pytest.raises(RefereeUnavailable, match=r"127\.0\.0\.1:9"):
        train(cfg, log=lambda _: None)
    assert not (tmp_path / "metrics.png").exists()


def test_cli_sft_then_train(referee_target: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from referee.cli import app

    sft_yaml, train_yaml = tmp_path / "sft.yaml", tmp_path / "train.yaml"
    sft_yaml.write_text(
        "model: {n_layer: 1, n_embd: 32, n_head: 2, n_positions: 64}\n"
        f"task: {{digits: 1}}\nexamples: 50\nsteps: 3\nbatch_size: 8\nout_dir: {tmp_path / 'sft'}\n"
    )
    train_yaml.write_text(
        f"model: {{path: {tmp_path / 'sft'}}}\ntask: {{digits: 1}}\nreferee: {{target: '{referee_target}'}}\n"
        f"generation: {{num_generations: 2, max_new_tokens: 8}}\nsteps: 1\nprompts_per_step: 2\nout_dir: {tmp_path / 'rl'}\n"
    )
    runner = CliRunner()
    result = runner.invoke(app, ["sft", str(sft_yaml)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["train", str(train_yaml)])
    assert result.exit_code == 0, result.output
    assert "1 steps; metrics in" in result.output
    assert (tmp_path / "rl" / "metrics.png").is_file()
