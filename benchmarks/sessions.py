"""Session cells against one-shot `Execute` of the same code, same server, same run (issue #16).

    .venv/bin/python benchmarks/sessions.py [--seconds 8] [--sessions 1,16,64]

Starts its own `referee serve` (max_sessions raised to the largest level). At each level N,
N clients loop for --seconds: each RunCell in its own session (created before the clock
starts), or Execute of the same cell as a whole program. The cell is what a tool call of a
reasoning model looks like: a little arithmetic and a print. Prints cells/s and p50/p99 of
each per level, the ratio of throughputs, and what creating a session costs.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referee.client import RefereeClient, Session  # noqa: E402
from referee.process import ServerProcess  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from stats import percentile  # noqa: E402

CELL = "from math import comb\nn = 3 * 41 + 7\nprint(comb(n, 5) % 1_000_007)\n"


def drive(workers: list[Callable[[], None]], seconds: float) -> list[float]:
    """Latencies (ms) of every call the workers made, each in its own thread, for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def loop(call: Callable[[], None]) -> None:
        mine = []
        while (t := time.perf_counter()) < end:
            call()
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--sessions", default="1,16,64")
    args = ap.parse_args()
    levels = [int(x) for x in args.sessions.split(",")]
    env = {
        "REFEREE_SANDBOX__MAX_SESSIONS": str(max(levels)),
        "REFEREE_SERVER__MAX_CONCURRENT_CODE_REQUESTS": "256",
    }
    rows = []
    with ServerProcess(env=env, cwd=ROOT) as srv, RefereeClient(srv.target, timeout_s=300) as client:
        expected = client.execute("python", CELL).stdout
        for n in levels:
            creates, sessions = [], []
            for _ in range(n):
                t = time.perf_counter()
                sessions.append(client.session())
                creates.append((time.perf_counter() - t) * 1000)
            try:

                def run_cell(s: Session) -> Callable[[], None]:
                    def call() -> None:
                        r = s.run(CELL)
                        assert r.ok and r.stdout == expected, r

                    return call

                def execute() -> None:
                    r = client.execute("python", CELL)
                    assert r.stdout == expected, r

                for s in sessions:
                    s.run("1")  # warm: the interpreter has run a cell
                cells = drive([run_cell(s) for s in sessions], args.seconds)
                runs = drive([execute] * n, args.seconds)
            finally:
                for s in sessions:
                    s.close()
            rows.append((n, cells, runs, creates))
    print(f"{'clients':>7} {'':10}{'calls/s':>9}{'p50 ms':>8}{'p99 ms':>8}")
    for n, cells, runs, creates in rows:
        for label, xs in (("RunCell", cells), ("Execute", runs)):
            print(
                f"{n:7d} {label:10}{len(xs) / args.seconds:9.1f}{percentile(xs, 0.5):8.1f}{percentile(xs, 0.99):8.1f}"
            )
        print(
            f"{'':7} RunCell/Execute throughput: {len(cells) / max(len(runs), 1):.2f}x; "
            f"CreateSession p50 {percentile(creates, 0.5):.0f} ms (one at a time)"
        )


if __name__ == "__main__":
    main()
