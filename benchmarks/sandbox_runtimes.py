"""runc vs runsc (gVisor): cold start and per-run cost, through the production path for both.

    .venv/bin/python benchmarks/sandbox_runtimes.py [--runs 30]

Both runtimes go through `Sandbox` exactly as the server uses it (for runsc that needs the
`"runtimeArgs": ["--network=none"]` entry that scripts/setup.sh writes into
/etc/docker/daemon.json; without it the runsc row says why it is missing). Per-run figures
are the supervisor's own wall time of each program (`ExecuteResult.wall_ms`), median of
`--runs` sequential runs in one warm container; cold start is `Sandbox.start()` with a pool
of one: create, attach, and the supervisor's first answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from sandbox import ExecuteSpec, Sandbox, SandboxConfig, doctor, image

PROGRAMS = {
    "python print(1)": ExecuteSpec("python", "print(1)"),
    "python import json,re,collections": ExecuteSpec("python", "import json, re, collections"),
    "javascript console.log(1)": ExecuteSpec("javascript", "console.log(1)"),
}


async def measure(config: SandboxConfig, runs: int) -> tuple[float, list[float]]:
    sb = Sandbox(config)
    t0 = time.perf_counter()
    await sb.start()
    cold = (time.perf_counter() - t0) * 1000
    try:
        medians = []
        for spec in PROGRAMS.values():
            walls = []
            for _ in range(runs):
                r = await sb.execute(spec)
                if r.status.value != "OK":
                    raise SystemExit(f"{config.runtime}: {r.status.value} {r.detail}")
                walls.append(r.wall_ms)
            medians.append(statistics.median(walls))
        return cold, medians
    finally:
        await sb.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    rows = {}
    for runtime in ("runc", "runsc"):
        config = SandboxConfig(runtime=runtime, pool_size=1)
        image.build(config)
        smoke = doctor(config)[-1]
        if not smoke.ok:
            print(f"{runtime}: skipped: {smoke.detail[:200]} (fix: {smoke.fix})")
            continue
        rows[runtime] = asyncio.run(measure(config, args.runs))
    names = list(PROGRAMS)
    print(f"median ms per run inside a warm container ({args.runs} runs each), and one cold container start")
    print(f"| runtime | cold start ms | {' | '.join(names)} |")
    print(f"|---|---:|{'|'.join('---:' for _ in names)}|")
    for name, (cold, meds) in rows.items():
        print(f"| {name} | {cold:.0f} | " + " | ".join(f"{m:.1f}" for m in meds) + " |")


if __name__ == "__main__":
    main()
