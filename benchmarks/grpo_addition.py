"""Does GRPO against the referee make a model better? Cold start, then RL, on CPU in minutes.

    .venv/bin/python benchmarks/grpo_addition.py [--server HOST:PORT] [--steps N]

Runs `examples/sft_addition.yaml` (cold-start SFT of a tiny random-init GPT-2 on worked
additions, 90% with a slip) and then `examples/grpo_addition.yaml` (GRPO whose only
signal is the referee's `accuracy` reward). Without --server a real referee server is
started on localhost in this process (math only, one worker). Writes
benchmarks/grpo_addition_metrics.jsonl and benchmarks/grpo_addition.png, and prints the
accuracy reward's mean over the first and last 20 steps.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import time
from pathlib import Path

from trainer.config import SFTConfig, TrainConfig, load_config
from trainer.grpo import train
from trainer.local_server import local_referee
from trainer.metrics import plot_metrics
from trainer.sft import sft

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", help="HOST:PORT of a running referee; default: start one in-process")
    ap.add_argument("--steps", type=int, help="GRPO steps (default: the example config's)")
    ap.add_argument("--work", type=Path, default=ROOT / "runs", help="where checkpoints go")
    args = ap.parse_args()

    sft_cfg = load_config(ROOT / "examples/sft_addition.yaml", SFTConfig)
    sft_cfg = sft_cfg.model_copy(update={"out_dir": args.work / "sft_addition"})
    t0 = time.perf_counter()
    sft(sft_cfg)
    sft_s = time.perf_counter() - t0

    cfg = load_config(ROOT / "examples/grpo_addition.yaml", TrainConfig)
    update = {
        "model": cfg.model.model_copy(update={"path": sft_cfg.out_dir}),
        "out_dir": args.work / "grpo_addition",
    }
    if args.steps:
        update["steps"] = args.steps
    server = contextlib.nullcontext(args.server) if args.server else local_referee(math={"workers": 1})
    with server as target:
        cfg = cfg.model_copy(update={**update, "referee": cfg.referee.model_copy(update={"target": target})})
        t0 = time.perf_counter()
        rows = train(cfg)
        grpo_s = time.perf_counter() - t0

    shutil.copy(cfg.out_dir / "metrics.jsonl", HERE / "grpo_addition_metrics.jsonl")
    plot_metrics(
        rows, HERE / "grpo_addition.png", title="GRPO on 2-digit addition, rewards from the referee (CPU)"
    )
    acc = [r["reward/accuracy"] for r in rows if "reward/accuracy" in r]
    n = min(20, len(acc) // 2)
    print("\n| stage | seconds | accuracy reward (mean) |\n|---|---|---|")
    print(f"| cold-start SFT ({sft_cfg.steps} steps) | {sft_s:.0f} | |")
    print(f"| GRPO first {n} steps | | {sum(acc[:n]) / n:.3f} |")
    print(f"| GRPO last {n} steps | {grpo_s:.0f} (all {len(rows)} steps) | {sum(acc[-n:]) / n:.3f} |")


if __name__ == "__main__":
    main()
