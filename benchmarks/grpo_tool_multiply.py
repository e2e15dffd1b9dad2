"""Can GRPO with a code tool solve what the model cannot alone? 3-digit multiplication on CPU.

    .venv/bin/python benchmarks/grpo_tool_multiply.py [--steps N] [--sft-steps N]

Cold-start SFT of a tiny random-init GPT-2 on tool-using worked examples (a ```python
block printing a*b, its output turn, then \\boxed{a*b}), then GRPO on
examples/grpo_tool_multiply.yaml through a real referee server started in-process
(sessions run the blocks in the sandbox). The no-tool baseline is the same SFT model with
`tools.max_tool_calls: 0`: it must guess the output turn itself. Writes
benchmarks/grpo_tool_multiply_metrics.jsonl and .png; prints first/last accuracies.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from trainer.config import ModelConfig, SFTConfig, TrainConfig, load_config
from trainer.grpo import train
from trainer.local_server import local_referee
from trainer.metrics import plot_metrics
from trainer.sft import sft
from trainer.tasks import multiplication_problems, tool_multiplication_examples

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=40, help="GRPO steps with the tool")
    ap.add_argument("--baseline-steps", type=int, default=10, help="steps of the no-tool run")
    ap.add_argument("--sft-steps", type=int, default=300)
    ap.add_argument("--lr", type=float, default=None, help="GRPO learning rate (default: the example's)")
    ap.add_argument("--work", type=Path, default=ROOT / "runs")
    args = ap.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    sft_data = args.work / "tool_multiply_sft.jsonl"
    sft_data.write_text("".join(json.dumps(r) + "\n" for r in tool_multiplication_examples(3000, 3, 0)))
    prompts = args.work / "tool_multiply_prompts.jsonl"
    gen = multiplication_problems(3, 1)
    rows = [next(gen) for _ in range(500)]
    prompts.write_text("".join(json.dumps({"prompt": p.prompt, "gold": p.gold}) + "\n" for p in rows))
    sft_cfg = SFTConfig(
        model=ModelConfig(n_layer=2, n_embd=64, n_head=4, n_positions=128),
        data=sft_data,
        steps=args.sft_steps,
        batch_size=32,
        lr=2e-3,
        out_dir=args.work / "sft_tool_multiply",
        threads=1,
    )
    sft(sft_cfg)

    base = load_config(ROOT / "examples/grpo_tool_multiply.yaml", TrainConfig)
    base = base.model_copy(
        update={
            "model": base.model.model_copy(update={"path": sft_cfg.out_dir}),
            "task": base.task.model_copy(update={"data": prompts}),
        }
    )
    with local_referee(math={"workers": 1}) as target:
        ref = base.referee.model_copy(update={"target": target})
        no_tool = base.model_copy(
            update={
                "referee": ref,
                "steps": args.baseline_steps,
                "out_dir": args.work / "grpo_no_tool",
                "tools": base.tools.model_copy(update={"max_tool_calls": 0}),
            }
        )
        base_rows = train(no_tool)
        cfg = base.model_copy(update={"referee": ref, "steps": args.steps, "lr": args.lr or base.lr})
        rows_ = train(cfg)

    shutil.copy(cfg.out_dir / "metrics.jsonl", HERE / "grpo_tool_multiply_metrics.jsonl")
    plot_metrics(
        rows_, HERE / "grpo_tool_multiply.png", title="GRPO with a code tool, 3-digit multiplication (CPU)"
    )
    acc = [r.get("reward/accuracy", float("nan")) for r in rows_]
    calls = [r.get("tool/calls_per_completion", 0.0) for r in rows_]
    base_acc = [r.get("reward/accuracy", float("nan")) for r in base_rows]
    n = min(20, max(1, len(acc) // 2))
    print("\n| run | accuracy first steps | accuracy last steps | tool calls/completion (last) |")
    print("|---|---|---|---|")
    print(f"| no tool ({len(base_acc)} steps) | {_mean(base_acc[:n]):.3f} | {_mean(base_acc[-n:]):.3f} | 0 |")
    print(
        f"| tool ({len(acc)} steps, n={n}) | {_mean(acc[:n]):.3f} | {_mean(acc[-n:]):.3f} | {_mean(calls[-n:]):.2f} |"
    )


if __name__ == "__main__":
    main()
