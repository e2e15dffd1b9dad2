"""Latency under pathological answers: max wall per call, and normal calls answered meanwhile.

    .venv/bin/python benchmarks/math_pathological.py [--timeout-ms 2000]

Each bomb is scored as the boxed answer of a completion and verified as a gold on a 2-worker MathVerifier while a client
keeps sending normal verifications; the table gives each bomb's wall time and status and the
worst latency a normal call saw during the run. For contrast, plain math-verify on the main
thread (where its signal.alarm works: 5 s for parse, 5 s for verify) runs each bomb in a
subprocess, capped at 30 s; off the main thread its timeout is disabled and the same inputs
can hang forever.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rewards.math import MathConfig, MathVerifier

BOMBS = {
    "10^{10^{10^{10}}}": "$10^{10^{10^{10}}}$",
    "5^{5^{5^{5^5}}}": "$5^{5^{5^{5^5}}}$",
    "2^{2^{40}}": "$2^{2^{40}}$",
    "(10^{10})!": "$(10^{10})!$",
    "x^{x^{x^{…}}} (40)": "$" + "x^{" * 40 + "x" + "}" * 40 + "$",
    "\\underbrace bomb": "$" + "\\underbrace{" * 25 + "1+1" + "}_{1}" * 25 + "$",
    "100 kB answer": "$" + "1+" * 50_000 + "1$",
    "deep braces (5000)": "$" + "{" * 5000 + "1" + "}" * 5000 + "$",
    "1 MB completion": "word " * 199_997 + "\\boxed{1}",  # 999,994 characters: just under the limit
}

PLAIN = """
import sys, time, math_verify
gold, pred = sys.argv[1], sys.stdin.read()
t = time.perf_counter()
math_verify.verify(math_verify.parse(gold), math_verify.parse(pred))
print(time.perf_counter() - t)
"""


def plain_wall(bomb: str, cap_s: float) -> str:
    started = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-c", PLAIN, "1"], input=bomb, text=True, capture_output=True, timeout=cap_s
        )
    except subprocess.TimeoutExpired:
        return f">{cap_s:.0f} (killed)"
    return f"{time.perf_counter() - started:.2f}"


async def normal_client(v: MathVerifier, stop: asyncio.Event, latencies: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        verdict = await v.verify("\\frac{1}{2}", "0.5")
        assert verdict.equal
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)


async def run(timeout_ms: int) -> list[tuple[str, float, str, float, str]]:
    rows = []
    async with MathVerifier(MathConfig(workers=2, timeout_ms=timeout_ms)) as v:
        await v.verify("1", "1")
        for name, bomb in BOMBS.items():
            stop, latencies = asyncio.Event(), []
            client = asyncio.ensure_future(normal_client(v, stop, latencies))
            t0 = time.perf_counter()
            # as a prediction: the final \boxed{} answer of a completion (the big completion as is)
            completion = bomb if name.startswith("1 MB") else f"<think>…</think> \\boxed{{{bomb.strip('$')}}}"
            as_pred = (await v.score_group("1", [completion]))[0]
            t1 = time.perf_counter()
            as_gold = await v.verify(bomb, "1")
            t2 = time.perf_counter()
            stop.set()
            await client
            rows.append(
                (
                    name,
                    t1 - t0,
                    as_pred.status.value,
                    t2 - t1,
                    as_gold.status.value,
                    max(latencies),
                    len(latencies),
                )
            )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout-ms", type=int, default=2000)
    ap.add_argument("--plain-cap-s", type=float, default=30.0)
    args = ap.parse_args()
    rows = asyncio.run(run(args.timeout_ms))
    print(
        f"referee: 2 workers, timeout_ms={args.timeout_ms}; a normal client verifies 1/2 vs 0.5 throughout\n"
    )
    print(
        f"{'input':22}{'as pred s':>10} {'status':14}{'as gold s':>10} {'status':14}{'normal max s':>13}{'normal n':>9}{'math-verify s':>16}"
    )
    worst = 0.0
    for name, tp, sp, tg, sg, normal_max, normal_n in rows:
        worst = max(worst, tp, tg)
        plain = plain_wall(BOMBS[name], args.plain_cap_s)
        print(f"{name:22}{tp:10.2f} {sp:14}{tg:10.2f} {sg:14}{normal_max:13.3f}{normal_n:9}{plain:>16}")
    print(f"\nmax wall per call: {worst:.2f} s (deadline {args.timeout_ms / 1000:.1f} s)")


if __name__ == "__main__":
    main()
