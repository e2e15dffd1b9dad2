"""The `code` reward: run the completion's program against the sample's tests in the sandbox.

The program is the last fenced code block of the completion (the last one tagged with the
sample's language when there is one), else the whole completion. All tests run in one
sandbox visit; the judge cannot be fooled by early exits, fake "OK" prints or objects that
equal everything (see `sandbox.guest.pyjudge`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from rewards.registry import Context, Params, group_reward
from rewards.types import RewardResult, Sample, Status
from sandbox import JudgeResult, RunStatus, UnsupportedLanguage
from sandbox.languages import language as find_language

__all__ = ["CodeParams", "code_reward", "extract_code"]

_TAG = re.compile(r"[\w+#.-]*")  # a fence's language tag, right after the backticks


class CodeParams(Params):
    mode: Literal["fraction", "all_or_nothing"] = "fraction"  # passed/total, or 1 only if all pass
    max_listed_tests: int = Field(32, ge=1)  # per-test verdicts shown in the detail


def extract_code(completion: str, language: str) -> str:
    """The last fenced block tagged `language` (or an alias), else the last fenced block, else an
    unclosed block at the end (a truncated completion), else the whole text. One pass over the
    lines: linear in the completion's length, whatever its fences look like."""
    blocks, tail = _fenced_blocks(completion)
    if not blocks:
        return completion if tail is None else tail
    wanted = _canonical(language)
    tagged = [body for tag, body in blocks if tag and _canonical(tag) == wanted]
    return (tagged or [blocks[-1][1]])[-1]


def _fenced_blocks(text: str) -> tuple[list[tuple[str, str]], str | None]:
    """(tag, body) of each closed ``` block, and the body of a block still open at the end, when
    no block closed. One pass over the lines, so linear whatever the fences look like (a regex
    pairing fences backtracks: quadratic on many unclosed ones)."""
    blocks: list[tuple[str, str]] = []
    lines = text.splitlines(keepends=True)
    tag: str | None = None  # the open block's tag; None outside a block
    start = first = -1
    for i, line in enumerate(lines):
        fence = line.lstrip(" \t")
        if not fence.startswith("```"):
            continue
        rest = fence[3:].lstrip(" \t")
        if tag is None:
            tag, start = _TAG.match(rest)[0], i + 1  # type: ignore[index]  # always matches
            first = i if first < 0 else first
        elif not rest.strip():  # a bare ``` closes the open block
            blocks.append((tag, "".join(lines[start:i])))
            tag = None
    tail = None if blocks or first < 0 else "".join(lines[first + 1 :])
    return blocks, tail


def _canonical(name: str) -> str:
    try:
        return find_language(name).name
    except UnsupportedLanguage:
        return name.lower()


@group_reward("code", params=CodeParams, group=False)
async def code_reward(samples: Sequence[Sample], params: CodeParams, ctx: Context) -> list[RewardResult]:
    """Fraction of the sample's tests the program passes (mode=fraction), or 1.0 only when all pass
    (mode=all_or_nothing); 0.0 on compile errors and on a program over the size limit. Tests are
    assert-style Python (what a test is: sandbox/guest/testplan.py; test code with none is
    INVALID_INPUT) or stdin/stdout cases compared by the sample's `output_match` (whole output by
    default; tokens, float tolerance, a checker program) or judged by an interactor; a dataset
    row's preset (rewards/datasets) builds either. A test that times out fails alone. The
    open-r1/DeepSeek-R1 code reward, hardened against reward hacking."""
    if ctx.sandbox is None:
        return [RewardResult.fail(Status.SANDBOX_ERROR, "no sandbox configured on this server")] * len(
            samples
        )
    return list(await asyncio.gather(*(_score(s, params, ctx) for s in samples)))


async def _score(sample: Sample, params: CodeParams, ctx: Context) -> RewardResult:
    ref = sample.code
    if ref is None:
        return RewardResult.fail(Status.INVALID_INPUT, "sample has no code reference (tests)")
    # Off the event loop: a 1 MB completion must not hold up every other request meanwhile.
    source = await asyncio.to_thread(extract_code, sample.completion, ref.language)
    limit = ctx.sandbox.config.max_source_bytes if ctx.sandbox is not None else None
    if limit is not None and len(source.encode()) > limit:  # the model wrote it: its fault, not ours
        return RewardResult(
            0.0, Status.OK, f"program is {len(source.encode())} bytes, over the {limit}-byte limit"
        )
    spec = dataclasses.replace(ref, source=source)
    if not spec.source.strip():
        return RewardResult(0.0, Status.OK, "no code in the completion")
    try:
        result = await ctx.sandbox.judge(spec)
    except ValueError as exc:  # unsupported language, oversized source, limits over the maxima
        return RewardResult.fail(Status.INVALID_INPUT, str(exc))
    except Exception as exc:  # a bug must cost this sample, not its batch
        return RewardResult.fail(Status.ERROR, f"{type(exc).__name__}: {exc}"[:300])
    return _reward(result, params)


def _reward(result: JudgeResult, params: CodeParams) -> RewardResult:
    if result.status is RunStatus.SANDBOX_ERROR:
        return RewardResult.fail(Status.SANDBOX_ERROR, result.detail)
    if result.status is RunStatus.COMPILE_ERROR:
        return RewardResult(0.0, Status.OK, f"compile error: {result.detail}"[:300])
    if result.total == 0:
        return RewardResult.fail(Status.INVALID_INPUT, "no tests to run")
    passed, total = result.passed, result.total
    value = passed / total if params.mode == "fraction" else float(passed == total)
    shown = " ".join(t.verdict.short for t in result.tests[: params.max_listed_tests])
    more = " …" if total > params.max_listed_tests else ""
    first_bad = next((t for t in result.tests if not t.passed), None)
    why = f"; {first_bad.name[:60]}: {first_bad.detail[:120]}" if first_bad and first_bad.detail else ""
    return RewardResult(value, Status.OK, f"{passed}/{total} passed: {shown}{more}{why}")
