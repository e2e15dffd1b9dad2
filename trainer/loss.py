"""The GRPO objective: PPO's clipped surrogate with group advantages, three aggregations.

Per token t of completion i (DeepSeekMath eq. 3, DAPO eq. 8):

    ratio   = exp(logp - old_logp)
    clipped = clamp(ratio, 1 - eps_low, 1 + eps_high)        # DAPO clip-higher: eps_high > eps_low
    loss_it = -min(ratio * A_i, clipped * A_i) + beta * KL_it

with KL to a frozen reference model by Schulman's k3 estimator,
`exp(ref - logp) - (ref - logp) - 1` (unbiased, always >= 0).

How token losses become one number is where the variants differ:
- grpo:    mean over each completion's tokens, then over completions. Long wrong
           answers are punished less per token (the length bias Dr. GRPO points out).
- dr_grpo: sum over all tokens / (N * T_max), a constant: no length normalisation.
- dapo:    sum over all tokens / number of tokens: every token weighs the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

__all__ = ["LossStats", "aggregate", "grpo_loss", "k3_kl"]

LossType = Literal["grpo", "dr_grpo", "dapo"]


@dataclass(frozen=True)
class LossStats:
    loss: float
    clipfrac: float  # share of tokens whose gradient the clip switched off
    kl: float  # mean k3 KL to the reference model per token (0 without one)
    ratio: float  # mean importance ratio (1 on the first pass over a batch)


def k3_kl(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimate of KL(pi || pi_ref), same shape as the inputs."""
    log_r = ref_logp - logp
    return log_r.exp() - log_r - 1


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (x * mask).sum() / mask.sum().clamp(min=1)


def aggregate(per_token: torch.Tensor, mask: torch.Tensor, loss_type: LossType) -> torch.Tensor:
    """per_token, mask (N, T) -> scalar, by the chosen aggregation (see the module docstring)."""
    if loss_type == "grpo":
        per_seq = (per_token * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)  # (N,)
        return per_seq.mean()
    if loss_type == "dr_grpo":
        return (per_token * mask).sum() / (mask.shape[0] * mask.shape[1])
    if loss_type == "dapo":
        return masked_mean(per_token, mask)
    raise ValueError(f"loss_type: unknown {loss_type!r}; expected grpo, dr_grpo or dapo")


def grpo_loss(
    logp: torch.Tensor,
    old_logp: torch.Tensor,
    advantages: torch.Tensor,
    mask: torch.Tensor,
    *,
    loss_type: LossType = "dapo",
    eps_low: float = 0.2,
    eps_high: float = 0.2,
    ref_logp: torch.Tensor | None = None,
    beta: float = 0.0,
) -> tuple[torch.Tensor, LossStats]:
    """logp, old_logp, mask, ref_logp (N, T); advantages (N,). Returns the loss and its stats."""
    mask = mask.to(logp.dtype)
    A = advantages.unsqueeze(1)  # (N, 1): one advantage for every token of a completion
    ratio = (logp - old_logp).exp()  # (N, T)
    clipped = ratio.clamp(1 - eps_low, 1 + eps_high)  # (N, T)
    per_token = -torch.min(ratio * A, clipped * A)  # (N, T)
    kl = torch.zeros_like(logp)
    if ref_logp is not None and beta > 0:
        kl = k3_kl(logp, ref_logp)  # (N, T)
        per_token = per_token + beta * kl
    loss = aggregate(per_token, mask, loss_type)

    with torch.no_grad():
        # The clip is active (zero gradient) where the clipped term is the smaller one.
        is_clipped = ((ratio < 1 - eps_low) & (A < 0)) | ((ratio > 1 + eps_high) & (A > 0))
        stats = LossStats(
            loss=loss.item(),
            clipfrac=masked_mean(is_clipped.to(logp.dtype), mask).item(),
            kl=masked_mean(kl, mask).item(),
            ratio=masked_mean(ratio, mask).item(),
        )
    return loss, stats
