"""The referee as a TRL reward function: `GRPOTrainer(reward_funcs=[RefereeReward("accuracy"), …])`.

TRL calls each reward function as

    f(prompts, completions, completion_ids=None, **dataset_columns) -> list[float | None]

with plain strings or, for conversational datasets, lists of `{"role", "content"}`
messages; extra keyword arguments (`trainer_state`, `log_metric`, …) come along and are
ignored here. `None` means "cannot score": TRL turns it into NaN, leaves it out of the
reward sum, and gives a completion that every function scored None zero advantage
(trl 1.x `GRPOTrainer._calculate_rewards` / `_generate_and_score_completions`). So:
- status OK or TIMEOUT -> the value (a timeout is a verdict: no credit);
- SANDBOX_ERROR, ERROR, INVALID_INPUT -> None (infrastructure failed, or the reward does
  not apply to this row: TRL's convention for mixed datasets);
- a failed call for a group -> None for that group, with a warning;
- an unreachable server -> `RefereeUnavailable` naming the address (no silent zeros).

Every call has a deadline (TRL awaits reward functions with none). Completions of one
prompt are consecutive in TRL's batch; each such group is one `Score` call, all in flight
at once, so group-level rewards see the whole group.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import Any

from referee.client import DEFAULT_RETRIES, DEFAULT_TARGET, DEFAULT_TIMEOUT_S, RefereeError
from rewards.types import UNSCORABLE
from trainer.config import RefereeConfig, RewardConfig
from trainer.scoring import GroupScorer

__all__ = ["RefereeReward", "message_text"]

log = logging.getLogger("trainer.trl")


def message_text(x: str | Sequence[Mapping[str, Any]]) -> str:
    """A plain string as is; for messages, the last message's content (text parts joined)."""
    if isinstance(x, str):
        return x
    if not x:
        return ""
    content = x[-1].get("content", "")
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, Mapping))


class RefereeReward:
    """One referee reward as a TRL reward function; its `__name__` is the reward's name."""

    def __init__(
        self,
        reward: str = "accuracy",
        *,
        target: str = DEFAULT_TARGET,
        params: Mapping[str, Any] | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: int = DEFAULT_RETRIES,
        token_file: str | None = None,
        tls_ca_file: str | None = None,
        gold_column: str = "solution",
        language_column: str = "language",
        code_column: str = "code",
    ) -> None:
        self.__name__ = reward  # TRL logs rewards/<__name__>/mean
        self.reward = reward
        self.columns = {"gold": gold_column, "language": language_column, "code": code_column}
        cfg = RefereeConfig(
            target=target,
            timeout_s=timeout_s,
            retries=retries,
            token_file=token_file,
            tls_ca_file=tls_ca_file,
            rewards=[RewardConfig(name=reward, params=dict(params or {}))],
        )
        self._scorer = GroupScorer(cfg)
        self._checked = False

    def _sample(
        self, i: int, prompt: Any, completion: Any, n_tokens: int | None, cols: Mapping[str, Any]
    ) -> dict:
        s: dict[str, Any] = {
            "id": str(i),
            "prompt": message_text(prompt),
            "completion": message_text(completion),
        }
        if (gold := _column(cols, self.columns["gold"], i)) is not None:
            s["math"] = {"gold": str(gold)}
        elif (code := _column(cols, self.columns["code"], i)) is not None:
            s["code"] = dict(code)
        if language := _column(cols, self.columns["language"], i):
            s["language"] = language
        if n_tokens is not None:
            s["completion_tokens"] = n_tokens
        return s

    def __call__(
        self,
        prompts: Sequence[Any],
        completions: Sequence[Any],
        completion_ids: Sequence[Sequence[int]] | None = None,
        **columns: Any,
    ) -> list[float | None]:
        if not self._checked:  # an unknown reward name fails here, not as a run of silent Nones
            self._scorer.check_rewards()
            self._checked = True
        samples = [
            self._sample(i, p, c, len(completion_ids[i]) if completion_ids is not None else None, columns)
            for i, (p, c) in enumerate(zip(prompts, completions, strict=True))
        ]
        groups = [list(g) for _, g in groupby(samples, key=lambda s: s["prompt"])]
        out: list[float | None] = []
        for group, res in zip(groups, self._scorer.submit(groups).result(), strict=True):
            if isinstance(res, RefereeError):
                log.warning("referee could not score a group of %d (%s): rewards None", len(group), res)
                out += [None] * len(group)
                continue
            for r in res:
                v = r.rewards[self.reward]
                out.append(None if v.status in UNSCORABLE else v.value)
        return out

    def close(self) -> None:
        self._scorer.close()


def _column(columns: Mapping[str, Any], name: str, i: int) -> Any:
    values = columns.get(name)
    return values[i] if values is not None else None
