"""GRPO against a referee server, top to bottom (DeepSeekMath §4, DAPO, Dr. GRPO).

Each step:
  1. sample B prompts and G completions per prompt from the current policy;
  2. send each group to the referee (one `Score` call per group, all in flight at once)
     and, while it scores, compute the old-policy and reference log-probs;
  3. turn each group's rewards into group-relative advantages; a group the server could
     not score is skipped and counted, never rewarded 0;
  4. take `num_iterations` gradient steps on the clipped surrogate (+ beta * KL);
  5. log rewards, length, reflection rate, loss, clip fraction and KL.

The policy stays in eval mode throughout: no dropout, so the importance ratio compares
the same function that sampled the tokens; gradients flow all the same.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from referee.client import RefereeError
from trainer.advantages import group_advantages
from trainer.config import TrainConfig
from trainer.loss import LossStats, grpo_loss
from trainer.metrics import MetricsLog, plot_metrics, reflection_rate, tool_metrics
from trainer.models import build_model
from trainer.rollout import generate, token_logps
from trainer.scoring import GroupResult, GroupScorer, group_failure
from trainer.tasks import prompt_source
from trainer.tokenizer import load_tokenizer
from trainer.tools import RefereeTools, generate_with_tools

__all__ = ["train"]


def train(cfg: TrainConfig, log: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Run GRPO as configured; returns the per-step metrics (also in out_dir/metrics.jsonl)."""
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    tokenizer = load_tokenizer(cfg.model.path)
    policy, ref, optimizer, warmup = _models(cfg, tokenizer)
    problems = prompt_source(cfg.task.data, cfg.task.digits, cfg.task.seed)
    B, G, temp = cfg.prompts_per_step, cfg.generation.num_generations, cfg.generation.temperature
    out_dir = cfg.out_dir
    history: list[dict[str, Any]] = []
    skipped_total = 0

    use_tools = cfg.tools.max_tool_calls > 0
    tool_ctx = RefereeTools(cfg.referee, cfg.tools) if use_tools else contextlib.nullcontext(None)
    with (
        GroupScorer(cfg.referee) as scorer,
        MetricsLog(out_dir / "metrics.jsonl") as metrics,
        tool_ctx as tools,
    ):
        scorer.check_rewards()  # unreachable server or unknown reward: fail before any rollout
        for step in range(1, cfg.steps + 1):
            t0 = time.perf_counter()

            # 1. Rollouts: B prompts x G samples.
            batch = [next(problems) for _ in range(B)]
            prompts = [p.prompt for p in batch]
            if tools is not None:
                rollout = generate_with_tools(policy, tokenizer, prompts, cfg.generation, cfg.tools, tools)
            else:
                rollout = generate(policy, tokenizer, prompts, cfg.generation)
            ids, attn = rollout.input_ids, rollout.attention_mask  # (B*G, P+T)
            mask = rollout.gradient_mask  # (B*G, T): 0 on tool output, which the model did not sample
            T = mask.shape[1]
            lengths = mask.sum(dim=1).tolist()  # the model's own tokens, what length rewards judge

            # 2. Rewards, scored while we compute the log-probs of the policy that sampled.
            groups = [
                [p.sample(str(j), rollout.completions[i * G + j], int(lengths[i * G + j])) for j in range(G)]
                for i, p in enumerate(batch)
            ]
            pending = scorer.submit(groups)
            with torch.no_grad():
                old_logp = token_logps(policy, ids, attn, T, temp)  # (B*G, T)
                ref_logp = token_logps(ref, ids, attn, T, temp) if ref is not None else None  # (B*G, T)
            t_wait = time.perf_counter()
            results = pending.result()  # RefereeUnavailable propagates: no rewards, no run
            wait_s = time.perf_counter() - t_wait

            # 3. Group-relative advantages over the groups that were scored.
            scored = _split_scored(results, cfg.referee.unscorable)
            skipped_total += len(scored.failures)
            if scored.failures:
                log(
                    f"step {step}: skipped {len(scored.failures)} group(s) the referee could not score: "
                    f"{scored.failures[0]}"
                )

            row: dict[str, Any] = {
                "step": step,
                "groups_scored": len(scored.keep),
                "groups_skipped": len(scored.failures),
                "groups_skipped_total": skipped_total,
                "completion_length": float(rollout.lengths.float().mean()),
                "reflection_rate": reflection_rate(rollout.completions),
            }
            if scored.keep:
                rewards = torch.tensor(scored.totals)  # (B', G)
                advantages = group_advantages(rewards, cfg.loss.scale_rewards).flatten()  # (B'*G,)
                rows = torch.tensor([i * G + j for i in scored.keep for j in range(G)])  # (B'*G,)

                # 4. Policy update on the clipped surrogate.
                for _ in range(cfg.num_iterations):
                    logp = token_logps(policy, ids[rows], attn[rows], T, temp)  # (B'*G, T)
                    loss, stats = grpo_loss(
                        logp,
                        old_logp[rows],
                        advantages,
                        mask[rows],
                        loss_type=cfg.loss.loss_type,
                        eps_low=cfg.loss.epsilon_low,
                        eps_high=cfg.loss.epsilon_high,
                        ref_logp=ref_logp[rows] if ref_logp is not None else None,
                        beta=cfg.loss.beta,
                    )
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    grad_norm = torch.nn.utils.clip_grad_norm_(policy.parameters(), cfg.max_grad_norm)
                    optimizer.step()
                warmup.step()

                row |= _update_row(rewards, scored.per_reward, stats, float(grad_norm))
                if use_tools and "accuracy" in scored.per_reward:
                    kept = rows.tolist()
                    row |= tool_metrics(
                        scored.per_reward["accuracy"],
                        [rollout.tool_calls[i] for i in kept],
                        [rollout.tool_errors[i] for i in kept],
                    )

            # 5. Metrics.
            row |= {"score_wait_s": wait_s, "step_s": time.perf_counter() - t0}
            metrics.log(row)
            history.append(row)
            log(_summary(row))

    if cfg.save_model:
        policy.save_pretrained(out_dir / "model")
        tokenizer.save_pretrained(out_dir / "model")
    plot_metrics(history, out_dir / "metrics.png", title=f"GRPO ({cfg.loss.loss_type}) against the referee")
    return history


def _models(cfg: TrainConfig, tokenizer: Any) -> tuple[Any, Any, torch.optim.Optimizer, Any]:
    """The policy (eval mode: see the module doc), its frozen reference when the KL term is on,
    the optimizer and its warm-up schedule."""
    policy = build_model(cfg.model, tokenizer).eval()
    ref = copy.deepcopy(policy).requires_grad_(False) if cfg.loss.beta > 0 else None
    optimizer = torch.optim.AdamW(policy.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    warmup = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / (cfg.warmup_steps + 1))
    )
    return policy, ref, optimizer, warmup


@dataclass(frozen=True, slots=True)
class _Scored:
    """A step's groups: those the referee scored (their totals and each reward's values) and
    why it could not score the others."""

    keep: list[int]
    totals: list[list[float]]
    per_reward: dict[str, list[float]]
    failures: list[str]


def _split_scored(results: Sequence[GroupResult], unscorable: Sequence[str]) -> _Scored:
    scored = _Scored([], [], defaultdict(list), [])
    for i, res in enumerate(results):
        if (reason := group_failure(res, unscorable)) is not None:
            scored.failures.append(reason)
            continue
        assert not isinstance(res, RefereeError)  # group_failure gives a reason for every error
        scored.keep.append(i)
        scored.totals.append([r.total for r in res])
        for r in res:
            for name, v in r.rewards.items():
                scored.per_reward[name].append(v.value)
    return scored


def _update_row(
    rewards: torch.Tensor, per_reward: dict[str, list[float]], stats: LossStats, grad_norm: float
) -> dict[str, Any]:
    """A step's reward and loss metrics; rewards over the scored groups only (a skipped group has none)."""
    G = rewards.shape[1]
    return {
        **{f"reward/{name}": sum(vs) / len(vs) for name, vs in per_reward.items()},
        "reward/total": float(rewards.mean()),
        "reward/std_in_group": float(rewards.std(dim=1).mean()) if G > 1 else 0.0,
        "zero_std_groups": float((rewards.std(dim=1) == 0).float().mean()),
        "loss": stats.loss,
        "clipfrac": stats.clipfrac,
        "kl": stats.kl,
        "ratio": stats.ratio,
        "grad_norm": grad_norm,
    }


def _summary(row: dict[str, Any]) -> str:
    parts = [f"step {row['step']:4d}"]
    for key, label in (
        ("reward/accuracy", "acc"),
        ("reward/format", "fmt"),
        ("reward/total", "reward"),
        ("completion_length", "len"),
        ("tool/calls_per_completion", "tools"),
        ("tool/accuracy_with", "acc+tool"),
        ("loss", "loss"),
        ("clipfrac", "clip"),
        ("kl", "kl"),
    ):
        if key in row:
            parts.append(f"{label} {row[key]:.3f}")
    parts.append(f"skipped {row['groups_skipped']}")
    parts.append(f"{row['step_s']:.2f}s")
    return " | ".join(parts)
