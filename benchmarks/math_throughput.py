"""Throughput on GRPO-shaped work: referee's MathVerifier vs plain math-verify, same run.

    .venv/bin/python benchmarks/math_throughput.py [--groups 40] [--group-size 16] [--workload realistic,short]

Workloads (benchmarks/math_workload.py): each group is 16 completions (a `<think>` block,
reasoning with inline LaTeX, a final `\\boxed{}`) sharing one gold; every group has its own
gold, so nothing is remembered across groups. Answers within a group repeat the way sampled
completions do (equivalent forms, wrong answers, a few without an answer). `realistic`: ten
answer shapes (fractions, radicals, polynomials, intervals, sets, complex numbers, tuples,
matrices, big integers, decimals) and 1-32 kB completions; `short`: the first five shapes and
1-3 kB. Plain math-verify is `verify(parse(gold), parse(completion))`
per completion on this process's main thread (one core). Referee runs with 1 worker (per-core
figure) and with one worker per core; each figure is the best of --repeat interleaved rounds,
as the machine is shared. "No caches" turns off the per-worker verdict and answer caches. Prints verifications/s, the ratio per core and how many verdicts match the truth.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import math_verify
from math_workload import WORKLOADS, make_groups

from rewards.math import MathConfig, MathVerifier

Group = tuple[str, list[str]]


def plain(groups: list[Group], boxed_gold: bool = False) -> tuple[float, list[bool]]:
    """math-verify alone; `boxed_gold` hands it `\\boxed{gold}`, since it reads no bare LaTeX."""
    started = time.perf_counter()
    out = []
    for gold, cs in groups:
        g = f"\\boxed{{{gold}}}" if boxed_gold else gold
        out += [math_verify.verify(math_verify.parse(g), math_verify.parse(c)) for c in cs]
    return time.perf_counter() - started, out


async def referee(groups: list[Group], workers: int, cache: bool) -> tuple[float, list[bool]]:
    config = MathConfig(workers=workers, cache_size=65536 if cache else 0)
    async with MathVerifier(config) as v:
        await v.verify("1", "1")  # warm: workers forked and ready
        started = time.perf_counter()
        results = await asyncio.gather(*(v.score_group(gold, cs) for gold, cs in groups))
        wall = time.perf_counter() - started
    return wall, [r.value == 1.0 for rs in results for r in rs]


def table(workload: str, n_groups: int, size: int, repeat: int) -> None:
    groups, truth = make_groups(n_groups, size, workload)
    n = sum(len(cs) for _, cs in groups)
    chars = sum(len(c) for _, cs in groups for c in cs) / n
    cores = os.cpu_count() or 1
    runs: dict[str, tuple[int, Callable[[], tuple[float, list[bool]]]]] = {
        "math-verify (1 process)": (1, lambda: plain(groups)),
        "math-verify, gold as \\boxed{gold}": (1, lambda: plain(groups, boxed_gold=True)),
        "referee, 1 worker": (1, lambda: asyncio.run(referee(groups, 1, True))),
        "referee, 1 worker, no caches": (1, lambda: asyncio.run(referee(groups, 1, False))),
        f"referee, {cores} workers": (cores, lambda: asyncio.run(referee(groups, cores, True))),
    }
    # rounds interleave every variant, so a neighbour's load hits them alike; best wall per variant
    best: dict[str, tuple[float, list[bool]]] = {}
    for _ in range(repeat):
        for label, (_, run) in runs.items():
            wall, verdicts = run()
            if label not in best or wall < best[label][0]:
                best[label] = (wall, verdicts)
    correct = {label: sum(a == b for a, b in zip(v, truth, strict=True)) for label, (_, v) in best.items()}
    base_rate = n / best["math-verify (1 process)"][0]
    print(f"\n{workload}: {n_groups} groups x {size} completions = {n} verifications, "
          f"{chars / 1000:.1f} kB a completion on average; {cores} cores")  # fmt: skip
    print(f"{'':42}{'wall s':>8}{'verif/s':>10}{'per core':>10}{'x per core':>12}{'correct':>10}")
    for label, (workers, _) in runs.items():
        wall = best[label][0]
        rate = n / wall
        print(
            f"{label:42}{wall:8.2f}{rate:10.1f}{rate / workers:10.1f}{rate / workers / base_rate:12.2f}"
            f"{correct[label]:>6}/{n}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=40)
    ap.add_argument("--group-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=5, help="best of N interleaved rounds (shared machine)")
    ap.add_argument("--workload", default="realistic,short", help=f"comma-separated: {', '.join(WORKLOADS)}")
    args = ap.parse_args()
    math_verify.parse("$1$")  # load the grammar before timing
    for workload in args.workload.split(","):
        table(workload, args.groups, args.group_size, args.repeat)


if __name__ == "__main__":
    main()
