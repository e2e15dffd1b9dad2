"""Trivial-program latency and throughput: warm pool vs `docker run --rm` per program, same run.

    .venv/bin/python benchmarks/sandbox_latency.py [--runtime runc|runsc] [--pool 8] [--runs 300] [--cold-runs 16]

The program is `print(1)` in Python. "docker run" uses the same image and the same
isolation flags, one fresh container per program, which is what a sandbox without a pool
pays. Timings are noisy on a shared 2-core machine, so compare the ratio, measured together.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from sandbox import ExecuteSpec, RunStatus, Sandbox, SandboxConfig, image

PROGRAM = "print(1)"


def cold_argv(config: SandboxConfig) -> list[str]:
    return [
        "docker",
        "run",
        "--rm",
        "--runtime",
        config.runtime,
        "--network",
        "none",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--read-only",
        "--tmpfs",
        "/work:size=64m,uid=10001",
        "--memory",
        f"{config.default_memory_mb}m",
        "--pids-limit",
        str(config.pids_limit),
        "--log-driver",
        "none",
        config.image,
        "/usr/bin/python3",
        "-c",
        PROGRAM,
    ]


async def cold_once(config: SandboxConfig) -> float:
    t0 = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*cold_argv(config), stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    assert out == b"1\n", out
    return (time.perf_counter() - t0) * 1000


async def warm_once(sb: Sandbox) -> float:
    t0 = time.perf_counter()
    r = await sb.execute(ExecuteSpec("python", PROGRAM))
    assert r.status is RunStatus.OK and r.stdout == "1\n", r
    return (time.perf_counter() - t0) * 1000


async def measure(fn, runs: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies of `runs` calls with `concurrency` in flight, and the wall time of them all."""
    sem = asyncio.Semaphore(concurrency)

    async def one() -> float:
        async with sem:
            return await fn()

    t0 = time.perf_counter()
    lat = await asyncio.gather(*(one() for _ in range(runs)))
    return sorted(lat), time.perf_counter() - t0


def row(name: str, lat: list[float], wall_s: float, base_rate: float | None) -> str:
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    rate = len(lat) / wall_s
    ratio = f"{rate / base_rate:.1f}x" if base_rate else "1.0x"
    return f"| {name:30} | {len(lat):5} | {statistics.median(lat):8.1f} | {p99:8.1f} | {rate:8.1f} | {ratio:>8} |"


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runtime", default="runc", choices=["runc", "runsc"])
    ap.add_argument("--pool", type=int, default=8)
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--cold-runs", type=int, default=16)
    args = ap.parse_args()
    config = SandboxConfig(runtime=args.runtime, pool_size=args.pool)
    image.build(config)
    print(f"trivial Python program, runtime={args.runtime}, pool={args.pool}")
    print(f"| {'mode':30} | runs  |  p50 ms  |  p99 ms  |  runs/s  | vs cold  |")
    print(f"|{'-' * 32}|------:|---------:|---------:|---------:|---------:|")
    base = {}
    for conc in (1, 16):
        lat, wall = await measure(lambda: cold_once(config), args.cold_runs * (1 if conc == 1 else 2), conc)
        base[conc] = len(lat) / wall
        print(row(f"docker run --rm, {conc}-way", lat, wall, None), flush=True)
    async with Sandbox(config) as sb:
        await measure(lambda: warm_once(sb), args.pool * 2, args.pool)  # warm every container once
        for conc in (1, 16):
            lat, wall = await measure(lambda: warm_once(sb), args.runs, conc)
            print(row(f"warm pool execute, {conc}-way", lat, wall, base[conc]), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
