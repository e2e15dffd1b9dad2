"""`POST /get_reward`, OpenRLHF's remote reward-model protocol (`--reward.remote_url URL`).

OpenRLHF 0.11's `SingleTurnAgentExecutor._fetch_rewards_via_http` posts
`{"query": [...], "prompts": [...], "labels": [...]}`: each query is the templated prompt
followed by the response, decoded with the special tokens kept; each label is the dataset's
`--label_key` value. It reads `rewards` (the advantage's input), `scores` (dynamic filtering)
and `extra_logs` (logged) and turns every value into a tensor, so everything here is a number:

    {"rewards": [total, ...], "scores": [total, ...], "extra_logs": {reward: [value, ...],
     "unscorable": [0.0 | 1.0, ...]}}

A label is a math gold by default, or a reference in the API's shape (`referee.convert.
reference_from_label`; a JSON object's text counts as the object). The rewards are the server's
`get_reward_rewards` unless the request names its own in `rewards`. The response is the query
minus its prompt, with trailing end-of-turn tokens removed; a query that does not contain its
prompt is not scored (0, unscorable), never scored as a whole: the prompt's own worked
examples would earn credit.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from google.protobuf import json_format
from pydantic import BaseModel, ConfigDict, Field, model_validator

from referee.convert import reference_from_label, sample_from_json, sample_from_proto, spec_from_json
from referee.http.common import SERVICE, read_json
from rewards import InvalidRequest, RewardSpec, Sample, SampleResult
from rewards.types import UNSCORABLE

__all__ = ["END_TOKENS", "get_reward", "response_of"]

log = logging.getLogger("referee.http")

# End-of-turn markers that `decode(..., skip_special_tokens=False)` leaves after a response
# (ChatML/Qwen, Llama 3, Llama 2/Mistral, DeepSeek, Phi, GPT-2).
END_TOKENS = (
    "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>",
    "<｜end▁of▁sentence｜>", "<|end|>",
)  # fmt: skip


class GetRewardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: list[str] = Field(min_length=1)
    prompts: list[str]
    labels: list[Any]
    rewards: list[str | dict[str, Any]] | None = None  # ours: which rewards, else the server's

    @model_validator(mode="after")
    def _same_lengths(self) -> GetRewardRequest:
        if not len(self.query) == len(self.prompts) == len(self.labels):
            raise ValueError(
                f"query, prompts and labels have {len(self.query)}, {len(self.prompts)} and "
                f"{len(self.labels)} items: one of each per sample"
            )
        return self


def response_of(query: str, prompt: str) -> str | None:
    """The response in `query` (the prompt followed by it), end tokens stripped; None when the
    prompt is not in the query."""
    if query.startswith(prompt):
        response = query[len(prompt) :]
    elif prompt and (at := query.find(prompt)) >= 0:  # a BOS token decoded in front
        response = query[at + len(prompt) :]
    else:
        return None
    return _strip_end_tokens(response)


def _strip_end_tokens(text: str) -> str:
    stripped = text.rstrip()
    while ended := next((t for t in END_TOKENS if stripped.endswith(t)), None):
        stripped = stripped[: -len(ended)].rstrip()
    return stripped


def _label(label: Any) -> Any:
    if isinstance(label, str) and label.lstrip().startswith("{"):
        try:
            return json.loads(label)
        except ValueError:
            return label  # a gold that happens to start with a brace: "{1, 2}"
    return label


def _samples(req: GetRewardRequest) -> tuple[list[Sample], list[int]]:
    """The samples to score and the indexes of queries without their prompt (not scored)."""
    samples, missing = [], []
    for i, (query, prompt, label) in enumerate(zip(req.query, req.prompts, req.labels, strict=True)):
        response = response_of(query, prompt)
        if response is None:
            missing.append(i)
            continue
        where = f"labels[{i}]"
        try:
            message = sample_from_json(
                {
                    "id": str(i),
                    "prompt": prompt,
                    "completion": response,
                    **reference_from_label(_label(label)),
                }
            )
        except (json_format.ParseError, TypeError, ValueError) as exc:
            raise InvalidRequest(f"{where}: not a reference: {exc}") from None
        samples.append(sample_from_proto(message, where))
    return samples, missing


def _specs(req: GetRewardRequest, default: list[RewardSpec]) -> list[RewardSpec]:
    if req.rewards is None:
        return default
    try:
        return [spec_from_json(r) for r in req.rewards]
    except (KeyError, TypeError) as exc:
        raise InvalidRequest(f"rewards: each is a name or {{name, weight, params}}: {exc}") from None


def _answer(n: int, results: list[SampleResult], names: list[str]) -> dict[str, Any]:
    by_index = {int(r.id): r for r in results}
    totals: list[float] = []
    logs: dict[str, list[float]] = {name: [] for name in [*names, "unscorable"]}
    for i in range(n):
        r = by_index.get(i)
        unscorable = r is None or any(v.status in UNSCORABLE for v in r.rewards.values())
        totals.append(0.0 if unscorable or r is None else r.total)
        for name in names:
            logs[name].append(r.rewards[name].value if r is not None and name in r.rewards else 0.0)
        logs["unscorable"].append(1.0 if unscorable else 0.0)
    return {"rewards": totals, "scores": totals, "extra_logs": logs}


async def get_reward(request: web.Request) -> web.Response:
    service = request.app[SERVICE]
    req = await read_json(request, GetRewardRequest)
    service.check_batch(len(req.query), [len(q) for q in req.query], field="query", part="")
    default = [RewardSpec(r.name, r.weight, r.params) for r in service.limits.get_reward_rewards]
    specs = _specs(req, default)
    samples, missing = _samples(req)
    if missing:
        log.warning("get_reward: queries %s do not contain their prompt: not scored (0, unscorable)", missing)
    results = await service.score(samples, specs, service.limits.http_queue_wait_s) if samples else []
    return web.json_response(_answer(len(req.query), results, [s.name for s in specs]))
