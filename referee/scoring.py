"""`referee score`: JSONL samples in, JSONL results out, through a server or in-process.

Lines are read into batches of `batch_size`; each batch becomes one Score request per
reward set (math lines and code lines may want different rewards). Results are written
in input order. A line that cannot be turned into a sample gets `{"id", "error"}` and
the rest go on.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, TextIO

from google.protobuf import json_format
from tqdm import tqdm

from referee.convert import sample_from_proto
from referee.v1 import referee_pb2 as pb
from rewards import InvalidRequest, RewardSpec, Sample, SampleResult
from rewards.datasets import code_reference

__all__ = ["line_to_sample", "result_to_json", "score_jsonl"]

# a line's fields that are the API's Sample (a new API field is read with no change here)
_API_FIELDS = frozenset(f.name for f in pb.Sample.DESCRIPTOR.fields)


def line_to_sample(obj: Any, lineno: int, dataset: str | None = None) -> Sample:
    """Turn one JSONL object into a Sample, accepting the short `gold`/`tests` forms; with
    `dataset`, the line is that dataset's own row plus `completion` (and optionally `id`,
    `code_language`), and its preset builds the tests."""
    if not isinstance(obj, dict):
        raise InvalidRequest(f"line {lineno}: expected a JSON object, got {type(obj).__name__}")
    obj = dict(obj)
    if dataset:
        return _row_to_sample(obj, lineno, dataset)
    obj.setdefault("id", str(lineno))
    obj["id"] = str(obj["id"])
    if "gold" in obj:
        obj["math"] = {"gold": str(obj.pop("gold"))}
    if "tests" in obj:
        tests = obj.pop("tests")
        code: dict[str, Any] = {"language": obj.pop("code_language", "python")}
        if isinstance(tests, str):
            code["test_code"] = tests
            code["entry_point"] = obj.pop("entry_point", "")
        elif isinstance(tests, list):
            code["cases"] = tests
        else:
            raise InvalidRequest(f"line {lineno}: tests must be test code (a string) or a list of cases")
        obj["code"] = code
    unknown = set(obj) - _API_FIELDS
    for key in unknown:  # dataset columns ride along in files; they are not ours to judge
        obj.pop(key)
    try:
        message = json_format.ParseDict(obj, pb.Sample())
    except json_format.ParseError as exc:
        raise InvalidRequest(f"line {lineno}: {exc}") from None
    return sample_from_proto(message, f"line {lineno}")


def _row_to_sample(row: dict[str, Any], lineno: int, dataset: str) -> Sample:
    completion = row.pop("completion", None)
    if not isinstance(completion, str):
        raise InvalidRequest(
            f"line {lineno}: completion: required (the model's output), beside the row's fields"
        )
    sid = str(
        row.pop("id", None) or row.get("task_id") or row.get("question_id") or row.get("problem_id") or lineno
    )
    language = str(row.pop("code_language", ""))
    try:
        code = code_reference(dataset, row, language)
    except InvalidRequest as exc:
        raise InvalidRequest(f"line {lineno}: {exc}") from None
    prompt = row.get("prompt")
    return Sample(id=sid, prompt=prompt if isinstance(prompt, str) else "", completion=completion, code=code)


def result_to_json(r: SampleResult) -> dict[str, Any]:
    return {
        "id": r.id,
        "total": r.total,
        "rewards": [
            {"name": name, "value": v.value, "status": str(v.status), "detail": v.detail}
            for name, v in r.rewards.items()
        ],
    }


def _default_rewards(sample: Sample) -> list[str]:
    if sample.code is not None:
        return ["code"]
    return ["accuracy"]


def _batches(src: TextIO, size: int) -> Iterator[list[tuple[int, str]]]:
    lines = ((i, line) for i, line in enumerate(src, 1) if line.strip())
    while batch := list(islice(lines, size)):
        yield batch


class _Scorer:
    """One interface over a remote server and the in-process engine."""

    def __init__(self, server: str | None, settings: Any) -> None:
        self.server, self.settings = server, settings

    async def __aenter__(self) -> _Scorer:
        if self.server:
            from referee.client import AsyncRefereeClient

            self.client = AsyncRefereeClient(self.server)
        else:
            from referee.engine import Engine

            self.engine = Engine(self.settings)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await (self.client.close() if self.server else self.engine.close())

    async def score(self, samples: Sequence[Sample], specs: Sequence[RewardSpec]) -> list[SampleResult]:
        if self.server:
            return await self.client.score(samples, specs)
        return await self.engine.score(samples, specs)


async def _score_batch(
    scorer: _Scorer, batch: list[tuple[int, str]], rewards: list[str] | None, dataset: str | None = None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{} for _ in batch]
    groups: dict[tuple[str, ...], list[tuple[int, Sample]]] = {}
    for k, (lineno, line) in enumerate(batch):
        try:
            sample = line_to_sample(json.loads(line), lineno, dataset)
        except (json.JSONDecodeError, InvalidRequest) as exc:
            out[k] = {
                "id": str(lineno),
                "error": f"line {lineno}: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc),
            }
            continue
        groups.setdefault(tuple(rewards or _default_rewards(sample)), []).append((k, sample))
    for names, members in groups.items():
        samples = [s for _, s in members]
        try:
            results = await scorer.score(samples, [RewardSpec(n) for n in names])
        except Exception as exc:  # the request as a whole was refused: say so on each of its lines
            for k, s in members:
                out[k] = {"id": s.id, "error": str(exc)}
            continue
        for (k, _), r in zip(members, results, strict=True):
            out[k] = result_to_json(r)
    return out


def score_jsonl(
    src: TextIO,
    dst: TextIO,
    *,
    rewards: list[str] | None = None,
    server: str | None = None,
    batch_size: int = 16,
    settings: Any = None,
    dataset: str | None = None,
) -> dict[str, int]:
    """Score every line of `src` into `dst`; returns counts of scored lines and errors."""

    async def run() -> dict[str, int]:
        counts = {"scored": 0, "errors": 0}
        async with _Scorer(server, settings) as scorer:
            with tqdm(unit="sample", disable=None) as bar:  # None: only on a terminal
                for batch in _batches(src, batch_size):
                    for row in await _score_batch(scorer, batch, rewards, dataset):
                        counts["errors" if "error" in row else "scored"] += 1
                        dst.write(json.dumps(row, ensure_ascii=False) + "\n")
                    bar.update(len(batch))
        return counts

    return asyncio.run(run())
