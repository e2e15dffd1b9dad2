"""Serving under load: latency and throughput of Score at several concurrencies, on localhost.

    .venv/bin/python benchmarks/load.py [--server HOST:PORT] [--seconds 10] [--concurrency 1,8,64]

Workloads, each request one GRPO group of 16 completions:
  math-real  16 R1-style replies (1-32 kB) sharing a new gold of one of ten shapes
             (benchmarks/math_workload.py: fractions ... matrices, big integers)
  math   16 short (~40-character) math completions sharing a gold (half right, half near-miss wrong)
  code   16 Python completions, 5 assert tests each
  mixed  alternating math and code groups

Baselines in the same run, one process, no server: plain `math_verify.verify(parse(gold),
parse(pred))` per completion, and `python3 -c` in a subprocess per program with its tests
(no container): the work a naive reward function does. The "CPU bound" of the machine is
the single-process baseline rate times the number of cores.

Starts its own `referee serve` on a free port unless --server is given. Prints a table.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referee.client import AsyncRefereeClient, RefereeError  # noqa: E402
from referee.process import ServerProcess  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from math_workload import make_group  # noqa: E402
from stats import percentile  # noqa: E402

GROUP = 16
FUNC_OK = "def solve(x):\n    return x * 2 + 1\n"
FUNC_BAD = "def solve(x):\n    return x * 2\n"
TESTS = "\n".join(f"assert solve({i}) == {2 * i + 1}" for i in range(5))


def math_group(k: int) -> list[dict[str, Any]]:
    """A group whose gold and answers change with k, so no cache sees the same pair twice in a run."""
    a, b = k % 97 + 1, k % 89 + 101
    answers = [f"\\frac{{{a}}}{{{b}}}", f"{a}/{b}", f"\\dfrac{{{2 * a}}}{{{2 * b}}}", f"{a / b:.6f}",
               f"\\frac{{{a + 1}}}{{{b}}}", f"{b}/{a}", f"{a}", f"\\sqrt{{{a}}}"]  # fmt: skip
    return [
        {"id": f"m{i}", "prompt": "p", "completion": f"<think>work {k}</think><answer>{answers[i % 8]}</answer>",
         "math": {"gold": f"\\frac{{{a}}}{{{b}}}"}}
        for i in range(GROUP)
    ]  # fmt: skip


def code_group(k: int) -> list[dict[str, Any]]:
    return [
        {"id": f"c{i}", "prompt": "p", "completion": f"```python\n{FUNC_OK if i % 2 else FUNC_BAD}```",
         "code": {"language": "python", "test_code": TESTS, "entry_point": "solve"}}
        for i in range(GROUP)
    ]  # fmt: skip


# (k: which group, i: the worker's own request count) -> (samples, rewards). A mixed worker
# alternates by its own count, so every worker sends as many math groups as code groups.
def real_math_group(k: int) -> list[dict[str, Any]]:
    """benchmarks/math_workload.py's realistic group k: a new gold of one of ten shapes, 1-32 kB replies."""
    (gold, completions), _ = make_group(k, GROUP)
    return [{"id": f"r{i}", "prompt": "p", "completion": c, "math": {"gold": gold}}
            for i, c in enumerate(completions)]  # fmt: skip


WORKLOADS = {
    "math-real": lambda k, i: (real_math_group(k), ["accuracy"]),
    "math": lambda k, i: (math_group(k), ["accuracy"]),
    "code": lambda k, i: (code_group(k), ["code"]),
    "mixed": lambda k, i: (math_group(k), ["accuracy"]) if i % 2 else (code_group(k), ["code"]),
}


@dataclass
class Row:
    workload: str
    concurrency: int
    requests: int
    errors: int
    exhausted: int
    p50_ms: float
    p99_ms: float
    groups_per_s: float


async def drive(target: str, workload: str, concurrency: int, seconds: float) -> Row:
    latencies: list[float] = []
    errors = exhausted = 0
    stop_at = time.perf_counter() + seconds
    async with AsyncRefereeClient(target, timeout_s=120) as client:

        async def worker(w: int) -> None:
            nonlocal errors, exhausted
            k, i = w, 0
            while time.perf_counter() < stop_at:
                samples, rewards = WORKLOADS[workload](k, i)
                k, i = k + concurrency, i + 1
                t = time.perf_counter()
                try:
                    results = await client.score(samples, rewards)
                except RefereeError as exc:
                    if "RESOURCE_EXHAUSTED" in str(exc):
                        exhausted += 1
                        await asyncio.sleep(0.05)
                    else:
                        errors += 1
                    continue
                latencies.append(time.perf_counter() - t)
                errors += sum(v.status != "OK" for r in results for v in r.rewards.values())

        start = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - start
    return Row(workload, concurrency, len(latencies), errors, exhausted,
               percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.99) * 1e3, len(latencies) / elapsed)  # fmt: skip


def baseline_math(seconds: float, group: Callable[[int], list[dict[str, Any]]] = math_group) -> float:
    """Groups/s of plain math-verify, one process, one completion at a time."""
    from math_verify import parse, verify

    n, stop_at = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        for s in group(n):
            verify(parse(s["math"]["gold"]), parse(s["completion"]))
        n += 1
    return n / seconds


def baseline_code(seconds: float) -> float:
    """Groups/s of one `python3` subprocess per program (no container, no isolation)."""
    n, stop_at = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        for s in code_group(n):
            program = re.sub(r"```(python)?", "", s["completion"]) + "\n" + TESTS
            subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=10)
        n += 1
    return n / seconds


def main(
    server: Annotated[str | None, typer.Option(help="HOST:PORT; default: start one")] = None,
    seconds: Annotated[float, typer.Option(help="per cell")] = 8.0,
    concurrency: Annotated[str, typer.Option(help="comma-separated")] = "1,8,64",
    workloads: Annotated[str, typer.Option(help="comma-separated")] = "math-real,math,code,mixed",
) -> None:
    proc = None
    if server is None:
        proc = ServerProcess(cwd=ROOT)
        server = proc.target
    try:
        cores = os.cpu_count() or 1
        base = {"math": baseline_math(seconds), "code": baseline_code(seconds),
                "math-real": baseline_math(seconds, real_math_group)}  # fmt: skip
        base["mixed"] = 2 / (1 / base["math"] + 1 / base["code"])
        print(f"cores: {cores}; single-process baselines (groups/s): "
              + ", ".join(f"{k} {v:.1f}" for k, v in base.items()))  # fmt: skip
        header = f"{'workload':10} {'conc':>4} {'reqs':>6} {'errors':>6} {'exhaust':>7} {'p50 ms':>8} {'p99 ms':>8} {'groups/s':>9} {'x base':>7} {'of CPU bound':>12}"
        print(header)
        print("-" * len(header))
        for workload in workloads.split(","):
            for c in map(int, concurrency.split(",")):
                row = asyncio.run(drive(server, workload, c, seconds))
                ratio = row.groups_per_s / base[workload]
                print(f"{row.workload:10} {row.concurrency:>4} {row.requests:>6} {row.errors:>6} {row.exhausted:>7} "
                      f"{row.p50_ms:>8.1f} {row.p99_ms:>8.1f} {row.groups_per_s:>9.2f} {ratio:>7.2f} {ratio / cores:>12.0%}")  # fmt: skip
    finally:
        if proc is not None:
            proc.stop()


if __name__ == "__main__":
    typer.run(main)
