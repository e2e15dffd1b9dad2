"""Rewards from the referee server: one `Score` call per group, every group of a step in flight at once.

The client runs on a background loop (trainer.background), so `submit` returns at once and
the trainer computes log-probs while the server scores (the overlap the GRPO loop relies on).

A server that cannot be reached raises `RefereeUnavailable` (naming the address) out
of `Future.result()`: a run without rewards must stop, loudly. Any other failure of
one group's call (deadline, rejected request) comes back in that group's slot as the
`RefereeError`, so the caller can skip and count it instead of rewarding it 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from referee.client import RefereeError, RefereeUnavailable
from rewards.types import SampleResult
from trainer.background import BackgroundClient
from trainer.config import RefereeConfig

__all__ = ["GroupResult", "GroupScorer", "group_failure"]

GroupResult = list[SampleResult] | RefereeError


def group_failure(result: GroupResult, unscorable: Sequence[str]) -> str | None:
    """Why a group cannot be used ("accuracy: SANDBOX_ERROR daemon gone", a failed call), or None.

    One unscorable sample spoils its group: its siblings' advantages would be measured
    against a baseline that is missing a member."""
    if isinstance(result, RefereeError):
        return str(result)
    for r in result:
        for name, value in r.rewards.items():
            if value.status in unscorable:
                return f"{name}: {value.status} {value.detail}".strip()
    return None


class GroupScorer(BackgroundClient):
    def __init__(self, cfg: RefereeConfig) -> None:
        self.cfg = cfg
        self.specs = [{"name": r.name, "weight": r.weight, "params": r.params} for r in cfg.rewards]
        super().__init__(cfg, "referee-scorer")

    def check_rewards(self) -> list[str]:
        """Fail fast, before any rollout: the server answers and offers every configured reward."""
        names = [r.name for r in self._run(self._client.list_rewards())]
        missing = [s["name"] for s in self.specs if s["name"] not in names]
        if missing:
            raise ValueError(
                f"referee.rewards: {missing} not offered by the server at {self.cfg.target} (it has {names})"
            )
        return names

    async def _score_one(self, group: Sequence[Mapping[str, Any]]) -> GroupResult:
        try:
            return await self._client.score(group, self.specs)
        except RefereeUnavailable:
            raise
        except RefereeError as exc:
            return exc

    async def _score_all(self, groups: Sequence[Sequence[Mapping[str, Any]]]) -> list[GroupResult]:
        return list(await asyncio.gather(*(self._score_one(g) for g in groups)))

    def submit(self, groups: Sequence[Sequence[Mapping[str, Any]]]) -> Future[list[GroupResult]]:
        """Start scoring every group now; the future holds one result (or error) per group, in order."""
        return self._submit(self._score_all(groups))
