"""The referee as verl's custom reward function.

verl's reward managers call, once per sample,

    compute_score(data_source, solution_str, ground_truth, extra_info=None, **reward_kwargs)

where `reward_kwargs` come from the config's `custom_reward_function.reward_kwargs`:

    custom_reward_function:
      path: <site-packages>/trainer/verl.py
      name: compute_score
      reward_kwargs: {target: "127.0.0.1:50051", rewards: [accuracy, format]}

`ground_truth` is a math gold answer (a string), or a dict in the API's shape
(`{"gold": …}` or code tests `{"language", "test_code", "entry_point"}` / `{"cases"}`).
The result is a dict: `score` (the weighted total) plus one key per reward, which verl
logs as extra reward info. verl has no "cannot score" value: a sample the server could
not score (`UNSCORABLE`: SANDBOX_ERROR, ERROR, INVALID_INPUT) gets score 0.0 *and* `unscorable: 1.0` and a warning, so
it is visible in the logs rather than silently counted as a wrong answer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from referee.client import DEFAULT_TARGET, DEFAULT_TIMEOUT_S, ClientSettings, RefereeClient
from referee.convert import reference_from_label
from rewards.types import UNSCORABLE

__all__ = ["compute_score"]

log = logging.getLogger("trainer.verl")


@functools.cache
def _client(target: str, timeout_s: float, token_file: str | None, tls_ca_file: str | None) -> RefereeClient:
    # verl calls per sample, from each worker process: one channel per process and settings.
    settings = ClientSettings(
        target=target, timeout_s=timeout_s, token_file=token_file, tls_ca_file=tls_ca_file
    )
    return settings.client()


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    *,
    target: str = DEFAULT_TARGET,
    rewards: Sequence[str | Mapping[str, Any]] = ("accuracy",),
    timeout_s: float = DEFAULT_TIMEOUT_S,
    token_file: str | None = None,
    tls_ca_file: str | None = None,
) -> dict[str, float]:
    """Score one completion; raises `RefereeUnavailable` (naming the address) if the server is down."""
    extra = dict(extra_info or {})
    sample = {
        "id": str(extra.get("index", "0")),
        "prompt": str(extra.get("question") or extra.get("prompt") or ""),
        "completion": solution_str,
        **reference_from_label(ground_truth),
    }
    if extra.get("language"):
        sample["language"] = extra["language"]
    [result] = _client(target, timeout_s, token_file, tls_ca_file).score([sample], list(rewards))
    out = {"score": result.total, "unscorable": 0.0}
    for name, value in result.rewards.items():
        out[name] = value.value
        if value.status in UNSCORABLE:
            log.warning(
                "referee could not score a %s sample (%s: %s %s)",
                data_source,
                name,
                value.status,
                value.detail,
            )
            out["unscorable"] = 1.0
            out["score"] = 0.0
    return out
