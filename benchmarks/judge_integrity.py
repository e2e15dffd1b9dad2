"""Two judge-integrity figures that are timings, each against its baseline in the same run.

    .venv/bin/python benchmarks/judge_integrity.py [--tries 5]

1. Code extraction from hostile completions (many unclosed fences): the single-pass scanner
   against the fence regex it replaced, on the same inputs.
2. A correct test that needs ~450 ms of CPU (limit 600 ms), alone and next to spinning samples
   filling every other container of the pool on this machine's cores: passes out of tries.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time

from rewards.code import extract_code
from sandbox import IOCase, JudgeSpec, Sandbox, SandboxConfig, image
from tests.sandboxes import busy_function

# The regex extract_code used before (quadratic on unclosed fences).
OLD_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.DOTALL | re.MULTILINE)


def extraction() -> None:
    print("| completion | size | old regex ms | scanner ms |")
    print("|---|---:|---:|---:|")
    for kib in (4, 8, 16):
        text = "```x\n" * (kib * 1024 // 5)
        t0 = time.perf_counter()
        OLD_FENCE.findall(text)
        old = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        extract_code(text, "python")
        new = (time.perf_counter() - t0) * 1000
        print(f"| unclosed fences | {kib} KiB | {old:.1f} | {new:.2f} |")
    for name, text in (
        ("unclosed fences", "```x\n" * 200_000),
        ("bare fences", "```\n" * 250_000),
        ("prose", "word " * 200_000),
        ("one 1 MB block", "```python\n" + "x = 1\n" * 166_000 + "```\n"),
    ):
        t0 = time.perf_counter()
        extract_code(text, "python")
        print(f"| {name} | {len(text) >> 10} KiB | (not run) | {(time.perf_counter() - t0) * 1000:.1f} |")


async def under_load(tries: int) -> None:
    spin = JudgeSpec("python", "while True:\n    pass\n", cases=(IOCase("", ""),), timeout_ms=4_000)
    config = SandboxConfig(pool_size=4)
    image.build(config)
    async with Sandbox(config) as sb:
        source = busy_function("f", 0.45)
        test = JudgeSpec("python", source, test_code="assert f() > 0\n", entry_point="f", timeout_ms=600)
        alone = [await sb.judge(test) for _ in range(tries)]
        loaded = []
        for _ in range(tries):
            spinners = [asyncio.create_task(sb.judge(spin)) for _ in range(config.pool_size - 1)]
            await asyncio.sleep(0.5)
            loaded.append(await sb.judge(test))
            await asyncio.gather(*spinners)
    print("| condition | passed | test wall ms (median) |")
    print("|---|---:|---:|")
    for name, rs in (("alone", alone), (f"next to {config.pool_size - 1} spinning samples", loaded)):
        walls = sorted(r.tests[0].wall_ms for r in rs)
        print(f"| {name} | {sum(r.passed for r in rs)}/{tries} | {walls[len(walls) // 2]:.0f} |")
        for r in rs:
            if not r.passed:
                print(f"  not passed: {r.status} {r.tests[0].verdict} {r.tests[0].detail}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tries", type=int, default=5)
    args = ap.parse_args()
    extraction()
    print()
    asyncio.run(under_load(args.tries))


if __name__ == "__main__":
    main()
