"""The HTTP face against gRPC for the same work, same server, same run.

    .venv/bin/python benchmarks/http_faces.py [--seconds 8] [--concurrency 1,8,32]

Rows:
  run_code   POST /run_code in verl's payload (SandboxFusion) vs gRPC Execute: `a+b` in
             Python with stdin, the shape of one verl test case
  get_reward POST /get_reward, one OpenRLHF batch of 16 math queries (ChatML prompt + ~2 kB of
             reasoning + a boxed answer) vs gRPC Score of the same 16 completions

Closed loop: `conc` clients each send their next request when the last is answered (aiohttp
for HTTP, the async referee client for gRPC). Starts its own `referee serve --http-port 0`.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import aiohttp
import typer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referee.client import AsyncRefereeClient  # noqa: E402
from referee.process import ServerProcess  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from stats import percentile  # noqa: E402

PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"
TEMPLATE = "<|im_start|>user\nWhat is {a}/{b} + 1/{b}?<|im_end|>\n<|im_start|>assistant\n"
REASONING = "First add the numerators, keeping the denominator. " * 40


def verl_payload(k: int) -> dict[str, object]:
    return {"compile_timeout": 10, "run_timeout": 10, "code": PROGRAM, "stdin": f"{k} {k}\n",
            "memory_limit_MB": 1024, "language": "python", "files": {}, "fetch_files": []}  # fmt: skip


def math_batch(k: int) -> tuple[list[str], list[str], list[str]]:
    """One group: a new gold per request, half right, half wrong."""
    a, b = k % 50 + 1, k % 43 + 60
    prompt = TEMPLATE.format(a=a, b=b)
    answers = [f"\\frac{{{a + 1}}}{{{b}}}" if i % 2 else f"\\frac{{{a}}}{{{b}}}" for i in range(16)]
    queries = [f"{prompt}{REASONING}So it is $\\boxed{{{x}}}$.<|im_end|>" for x in answers]
    return queries, [prompt] * 16, [f"\\frac{{{a + 1}}}{{{b}}}"] * 16


async def closed_loop(
    call: Callable[[int], Awaitable[None]], conc: int, seconds: float
) -> tuple[list[float], float]:
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker(w: int) -> None:
        k = w
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            await call(k)
            latencies.append(time.perf_counter() - t)
            k += conc

    start = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(conc)))
    return latencies, time.perf_counter() - start


async def cell(http: str, target: str, workload: str, face: str, conc: int, seconds: float) -> str:
    async with aiohttp.ClientSession() as session, AsyncRefereeClient(target, timeout_s=120) as client:

        async def run_code(k: int) -> None:
            async with session.post(http + "/run_code", json=verl_payload(k)) as r:
                body = await r.json()
            assert body["run_result"]["stdout"] == f"{2 * k}\n", body

        async def execute(k: int) -> None:
            r = await client.execute("python", PROGRAM, stdin=f"{k} {k}\n")
            assert r.stdout == f"{2 * k}\n", r

        async def get_reward(k: int) -> None:
            queries, prompts, labels = math_batch(k)
            async with session.post(http + "/get_reward", json={"query": queries, "prompts": prompts,
                                                                 "labels": labels}) as r:  # fmt: skip
                body = await r.json()
            assert body["rewards"] == [float(i % 2) for i in range(16)], body

        async def score(k: int) -> None:
            queries, prompts, labels = math_batch(k)
            samples = [
                {
                    "id": str(i),
                    "prompt": p,
                    "completion": q[len(p) :].removesuffix("<|im_end|>"),
                    "math": {"gold": g},
                }
                for i, (q, p, g) in enumerate(zip(queries, prompts, labels, strict=True))
            ]
            results = await client.score(samples, ["accuracy"])
            assert [r.total for r in results] == [float(i % 2) for i in range(16)]

        call = {("run_code", "http"): run_code, ("run_code", "grpc"): execute,
                ("get_reward", "http"): get_reward, ("get_reward", "grpc"): score}[workload, face]  # fmt: skip
        await call(0)  # warm
        lat, elapsed = await closed_loop(call, conc, seconds)
    unit = "req/s" if workload == "run_code" else "batch/s"
    return (f"{workload:<10} {face:<5} {conc:>4} {len(lat):>6} {percentile(lat, 0.5) * 1e3:>8.1f} "
            f"{percentile(lat, 0.99) * 1e3:>8.1f} {len(lat) / elapsed:>9.1f} {unit}")  # fmt: skip


def main(
    seconds: Annotated[float, typer.Option(help="per cell")] = 8.0,
    concurrency: Annotated[str, typer.Option(help="comma-separated")] = "1,8,32",
) -> None:
    with ServerProcess("--http-port", "0", cwd=ROOT) as srv:
        target, http = srv.target, str(srv.http_url)
        print(f"{'workload':<10} {'face':<5} {'conc':>4} {'reqs':>6} {'p50 ms':>8} {'p99 ms':>8} {'rate':>9}")
        for workload in ("run_code", "get_reward"):
            for conc in map(int, concurrency.split(",")):
                for face in ("grpc", "http"):
                    print(asyncio.run(cell(http, target, workload, face, conc, seconds)), flush=True)


if __name__ == "__main__":
    typer.run(main)
