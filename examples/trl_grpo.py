"""TRL's GRPOTrainer with rewards from a referee server.

    referee serve --port 50051 &
    referee sft examples/sft_addition.yaml          # a tiny local model to train (or use your own)
    python examples/trl_grpo.py --model runs/sft_addition --steps 20

Each `RefereeReward` is one reward function to TRL (logged as rewards/<name>/mean);
TRL weighs them with `reward_weights`. The dataset's `solution` column is the math gold
answer; a `language` column, when present, feeds `language_consistency`.
"""

from __future__ import annotations

import argparse

from datasets import Dataset
from trl import GRPOConfig, GRPOTrainer

from referee.client import DEFAULT_TARGET
from trainer.tasks import problems
from trainer.tokenizer import load_tokenizer
from trainer.trl import RefereeReward


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="local model directory")
    ap.add_argument("--server", default=DEFAULT_TARGET, help="HOST:PORT of the referee")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--out", default="runs/trl_grpo")
    args = ap.parse_args()

    stream = problems(digits=2, seed=1)
    data = Dataset.from_list(
        [{"prompt": p.prompt, "solution": p.gold} for p in (next(stream) for _ in range(512))]
    )
    rewards = [RefereeReward("accuracy", target=args.server), RefereeReward("format", target=args.server)]
    config = GRPOConfig(
        output_dir=args.out,
        max_steps=args.steps,
        per_device_train_batch_size=16,
        num_generations=16,
        max_completion_length=48,
        learning_rate=1e-4,
        reward_weights=[1.0, 0.0],  # format is logged, not optimised
        logging_steps=1,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
    )
    trainer = GRPOTrainer(
        model=args.model,
        reward_funcs=rewards,
        args=config,
        train_dataset=data,
        processing_class=load_tokenizer(args.model),
    )
    trainer.train()
    for reward in rewards:
        reward.close()


if __name__ == "__main__":
    main()
