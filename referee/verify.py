"""`referee verify --jsonl FILE [--report] [--format json]`: verify or benchmark answer pairs.

Without `report`, each input line `{"gold": …, "pred": …}` gives one output line
`{"equal": bool, "status": "…", "detail": "…"}`, in order. With `report`, lines are labeled
(`{"gold", "pred", "expected", "tags"?}`) and the output compares referee with plain
math-verify (`verify(parse(gold), parse(pred))`, run in the same worker pool): accuracy,
false positives, false negatives, a per-tag breakdown and every disagreement. A malformed
line is a result with status INVALID_INPUT naming the problem, never a crash.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

from rewards.math.config import ANSWER_TYPES, AnswerType, MathConfig
from rewards.math.grade import Judgement
from rewards.math.verifier import MathVerifier
from rewards.math.workers import Kind

__all__ = ["verify_jsonl"]


@dataclass
class _Line:
    number: int
    gold: str = ""
    pred: str = ""
    expected: bool | None = None
    tags: list[str] = field(default_factory=list)
    answer_type: AnswerType | None = None
    problem: str | None = None


def _read(number: int, raw: str, labeled: bool) -> _Line:
    line = _Line(number)
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        line.problem = f"line {number}: not JSON ({exc.msg})"
        return line
    if not isinstance(obj, dict):
        line.problem = f"line {number}: expected a JSON object, got {type(obj).__name__}"
        return line
    for key in ("gold", "pred"):
        if not isinstance(obj.get(key), str):
            line.problem = f"line {number}: field {key!r} must be a string"
            return line
    line.gold, line.pred = obj["gold"], obj["pred"]
    answer_type = obj.get("answer_type")
    if answer_type not in (None, "", *ANSWER_TYPES):
        line.problem = f"line {number}: field 'answer_type' must be one of {', '.join(ANSWER_TYPES)}"
        return line
    line.answer_type = answer_type or None
    if labeled:
        if not isinstance(obj.get("expected"), bool):
            line.problem = f"line {number}: field 'expected' must be true or false"
            return line
        tags = obj.get("tags", [])
        if not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
            line.problem = f"line {number}: field 'tags' must be a list of strings"
            return line
        line.expected, line.tags = obj["expected"], tags
    return line


async def _judge_all(lines: list[_Line], config: MathConfig, kind: Kind) -> dict[int, Judgement]:
    """Judge every well-formed line, grouping lines that share a gold into one job."""
    async with MathVerifier(config) as verifier:
        by_gold: dict[tuple[str, AnswerType | None], list[_Line]] = defaultdict(list)
        for line in lines:
            if line.problem is None:
                by_gold[line.gold, line.answer_type].append(line)
        out: dict[int, Judgement] = {}

        async def one(gold: str, answer_type: AnswerType | None, group: list[_Line]) -> None:
            judged = await verifier.run(kind, gold, [x.pred for x in group], answer_type=answer_type)
            for line, j in zip(group, judged, strict=True):
                out[line.number] = j

        await asyncio.gather(*(one(g, t, group) for (g, t), group in by_gold.items()))
        return out


def _result(j: Judgement) -> dict[str, Any]:
    return {"equal": j.equal and j.status == "OK", "status": j.status, "detail": j.detail}


@dataclass
class _Tally:
    n: int = 0
    correct: int = 0
    fp: int = 0
    fn: int = 0
    not_ok: int = 0  # TIMEOUT / ERROR / INVALID_INPUT, counted as "not equal"

    def add(self, expected: bool, j: Judgement) -> None:
        said = j.equal and j.status == "OK"
        self.n += 1
        self.correct += said == expected
        self.fp += said and not expected
        self.fn += expected and not said
        self.not_ok += j.status != "OK"

    def as_dict(self) -> dict[str, Any]:
        acc = self.correct / self.n if self.n else 0.0
        return {
            "n": self.n,
            "accuracy": round(acc, 4),
            "false_positives": self.fp,
            "false_negatives": self.fn,
            "not_ok": self.not_ok,
        }


def _report(lines: list[_Line], ours: dict[int, Judgement], plain: dict[int, Judgement]) -> dict[str, Any]:
    total = {"referee": _Tally(), "math_verify": _Tally()}
    tags: dict[str, dict[str, _Tally]] = defaultdict(lambda: {"referee": _Tally(), "math_verify": _Tally()})
    disagreements, invalid, wrong = [], [], []
    for line in lines:
        if line.problem is not None or line.expected is None:
            invalid.append({"line": line.number, "status": "INVALID_INPUT", "detail": line.problem})
            continue
        a, b = ours[line.number], plain[line.number]
        for name, j in (("referee", a), ("math_verify", b)):
            total[name].add(line.expected, j)
            for tag in line.tags or ["(untagged)"]:
                tags[tag][name].add(line.expected, j)
        row = {
            "line": line.number,
            "expected": line.expected,
            "gold": line.gold[:200],
            "pred": line.pred[:200],
        }
        if (a.equal and a.status == "OK") != line.expected:
            wrong.append({**row, "referee": _result(a)})
        if (a.equal and a.status == "OK") != (b.equal and b.status == "OK"):
            disagreements.append({**row, "referee": _result(a), "math_verify": _result(b)})
    return {
        "total": {k: t.as_dict() for k, t in total.items()},
        "tags": {tag: {k: t.as_dict() for k, t in v.items()} for tag, v in sorted(tags.items())},
        "referee_wrong": wrong,
        "disagreements": disagreements,
        "invalid_lines": invalid,
    }


def _pct(t: dict[str, Any]) -> str:
    return f"{100 * t['accuracy']:6.1f}%"


def _print_report(r: dict[str, Any], out: TextIO) -> None:
    ref, mv = r["total"]["referee"], r["total"]["math_verify"]
    out.write(f"{ref['n']} labeled pairs ({len(r['invalid_lines'])} malformed lines skipped)\n\n")
    out.write(f"{'':18}{'referee':>12}{'math-verify':>14}\n")
    for label, key in (
        ("accuracy", None),
        ("false positives", "false_positives"),
        ("false negatives", "false_negatives"),
        ("timeout/error", "not_ok"),
    ):
        a = _pct(ref) if key is None else str(ref[key])
        b = _pct(mv) if key is None else str(mv[key])
        out.write(f"{label:18}{a:>12}{b:>14}\n")
    out.write(f"\n{'tag':18}{'n':>5}  {'referee acc  FP  FN':>20}  {'math-verify acc  FP  FN':>24}\n")
    for tag, v in r["tags"].items():
        a, b = v["referee"], v["math_verify"]
        out.write(
            f"{tag:18}{a['n']:>5}  {_pct(a):>12}{a['false_positives']:>4}{a['false_negatives']:>4}"
            f"  {_pct(b):>16}{b['false_positives']:>4}{b['false_negatives']:>4}\n"
        )
    out.write(f"\nreferee wrong ({len(r['referee_wrong'])}):\n")
    for d in r["referee_wrong"]:
        out.write(
            f"  line {d['line']}: {'FN' if d['expected'] else 'FP'} gold {json.dumps(d['gold'][:60], ensure_ascii=False)}, "
            f"pred {json.dumps(d['pred'][:60], ensure_ascii=False)}: {d['referee']['detail']}\n"
        )
    out.write(f"\ndisagreements with math-verify ({len(r['disagreements'])}):\n")
    for d in r["disagreements"]:
        out.write(
            f"  line {d['line']}: expected {'equal' if d['expected'] else 'different'}; "
            f"gold {json.dumps(d['gold'][:60], ensure_ascii=False)}, pred {json.dumps(d['pred'][:60], ensure_ascii=False)}\n"
            f"    referee     {d['referee']['equal']!s:5} {d['referee']['status']}: {d['referee']['detail']}\n"
            f"    math-verify {d['math_verify']['equal']!s:5} {d['math_verify']['status']}: {d['math_verify']['detail']}\n"
        )
    for bad in r["invalid_lines"]:
        out.write(f"  {bad['detail']}\n")


def verify_jsonl(
    input: TextIO,
    output: TextIO,
    *,
    report: bool = False,
    fmt: str = "text",
    config: MathConfig | None = None,
) -> int:
    """Run `referee verify --jsonl`. Returns the exit status: 0, or 1 when a report finds that
    referee gave credit to a pair labeled different (a false positive)."""
    config = config or MathConfig()
    lines = [_read(i, raw, report) for i, raw in enumerate(input, start=1) if raw.strip() or not report]
    for line in lines:
        if line.problem is None and not (line.gold or line.pred) and not report:
            line.problem = f"line {line.number}: empty line"
    if not report:
        ours = asyncio.run(_judge_all(lines, config, "answers"))
        for line in lines:
            if line.problem is not None:
                result = {"equal": False, "status": "INVALID_INPUT", "detail": line.problem}
            else:
                result = _result(ours[line.number])
            output.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    ours = asyncio.run(_judge_all(lines, config, "answers"))
    plain = asyncio.run(_judge_all(lines, config, "plain"))
    r = _report(lines, ours, plain)
    if fmt == "json":
        output.write(json.dumps(r, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_report(r, output)
    return 1 if r["total"]["referee"]["false_positives"] else 0
