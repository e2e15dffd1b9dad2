"""A trivial Python `Execute` through gRPC, single stream, against a bare interpreter start on
the host, same run: the figure issue #15's warm interpreters are to halve.

    .venv/bin/python benchmarks/execute_latency.py [--runs 300]

Starts its own `referee serve` (default settings). Bare: `/usr/bin/python3 -E -S -c 'print(1)'`
as a subprocess, no container, no isolation. Rounds interleave the two so the machine's load
hits both alike; prints p50/p99 of each and the ratio of the p50s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referee.client import RefereeClient  # noqa: E402
from referee.process import ServerProcess  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from stats import percentile  # noqa: E402

BARE = ["/usr/bin/python3", "-E", "-S", "-c", "print(1)"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    execute, bare = [], []
    with ServerProcess(cwd=ROOT) as srv, RefereeClient(srv.target, timeout_s=60) as client:
        for _ in range(20):  # warm: pool filled, channel up
            client.execute("python", "print(1)")
        for _ in range(args.runs):
            t = time.perf_counter()
            r = client.execute("python", "print(1)")
            execute.append((time.perf_counter() - t) * 1000)
            assert r.stdout == "1\n", r
            t = time.perf_counter()
            subprocess.run(BARE, capture_output=True, check=True)
            bare.append((time.perf_counter() - t) * 1000)
    print(f"{'':28}{'p50 ms':>8}{'p99 ms':>8}{'mean ms':>9}")
    for label, xs in (("Execute via gRPC", execute), ("bare python3 -E -S", bare)):
        print(f"{label:28}{percentile(xs, 0.5):8.1f}{percentile(xs, 0.99):8.1f}{statistics.mean(xs):9.1f}")
    print(f"Execute p50 / bare p50: {percentile(execute, 0.5) / percentile(bare, 0.5):.2f}")


if __name__ == "__main__":
    main()
