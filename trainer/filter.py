"""Distillation filter: keep the completions the referee judges correct, well-formed and in language.

DeepSeek-R1 built its 800k SFT samples by rejection sampling: generate many
completions, keep those with the right answer, the think/answer format and no
language mixing. This is that step over a JSONL file, scored by the server:

    referee filter IN.jsonl -o OUT.jsonl --min-accuracy 1 --min-language 0.95

A line is a sample in the API's JSON shape, `{"prompt", "completion", "math": {"gold"}}`
(or a top-level `"gold"`), with an optional `"language"`. Kept lines are written
unchanged. Every dropped line is counted under each check it failed; a line the server
could not score (status SANDBOX_ERROR/ERROR/TIMEOUT, or a failed call) is dropped as
`unscorable`, never kept on a guess.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, cast

from referee.client import ClientSettings, RefereeError
from rewards.types import UNSCORABLE, SampleResult
from trainer.config import RefereeConfig, RewardConfig
from trainer.scoring import GroupScorer

__all__ = ["FilterReport", "filter_jsonl"]


@dataclass
class FilterReport:
    total: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> lines (a line may have several)

    def lines(self) -> list[str]:
        out = [f"kept {self.kept} of {self.total} lines ({self.total - self.kept} dropped)"]
        out += [f"  dropped {n:6d}  {reason}" for reason, n in self.dropped.most_common()]
        return out


def _sample(i: int, row: dict[str, Any], language: str) -> dict[str, Any]:
    gold = row["math"]["gold"] if isinstance(row.get("math"), dict) else row.get("gold")
    if not isinstance(row.get("prompt"), str) or not isinstance(row.get("completion"), str) or gold is None:
        raise ValueError("needs 'prompt', 'completion' and 'math.gold' (or 'gold')")
    return {
        "id": str(i),
        "prompt": row["prompt"],
        "completion": row["completion"],
        "math": {"gold": str(gold)},
        "language": row.get("language") or language,
    }


def _parsed(
    lines: Iterable[str], language: str
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]] | tuple[int, None, str]]:
    """(line number, row, sample) or (line number, None, error) for every non-blank line."""
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            yield i, row, _sample(i, row, language)
        except (ValueError, TypeError, KeyError) as exc:
            yield i, None, f"line {i}: {exc}"


def filter_jsonl(
    src: IO[str],
    dst: IO[str],
    client: ClientSettings,
    *,
    min_accuracy: float = 1.0,
    min_format: float = 1.0,
    min_language: float = 0.95,
    language: str = "en",
    batch_size: int = 64,
    concurrency: int = 4,
) -> FilterReport:
    """Score every line and write the kept ones to `dst`, in input order."""
    thresholds = {"accuracy": min_accuracy, "format": min_format, "language_consistency": min_language}
    checks = {name: t for name, t in thresholds.items() if t > 0}
    if not checks:
        raise ValueError("every threshold is 0: nothing to check, nothing to filter")
    cfg = RefereeConfig(
        **client.model_dump(),
        rewards=[RewardConfig(name=name) for name in checks],
        unscorable=[*sorted(UNSCORABLE), "TIMEOUT"],  # a timed-out teacher answer is not kept either
    )
    report = FilterReport()
    parsed = _parsed(src, language)
    with GroupScorer(cfg) as scorer:
        scorer.check_rewards()
        while window := list(islice(parsed, batch_size * concurrency)):
            # a parsed row always comes with its sample (an error message only with no row)
            good = [(row, cast("dict[str, Any]", s)) for _, row, s in window if row is not None]
            if unreadable := len(window) - len(good):
                report.dropped["unreadable line"] += unreadable
            report.total += len(window)
            batches = [good[k : k + batch_size] for k in range(0, len(good), batch_size)]
            for batch, res in zip(
                batches, scorer.submit([[s for _, s in b] for b in batches]).result(), strict=True
            ):
                if isinstance(res, RefereeError):
                    report.dropped[f"unscorable: {res.code.name if res.code else 'error'}"] += len(batch)
                    continue
                for (row, _), result in zip(batch, res, strict=True):
                    reasons = _why_dropped(result, checks, cfg.unscorable)
                    report.dropped.update(reasons)
                    if not reasons:
                        report.kept += 1
                        dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    return report


def _why_dropped(result: SampleResult, checks: dict[str, float], unscorable: list[str]) -> list[str]:
    """Each check a scored line fails ("accuracy < 1", "unscorable: format TIMEOUT"); [] keeps it."""
    reasons = []
    for name, threshold in checks.items():
        value = result.rewards[name]
        if value.status in unscorable:
            reasons.append(f"unscorable: {name} {value.status}")
        elif value.value < threshold:
            reasons.append(f"{name} < {threshold:g}")
    return reasons
