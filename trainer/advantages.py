"""Group-relative advantages: GRPO's replacement for a learned value function.

Each prompt's G completions form a group; a completion's advantage is how much
better its reward is than its siblings' (DeepSeekMath, eq. 3):

    A_i = (r_i - mean(r_group)) / (std(r_group) + eps)

Dr. GRPO (Liu et al., 2025) drops the std division, which over-weights groups that
are almost all right or all wrong; some runs scale by the batch's std instead.
"""

from __future__ import annotations

from typing import Literal

import torch

__all__ = ["group_advantages"]

Scale = Literal["group", "batch", "none"]


def group_advantages(rewards: torch.Tensor, scale: Scale = "group", eps: float = 1e-4) -> torch.Tensor:
    """rewards (B, G) -> advantages (B, G). A group whose rewards are all equal gets 0 everywhere."""
    centered = rewards - rewards.mean(dim=1, keepdim=True)  # (B, G)
    if scale == "group":
        return centered / (rewards.std(dim=1, keepdim=True) + eps)
    if scale == "batch":
        return centered / (rewards.std() + eps)
    return centered
