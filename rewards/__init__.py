"""Reward functions for RL on reasoning: registry, composition and the built-in catalog.

Importing `rewards` registers every built-in reward (see `rewards.catalog`).
"""

from rewards import catalog as _catalog  # noqa: F401  (registers the built-ins)
from rewards.compose import RewardSpec, score
from rewards.errors import InvalidRequest, RewardError
from rewards.registry import Context, Params, all_rewards, get_reward, group_reward, sample_reward
from rewards.types import CodeReference, IOCase, MathReference, RewardResult, Sample, SampleResult, Status

__all__ = [
    "CodeReference",
    "Context",
    "IOCase",
    "InvalidRequest",
    "MathReference",
    "Params",
    "RewardError",
    "RewardResult",
    "RewardSpec",
    "Sample",
    "SampleResult",
    "Status",
    "all_rewards",
    "get_reward",
    "group_reward",
    "sample_reward",
    "score",
]
