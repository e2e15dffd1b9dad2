"""Throughput on GRPO-shaped work: referee's MathVerifier vs plain math-verify, same run.

    .venv/bin/python benchmarks/math_throughput.py [--groups 40] [--group-size 16]

Each group is 16 completions (a `<think>` block, reasoning with inline LaTeX, a final
`\\boxed{}`) sharing one gold; every group has its own gold, so nothing is remembered across
groups. Answers within a group repeat the way sampled completions do (equivalent forms, wrong
answers, a few without an answer). Plain math-verify is `verify(parse(gold), parse(completion))`
per completion on this process's main thread (one core). Referee runs with 1 worker (per-core
figure) and with one worker per core; each figure is the best of --repeat interleaved rounds,
as the machine is shared. "No caches" turns off the per-worker verdict and answer caches. Prints verifications/s, the ratio per core and how many verdicts match the truth.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import math_verify

from rewards.math import MathConfig, MathVerifier

REASONING = (
    "Let me set up the problem. We have $f(x) = {a}x^2 + {b}x - {c}$ and we want the value asked for. "
    "First, $\\Delta = b^2 - 4ac = {b}^2 + 4 \\cdot {a} \\cdot {c}$, which is positive, so there are two "
    "real roots. Then $x_{{1,2}} = \\frac{{-{b} \\pm \\sqrt{{\\Delta}}}}{{2 \\cdot {a}}}$. Checking with "
    "$x = 1$: $f(1) = {a} + {b} - {c}$. Hmm, wait, let me reconsider the constraint $x > 0$. "
)


def gold_and_answers(rng: random.Random, i: int) -> tuple[str, list[tuple[str, bool]]]:
    """A unique gold for group i and answers a model might give (equivalent forms and near misses)."""
    kind = i % 5
    a, b = rng.randint(2, 40), rng.randint(41, 97)
    if kind == 0:
        g = f"\\frac{{{a}}}{{{b}}}"
        return g, [
            (g, True),
            (f"{a}/{b}", True),
            (f"\\dfrac{{{2 * a}}}{{{2 * b}}}", True),
            (f"\\frac{{{b}}}{{{a}}}", False),
            (f"{a / b + 0.01:.4f}", False),
        ]
    if kind == 1:
        g = f"{a}\\sqrt{{{b}}}"
        return g, [
            (g, True),
            (f"\\sqrt{{{a * a * b}}}", True),
            (f"{a} \\sqrt{{ {b} }}", True),
            (f"{a + 1}\\sqrt{{{b}}}", False),
            (f"{a * a * b}", False),
        ]
    if kind == 2:
        g = str(a * 1000 + b)
        return g, [
            (g, True),
            (f"{a},{b:03d}", True),
            (f"{g}.0", True),
            (str(a * 1000 + b + 1), False),
            (f"-{g}", False),
        ]
    if kind == 3:
        g = f"({-a}, {b}]"
        return g, [
            (g, True),
            (f"\\left({-a},{b}\\right]", True),
            (f"({-a}, {b})", False),
            (f"[{-a}, {b}]", False),
        ]
    g = f"{a}x^2 + {b}x"
    return g, [
        (g, True),
        (f"x({a}x + {b})", True),
        (f"{b}x + {a}x^2", True),
        (f"{a}x^2 - {b}x", False),
        (f"{a}x^2", False),
    ]


def completion(rng: random.Random, answer: str | None) -> str:
    a, b, c = rng.randint(1, 9), rng.randint(1, 9), rng.randint(1, 9)
    body = "".join(REASONING.format(a=a, b=b, c=c) for _ in range(rng.randint(2, 5)))
    final = f"Therefore the answer is $\\boxed{{{answer}}}$." if answer is not None else "I am not sure."
    return f"<think>{body}</think>\n{body[:300]}\n{final}"


Group = tuple[str, list[str]]


def make_groups(n_groups: int, size: int, seed: int = 0) -> tuple[list[Group], list[bool]]:
    """Groups and the truth for each completion (is its final answer the gold?)."""
    rng = random.Random(seed)
    groups, truth = [], []
    for i in range(n_groups):
        gold, answers = gold_and_answers(rng, i)
        # a group concentrates on a few answers, as samples of one policy do
        favourites = rng.sample(answers, k=min(3, len(answers)))
        picks = [rng.choice(favourites) if rng.random() > 0.1 else (None, False) for _ in range(size)]
        groups.append((gold, [completion(rng, answer) for answer, _ in picks]))
        truth += [right for _, right in picks]
    return groups, truth


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", type=int, default=40)
    ap.add_argument("--group-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=5, help="best of N interleaved rounds (shared machine)")
    args = ap.parse_args()
    groups, truth = make_groups(args.groups, args.group_size)
    n = sum(len(cs) for _, cs in groups)
    cores = os.cpu_count() or 1
    math_verify.parse("$1$")  # load the grammar before timing
    runs: dict[str, tuple[int, Callable[[], tuple[float, list[bool]]]]] = {
        "math-verify (1 process)": (1, lambda: plain(groups)),
        "math-verify, gold as \\boxed{gold}": (1, lambda: plain(groups, boxed_gold=True)),
        "referee, 1 worker": (1, lambda: asyncio.run(referee(groups, 1, True))),
        "referee, 1 worker, no caches": (1, lambda: asyncio.run(referee(groups, 1, False))),
        f"referee, {cores} workers": (cores, lambda: asyncio.run(referee(groups, cores, True))),
    }
    # rounds interleave every variant, so a neighbour's load hits them alike; best wall per variant
    best: dict[str, tuple[float, list[bool]]] = {}
    for _ in range(args.repeat):
        for label, (_, run) in runs.items():
            wall, verdicts = run()
            if label not in best or wall < best[label][0]:
                best[label] = (wall, verdicts)
    rows = [(label, workers, best[label][0]) for label, (workers, _) in runs.items()]
    correct = {label: sum(a == b for a, b in zip(v, truth, strict=True)) for label, (_, v) in best.items()}
    base_wall = best["math-verify (1 process)"][0]
    base_rate = n / base_wall
    print(f"{len(groups)} groups x {args.group_size} completions = {n} verifications; {cores} cores\n")
    print(f"{'':42}{'wall s':>8}{'verif/s':>10}{'per core':>10}{'x per core':>12}{'correct':>10}")
    for label, workers, wall in rows:
        rate = n / wall
        print(
            f"{label:42}{wall:8.2f}{rate:10.1f}{rate / workers:10.1f}{rate / workers / base_rate:12.2f}"
            f"{correct[label]:>6}/{n}"
        )


if __name__ == "__main__":
    main()
